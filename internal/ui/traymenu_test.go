package ui

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// shown is what the menu shows: labels, "(off)" for disabled items,
// submenus in brackets.
func shown(items []*trayItem) []string {
	var out []string
	for _, it := range items {
		switch {
		case it.hidden:
			continue
		case it.sep:
			out = append(out, "--")
			continue
		}
		l := it.label
		if it.disabled {
			l += " (off)"
		}
		if it.sub != nil {
			l += " [" + strings.Join(shown(it.sub), " | ") + "]"
		}
		out = append(out, l)
	}
	return out
}

// TestTrayMenuInPlace: the menu's items are made once; a state changes
// their labels and visibility, a state that changes nothing is no change,
// and the guides' pool only grows.
func TestTrayMenuInPlace(t *testing.T) {
	var opened []string
	nop := func() {}
	m := newTrayMenu(trayActions{openGuide: func(id string) { opened = append(opened, id) },
		search: nop, record: nop, problems: nop, pauseHour: nop, pauseTomorrow: nop, resume: nop,
		openFolder: nop, settings: nop, about: nop, quit: nop})
	m.now = func() time.Time { return time.Date(2026, 11, 26, 14, 0, 0, 0, time.Local) }
	items := slices.Clone(m.items)
	tail := []string{"Search guides... (Ctrl+Alt+Space)", "Record a guide...", "Pause suggestions [For 1 hour | Until tomorrow | Resume (off)]",
		"--", "Open library folder", "Settings...", "About", "--", "Quit"}
	check := func(what string, want ...string) {
		t.Helper()
		if got := shown(m.items); !slices.Equal(got, append(want, tail...)) {
			t.Errorf("%s:\n got %q\nwant %q", what, got, append(want, tail...))
		}
	}

	calc := trayState{app: "Calc", hotkey: "Ctrl+Alt+Space", guides: []trayGuide{{"a", "How to a"}, {"b", "How to b"}, {"c", "How to c"}}}
	if !m.set(calc) {
		t.Error("the first state is no change")
	}
	check("Calc", "Guides for Calc [How to a | How to b | How to c]")
	if m.set(calc) {
		t.Error("the same state again is a change")
	}
	changes := m.changes

	pad := trayState{app: "Mousepad", hotkey: "Ctrl+Alt+Space", guides: []trayGuide{{"p", "How to p"}}}
	m.set(pad)
	check("Mousepad", "Guides for Mousepad [How to p]")
	if len(m.guides.sub) != trayPool {
		t.Errorf("the pool has %d items, want the %d it had", len(m.guides.sub), trayPool)
	}
	pool := slices.Clone(m.guides.sub)

	// A hidden pool item opens nothing; a shown one the guide it shows now.
	pool[1].action()
	pool[0].action()
	if !slices.Equal(opened, []string{"p"}) {
		t.Errorf("opened %q, want [p]", opened)
	}

	term := trayState{hotkey: "Ctrl+Alt+Space"}
	m.set(term)
	check("no guides", "No guides for this app (off)")

	seven := trayState{app: "Big", hotkey: "Ctrl+Alt+Space", guides: []trayGuide{{"1", "One"}, {"2", "Two"}, {"3", "Three"},
		{"4", "Four"}, {"5", "Five"}, {"6", "Six"}, {"7", "Seven"}}}
	m.set(seven)
	check("seven guides", "Guides for Big [One | Two | Three | Four | Five | Six | Seven]")
	if len(m.guides.sub) != 7 || !slices.Equal(m.guides.sub[:trayPool], pool) {
		t.Errorf("the pool did not grow by 2 keeping its items: %d items", len(m.guides.sub))
	}

	m.set(trayState{unavailable: "focus tracking unavailable: no window manager", hotkey: "Ctrl+Alt+Space",
		pausedUntil: time.Date(2026, 11, 26, 15, 0, 0, 0, time.Local), problems: 2, anyProblems: true})
	want := []string{"focus tracking unavailable: no window manager (off)", "No guides for this app (off)", "Search guides... (Ctrl+Alt+Space)",
		"Record a guide...", "Suggestions paused until 15:00 [For 1 hour | Until tomorrow | Resume]", "Library problems (2)",
		"--", "Open library folder", "Settings...", "About", "--", "Quit"}
	if got := shown(m.items); !slices.Equal(got, want) {
		t.Errorf("unavailable, paused, problems:\n got %q\nwant %q", got, want)
	}

	if !slices.Equal(m.items, items) {
		t.Error("the menu's items were replaced")
	}
	if m.changes != changes+4 {
		t.Errorf("%d changes after the first, want 4", m.changes-changes)
	}
}

func TestUntilLabel(t *testing.T) {
	now := time.Date(2026, 11, 26, 14, 0, 0, 0, time.Local)
	for _, c := range []struct {
		until time.Time
		want  string
	}{
		{now.Add(time.Hour), "15:00"},
		{time.Date(2026, 11, 27, 9, 0, 0, 0, time.Local), "Fri 09:00"},
	} {
		if got := untilLabel(c.until, now); got != c.want {
			t.Errorf("untilLabel(%v) = %q, want %q", c.until, got, c.want)
		}
	}
}
