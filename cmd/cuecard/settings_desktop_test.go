//go:build linux

package main

import (
	"strings"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/focus/focustest"
)

// TestDesktopWindowClass: every window of the app is "cuecard", "Cuecard"
// in WM_CLASS (task bars group by it, window rules name it), not its
// title: the panel, the search window and the settings window.
func TestDesktopWindowClass(t *testing.T) {
	focustest.Require(t, "dbus-daemon", "xdotool", "xprop")
	x := focustest.StartX(t)
	x.StartWM()
	bus := newTrayBus(t)
	e := append(env(t), x.Env()...)
	e = append(e, "CUECARD_RUNTIME="+t.TempDir(), "DBUS_SESSION_BUS_ADDRESS="+bus.addr)
	startApp(t, e, "--library", sample)
	item := bus.item(t)

	bus.clickLabel(t, item, "Search guides...")
	bus.clickLabel(t, item, "Settings...")
	for _, name := range []string{"^Cuecard$", "^Search guides - Cuecard$", "^Settings - Cuecard$"} {
		var ids []string
		for deadline := time.Now().Add(10 * time.Second); len(ids) == 0 && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			ids = strings.Fields(x.Tool("xdotool", "search", "--name", name)) // the panel is hidden after start
		}
		if len(ids) == 0 {
			t.Errorf("no window %s", name)
			continue
		}
		for _, id := range ids {
			got := strings.TrimSpace(x.Tool("xprop", "-id", id, "WM_CLASS"))
			if got != `WM_CLASS(STRING) = "cuecard", "Cuecard"` {
				t.Errorf("window %s (%s): %s", name, id, got)
			}
		}
	}
}

// TestDesktopUnmuteThroughApp: while the app runs it holds the state file,
// so cuecard unmute asks it over its socket; the app lists and unmutes.
func TestDesktopUnmuteThroughApp(t *testing.T) {
	x := focustest.StartX(t)
	x.StartWM()
	e := append(env(t), x.Env()...)
	e = noTray(t, append(e, "CUECARD_RUNTIME="+t.TempDir()))
	muteApps(t, e, "gimp", "GIMP", "web:crm.example.com", "Acme CRM")
	startApp(t, e, "--library", sample)

	var r result
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		// Before the app holds the state file the command changes it
		// itself: wait for the app's answer, which lists the same.
		if r = run(t, e, "--library", sample, "--verbose", "unmute"); strings.Contains(r.stderr, "asking it") {
			break
		}
	}
	if !strings.Contains(r.stderr, "asking it") {
		t.Fatalf("cuecard unmute did not ask the running app: exit %d %q", r.code, r.stderr)
	}
	if r.code != 0 || r.stdout != "Muted apps (cuecard unmute NAME unmutes one):\n  Acme CRM (web:crm.example.com)\n  GIMP\n" {
		t.Errorf("list through the app: exit %d %q %q", r.code, r.stdout, r.stderr)
	}
	if r = run(t, e, "--library", sample, "unmute", "acme crm"); r.code != 0 || r.stdout != "Unmuted Acme CRM: its guides pop again.\n" {
		t.Errorf("unmute through the app: exit %d %q %q", r.code, r.stdout, r.stderr)
	}
	if r = run(t, e, "--library", sample, "unmute", "photoshop"); r.code != 1 || !strings.Contains(r.stderr, `"photoshop" is not muted: the muted apps are GIMP`) {
		t.Errorf("no match through the app: exit %d %q", r.code, r.stderr)
	}
}
