//go:build linux

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/focus/focustest"
	"github.com/cuecard/cuecard/internal/paths"
	"github.com/cuecard/cuecard/internal/store"
)

// startApp starts `cuecard ... app` with env and stops it (SIGTERM, then
// SIGKILL after 5 s) when the test ends or stop is called.
func startApp(t *testing.T, env []string, args ...string) (app *exec.Cmd, stop func()) {
	t.Helper()
	app = exec.Command(binary, append(args, "app")...)
	app.Env = env
	app.Stderr = os.Stderr
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	stop = func() { once.Do(func() { stopProcess(app) }) }
	t.Cleanup(stop)
	return app, stop
}

// stopProcess stops a started process: SIGTERM, then SIGKILL after 5 s.
func stopProcess(p *exec.Cmd) {
	p.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { p.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		p.Process.Kill()
		<-done
	}
}

// waitWindow waits for a visible window whose name matches and returns its
// id, or "" after 10 s.
func waitWindow(t testing.TB, x *focustest.X, name string) string {
	t.Helper()
	var w string
	for deadline := time.Now().Add(10 * time.Second); w == "" && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		w = strings.TrimSpace(x.Tool("xdotool", "search", "--onlyvisible", "--name", name))
	}
	return w
}

// noTray gives the app no session bus, so no tray, and marks the "no tray
// icon" notice as already said (TestDesktopNoTrayNotice checks it): its
// window would take the focus these tests look at.
func noTray(t *testing.T, e []string) []string {
	t.Helper()
	data := envValue(e, "CUECARD_DATA")
	if err := os.MkdirAll(data, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(data, "no-tray-notice"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	return append(e, "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/cuecard-test-bus")
}

// TestDesktopNoTrayNotice: on a desktop without a tray host the app says
// so once, in a small window, and keeps working; the next start does not
// say it again.
func TestDesktopNoTrayNotice(t *testing.T) {
	x := focustest.StartX(t)
	focustest.Require(t, "xdotool", "dbus-daemon")
	x.StartWM()
	addr := privateBus(t) // a session bus without a tray host on it
	e := append(env(t), x.Env()...)
	e = append(e, "CUECARD_RUNTIME="+t.TempDir(), "DBUS_SESSION_BUS_ADDRESS="+addr)
	_, stop := startApp(t, e, "--library", sample)
	w := waitWindow(t, x, "^Cuecard$")
	if w == "" {
		t.Fatal("no notice that there is no tray icon")
	}
	if testing.Verbose() {
		time.Sleep(300 * time.Millisecond)
		x.Screenshot(os.TempDir() + "/cuecard-no-tray.png")
	}
	// The notice offers the search: its button opens the search window.
	x.Tool("xdotool", "windowactivate", "--sync", strings.Fields(w)[0])
	x.Tool("xdotool", "key", "ctrl+alt+space")
	if waitWindow(t, x, "Search guides - Cuecard") == "" {
		t.Error("the search hotkey does not work without a tray")
	}
	stop()
	if _, err := os.Stat(filepath.Join(envValue(e, "CUECARD_DATA"), "no-tray-notice")); err != nil {
		t.Errorf("the notice was not remembered: %v", err)
	}
	_, stop = startApp(t, e, "--library", sample)
	time.Sleep(8 * time.Second) // longer than the app waits for a tray host
	if w := strings.TrimSpace(x.Tool("xdotool", "search", "--onlyvisible", "--name", "^Cuecard$")); w != "" {
		t.Error("the no-tray notice was shown a second time")
	}
	stop()
}

// geometry is xwininfo's numeric fields for window w.
func geometry(t *testing.T, x *focustest.X, w string) map[string]int {
	t.Helper()
	geo := map[string]int{}
	for _, l := range strings.Split(x.Tool("xwininfo", "-id", w), "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(l), ":")
		if n, err := strconv.Atoi(strings.TrimSpace(v)); ok && err == nil {
			geo[k] = n
		}
	}
	return geo
}

// TestDesktopPanelPopsWithoutTakingFocus starts the desktop app under Xvfb
// and openbox, focuses a browser window on "Deals | Acme CRM", and checks
// that the suggestion panel appears as an always-on-top utility window in
// the bottom-right corner while the focus stays on the browser window.
func TestDesktopPanelPopsWithoutTakingFocus(t *testing.T) {
	x := focustest.StartX(t)
	focustest.Require(t, "xdotool", "xprop", "xwininfo")
	x.StartWM()
	e := append(env(t), x.Env()...)
	e = noTray(t, append(e, "CUECARD_RUNTIME="+t.TempDir()))
	app, _ := startApp(t, e, "--library", sample)
	pid := strconv.Itoa(app.Process.Pid)
	time.Sleep(2 * time.Second) // the app starts and shows/hides the panel once
	c := x.Client()
	browser := c.Open("a", -1, "chromium", "Chromium", "Deals | Acme CRM - Chromium")
	x.WaitActive(browser)

	var panel string
	deadline := time.Now().Add(15 * time.Second)
	for panel == "" && time.Now().Before(deadline) {
		for _, w := range strings.Fields(x.Tool("xdotool", "search", "--onlyvisible", "--pid", pid)) {
			if strings.Contains(x.Tool("xprop", "-id", w, "_NET_WM_WINDOW_TYPE"), "_NET_WM_WINDOW_TYPE_UTILITY") {
				panel = w
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	if panel == "" {
		t.Fatal("the suggestion panel never appeared")
	}
	if st := x.Tool("xprop", "-id", panel, "_NET_WM_STATE"); !strings.Contains(st, "_NET_WM_STATE_ABOVE") || !strings.Contains(st, "_NET_WM_STATE_SKIP_TASKBAR") {
		t.Errorf("panel state: %s", st)
	}
	geo := geometry(t, x, panel)
	right, bottom := geo["Absolute upper-left X"]+geo["Width"], geo["Absolute upper-left Y"]+geo["Height"]
	if right < 1024-40 || right > 1024 || bottom < 600-40 || bottom > 600 {
		t.Errorf("panel not in the bottom-right corner of 1024x600: %v", geo)
	}
	if active := x.ActiveWindow(); active != browser {
		t.Errorf("the panel took the focus: active window %#x, want the browser %#x", active, browser)
	}
	if testing.Verbose() {
		x.Screenshot(os.TempDir() + "/cuecard-desktop-panel.png")
	}

	// The panel follows focus: LibreOffice Calc has more guides, so the
	// panel grows (sized to its rows), stays in the corner, and names the app.
	if name := x.Tool("xprop", "-id", panel, "WM_NAME"); !strings.Contains(name, "Cuecard: Acme CRM") {
		t.Errorf("the panel does not name the focused app: %s", name)
	}
	mail := c.Open("m", -1, "libreoffice", "libreoffice-calc", "Budget.ods - LibreOffice Calc")
	x.WaitActive(mail)
	var name string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if name = x.Tool("xprop", "-id", panel, "WM_NAME"); !strings.Contains(name, "Acme") {
			break
		}
	}
	if !strings.Contains(name, "Cuecard: ") || strings.Contains(name, "Acme") {
		t.Errorf("the panel does not name the focused app: %s", name)
	}
	// It is hidden, resized and shown again: wait for it to settle.
	var geo2 map[string]int
	grown, cornered, shown := false, false, false
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline) && !(grown && cornered && shown); time.Sleep(100 * time.Millisecond) {
		geo2 = geometry(t, x, panel)
		right, bottom := geo2["Absolute upper-left X"]+geo2["Width"], geo2["Absolute upper-left Y"]+geo2["Height"]
		grown = geo2["Height"] > geo["Height"]
		cornered = right >= 1024-40 && right <= 1024 && bottom >= 600-40 && bottom <= 600
		shown = strings.Contains(x.Tool("xwininfo", "-id", panel), "IsViewable")
	}
	if !grown {
		t.Errorf("the panel did not grow for more guides: %d px, was %d", geo2["Height"], geo["Height"])
	}
	if !cornered {
		t.Errorf("the grown panel left the bottom-right corner: %v", geo2)
	}
	if !shown {
		t.Error("the panel is not shown after following focus")
	}
	if active := x.ActiveWindow(); active != mail {
		t.Errorf("the panel took the focus when it followed: active %#x, want %#x", active, mail)
	}
	if testing.Verbose() {
		time.Sleep(300 * time.Millisecond)
		x.Screenshot(os.TempDir() + "/cuecard-desktop-panel-mail.png")
	}

	// The hotkey opens the search window, focused, with NumLock on too.
	x.Tool("xdotool", "key", "Num_Lock")
	x.Tool("xdotool", "key", "ctrl+alt+space")
	searchWin := waitWindow(t, x, "Search guides - Cuecard")
	if searchWin == "" {
		t.Fatal("the hotkey did not open the search window")
	}
	id, _ := strconv.ParseUint(strings.Fields(searchWin)[0], 10, 32)
	for deadline := time.Now().Add(5 * time.Second); x.ActiveWindow() != uint32(id) && time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
	}
	if x.ActiveWindow() != uint32(id) {
		t.Errorf("the search window is not focused: active %#x, search %#x", x.ActiveWindow(), id)
	}
	x.Tool("xdotool", "type", "--delay", "20", "refund")
	time.Sleep(500 * time.Millisecond)
	if testing.Verbose() {
		x.Screenshot(os.TempDir() + "/cuecard-desktop-search.png")
	}

	// Single instance: a second launch opens the running app's search and
	// exits. It is a bare `cuecard`, not on a terminal, as a desktop
	// launcher (the packaged .desktop entry) runs it: that is the app.
	x.Tool("xdotool", "key", "Escape")
	closed := false
	for deadline := time.Now().Add(5 * time.Second); !closed && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		closed = strings.TrimSpace(x.Tool("xdotool", "search", "--onlyvisible", "--name", "Search guides - Cuecard")) == ""
	}
	if !closed {
		t.Fatal("Escape did not close the search window")
	}
	second := exec.Command(binary, "--library", sample)
	second.Env = e
	out, err := second.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "already running") {
		t.Fatalf("second launch: %v\n%s", err, out)
	}
	if waitWindow(t, x, "Search guides - Cuecard") == "" {
		t.Error("the second launch did not open the running app's search window")
	}
}

// TestDesktopHotkeyTaken: another program holds Ctrl+Alt+Space; the app
// starts anyway (tray and panel work), says why once, and does not crash.
func TestDesktopHotkeyTaken(t *testing.T) {
	x := focustest.StartX(t)
	x.StartWM()
	e := append(env(t), x.Env()...)
	e = noTray(t, append(e, "CUECARD_RUNTIME="+t.TempDir()))
	startApp(t, e, "--library", sample)
	time.Sleep(2 * time.Second)
	// A second app on another library holds no index lock, but the hotkey is taken.
	lib := t.TempDir()
	os.WriteFile(lib+"/a.md", []byte("# How to test\n"), 0o644)
	second := exec.Command(binary, "--verbose", "--library", lib, "app")
	second.Env = e
	var errb strings.Builder
	second.Stderr = &errb
	if err := second.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(3 * time.Second)
	if second.ProcessState != nil {
		t.Fatalf("the second app exited: %s", errb.String())
	}
	second.Process.Signal(syscall.SIGTERM)
	second.Wait()
	if !strings.Contains(errb.String(), "Ctrl+Alt+Space is already used by another program") {
		t.Errorf("no notice of the taken hotkey:\n%s", errb.String())
	}
}

// TestDesktopChecklistSurvivesRestart ticks a checklist step in the guide
// viewer with the keyboard, restarts the app and opens the guide again, and
// finds the step still ticked in the per-user state (with -v, a screenshot
// of the reopened viewer is kept for a look).
func TestDesktopChecklistSurvivesRestart(t *testing.T) {
	x := focustest.StartX(t)
	focustest.Require(t, "xdotool")
	x.StartWM()
	e := append(env(t), x.Env()...)
	e = noTray(t, append(e, "CUECARD_RUNTIME="+t.TempDir()))
	const id = "sales/monthly-sales-report.md"
	start := func() func() {
		_, stop := startApp(t, e, "--library", sample)
		time.Sleep(2 * time.Second)
		return stop
	}
	openGuide := func() {
		x.Tool("xdotool", "key", "ctrl+alt+space")
		time.Sleep(700 * time.Millisecond)
		x.Tool("xdotool", "type", "--delay", "20", "monthly sales report")
		time.Sleep(700 * time.Millisecond)
		x.Tool("xdotool", "key", "Return")
		if waitWindow(t, x, "How to run the monthly sales report") == "" {
			t.Fatal("the guide viewer did not open")
		}
		time.Sleep(700 * time.Millisecond)
	}
	checked := func() []string {
		t.Helper()
		t.Setenv("CUECARD_DATA", envValue(e, "CUECARD_DATA"))
		st, err := store.Open(paths.State(), store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		steps, err := st.Checked(id)
		if err != nil {
			t.Fatal(err)
		}
		return steps
	}

	stop := start()
	openGuide()
	x.Tool("xdotool", "key", "Tab")
	x.Tool("xdotool", "key", "Tab")
	x.Tool("xdotool", "key", "space")
	time.Sleep(500 * time.Millisecond)
	stop()
	first := checked()
	if len(first) != 1 {
		t.Fatalf("ticked steps after one tick: %v", first)
	}

	// Restart and reopen the guide: the viewer shows the step ticked, so
	// the same keys now untick it.
	stop = start()
	openGuide()
	if testing.Verbose() {
		shot := filepath.Join(os.TempDir(), "cuecard-viewer-after-restart.png")
		if err := x.Screenshot(shot); err == nil {
			t.Logf("viewer after restart: %s", shot)
		}
	}
	x.Tool("xdotool", "key", "Tab")
	x.Tool("xdotool", "key", "Tab")
	x.Tool("xdotool", "key", "space")
	time.Sleep(500 * time.Millisecond)
	stop()
	if again := checked(); len(again) != 0 {
		t.Errorf("after a restart the viewer did not show step %v ticked (the same keys left %v ticked)", first, again)
	}
}

// viewable reports whether X window w (xdotool's decimal id) is mapped.
func viewable(x *focustest.X, w string) bool {
	return strings.Contains(x.Tool("xwininfo", "-id", w), "IsViewable")
}

// eventually polls cond for up to 5 s.
func eventually(cond func() bool) bool {
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if cond() {
			return true
		}
	}
	return cond()
}

// openBySearch opens a guide as a person does from the keyboard: the
// search hotkey, the query, Enter. It returns the guide's window (its name
// matches title) once that has the focus.
func openBySearch(t *testing.T, x *focustest.X, query, title string) string {
	t.Helper()
	x.Tool("xdotool", "key", "ctrl+alt+space")
	if waitWindow(t, x, "Search guides - Cuecard") == "" {
		t.Fatal("the hotkey opened no search window")
	}
	time.Sleep(300 * time.Millisecond)
	x.Tool("xdotool", "type", "--delay", "20", query)
	time.Sleep(700 * time.Millisecond)
	x.Tool("xdotool", "key", "Return")
	w := waitWindow(t, x, title)
	if w == "" {
		t.Fatalf("searching %q and pressing Enter opened no window %q", query, title)
	}
	id, _ := strconv.ParseUint(strings.Fields(w)[0], 10, 32)
	eventually(func() bool { return x.ActiveWindow() == uint32(id) })
	time.Sleep(300 * time.Millisecond)
	return w
}

// TestDesktopPanelStepsAside: the always-on-top panel never covers the
// windows it opens: it hides while the search window is up and when a
// guide opens from it, and comes back when the search closes without
// opening one. The search window acts like a launcher (the hotkey toggles
// it, it hides when another app takes the focus); Escape closes a guide;
// Ctrl+Alt+G brings the panel back for the focused app without taking the
// focus.
func TestDesktopPanelStepsAside(t *testing.T) {
	x := focustest.StartX(t)
	focustest.Require(t, "xdotool", "xprop", "xwininfo")
	x.StartWM()
	e := append(env(t), x.Env()...)
	e = noTray(t, append(e, "CUECARD_RUNTIME="+t.TempDir()))
	app, _ := startApp(t, e, "--library", sample)
	pid := strconv.Itoa(app.Process.Pid)
	time.Sleep(2 * time.Second)
	c := x.Client()
	browser := c.Open("a", -1, "chromium", "Chromium", "Deals | Acme CRM - Chromium")
	x.WaitActive(browser)
	panel := ""
	eventually(func() bool {
		for _, w := range strings.Fields(x.Tool("xdotool", "search", "--onlyvisible", "--pid", pid)) {
			if strings.Contains(x.Tool("xprop", "-id", w, "_NET_WM_WINDOW_TYPE"), "_NET_WM_WINDOW_TYPE_UTILITY") {
				panel = w
			}
		}
		return panel != ""
	})
	if panel == "" {
		t.Fatal("the suggestion panel never appeared")
	}

	// Search: the panel steps aside, and comes back on Escape.
	x.Tool("xdotool", "key", "ctrl+alt+space")
	search := waitWindow(t, x, "Search guides - Cuecard")
	if search == "" {
		t.Fatal("the hotkey did not open the search window")
	}
	if !eventually(func() bool { return !viewable(x, panel) }) {
		t.Error("the panel stays over the search window")
	}
	x.Tool("xdotool", "key", "Escape")
	if !eventually(func() bool { return !viewable(x, search) && viewable(x, panel) }) {
		t.Errorf("after Escape: search shown %v, panel shown %v (want false, true)", viewable(x, search), viewable(x, panel))
	}

	// The hotkey toggles the search window.
	x.WaitActive(browser)
	x.Tool("xdotool", "key", "ctrl+alt+space")
	if !eventually(func() bool { return viewable(x, search) }) {
		t.Fatal("the hotkey did not show the search window again")
	}
	time.Sleep(300 * time.Millisecond)
	x.Tool("xdotool", "key", "ctrl+alt+space")
	if !eventually(func() bool { return !viewable(x, search) }) {
		t.Error("the hotkey did not close the search window")
	}

	// Another app taking the focus hides it, like a launcher.
	x.Tool("xdotool", "key", "ctrl+alt+space")
	if !eventually(func() bool { return viewable(x, search) }) {
		t.Fatal("the hotkey did not show the search window a third time")
	}
	time.Sleep(300 * time.Millisecond)
	x.Tool("xdotool", "windowactivate", strconv.FormatUint(uint64(browser), 10))
	if !eventually(func() bool { return !viewable(x, search) }) {
		t.Error("the search window stays open after the user went back to the browser")
	}

	// A guide opened from the search: the panel stays aside, not over it.
	x.WaitActive(browser)
	openBySearch(t, x, "refund", "product return and refund - Cuecard")
	if viewable(x, panel) {
		t.Error("the panel is shown over the guide it opened")
	}
	if testing.Verbose() {
		x.Screenshot(os.TempDir() + "/cuecard-desktop-viewer.png")
	}
	// Escape closes the guide.
	x.Tool("xdotool", "key", "Escape")
	if !eventually(func() bool {
		return strings.TrimSpace(x.Tool("xdotool", "search", "--onlyvisible", "--name", "efund")) == ""
	}) {
		t.Error("Escape did not close the guide")
	}

	// Ctrl+Alt+G: this app's guides now, without taking the focus.
	x.Tool("xdotool", "windowactivate", strconv.FormatUint(uint64(browser), 10))
	x.WaitActive(browser)
	x.Tool("xdotool", "key", "ctrl+alt+g")
	if !eventually(func() bool { return viewable(x, panel) }) {
		t.Fatal("Ctrl+Alt+G did not show the panel")
	}
	time.Sleep(300 * time.Millisecond)
	if active := x.ActiveWindow(); active != browser {
		t.Errorf("Ctrl+Alt+G took the focus: active %#x, want the browser %#x", active, browser)
	}
	if testing.Verbose() {
		x.Screenshot(os.TempDir() + "/cuecard-desktop-why.png")
	}

	// Work beside the app: a checklist's steps one at a time in a small
	// window above the app that never takes the focus: the viewer's "Step
	// by step" button, at the top right of its window.
	report := openBySearch(t, x, "monthly sales report", "monthly sales report - Cuecard")
	geo := geometry(t, x, report)
	x.Tool("xdotool", "mousemove", strconv.Itoa(geo["Absolute upper-left X"]+geo["Width"]-30), strconv.Itoa(geo["Absolute upper-left Y"]+24), "click", "1")
	beside := waitWindow(t, x, "step by step - Cuecard")
	if beside == "" {
		t.Fatal("Work beside the app opened no window")
	}
	if !eventually(func() bool {
		return strings.TrimSpace(x.Tool("xdotool", "search", "--onlyvisible", "--name", "monthly sales report - Cuecard")) == ""
	}) {
		t.Error("the guide's window stays open beside the step window")
	}
	x.Tool("xdotool", "windowactivate", strconv.FormatUint(uint64(browser), 10))
	x.WaitActive(browser)
	time.Sleep(300 * time.Millisecond)
	bid, _ := strconv.ParseUint(strings.Fields(beside)[0], 10, 32)
	if st := x.Tool("xprop", "-id", beside, "_NET_WM_STATE"); !strings.Contains(st, "_NET_WM_STATE_ABOVE") {
		t.Errorf("the step window is not kept above the app: %s", st)
	}
	if x.ActiveWindow() == uint32(bid) {
		t.Error("the step window took the focus")
	}
	if testing.Verbose() {
		x.Screenshot(os.TempDir() + "/cuecard-desktop-beside.png")
	}
}
