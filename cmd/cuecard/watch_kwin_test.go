//go:build linux

package main

import (
	"bufio"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
	"time"

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

	cmd := exec.Command(binary, "--library", sample, "watch", "--json")
	cmd.Env = e
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	type object struct {
		Status    *string `json:"status"`
		Available bool    `json:"available"`
		Class     string  `json:"class"`
		Title     string  `json:"title"`
		PID       int     `json:"pid"`
	}
	next := func() object {
		t.Helper()
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					t.Fatalf("watch ended early; stderr:\n%s", stderr.String())
				}
				var o object
				if err := json.Unmarshal([]byte(l), &o); err != nil {
					t.Fatalf("not one JSON object per line: %q: %v", l, err)
				}
				if o.Status == nil && o.Class == "" {
					continue // no window for a moment between two
				}
				return o
			case <-time.After(30 * time.Second):
				t.Fatalf("no output within 30 s; stderr:\n%s", stderr.String())
			}
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
