//go:build linux

package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/cuecard/cuecard/internal/focus/focustest"
)

// layoutOf reads the tray menu of item from parent down, with the layout
// revision it is at.
func layoutOf(conn *dbus.Conn, item string, parent int32) (uint32, menuItem, error) {
	var rev uint32
	var raw []any
	call := conn.Object(item, "/StatusNotifierMenu").Call("com.canonical.dbusmenu.GetLayout", 0, parent, int32(-1), []string{})
	if call.Err != nil {
		return 0, menuItem{}, call.Err
	}
	if err := call.Store(&rev, &raw); err != nil {
		return 0, menuItem{}, err
	}
	return rev, parseLayout(raw), nil
}

// child is the first shown entry of m (not of its submenus) whose label
// starts with prefix.
func (m menuItem) child(prefix string) (menuItem, bool) {
	for _, c := range m.children {
		if strings.HasPrefix(c.label, prefix) {
			return c, true
		}
	}
	return menuItem{}, false
}

// TestDesktopTrayMenuStable: the tray menu keeps its items through 50
// focus switches. A tray host (libdbusmenu in the Xfce panel) caches the
// layout by item id; the app used to rebuild the menu with new ids on
// every focus change, and the host was left with an empty "Pause
// suggestions" and no Quit. Here, after the switches: the fixed items have
// the ids they started with, every submenu opens (AboutToShow, GetLayout)
// with its items, the items work when clicked, the layout revision moved
// only for what changed, and not at all for a switch that changes nothing.
func TestDesktopTrayMenuStable(t *testing.T) {
	focustest.Require(t, "dbus-daemon", "xdotool")
	x := focustest.StartX(t)
	x.StartWM()
	bus := newTrayBus(t)
	conn := bus.conn

	lib := t.TempDir()
	guides := map[string][]string{
		"gnumeric": {"How to sum a column", "How to freeze the top row", "How to print a sheet"},
		"mousepad": {"How to save as PDF", "How to find and replace"},
		"crm":      {"How to log a call"},
	}
	rules := map[string]string{"gnumeric": "class: gnumeric", "mousepad": "class: mousepad", "crm": "title: 'Acme CRM'"}
	for app, titles := range guides {
		for i, title := range titles {
			text := "---\ntitle: " + title + "\nsummary: One step at a time.\napps:\n  - " + rules[app] +
				"\nowner: a@example.com\nreviewed: 2026-11-01\n---\n# " + title + "\n\n1. Do it.\n"
			if err := os.WriteFile(filepath.Join(lib, app+string(rune('a'+i))+".md"), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}

	e := append(env(t), x.Env()...)
	e = append(e, "CUECARD_RUNTIME="+t.TempDir(), "DBUS_SESSION_BUS_ADDRESS="+bus.addr)
	startApp(t, e, "--library", lib)
	item := bus.item(t)
	if _, ok := bus.waitLabel(t, item, "Quit", false); !ok {
		t.FailNow()
	}

	// The fixed items and their ids at the start.
	fixed := []string{"Search guides...", "Record a guide...", "Pause suggestions", "Open library folder", "Settings...", "About", "Quit"}
	rev0, root, err := layoutOf(conn, item, 0)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]int32{}
	for _, label := range fixed {
		it, ok := root.find(label)
		if !ok {
			t.Fatalf("tray menu lacks %q at the start: %q", label, root.labels())
		}
		ids[label] = it.id
	}
	pause, _ := root.find("Pause suggestions")
	pauseIDs := map[string]int32{}
	for _, c := range pause.children {
		pauseIDs[c.label] = c.id
	}

	c := x.Client()
	type win struct {
		name   string
		id     uint32
		guides []string // the guides the tray lists for it
	}
	open := func(name, class, title, app string) win {
		return win{name: name, id: c.Open(name, 0, strings.ToLower(class), class, title), guides: guides[app]}
	}
	clock := open("clock", "XClock", "xclock", "")
	term := open("term", "XTerm", "Terminal", "")
	crm := open("crm", "Chromium", "Deals | Acme CRM - Chromium", "crm")
	pad := open("pad", "Mousepad", "Untitled 1 - Mousepad", "mousepad")
	calc2 := open("calc2", "Gnumeric", "Sales.gnumeric - Gnumeric", "gnumeric")
	calc := open("calc", "Gnumeric", "Budget.gnumeric - Gnumeric", "gnumeric")

	// settled waits until the tray lists w's guides (or says it has none)
	// and returns the layout revision then.
	settled := func(w win) (uint32, menuItem) {
		t.Helper()
		var root menuItem
		var rev uint32
		for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			r, m, err := layoutOf(conn, item, 0)
			if err != nil {
				continue
			}
			rev, root = r, m
			if len(w.guides) == 0 {
				if _, ok := root.child("No guides for this app"); ok {
					if _, ok := root.find("Guides for "); !ok {
						return rev, root
					}
				}
				continue
			}
			if sub, ok := root.find("Guides for "); ok && slices.Equal(sorted(sub.labels()), sorted(w.guides)) {
				if _, ok := root.child("No guides for this app"); !ok {
					return rev, root
				}
			}
		}
		t.Fatalf("the tray never listed %s's guides %q: %q", w.name, w.guides, root.labels())
		return 0, root
	}
	focus := func(w win) {
		t.Helper()
		c.Activate(w.name)
		x.WaitActive(w.id)
	}

	// 50 switches among apps with guides and apps without, each until the
	// tray shows the focused app: a tray host reads the layout each time it
	// is told of a new revision, and ends with the menu as it is.
	host := watchLayout(t, conn, item)
	order := []win{calc, clock, pad, crm, term, calc2, pad, clock, crm, calc}
	const switches = 50
	// Each window took the focus as it opened: the switches start from the
	// last one.
	x.WaitActive(calc.id)
	revStart, _ := settled(calc)
	rev, most := revStart, uint32(0)
	for i := range switches {
		focus(order[i%len(order)])
		r, _ := settled(order[i%len(order)])
		most = max(most, r-rev)
		rev = r
	}
	last := order[(switches-1)%len(order)]
	rev1, root := settled(last)
	t.Logf("layout revision %d at the start, %d before the switches, %d after %d (at most %d for one)", rev0, revStart, rev1, switches, most)

	for _, label := range fixed {
		it, ok := root.child(label)
		switch {
		case !ok:
			t.Errorf("after %d focus switches the tray menu lacks %q: %q", switches, label, root.labels())
		case it.id != ids[label]:
			t.Errorf("after %d focus switches %q has id %d, was %d: a tray host that cached the layout loses it", switches, label, it.id, ids[label])
		}
	}
	if l := root.labels(); len(l) == 0 || l[len(l)-1] != "Quit" {
		t.Errorf("Quit is not the last item: %q", l)
	}
	// A switch changes a few items, each a revision: at most the label and
	// visibility of the submenu and of each of its 3 guides, and "No guides
	// for this app": 9 (twice that if the focus passed through another
	// window on the way). Rebuilding the whole menu moves it by 19.
	if most > 2*(2*3+3) {
		t.Errorf("one focus switch moved the layout revision by %d (%d in %d switches): the menu is rebuilt", most, rev1-revStart, switches)
	}
	// The host's copy, read when it was last told, is the menu as it is.
	var seen string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		r, now, err := layoutOf(conn, item, 0)
		if err != nil {
			continue
		}
		var hr uint32
		hr, seen = host.copy()
		if hr == r && seen == now.String() {
			break
		}
	}
	if _, now, _ := layoutOf(conn, item, 0); seen != now.String() {
		t.Errorf("the tray host's copy of the menu, read when told of the last change, is not the menu:\nhost %s\nmenu %s", seen, now.String())
	}

	// A switch between two windows of one app changes nothing in the menu,
	// and the revision does not move: Calc -> Mousepad costs as much as
	// Calc -> Calc -> Calc -> Calc -> Mousepad.
	focus(calc)
	ra, _ := settled(calc)
	focus(pad)
	rb, _ := settled(pad)
	focus(calc)
	rc, _ := settled(calc)
	focus(calc2)
	focus(calc)
	focus(calc2)
	focus(pad)
	rd, _ := settled(pad)
	t.Logf("Calc -> Mousepad: %d revisions; with switches between Calc windows first: %d", rb-ra, rd-rc)
	if rb-ra != rd-rc {
		t.Errorf("switching between two Gnumeric windows moved the layout revision: Calc -> Mousepad %d revisions, with three switches between Calc windows first %d", rb-ra, rd-rc)
	}

	// Every submenu opens with its items, as a tray host asks for them.
	focus(calc)
	_, root = settled(calc)
	submenus := map[string][]string{"Guides for ": calc.guides, "Pause suggestions": {"For 1 hour", "Until tomorrow", "Resume"}}
	for prefix, want := range submenus {
		it, ok := root.find(prefix)
		if !ok {
			t.Errorf("tray menu lacks %q: %q", prefix, root.labels())
			continue
		}
		if call := conn.Object(item, "/StatusNotifierMenu").Call("com.canonical.dbusmenu.AboutToShow", 0, it.id); call.Err != nil {
			t.Errorf("AboutToShow %q: %v", it.label, call.Err)
		}
		_, sub, err := layoutOf(conn, item, it.id)
		if err != nil {
			t.Errorf("GetLayout of %q (id %d): %v", it.label, it.id, err)
			continue
		}
		if !slices.Equal(sorted(sub.labels()), sorted(want)) {
			t.Errorf("submenu %q (id %d) shows %q, want %q", it.label, it.id, sub.labels(), want)
		}
		for _, c := range sub.children {
			if prefix == "Pause suggestions" && c.id != pauseIDs[c.label] {
				t.Errorf("%q > %q has id %d, was %d", it.label, c.label, c.id, pauseIDs[c.label])
			}
		}
	}

	// A guide of "Guides for Gnumeric" opens in its viewer.
	sub, _ := root.find("Guides for ")
	g, ok := sub.child("How to freeze the top row")
	if !ok {
		t.Fatalf("Guides for Gnumeric: %q", sub.labels())
	}
	bus.click(t, item, g.id)
	if waitWindow(t, x, "How to freeze the top row - Cuecard") == "" {
		t.Error("clicking a guide in the tray's Guides for Gnumeric did not open its viewer")
	}

	// Pause suggestions > For 1 hour pauses: the menu says until when, and
	// Resume (enabled now) ends it. The ids stay.
	bus.click(t, item, pauseIDs["For 1 hour"])
	paused, ok := bus.waitLabel(t, item, "Suggestions paused until ", false)
	if ok {
		if paused.id != ids["Pause suggestions"] {
			t.Errorf("the pause item has id %d, was %d", paused.id, ids["Pause suggestions"])
		}
		if r, ok := paused.child("Resume"); !ok || r.disabled {
			t.Errorf("Resume is not enabled while paused: %s", paused)
		}
	}
	bus.click(t, item, pauseIDs["Resume"])
	if _, ok := bus.waitLabel(t, item, "Pause suggestions", false); ok {
		_, root, _ = layoutOf(conn, item, 0)
		if p, _ := root.child("Pause suggestions"); len(p.children) == 3 && !p.children[2].disabled {
			t.Errorf("Resume is enabled while not paused: %s", p)
		}
	}
}

// String is the menu as a host shows it: labels, submenus in brackets,
// "(off)" for a disabled item.
func (m menuItem) String() string {
	var b strings.Builder
	for i, c := range m.children {
		if i > 0 {
			b.WriteString(" | ")
		}
		b.WriteString(c.label)
		if c.disabled {
			b.WriteString(" (off)")
		}
		if len(c.children) > 0 {
			b.WriteString(" [" + c.String() + "]")
		}
	}
	return b.String()
}

// layoutHost keeps a copy of an app's tray menu as libdbusmenu (the Xfce
// panel's) does: it reads the layout again each time the app announces a
// new revision with LayoutUpdated.
type layoutHost struct {
	mu   sync.Mutex
	rev  uint32
	menu string
}

func watchLayout(t *testing.T, conn *dbus.Conn, item string) *layoutHost {
	t.Helper()
	if err := conn.AddMatchSignal(dbus.WithMatchSender(item), dbus.WithMatchInterface("com.canonical.dbusmenu"), dbus.WithMatchMember("LayoutUpdated")); err != nil {
		t.Fatal(err)
	}
	h := &layoutHost{}
	signals := make(chan *dbus.Signal, 4096)
	conn.Signal(signals)
	t.Cleanup(func() { conn.RemoveSignal(signals) })
	go func() {
		for sig := range signals {
			if sig.Name != "com.canonical.dbusmenu.LayoutUpdated" {
				continue
			}
			rev, m, err := layoutOf(conn, item, 0)
			if err != nil {
				return // the bus is gone: the test is over
			}
			h.mu.Lock()
			if rev >= h.rev {
				h.rev, h.menu = rev, m.String()
			}
			h.mu.Unlock()
		}
	}()
	return h
}

func (h *layoutHost) copy() (uint32, string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.rev, h.menu
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
