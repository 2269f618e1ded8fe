//go:build linux

package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/focus/waylandtest"
)

// swayWin is a window in sway's tree, with what the tests look at.
type swayWin struct {
	Name    string   `json:"name"`
	Type    string   `json:"type"`
	Shell   string   `json:"shell"`
	AppID   string   `json:"app_id"`
	Focused bool     `json:"focused"`
	Visible bool     `json:"visible"`
	Rect    swayRect `json:"rect"`
	Window  int      `json:"window"`
	Props   struct {
		Class string `json:"class"`
		Type  string `json:"window_type"`
	} `json:"window_properties"`
	Nodes    []swayWin `json:"nodes"`
	Floating []swayWin `json:"floating_nodes"`
	floating bool
}

type swayRect struct{ X, Y, Width, Height int }

// swayWindows lists sway's windows (views), tiled and floating.
func swayWindows(t *testing.T, s *waylandtest.Sway) []swayWin {
	t.Helper()
	out, err := exec.Command("swaymsg", "-s", s.IPC, "-r", "-t", "get_tree").Output()
	if err != nil {
		t.Fatalf("swaymsg get_tree: %v", err)
	}
	var root swayWin
	if err := json.Unmarshal(out, &root); err != nil {
		t.Fatal(err)
	}
	var wins []swayWin
	var walk func(n swayWin, floating bool)
	walk = func(n swayWin, floating bool) {
		if n.Type == "con" || n.Type == "floating_con" {
			if n.Shell != "" {
				n.floating = floating
				wins = append(wins, n)
			}
		}
		for _, c := range n.Nodes {
			walk(c, floating)
		}
		for _, c := range n.Floating {
			walk(c, true)
		}
	}
	walk(root, false)
	return wins
}

// swayApp starts `cuecard app` on sway's XWayland as sway's user (the X
// server lets only that user in), with its own copy of the program and the
// sample library, and no session bus (no tray; the no-tray notice marked
// as said).
func swayApp(t *testing.T, s *waylandtest.Sway, marker bool) *exec.Cmd {
	t.Helper()
	disp := s.XDisplay()
	dir := filepath.Join(s.RuntimeDir, "app")
	data := filepath.Join(dir, "data")
	for _, c := range [][]string{{"mkdir", "-p", data}, {"cp", binary, dir}, {"cp", "-r", sample, filepath.Join(dir, "library")}} {
		if out, err := exec.Command(c[0], c[1:]...).CombinedOutput(); err != nil {
			t.Fatalf("%v: %v: %s", c, err, out)
		}
	}
	if marker {
		if err := os.WriteFile(filepath.Join(data, "no-tray-notice"), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if out, err := exec.Command("chown", "-R", "--reference="+s.RuntimeDir, dir).CombinedOutput(); err != nil {
		t.Fatalf("chown: %v: %s", err, out)
	}
	e := append(s.ClientEnv(), "DISPLAY="+disp, "CUECARD_DATA="+data, "CUECARD_CONFIG="+filepath.Join(dir, "config"),
		"CUECARD_CACHE="+filepath.Join(dir, "cache"), "CUECARD_URL_HANDLER=off", "CUECARD_TODAY=2026-11-26",
		"DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/cuecard-test-bus", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1", "SWAYSOCK="+s.IPC)
	cmd := s.Command(e, filepath.Join(dir, "cuecard"), "--library", filepath.Join(dir, "library"), "app")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM); cmd.Wait() })
	return cmd
}

// TestSwayApp runs `cuecard app` on a headless sway with XWayland next to a
// native Wayland window that has guides, and reads sway's tree: the panel
// floats in the bottom-right corner without the focus (sway ignores an
// X11 window's own move requests; Cuecard moves it over sway's IPC), and
// the no-tray notice floats instead of being tiled beside the user's
// window. No Cuecard window is ever tiled.
func TestSwayApp(t *testing.T) {
	s := waylandtest.StartSway(t)
	s.Open("libreoffice-calc", "Q3 sales report.ods - LibreOffice Calc")
	swayApp(t, s, false)
	const screenW, screenH, margin = 1280, 800, 16
	var panel, notice *swayWin
	deadline := time.Now().Add(20 * time.Second)
	for (panel == nil || notice == nil) && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
		for _, w := range swayWindows(t, s) {
			if w.Props.Class != "Cuecard" {
				continue
			}
			if !w.floating {
				t.Fatalf("a Cuecard window is tiled: %q type %q rect %+v", w.Name, w.Props.Type, w.Rect)
			}
			switch {
			case w.Name == "Cuecard: LibreOffice Calc" && w.Rect.Y+w.Rect.Height == screenH-margin:
				panel = &w
			case w.Name == "Cuecard":
				notice = &w
			}
		}
	}
	if panel == nil {
		for _, w := range swayWindows(t, s) {
			t.Logf("%q class %q floating %v rect %+v", w.Name, w.Props.Class, w.floating, w.Rect)
		}
		t.Fatalf("no panel in the bottom-right corner within 20 s; logs:\n%s", s.Logs())
	}
	if panel.Focused || panel.Props.Type != "utility" || panel.Rect.X+panel.Rect.Width != screenW-margin {
		t.Errorf("panel: focused %v, type %q, rect %+v; want a utility window without the focus, %d px from the right", panel.Focused, panel.Props.Type, panel.Rect, margin)
	}
	if notice == nil {
		t.Fatal("no no-tray notice within 20 s")
	}
}

// TestAppXRefused: an X display that refuses the app (another user's
// XWayland) is an error that says what to do, not a crash in the GUI
// toolkit.
func TestAppXRefused(t *testing.T) {
	s := waylandtest.StartSway(t)
	e := append(waylandEnv(t, s), "DISPLAY="+s.XDisplay(), "CUECARD_RUNTIME="+filepath.Join(t.TempDir(), "run"))
	if os.Geteuid() != 0 {
		t.Skip("the X server refuses only another user: run as root (sway runs as an unprivileged user)")
	}
	r := run(t, e, "--library", sample, "app")
	if r.code != exitFail || !strings.Contains(r.stderr, "cannot open X display") || strings.Contains(r.stderr, "panic") {
		t.Fatalf("app on a refusing X display: %+v", r)
	}
}
