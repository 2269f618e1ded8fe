//go:build linux

package main

import (
	"strings"
	"testing"

	"github.com/cuecard/cuecard/internal/focus/desktoptest"
)

// TestWatchJSONKWin runs `cuecard watch --json` in a real headless KWin
// session (no X11): the KWin backend is chosen (wlroots is tried first and
// said not to fit), and two native Wayland windows (GTK 3) taking the focus
// in turn are printed with their app ids, titles and pids.
func TestWatchJSONKWin(t *testing.T) {
	d := desktoptest.StartKWin(t)
	var e []string
	for _, kv := range env(t) {
		if !strings.HasPrefix(kv, "DISPLAY=") && !strings.HasPrefix(kv, "WAYLAND_DISPLAY=") && !strings.HasPrefix(kv, "XDG_RUNTIME_DIR=") &&
			!strings.HasPrefix(kv, "DBUS_SESSION_BUS_ADDRESS=") {
			e = append(e, kv)
		}
	}
	e = append(e, d.Env()...)
	calc := d.Open("libreoffice-calc", "Q3 sales report.ods - LibreOffice Calc")
	d.Open("acme-crm", "Acme CRM")

	read, _, _ := startWatch(t, e)
	next := func() watchEvent {
		t.Helper()
		for {
			if o := read(); o.Status != nil || o.Class != "" {
				return o
			} // else no window for a moment between two
		}
	}
	if o := next(); o.Status == nil || !o.Available || !strings.Contains(*o.Status, "through KWin") || !strings.Contains(*o.Status, "not used: wlroots") {
		t.Fatalf("first line %+v, want the KWin tracking status", o)
	}
	window := func(appID, title string) {
		t.Helper()
		o := next()
		if o.Status != nil || o.Class != appID || o.Title != title || o.PID == 0 {
			t.Fatalf("line %+v, want %s %q with a pid", o, appID, title)
		}
	}
	window("acme-crm", "Acme CRM")
	calc.Raise()
	window("libreoffice-calc", "Q3 sales report.ods - LibreOffice Calc")
}
