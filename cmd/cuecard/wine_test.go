//go:build linux

package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/focus/focustest"
	"github.com/cuecard/cuecard/internal/owner"
	"github.com/cuecard/cuecard/internal/search"
	"github.com/cuecard/cuecard/internal/testlog"
)

// The Windows build of Cuecard, run under Wine on Xvfb + openbox: Wine's
// own Notepad is the Win32 application to focus. Wine is not Windows
// (docs/windows.md says what this does and does not show).

var (
	winOnce sync.Once
	winExe  string
	winErr  error
)

// windowsBinary cross-builds cuecard.exe once (cgo, mingw-w64).
func windowsBinary(t testing.TB) string {
	t.Helper()
	focustest.Require(t, "wine", "x86_64-w64-mingw32-gcc", "xdotool")
	winOnce.Do(func() {
		winExe = filepath.Join(filepath.Dir(binary), "cuecard.exe")
		build := exec.Command("go", "build", "-o", winExe, ".")
		build.Env = append(os.Environ(), "CGO_ENABLED=1", "GOOS=windows", "GOARCH=amd64", "CC=x86_64-w64-mingw32-gcc")
		var out bytes.Buffer
		build.Stdout, build.Stderr = &out, &out
		if err := build.Run(); err != nil {
			winErr = err
			winExe = out.String()
		}
	})
	if winErr != nil {
		t.Fatalf("cross-build cuecard.exe: %v\n%s", winErr, winExe)
	}
	return winExe
}

// winPath is a Linux path as Wine's Windows programs see it (drive Z:).
func winPath(p string) string { return `Z:` + strings.ReplaceAll(p, "/", `\`) }

// wineEnv is the environment for Windows programs on x's display, with
// Cuecard's folders private to the test, in the Wine prefix prefixName
// under the user's cache (kept between runs: making one takes a while),
// whose wineserver is stopped when the test ends.
func wineEnv(t testing.TB, x *focustest.X, prefixName string) []string {
	t.Helper()
	base := t.TempDir()
	cache, err := os.UserCacheDir()
	if err != nil {
		t.Fatal(err)
	}
	prefix := filepath.Join(cache, "cuecard", prefixName)
	var e []string
	for _, kv := range x.Env() {
		if !strings.HasPrefix(kv, "CUECARD_") && !strings.HasPrefix(kv, "WINEPREFIX=") {
			e = append(e, kv)
		}
	}
	e = append(e, "CUECARD_WINEPREFIX="+prefix)
	t.Cleanup(func() {
		kill := exec.Command("wineserver", "-k")
		kill.Env = append(os.Environ(), "WINEPREFIX="+prefix)
		kill.Run()
	})
	// No CUECARD_RUNTIME: on Windows that is the pipe name space, and the
	// pipe is named after the (private) index folder.
	for _, d := range []string{"config", "cache", "data"} {
		os.MkdirAll(filepath.Join(base, d), 0o700)
		e = append(e, "CUECARD_"+strings.ToUpper(d)+"="+winPath(filepath.Join(base, d)))
	}
	return append(e, "WINEDEBUG=-all")
}

// wine runs a Windows program under Wine (.ci/wine/exec sets up the prefix).
func wine(e []string, args ...string) *exec.Cmd {
	exe, _ := filepath.Abs("../../.ci/wine/exec")
	cmd := exec.Command(exe, args...)
	cmd.Env = e
	// Wine's helper processes (services, the desktop) outlive the program
	// that started them and keep its output open: stop waiting for it
	// soon after the program ends.
	cmd.WaitDelay = 3 * time.Second
	return cmd
}

func wineRun(t testing.TB, e []string, args ...string) result {
	t.Helper()
	cmd := wine(e, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if cmd.ProcessState == nil {
		t.Fatalf("wine %v: %v", args, err)
	}
	if err != nil && !errors.Is(err, exec.ErrWaitDelay) {
		if _, exited := err.(*exec.ExitError); !exited {
			t.Fatalf("wine %v: %v", args, err)
		}
	}
	code := cmd.ProcessState.ExitCode()
	return result{code, out.String(), errb.String()}
}

// TestWineDesktop: cuecard.exe app under Wine. Focusing Wine's Notepad
// brings up the panel with Notepad's guide without taking the focus; the
// hotkey opens a focused search window; search and match from other
// processes go through the running app's pipe; a second launch opens the
// search.
func TestWineDesktop(t *testing.T) {
	exe := windowsBinary(t)
	x := focustest.StartX(t)
	x.StartWM()
	e := wineEnv(t, x, "wine-desktop")
	lib := t.TempDir()
	os.WriteFile(filepath.Join(lib, "notepad-save.md"), []byte("---\ntitle: How to save a note as UTF-8\nsummary: Keep accents intact.\nowner: it@example.com\nreviewed: 2026-11-01\napps:\n  - exe: '(?i)^notepad(\\.exe)?$'\n---\nChoose File, Save As, then the encoding.\n"), 0o644)
	os.WriteFile(filepath.Join(lib, "refund.md"), []byte(guideFile("How to process a refund", "Open the order and press Refund.")), 0o644)
	wlib := winPath(lib)

	var stderr testlog.Buffer
	app := wine(e, exe, "--library", wlib, "app")
	app.Stderr = &stderr
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stopProcess(app) })
	logs := stderr.String

	// The app answers on its pipe once it runs.
	deadline := time.Now().Add(60 * time.Second)
	for {
		r := wineRun(t, e, exe, "--library", wlib, "status", "--json")
		if r.code == 0 && strings.Contains(r.stdout, `"watching": true`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the app does not answer status within 60 s: %d %s %s\napp: %s", r.code, r.stdout, r.stderr, logs())
		}
		time.Sleep(time.Second)
	}

	notepad := wine(e, "notepad")
	if err := notepad.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stopProcess(notepad) })
	np := waitWindow(t, x, "Notepad")
	if np == "" {
		t.Fatal("Notepad did not open")
	}
	np = strings.Fields(np)[0]
	start := time.Now()
	x.Tool("xdotool", "windowactivate", "--sync", np)
	panel := ""
	for deadline := time.Now().Add(10 * time.Second); panel == "" && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		panel = strings.TrimSpace(x.Tool("xdotool", "search", "--onlyvisible", "--name", "Cuecard"))
	}
	if panel == "" {
		t.Fatalf("no panel 10 s after Notepad was focused\napp: %s", logs())
	}
	t.Logf("Notepad focused -> panel shown: %v", time.Since(start))
	time.Sleep(500 * time.Millisecond)
	if act := strings.TrimSpace(x.Tool("xdotool", "getactivewindow")); act != np {
		t.Errorf("the panel took the focus: active %s, Notepad %s (%s)", act, np, x.Tool("xdotool", "getactivewindow", "getwindowname"))
	}
	shot := filepath.Join(t.TempDir(), "wine-panel.png")
	if err := x.Screenshot(shot); err == nil {
		t.Logf("screenshot: %s", shot)
	}

	// Search and match from other processes, through the app's pipe (the
	// app holds the index's lock, so they cannot open it themselves).
	r := wineRun(t, e, exe, "--library", wlib, "search", "--json", "refund")
	var hits []search.Result
	if err := json.Unmarshal([]byte(r.stdout), &hits); err != nil || len(hits) == 0 || hits[0].ID != "refund.md" {
		t.Errorf("search beside the app: %v %d %s %s", err, r.code, r.stdout, r.stderr)
	}
	r = wineRun(t, e, exe, "--library", wlib, "match", "--exe", "notepad.exe")
	if r.code != 0 || !strings.Contains(r.stdout, "notepad-save.md") {
		t.Errorf("match beside the app: %d %s %s", r.code, r.stdout, r.stderr)
	}

	// The hotkey, pressed while a Wine window has the focus.
	x.Tool("xdotool", "windowactivate", "--sync", np)
	x.Tool("xdotool", "key", "ctrl+alt+space")
	if w := waitWindow(t, x, "Search guides - Cuecard"); w == "" {
		t.Errorf("Ctrl+Alt+Space did not open the search window\napp: %s", logs())
	} else if act := strings.TrimSpace(x.Tool("xdotool", "getactivewindow")); !strings.Contains(w, act) {
		t.Errorf("the search window is not focused: active %s, search %s", act, w)
	} else if shot := os.Getenv("CUECARD_WINE_SHOT"); shot != "" { // for the docs
		x.Tool("xdotool", "type", "--delay", "50", "save")
		time.Sleep(time.Second)
		if err := x.Screenshot(strings.TrimSuffix(shot, ".png") + "-search.png"); err != nil {
			t.Log(err)
		}
	}
	x.Tool("xdotool", "key", "Escape")

	trayMenuSearch(t, x, logs)

	// A second launch opens the running app's search.
	r = wineRun(t, e, exe, "--library", wlib, "app")
	if r.code != 0 || !strings.Contains(r.stdout, "already running") {
		t.Errorf("second launch: %d %s %s", r.code, r.stdout, r.stderr)
	}

	recordInNotepad(t, x, e, exe, lib, np)
	guideMeInNotepad(t, x, e, exe, lib, np)
}

// guideMeInNotepad plays the guide recordInNotepad wrote with `cuecard.exe
// guide-me`: the running app's walkthrough finds Notepad in front, draws
// the ring (its own window, topmost and click-through) where the recorded
// click was, and a real click there (through Wine to the low-level hooks)
// moves to the next step, until the walkthrough is finished. Notepad's
// text area is blank, so a step may be "about here" rather than found.
func guideMeInNotepad(t *testing.T, x *focustest.X, e []string, exe, lib, np string) {
	t.Helper()
	wlib := winPath(lib)
	x.Tool("xdotool", "windowactivate", "--sync", np)
	if r := wineRun(t, e, exe, "--library", wlib, "guide-me", "how-to-start-a-note-in-notepad/index.md"); r.code != 0 {
		t.Fatalf("guide-me: %d %s %s", r.code, r.stdout, r.stderr)
	}
	walk := func() *owner.Walkthrough {
		r := wineRun(t, e, exe, "--library", wlib, "status", "--json")
		var st owner.Status
		if json.Unmarshal([]byte(r.stdout), &st) != nil {
			return nil
		}
		return st.Walkthrough
	}
	if waitWindow(t, x, "^Guide me: How to start a note in Notepad - Cuecard$") == "" {
		t.Fatal("no step card")
	}
	x.Tool("xdotool", "windowactivate", "--sync", np)
	for step := 1; step <= 2; step++ {
		var w *owner.Walkthrough
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(500 * time.Millisecond) {
			if w = walk(); w != nil && w.Step == step && w.Ring != nil {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("step %d: no ring in 30 s: %+v", step, w)
			}
		}
		t.Logf("step %d: %s at %d,%d (confidence %.2f)", step, w.State, w.Ring.X, w.Ring.Y, w.Confidence)
		if shot := os.Getenv("CUECARD_WINE_SHOT"); shot != "" && step == 1 { // for the docs
			time.Sleep(time.Second)
			x.Screenshot(strings.TrimSuffix(shot, ".png") + "-guide-me.png")
		}
		if act := strings.TrimSpace(x.Tool("xdotool", "getactivewindow")); act != np {
			t.Errorf("step %d: Notepad lost the focus to %s", step, act)
		}
		x.Tool("xdotool", "mousemove", "--sync", strconv.Itoa(w.Ring.X), strconv.Itoa(w.Ring.Y))
		x.Tool("xdotool", "click", "1")
	}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(500 * time.Millisecond) {
		if w := walk(); w != nil && w.State == "finished" {
			break
		} else if time.Now().After(deadline) {
			t.Fatalf("the walkthrough did not finish: %+v", w)
		}
	}
}

// trayMenuSearch opens the tray icon's menu in Wine's system tray and
// chooses "Search guides...": the search window opens (at once: the tray's
// window wakes the idler, see internal/ui/idle_windows.go), then Escape
// closes it.
func trayMenuSearch(t *testing.T, x *focustest.X, logs func() string) {
	t.Helper()
	var tray []string
	for deadline := time.Now().Add(20 * time.Second); len(tray) == 0 && time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		tray = strings.Fields(x.Tool("xdotool", "search", "--onlyvisible", "--name", "^Wine System Tray$"))
	}
	if len(tray) == 0 {
		t.Errorf("no Wine system tray window within 20 s; windows: %s\napp: %s", x.Tool("sh", "-c", `for w in $(xdotool search --name .); do printf '%s %s; ' $w "$(xdotool getwindowname $w)"; done`), logs())
		return
	}
	before := map[string]bool{}
	for _, w := range strings.Fields(x.Tool("xdotool", "search", "--onlyvisible", "--name", ".*")) {
		before[w] = true
	}
	// Wine's tray is a small window at the top left, under Notepad.
	x.Tool("xdotool", "windowraise", tray[0])
	time.Sleep(200 * time.Millisecond)
	x.Tool("xdotool", "mousemove", "--sync", "--window", tray[0], "10", "10")
	x.Tool("xdotool", "click", "3")
	// The menu is the new window at least 150 px tall; its second row
	// (the first is the disabled "guides for this app" line) is "Search
	// guides...".
	menu := ""
	for deadline := time.Now().Add(10 * time.Second); menu == "" && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		for _, w := range strings.Fields(x.Tool("xdotool", "search", "--onlyvisible", "--name", ".*")) {
			if before[w] {
				continue
			}
			var wd, ht int
			if _, err := fmt.Sscanf(lineWith(x.Tool("xdotool", "getwindowgeometry", w), "Geometry:"), "  Geometry: %dx%d", &wd, &ht); err == nil && ht >= 150 && wd >= 150 {
				menu = w
			}
		}
	}
	if menu == "" {
		t.Errorf("right-clicking the tray icon opened no menu\napp: %s", logs())
		return
	}
	time.Sleep(300 * time.Millisecond)
	x.Tool("xdotool", "mousemove", "--sync", "--window", menu, "60", "27")
	start := time.Now()
	x.Tool("xdotool", "click", "1")
	if w := waitWindow(t, x, "Search guides - Cuecard"); w == "" {
		t.Errorf("the tray menu's Search guides... did not open the search window\napp: %s", logs())
		return
	}
	t.Logf("tray menu Search guides... -> search window: %v", time.Since(start).Round(time.Millisecond))
	x.Tool("xdotool", "key", "Escape")
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if strings.TrimSpace(x.Tool("xdotool", "search", "--onlyvisible", "--name", "Search guides - Cuecard")) == "" {
			return
		}
	}
	t.Errorf("Escape did not close the search window opened from the tray")
}

// lineWith is the first line of s that contains sub.
func lineWith(s, sub string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			return l
		}
	}
	return ""
}

// recordInNotepad runs `cuecard.exe record` beside the app: two clicks in
// Notepad's text (real X input, through Wine to the low-level hooks) are
// two steps with screenshots, the control window takes no focus and
// Ctrl+Alt+R stops; the guide is written, handed to the running app, whose
// viewer shows it (the command ends), and opens (no program is associated
// with Markdown in a fresh Wine prefix) in Notepad.
func recordInNotepad(t *testing.T, x *focustest.X, e []string, exe, lib, np string) {
	t.Helper()
	var out, errOut testlog.Buffer
	rec := wine(e, exe, "--library", winPath(lib), "record", "--owner", "it@example.com", "How to start a note in Notepad")
	rec.Stdout, rec.Stderr = &out, &errOut
	if err := rec.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- rec.Wait() }()
	t.Cleanup(func() {
		select {
		case <-done:
		default:
			stopProcess(rec)
		}
	})
	for deadline := time.Now().Add(60 * time.Second); !strings.Contains(errOut.String(), `Recording "How to start a note in Notepad"`); time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the recording did not start within 60 s\n%s", errOut.String())
		}
	}
	if waitWindow(t, x, "^Recording - Cuecard$") == "" {
		t.Fatalf("no control window\n%s", errOut.String())
	}
	x.Tool("xdotool", "windowactivate", "--sync", np)
	act := ""
	for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if act = strings.TrimSpace(x.Tool("xdotool", "getactivewindow")); act == np {
			break
		}
	}
	if act != np {
		t.Errorf("the control window took the focus: active %s, Notepad %s", act, np)
	}
	for _, at := range [][2]string{{"60", "80"}, {"160", "120"}} {
		x.Tool("xdotool", "mousemove", "--sync", "--window", np, at[0], at[1])
		x.Tool("xdotool", "click", "1")
		time.Sleep(300 * time.Millisecond) // the step's screenshot is taken before the next click
	}
	x.Tool("xdotool", "key", "ctrl+alt+r")

	viewer := waitWindow(t, x, "^How to start a note in Notepad - Cuecard$")
	if viewer == "" {
		t.Fatalf("no viewer after Ctrl+Alt+R\nstdout: %s\nstderr: %s", out.String(), errOut.String())
	}
	dir := filepath.Join(lib, "how-to-start-a-note-in-notepad")
	md, err := os.ReadFile(filepath.Join(dir, "index.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"1. Click in ", "![Step 1](step-01.png)", "2. Click in ", "![Step 2](step-02.png)", `exe: '(?i)^notepad\.exe$'`, "owner: 'it@example.com'"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("index.md lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(string(md), "3. ") {
		t.Errorf("more than the two clicks are steps:\n%s", md)
	}
	for _, f := range []string{"step-01.png", "step-02.png"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil || len(b) < 1000 {
			t.Errorf("%s: %d bytes, %v", f, len(b), err)
		}
	}
	if waitWindow(t, x, "index.md - Notepad") == "" {
		t.Errorf("the new guide did not open in Notepad\n%s", errOut.String())
	}
	if shot := os.Getenv("CUECARD_WINE_SHOT"); shot != "" { // for the docs
		if err := x.Screenshot(strings.TrimSuffix(shot, ".png") + "-record.png"); err != nil {
			t.Log(err)
		}
	}
	select {
	case err := <-done:
		if err != nil && !errors.Is(err, exec.ErrWaitDelay) {
			t.Errorf("record exited with %v\n%s", err, errOut.String())
		}
	case <-time.After(20 * time.Second):
		t.Errorf("record did not end after handing its guide to the app\n%s", errOut.String())
	}
	if !strings.Contains(out.String(), "Opened it in the running Cuecard.") {
		t.Errorf("record did not hand its guide to the running app\nstdout: %s", out.String())
	}
	x.Tool("xdotool", "windowactivate", "--sync", strings.Fields(viewer)[0])
	x.Tool("xdotool", "key", "alt+F4")
}
