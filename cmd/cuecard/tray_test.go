//go:build linux

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/cuecard/cuecard/internal/focus/focustest"
)

// watcher is a minimal StatusNotifierWatcher: the tray host of a desktop,
// on a private session bus.
type trayHost struct{ items chan string }

func (w *trayHost) RegisterStatusNotifierItem(sender dbus.Sender, path string) *dbus.Error {
	w.items <- string(sender)
	return nil
}

// menuItem is one entry of a com.canonical.dbusmenu layout.
type menuItem struct {
	id       int32
	label    string
	disabled bool
	hidden   bool
	children []menuItem // the shown ones, as a tray host shows them
}

func parseLayout(v []any) menuItem {
	var it menuItem
	if len(v) < 3 {
		return it
	}
	it.id, _ = v[0].(int32)
	if props, ok := v[1].(map[string]dbus.Variant); ok {
		if l, ok := props["label"]; ok {
			it.label, _ = l.Value().(string)
		}
		if e, ok := props["enabled"]; ok {
			enabled, _ := e.Value().(bool)
			it.disabled = !enabled
		}
		if vis, ok := props["visible"]; ok {
			visible, _ := vis.Value().(bool)
			it.hidden = !visible
		}
	}
	if kids, ok := v[2].([]dbus.Variant); ok {
		for _, k := range kids {
			if kv, ok := k.Value().([]any); ok {
				if c := parseLayout(kv); !c.hidden {
					it.children = append(it.children, c)
				}
			}
		}
	}
	return it
}

func (m menuItem) find(prefix string) (menuItem, bool) {
	if m.label != "" && strings.HasPrefix(m.label, prefix) {
		return m, true
	}
	for _, c := range m.children {
		if f, ok := c.find(prefix); ok {
			return f, true
		}
	}
	return menuItem{}, false
}

func (m menuItem) labels() []string {
	var out []string
	for _, c := range m.children {
		out = append(out, c.label)
	}
	return out
}

// TestDesktopTrayMenu runs the app against a test tray host on a private
// D-Bus session bus, reads its menu through com.canonical.dbusmenu and
// clicks "Search guides...": the search window opens.
func TestDesktopTrayMenu(t *testing.T) {
	focustest.Require(t, "dbus-daemon", "xdotool")
	x := focustest.StartX(t)
	x.StartWM()

	bus := newTrayBus(t)
	conn := bus.conn
	e := append(env(t), x.Env()...)
	e = append(e, "CUECARD_RUNTIME="+t.TempDir(), "DBUS_SESSION_BUS_ADDRESS="+bus.addr)
	startApp(t, e, "--library", sample)
	item := bus.item(t)

	search, ok := bus.waitLabel(t, item, "Search guides...", false)
	if !ok {
		t.FailNow()
	}
	root, _ := bus.menu(item)
	labels := strings.Join(root.labels(), "|")
	for _, want := range []string{"Search guides... (Ctrl+Alt+Space)", "Pause suggestions", "Open library folder", "Insights...", "Settings...", "About", "Quit"} {
		if !strings.Contains(labels, want) {
			t.Errorf("tray menu lacks %q: %q", want, root.labels())
		}
	}
	bus.click(t, item, search.id)
	if waitWindow(t, x, "Search guides - Cuecard") == "" {
		t.Error("clicking 'Search guides...' in the tray did not open the search window")
	}

	// Settings... opens the settings window.
	bus.clickLabel(t, item, "Settings...")
	if waitWindow(t, x, "Settings - Cuecard") == "" {
		t.Error("Settings... did not open the settings window")
	}

	// Record a guide... asks for the title.
	bus.clickLabel(t, item, "Record a guide...")
	if waitWindow(t, x, "Record a guide - Cuecard") == "" {
		t.Error("Record a guide... did not open the title prompt")
	}

	// Insights... writes the HTML report and hands it to the browser.
	page := filepath.Join(envValue(e, "CUECARD_CACHE"), "insights.html")
	var html []byte
	for deadline := time.Now().Add(20 * time.Second); len(html) == 0 && time.Now().Before(deadline); {
		if m, ok := bus.menu(item); ok {
			root = m
			if it, ok := root.find("Insights..."); ok {
				conn.Object(item, "/StatusNotifierMenu").Call("com.canonical.dbusmenu.Event", 0, it.id, "clicked", dbus.MakeVariant(""), uint32(0))
			}
		}
		for wait := time.Now().Add(3 * time.Second); len(html) == 0 && time.Now().Before(wait); time.Sleep(100 * time.Millisecond) {
			html, _ = os.ReadFile(page)
		}
	}
	if !strings.Contains(string(html), "<h1>Cuecard insights</h1>") || !strings.Contains(string(html), `<svg id="chart-views"`) {
		t.Errorf("Insights... did not write the report to %s (%d bytes); menu %q", page, len(html), root.labels())
	}

	// The window manager dies: focus tracking is unavailable, and the tray
	// says so at the top of its menu.
	x.KillWM()
	var first string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		m, ok := bus.menu(item)
		if !ok {
			continue
		}
		if l := m.labels(); len(l) > 0 {
			first = l[0]
		}
		if strings.HasPrefix(first, "focus tracking unavailable") {
			break
		}
	}
	if !strings.HasPrefix(first, "focus tracking unavailable") {
		t.Errorf("the tray does not say that focus tracking stopped; first item %q", first)
	}
}
