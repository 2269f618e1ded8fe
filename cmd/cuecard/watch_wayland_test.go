//go:build linux

package main

import (
	"encoding/json"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/focus/waylandtest"
)

// waylandEnv is the test environment for a Wayland session without X11.
func waylandEnv(t *testing.T, s *waylandtest.Sway) []string {
	var e []string
	for _, kv := range env(t) {
		if !strings.HasPrefix(kv, "DISPLAY=") && !strings.HasPrefix(kv, "WAYLAND_DISPLAY=") && !strings.HasPrefix(kv, "XDG_RUNTIME_DIR=") {
			e = append(e, kv)
		}
	}
	return append(e, "WAYLAND_DISPLAY="+s.Display, "XDG_RUNTIME_DIR="+s.RuntimeDir)
}

// TestWatchJSONWayland runs `cuecard watch --json` on a real headless sway
// (no X11 at all) and checks what it prints while two native Wayland
// windows (foot) take the focus in turn; the app_id matches guides' exe and
// class rules. `cuecard status` names the backend.
func TestWatchJSONWayland(t *testing.T) {
	s := waylandtest.StartSway(t)
	s.Open("libreoffice-calc", "Q3 sales report.ods - LibreOffice Calc")
	s.Open("acme-crm", "Acme CRM")
	e := waylandEnv(t, s)

	next, cmd, stderr := startWatch(t, e)
	window := func(appID, title string, guides ...string) {
		t.Helper()
		o := next()
		var ids []string
		for _, g := range o.Guides {
			ids = append(ids, g.ID)
		}
		if o.Status != nil || o.Exe != appID || o.Class != appID || o.Title != title || o.PID != 0 ||
			strings.Join(ids, ",") != strings.Join(guides, ",") {
			t.Fatalf("line %+v (guides %v), want %s %q with guides %v", o, ids, appID, title, guides)
		}
	}

	if o := next(); o.Status == nil || !o.Available || !strings.Contains(*o.Status, "tracking the focused window on Wayland display "+s.Display+" (backend wlroots") {
		t.Fatalf("first line %+v, want the wlroots tracking status", o)
	}
	crm := []string{"sales/create-a-deal-in-acme-crm.md"}
	calc := []string{"sales/monthly-sales-report.md", "office/build-a-pivot-table-in-calc.md"}
	window("acme-crm", "Acme CRM", crm...)
	s.Focus("libreoffice-calc")
	window("libreoffice-calc", "Q3 sales report.ods - LibreOffice Calc", calc...)
	s.Focus("acme-crm")
	window("acme-crm", "Acme CRM", crm...)

	st := run(t, e, "--library", sample, "status")
	if !strings.Contains(st.stdout, "\nfocus     tracking the focused window on Wayland display "+s.Display+" (backend wlroots") {
		t.Errorf("status does not name the wlroots backend:\n%s%s", st.stdout, st.stderr)
	}

	st = run(t, e, "--library", sample, "status", "--json")
	var sj struct {
		Guides int    `json:"guides"`
		Focus  string `json:"focus"`
	}
	if err := json.Unmarshal([]byte(st.stdout), &sj); err != nil || sj.Guides == 0 || !strings.Contains(sj.Focus, "(backend wlroots") {
		t.Errorf("status --json: %v, %+v:\n%s", err, sj, st.stdout)
	}

	s.Kill()
	if o := next(); o.Status == nil || o.Available || !strings.HasPrefix(*o.Status, "focus tracking unavailable: Wayland display "+s.Display) {
		t.Fatalf("after the compositor died: %+v", o)
	}
	cmd.Process.Signal(syscall.SIGINT)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("watch did not exit cleanly on SIGINT: %v; stderr:\n%s", err, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("watch did not stop on SIGINT")
	}
}
