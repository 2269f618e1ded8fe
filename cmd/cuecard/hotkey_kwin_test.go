//go:build linux

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/cuecard/cuecard/internal/focus"
	"github.com/cuecard/cuecard/internal/focus/desktoptest"
)

// TestAppHotkeyKWin runs `cuecard app` in a headless KWin session with
// XWayland and the GlobalShortcuts portal (xdg-desktop-portal and its KDE
// backend, started by D-Bus activation): the app registers its search
// hotkey through the portal, and pressing it (kglobalaccel's
// invokeShortcut, which is what KWin does on the key) opens the search
// window, and pressing it again closes it.
func TestAppHotkeyKWin(t *testing.T) {
	desktoptest.Require(t, "/usr/libexec/xdg-desktop-portal", "xdotool")
	if _, err := os.Stat("/usr/share/xdg-desktop-portal/portals/kde.portal"); err != nil {
		desktoptest.Require(t, "xdg-desktop-portal-kde")
	}
	d, xenv := desktoptest.StartKWinX(t)
	var e []string
	for _, kv := range env(t) {
		if !strings.HasPrefix(kv, "DISPLAY=") && !strings.HasPrefix(kv, "WAYLAND_DISPLAY=") && !strings.HasPrefix(kv, "XDG_RUNTIME_DIR=") &&
			!strings.HasPrefix(kv, "DBUS_SESSION_BUS_ADDRESS=") && !strings.HasPrefix(kv, "XAUTHORITY=") {
			e = append(e, kv)
		}
	}
	e = append(append(e, d.Env()...), xenv...)
	e = append(e, "CUECARD_RUNTIME="+filepath.Join(t.TempDir(), "run"))
	// No tray host in this session: the notice is marked as said.
	data := envValue(e, "CUECARD_DATA")
	if err := os.MkdirAll(data, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(data, "no-tray-notice"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	startApp(t, e, "--library", sample)

	c := d.Conn()
	const id = "search:Ctrl+Alt+Space"
	var comp dbus.ObjectPath
	for deadline := time.Now().Add(20 * time.Second); comp == "" && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		var names []string
		p := dbus.ObjectPath("/component/cuecard_search")
		if c.Object("org.kde.kglobalaccel", p).Call("org.kde.kglobalaccel.Component.shortcutNames", 0, "default").Store(&names) == nil {
			for _, n := range names {
				if n == id {
					comp = p
				}
			}
		}
	}
	if comp == "" {
		t.Fatalf("the app registered no %q in kglobalaccel within 20 s; logs:\n%s", id, d.Logs())
	}
	t.Logf("hotkey registered through the portal %s after the app started", time.Since(start).Round(time.Millisecond))
	searchShown := func() bool {
		cmd := exec.Command("xdotool", "search", "--onlyvisible", "--name", "^Search guides - Cuecard$")
		cmd.Env = e
		out, _ := cmd.Output()
		return strings.TrimSpace(string(out)) != ""
	}
	if searchShown() {
		t.Fatal("the search window is open before the hotkey")
	}
	for i, want := range []bool{true, false} {
		pressed := time.Now()
		if err := c.Object("org.kde.kglobalaccel", comp).Call("org.kde.kglobalaccel.Component.invokeShortcut", 0, id, "default").Err; err != nil {
			t.Fatal(err)
		}
		ok := false
		for deadline := time.Now().Add(10 * time.Second); !ok && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			ok = searchShown() == want
		}
		if !ok {
			t.Fatalf("press %d: the search window shown %v, want %v", i+1, !want, want)
		}
		t.Logf("press %d: search window shown=%v after %s", i+1, want, time.Since(pressed).Round(time.Millisecond))
	}

	// The panel follows native Wayland windows (the app tracks focus
	// through KWin) and never takes the focus: the tracker of this test,
	// on KWin too, sees the native window stay active.
	tr := focus.New(focus.Options{Getenv: d.Getenv, OwnPIDs: []int{}})
	defer tr.Close()
	active := make(chan string, 64)
	go func() {
		for ev := range tr.Events() {
			if !ev.IsStatus() {
				active <- ev.Window.Class
			}
		}
	}()
	panelFor := func(app string) bool {
		cmd := exec.Command("xdotool", "search", "--onlyvisible", "--name", "^Cuecard: "+app)
		cmd.Env = e
		out, _ := cmd.Output()
		return strings.TrimSpace(string(out)) != ""
	}
	d.Open("libreoffice-calc", "Q3 sales report.ods - LibreOffice Calc")
	shown := false
	for deadline := time.Now().Add(15 * time.Second); !shown && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		shown = panelFor("")
	}
	if !shown {
		t.Fatal("no suggestion panel for a native window with guides within 15 s")
	}
	time.Sleep(time.Second) // the panel is up: has anything taken the focus?
	last := ""
	for drained := false; !drained; {
		select {
		case c := <-active:
			last = c
		default:
			drained = true
		}
	}
	if last != "libreoffice-calc" {
		t.Errorf("the active window is %q after the panel showed, want the native libreoffice-calc window", last)
	}
}
