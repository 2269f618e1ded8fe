//go:build linux

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/focus/focustest"
	"github.com/cuecard/cuecard/internal/testlog"
)

// TestWineOpenLink: cuecard.exe app under Wine registers the per-user URL
// protocol key of cuecard:// links, and the command it registers, run with
// a link, shows the guide: in the running app, and with none running in
// the app the link starts. Wine 8 does not merge HKCU\Software\Classes
// into HKEY_CLASSES_ROOT as Windows does, so its ShellExecute (start
// cuecard://...) does not find the key: the test runs the registered
// command line itself, as Windows would.
func TestWineOpenLink(t *testing.T) {
	exe := windowsBinary(t)
	x := focustest.StartX(t)
	x.StartWM()
	e := wineEnv(t, x, "wine-desktop")
	lib := t.TempDir()
	os.WriteFile(filepath.Join(lib, "refund.md"), []byte(guideFile("How to process a refund", "Open the order and press Refund.")), 0o644)
	wlib := winPath(lib)
	const url, title = "cuecard://guide/refund.md", "^How to process a refund - Cuecard$"

	// The prefix is shared with TestWineDesktop, whose app registers the
	// key too: none before, none left behind.
	key := `HKEY_CURRENT_USER\Software\Classes\cuecard`
	wineRun(t, e, "reg", "delete", key, "/f")
	t.Cleanup(func() { wineRun(t, e, "reg", "delete", key, "/f") })

	var stderr testlog.Buffer
	app := wine(e, exe, "--library", wlib, "app")
	app.Stderr = &stderr
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stopProcess(app) })

	// The app writes the key once it runs.
	var r result
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(time.Second) {
		r = wineRun(t, e, "reg", "query", key+`\shell\open\command`)
		if strings.Contains(r.stdout, winPath(exe)) {
			break
		}
	}
	if !strings.Contains(r.stdout, winPath(exe)) || !strings.Contains(r.stdout, `open "%1"`) {
		t.Fatalf("no URL protocol key for cuecard.exe: %d %s %s\napp: %s", r.code, r.stdout, r.stderr, stderr.String())
	}
	handler := registered(t, r.stdout, url)
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(time.Second) {
		r = wineRun(t, e, exe, "--library", wlib, "status", "--json")
		if r.code == 0 && strings.Contains(r.stdout, `"watching": true`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the app does not answer status within 60 s: %d %s %s\napp: %s", r.code, r.stdout, r.stderr, stderr.String())
		}
	}

	r = wineRun(t, e, handler...)
	if waitWindow(t, x, title) == "" || !strings.Contains(r.stdout, "Opened refund.md in Cuecard.") {
		t.Fatalf("%v did not show the guide in the running app: %d %s %s\napp: %s", handler, r.code, r.stdout, r.stderr, stderr.String())
	}

	// No app running: the link starts one.
	stopProcess(app)
	for deadline := time.Now().Add(30 * time.Second); waitGone(x, title) != nil && time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
	}
	r = wineRun(t, e, handler...)
	if waitWindow(t, x, title) == "" || !strings.Contains(r.stdout, "Started Cuecard and opened refund.md.") {
		t.Fatalf("%v with no app running did not show the guide: %d %s %s", handler, r.code, r.stdout, r.stderr)
	}
	// wineEnv's cleanup stops the prefix's wineserver, and the app with it.
}

// waitGone is nil once no visible window's name matches.
func waitGone(x *focustest.X, name string) error {
	if strings.TrimSpace(x.Tool("xdotool", "search", "--onlyvisible", "--name", name)) != "" {
		return os.ErrExist
	}
	return nil
}

// registered is the command line in reg query's output for the key's
// default value ("Z:\...\cuecard.exe" open "%1"), split into arguments
// with %1 replaced by url.
func registered(t *testing.T, out, url string) []string {
	t.Helper()
	_, line, ok := strings.Cut(out, "REG_SZ")
	if !ok {
		t.Fatalf("no command in %q", out)
	}
	line, _, _ = strings.Cut(strings.TrimSpace(line), "\n")
	var args []string
	for _, f := range strings.Split(strings.TrimSpace(line), `"`) {
		if f = strings.TrimSpace(f); f != "" {
			args = append(args, strings.ReplaceAll(f, "%1", url))
		}
	}
	if len(args) != 3 || args[1] != "open" {
		t.Fatalf("the registered command %q is not \"cuecard.exe\" open \"%%1\"", line)
	}
	return args
}
