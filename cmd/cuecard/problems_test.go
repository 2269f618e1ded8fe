//go:build linux

package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/cuecard/cuecard/internal/focus/focustest"
)

// trayBus is a private session bus with a test tray host on it.
type trayBus struct {
	addr string
	conn *dbus.Conn
	host *trayHost
}

// newTrayBus starts a dbus-daemon with a test tray host on it; both stop
// when the test ends.
func newTrayBus(tb testing.TB) *trayBus {
	tb.Helper()
	addr := privateBus(tb)
	conn, host := startTrayHost(tb, addr)
	return &trayBus{addr: addr, conn: conn, host: host}
}

// item waits for the app's tray item to register.
func (b *trayBus) item(tb testing.TB) string {
	tb.Helper()
	select {
	case it := <-b.host.items:
		return it
	case <-time.After(15 * time.Second):
		tb.Fatal("the app never registered a tray item")
		return ""
	}
}

// menu reads the tray menu of item.
func (b *trayBus) menu(item string) (menuItem, bool) {
	m, err := trayMenu(b.conn, item)
	return m, err == nil
}

// waitLabel waits until the menu has an entry starting with prefix (or,
// with absent, has none) and returns it.
// click clicks the menu entry id of the app's tray item, as a tray host
// does when the user picks it.
func (b *trayBus) click(t *testing.T, item string, id int32) {
	t.Helper()
	if call := b.conn.Object(item, "/StatusNotifierMenu").Call("com.canonical.dbusmenu.Event", 0, id, "clicked", dbus.MakeVariant(""), uint32(0)); call.Err != nil {
		t.Fatalf("click: %v", call.Err)
	}
}

// clickLabel waits for the tray menu entry starting with label and clicks
// it; the test stops if it never appears.
func (b *trayBus) clickLabel(t *testing.T, item, label string) {
	t.Helper()
	it, ok := b.waitLabel(t, item, label, false)
	if !ok {
		t.FailNow()
	}
	b.click(t, item, it.id)
}

func (b *trayBus) waitLabel(t *testing.T, item, prefix string, absent bool) (menuItem, bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		root, ok := b.menu(item)
		if !ok {
			continue
		}
		it, found := root.find(prefix)
		if found != absent {
			return it, found
		}
	}
	root, _ := b.menu(item)
	t.Errorf("tray menu: want %q present=%v, have %q", prefix, !absent, root.labels())
	return menuItem{}, false
}

// TestDesktopLibraryProblemsLive: broken guide files show as "Library
// problems (N)" in the tray, the item opens the problems window listing
// them with their lines, and both follow the library live as files break
// and are fixed.
func TestDesktopLibraryProblemsLive(t *testing.T) {
	focustest.Require(t, "xdotool")
	x := focustest.StartX(t)
	x.StartWM()
	bus := newTrayBus(t)
	lib := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(lib, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("good.md", "---\ntitle: How to be good\nowner: a@example.com\nreviewed: 2026-11-01\ntags: [x]\n---\n# How to be good\n")
	write("broken.md", "---\ntitle: How to break\ntags: [unclosed\n---\n# x\n")
	// Warnings (a managed library's guide without owner or review date)
	// are listed in the window but not counted in the tray.
	write("cuecard.yaml", "managed: true\n")
	write("warn.md", "---\ntitle: How to warn\ntags: [x]\n---\n# How to warn\n")
	e := append(env(t), x.Env()...)
	e = append(e, "CUECARD_RUNTIME="+t.TempDir(), "DBUS_SESSION_BUS_ADDRESS="+bus.addr)
	startApp(t, e, "--library", lib)
	item := bus.item(t)

	bus.clickLabel(t, item, "Library problems (1)")
	if waitWindow(t, x, "Library problems - Cuecard") == "" {
		t.Fatal("Library problems (1) did not open the problems window")
	}

	// A second file breaks: the count follows within the watcher's
	// debounce; fixing both removes the entry.
	write("also-broken.md", "---\ntitle: [\n---\n")
	bus.waitLabel(t, item, "Library problems (2)", false)
	if testing.Verbose() {
		time.Sleep(500 * time.Millisecond)
		x.Screenshot(os.TempDir() + "/cuecard-problems.png")
	}
	write("broken.md", "---\ntitle: How to break\nowner: a@example.com\nreviewed: 2026-11-01\ntags: [fixed]\n---\n# How to break\n")
	write("also-broken.md", "---\ntitle: How to mend\nowner: a@example.com\nreviewed: 2026-11-01\ntags: [fixed]\n---\n# How to mend\n")
	// Only warnings left: the entry stays, without a number.
	bus.waitLabel(t, item, "Library problems (", true)
	bus.waitLabel(t, item, "Library problems", false)
	write("warn.md", "---\ntitle: How to warn\nowner: a@example.com\nreviewed: 2026-11-01\ntags: [x]\n---\n# How to warn\n")
	bus.waitLabel(t, item, "Library problems", true)
}
