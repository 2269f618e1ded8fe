//go:build linux

package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/focus/focustest"
	"github.com/cuecard/cuecard/internal/owner"
)

// TestDesktopOpenLinks: the app registers itself as the handler of
// cuecard:// links in a private XDG_DATA_HOME (a desktop entry made the
// default with xdg-mime), and xdg-open of a link to a guide shows that
// guide's window: in the running app, and, with no app running, in the
// app the link starts.
func TestDesktopOpenLinks(t *testing.T) {
	focustest.Require(t, "xdotool", "xdg-open", "xdg-mime")
	x := focustest.StartX(t)
	x.StartWM()
	home := t.TempDir()
	runtimeDir := t.TempDir()
	e := append(env(t), x.Env()...)
	for k, v := range map[string]string{
		"CUECARD_URL_HANDLER": "on", "CUECARD_RUNTIME": runtimeDir,
		"HOME": home, "XDG_DATA_HOME": filepath.Join(home, "share"), "XDG_CONFIG_HOME": filepath.Join(home, "config"),
		"XDG_DATA_DIRS": filepath.Join(home, "system"), "XDG_CURRENT_DESKTOP": "", "DESKTOP_SESSION": "", "BROWSER": "",
	} {
		e = setEnv(e, k, v)
	}
	e = noTray(t, e)
	t.Setenv("CUECARD_RUNTIME", runtimeDir) // this process asks the app on its socket too
	root, err := filepath.Abs(sample)
	if err != nil {
		t.Fatal(err)
	}
	const url, title = "cuecard://guide/sales/monthly-sales-report.md", "^How to run the monthly sales report - Cuecard$"

	_, stop := startApp(t, e, "--library", root)
	entry := filepath.Join(home, "share", "applications", "cuecard-url.desktop")
	var b []byte
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if b, err = os.ReadFile(entry); err == nil && strings.Contains(string(b), "MimeType=x-scheme-handler/cuecard;") {
			break
		}
	}
	if !strings.Contains(string(b), "\nExec="+binary+" open %u\n") || !strings.Contains(string(b), "MimeType=x-scheme-handler/cuecard;") {
		t.Fatalf("the app did not register the handler of cuecard:// links: %v\n%s", err, b)
	}
	var def string
	for deadline := time.Now().Add(10 * time.Second); def != "cuecard-url.desktop" && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		def = strings.TrimSpace(xdg(t, e, "xdg-mime", "query", "default", "x-scheme-handler/cuecard"))
	}
	if def != "cuecard-url.desktop" {
		t.Fatalf("xdg-mime query default x-scheme-handler/cuecard = %q", def)
	}

	// The app is running: the link opens the guide in it.
	if out := xdg(t, e, "xdg-open", url); !strings.Contains(out, "Opened sales/monthly-sales-report.md in Cuecard.") {
		t.Errorf("xdg-open said %q", out)
	}
	if waitWindow(t, x, title) == "" {
		t.Fatal("xdg-open of a link did not show the guide in the running app")
	}
	// A link to a guide that is not there: the app answers that it is not.
	missing := exec.Command("xdg-open", "cuecard://guide/sales/nope.md")
	missing.Env = e
	if out, err := missing.CombinedOutput(); err == nil || !strings.Contains(string(out), "no guide sales/nope.md in the library") {
		t.Errorf("xdg-open of a link to a missing guide: %v %s", err, out)
	}
	stop()
	for deadline := time.Now().Add(10 * time.Second); owner.Dial(root) != nil && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
	}

	// No app running: the link starts it, and it shows the guide.
	if out := xdg(t, e, "xdg-open", url); !strings.Contains(out, "Started Cuecard and opened sales/monthly-sales-report.md.") {
		t.Errorf("xdg-open said %q", out)
	}
	o := owner.Dial(root)
	if o == nil {
		t.Fatal("the link started no app")
	}
	resp, err := o.Ask(context.Background(), owner.Request{Cmd: "debug"})
	if err != nil {
		t.Fatal(err)
	}
	pid := resp.Debug.PID
	t.Cleanup(func() { stopPID(pid) })
	if waitWindow(t, x, title) == "" {
		t.Fatal("xdg-open of a link with no app running did not show the guide")
	}
	if testing.Verbose() {
		time.Sleep(500 * time.Millisecond) // let it draw
		x.Screenshot(filepath.Join(os.TempDir(), "cuecard-link.png"))
	}
}

// xdg runs an xdg-utils command in env e and returns its output.
func xdg(t *testing.T, e []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = e
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Errorf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}

// stopPID stops a process this test's commands started but did not wait
// for (the app a link started): SIGTERM, then SIGKILL after 5 s.
func stopPID(pid int) {
	p, err := os.FindProcess(pid)
	if err != nil {
		return
	}
	_ = p.Signal(syscall.SIGTERM)
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if p.Signal(syscall.Signal(0)) != nil {
			return
		}
	}
	_ = p.Kill()
}
