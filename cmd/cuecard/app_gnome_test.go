//go:build linux

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/focus/desktoptest"
)

// TestAppGnome runs `cuecard app` on a headless GNOME Shell 43 (with
// XWayland, for the app's windows) without Cuecard's extension: the focus
// status says the extension is missing, and the app opens its "Cuecard on
// GNOME" window, once: the next start does not open it again.
func TestAppGnome(t *testing.T) {
	desktoptest.Require(t, "xdotool")
	d := desktoptest.GnomeSession(t)
	xenv := d.StartShellX("")
	var e []string
	for _, kv := range env(t) {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "DISPLAY", "WAYLAND_DISPLAY", "XDG_RUNTIME_DIR", "DBUS_SESSION_BUS_ADDRESS", "XAUTHORITY", "HOME", "XDG_CURRENT_DESKTOP", "GSETTINGS_BACKEND":
			continue
		}
		e = append(e, kv)
	}
	e = append(append(e, d.Env()...), xenv...)
	e = append(e, "CUECARD_RUNTIME="+filepath.Join(t.TempDir(), "run"))
	data := envValue(e, "CUECARD_DATA")
	if err := os.MkdirAll(data, 0o700); err != nil {
		t.Fatal(err)
	}
	// No tray host in this session: the notice is marked as said.
	if err := os.WriteFile(filepath.Join(data, "no-tray-notice"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	window := func() string {
		cmd := exec.Command("xdotool", "search", "--onlyvisible", "--name", "^Cuecard on GNOME$")
		cmd.Env = e
		out, _ := cmd.Output()
		return strings.TrimSpace(string(out))
	}
	start := time.Now()
	_, stop := startApp(t, e, "--library", sample)
	found := ""
	for deadline := time.Now().Add(20 * time.Second); found == "" && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		found = window()
	}
	if found == "" {
		t.Fatalf("no 'Cuecard on GNOME' window within 20 s; logs:\n%s", d.Logs())
	}
	t.Logf("the 'Cuecard on GNOME' window opened %s after the app started", time.Since(start).Round(time.Millisecond))

	// Consent, with the keyboard: Tab to each button and press Space.
	xdo := func(args ...string) {
		t.Helper()
		cmd := exec.Command("xdotool", args...)
		cmd.Env = e
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("xdotool %v: %v: %s", args, err, out)
		}
	}
	win := strings.Fields(found)[0]
	xdo("windowactivate", "--sync", win)
	xdo("key", "--window", win, "--delay", "100", "Tab", "space")
	ext := filepath.Join(d.Home, ".local", "share", "gnome-shell", "extensions", "cuecard-focus@cuecard.github.io", "extension.js")
	gset := func(args ...string) string {
		cmd := exec.Command("gsettings", args...)
		cmd.Env = e
		out, _ := cmd.CombinedOutput()
		return strings.TrimSpace(string(out))
	}
	ok := false
	for deadline := time.Now().Add(10 * time.Second); !ok && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		_, err := os.Stat(ext)
		ok = err == nil && strings.Contains(gset("get", "org.gnome.shell", "enabled-extensions"), "cuecard-focus@cuecard.github.io")
	}
	if !ok {
		t.Fatalf("the first button did not install and enable the extension (%s)", gset("get", "org.gnome.shell", "enabled-extensions"))
	}
	xdo("key", "--window", win, "--delay", "100", "Tab", "space")
	path := "/org/gnome/settings-daemon/plugins/media-keys/custom-keybindings/cuecard/"
	ok = false
	for deadline := time.Now().Add(10 * time.Second); !ok && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		ok = strings.Contains(gset("get", "org.gnome.settings-daemon.plugins.media-keys", "custom-keybindings"), path)
	}
	if !ok {
		t.Fatal("the second button did not add the GNOME keyboard shortcut")
	}
	if b, cmd := gset("get", "org.gnome.settings-daemon.plugins.media-keys.custom-keybinding:"+path, "binding"),
		gset("get", "org.gnome.settings-daemon.plugins.media-keys.custom-keybinding:"+path, "command"); b != "'<Control><Alt>space'" || !strings.HasSuffix(cmd, "cuecard search --show'") {
		t.Errorf("the shortcut: binding %s, command %s", b, cmd)
	}
	stop()
	if _, err := os.Stat(filepath.Join(data, "gnome-setup-notice")); err != nil {
		t.Fatalf("the window was not remembered: %v", err)
	}
	_, stop = startApp(t, e, "--library", sample)
	time.Sleep(4 * time.Second)
	if w := window(); w != "" {
		t.Error("the 'Cuecard on GNOME' window opened again at the next start")
	}
	stop()
}
