//go:build linux

package main

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/focus/focustest"
)

// TestWatchJSON runs `cuecard watch --json` on a real X desktop (Xvfb and
// Openbox) and checks what it prints for windows the test opens.
func TestWatchJSON(t *testing.T) {
	x := focustest.StartX(t)
	x.StartWM()
	c := x.Client()

	next, cmd, stderr := startWatch(t, append(env(t), "DISPLAY="+x.Display))

	if o := next(); o.Status == nil || !o.Available || !strings.Contains(*o.Status, "tracking the focused window") {
		t.Fatalf("first line %+v, want the tracking status", o)
	}
	if o := next(); o.Status != nil || o.Guides == nil || len(o.Guides) != 0 || o.Title != "" {
		t.Fatalf("second line %+v, want an empty window with no guides", o)
	}
	c.Open("crm", -1, "chromium", "Chromium", "Deals | Acme CRM - Chromium")
	o := next()
	if o.Exe != "cuecard-testwin" || o.Class != "Chromium" || o.Instance != "chromium" || o.PID != c.PID || o.Title != "Deals | Acme CRM - Chromium" {
		t.Fatalf("window line %+v", o)
	}
	found := false
	for _, g := range o.Guides {
		found = found || (g.ID == "sales/create-a-deal-in-acme-crm.md" && g.Title != "")
	}
	if !found {
		t.Fatalf("guides %+v lack sales/create-a-deal-in-acme-crm.md", o.Guides)
	}
	c.Title("crm", "Quarterly Report | Salesforce - Chromium") // a tab switch
	o = next()
	if o.Title != "Quarterly Report | Salesforce - Chromium" || len(o.Guides) == 0 {
		t.Fatalf("after the title change: %+v", o)
	}

	x.KillWM()
	if o := next(); o.Status == nil || o.Available || !strings.HasPrefix(*o.Status, "focus tracking unavailable: ") {
		t.Fatalf("after the window manager died: %+v", o)
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

func TestWatchWithoutDisplay(t *testing.T) {
	cmd := exec.Command(binary, "--library", sample, "watch", "--json")
	var e []string
	for _, kv := range env(t) {
		if !strings.HasPrefix(kv, "DISPLAY=") && !strings.HasPrefix(kv, "WAYLAND_DISPLAY=") {
			e = append(e, kv)
		}
	}
	cmd.Env = e
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	var o struct {
		Status    string `json:"status"`
		Available bool   `json:"available"`
	}
	if err := json.Unmarshal([]byte(line), &o); err != nil || o.Available || o.Status != "focus tracking unavailable: no X display (DISPLAY is not set); search still works" {
		t.Fatalf("line %q: %+v %v", line, o, err)
	}
	cmd.Process.Signal(os.Interrupt)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit: %v", err)
	}
}

// watchEvent is one line of `cuecard watch --json`.
type watchEvent struct {
	Status    *string `json:"status"`
	Available bool    `json:"available"`
	Exe       string  `json:"exe"`
	Class     string  `json:"class"`
	Instance  string  `json:"instance"`
	Title     string  `json:"title"`
	PID       int     `json:"pid"`
	Guides    []struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	} `json:"guides"`
}

// startWatch runs `cuecard watch --json` on the sample library with env e
// (killed when the test ends) and returns the reader of its next line (30 s
// at most, else the test fails with its stderr).
func startWatch(t *testing.T, e []string) (next func() watchEvent, cmd *exec.Cmd, stderr *strings.Builder) {
	t.Helper()
	cmd = exec.Command(binary, "--library", sample, "watch", "--json")
	cmd.Env = e
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr = &strings.Builder{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	next = func() watchEvent {
		t.Helper()
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("watch ended early; stderr:\n%s", stderr.String())
			}
			var o watchEvent
			if err := json.Unmarshal([]byte(l), &o); err != nil {
				t.Fatalf("not one JSON object per line: %q: %v", l, err)
			}
			return o
		case <-time.After(30 * time.Second):
			t.Fatalf("no output within 30 s; stderr:\n%s", stderr.String())
		}
		return watchEvent{}
	}
	return next, cmd, stderr
}
