//go:build linux

package main

import (
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/cuecard/cuecard/internal/focus/focustest"
	"github.com/cuecard/cuecard/internal/testlog"
)

// privateBus starts a dbus-daemon for the test and returns its address.
func privateBus(t testing.TB) string {
	t.Helper()
	return focustest.PrivateBus(t, "")
}

// startTrayHost connects to the bus at addr and owns the tray host's name
// there, as a desktop panel does. Closing the returned connection is the
// panel going away.
func startTrayHost(t testing.TB, addr string) (*dbus.Conn, *trayHost) {
	t.Helper()
	conn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	h := &trayHost{items: make(chan string, 16)}
	if err := conn.Export(h, "/StatusNotifierWatcher", "org.kde.StatusNotifierWatcher"); err != nil {
		t.Fatal(err)
	}
	if r, err := conn.RequestName("org.kde.StatusNotifierWatcher", dbus.NameFlagDoNotQueue); err != nil || r != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("own the tray host name: %v %v", r, err)
	}
	return conn, h
}

// trayMenu reads the app's tray menu through the host's connection.
func trayMenu(conn *dbus.Conn, item string) (menuItem, error) {
	var rev uint32
	var raw []any
	call := conn.Object(item, "/StatusNotifierMenu").Call("com.canonical.dbusmenu.GetLayout", 0, int32(0), int32(-1), []string{})
	if call.Err != nil {
		return menuItem{}, call.Err
	}
	if err := call.Store(&rev, &raw); err != nil {
		return menuItem{}, err
	}
	return parseLayout(raw), nil
}

// waitPanelNamed waits for the app's suggestion panel (its visible utility
// window) to be titled with want, and returns the window, or "".
func waitPanelNamed(t *testing.T, x *focustest.X, pid int, want string) string {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		for _, w := range strings.Fields(x.Tool("xdotool", "search", "--onlyvisible", "--pid", strconv.Itoa(pid))) {
			if strings.Contains(x.Tool("xprop", "-id", w, "_NET_WM_WINDOW_TYPE"), "_NET_WM_WINDOW_TYPE_UTILITY") &&
				strings.Contains(x.Tool("xprop", "-id", w, "WM_NAME"), want) {
				return w
			}
		}
	}
	return ""
}

// alive reports whether the process is still running (not exited, not a
// zombie).
func alive(cmd *exec.Cmd) bool {
	var ws syscall.WaitStatus
	pid, err := syscall.Wait4(cmd.Process.Pid, &ws, syscall.WNOHANG, nil)
	return err == nil && pid == 0
}

// TestDesktopSurvivesWindowManagerAndTrayHostLoss runs `cuecard app` while
// the window manager is killed and started again, and while the tray host
// goes away and a new one appears: the app keeps running, the panel follows
// focus again once a window manager is back, and the tray item registers
// with the new host (its menu is readable there).
func TestDesktopSurvivesWindowManagerAndTrayHostLoss(t *testing.T) {
	focustest.Require(t, "xdotool", "xprop")
	x := focustest.StartX(t)
	x.StartWM()
	addr := privateBus(t)
	host1, h1 := startTrayHost(t, addr)

	e := append(quietEnv(t), x.Env()...)
	e = setEnv(e, "DBUS_SESSION_BUS_ADDRESS", addr)
	e = setEnv(e, "CUECARD_RUNTIME", t.TempDir())
	e = setEnv(e, "LANG", "en_US.UTF-8")
	var stderr testlog.Buffer
	app := exec.Command(binary, "--library", sample, "app")
	app.Env, app.Stderr = e, &stderr
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stopProcess(app)
		if t.Failed() {
			t.Logf("app stderr:\n%s", stderr.String())
		}
	})
	select {
	case <-h1.items:
	case <-time.After(20 * time.Second):
		t.Fatal("the app never registered a tray item")
	}

	c := x.Client()
	c.Open("crm", -1, "chromium", "Chromium", "Deals | Acme CRM - Chromium")
	c.Activate("crm")
	if waitPanelNamed(t, x, app.Process.Pid, "Acme CRM") == "" {
		t.Fatal("no panel for the CRM window")
	}

	// The window manager crashes, and a new one starts (a desktop session
	// restarts it).
	x.KillWM()
	time.Sleep(time.Second) // let the app notice
	if !alive(app) {
		t.Fatalf("the app exited when the window manager died:\n%s", stderr.String())
	}
	x.StartWM()
	c.Open("calc", -1, "libreoffice", "libreoffice-calc", "Budget.ods - LibreOffice Calc")
	c.Activate("calc")
	if waitPanelNamed(t, x, app.Process.Pid, "LibreOffice Calc") == "" {
		t.Fatalf("focus tracking did not resume after the window manager came back:\n%s", stderr.String())
	}
	c.Activate("crm")
	if waitPanelNamed(t, x, app.Process.Pid, "Acme CRM") == "" {
		t.Fatal("the panel does not follow focus back to the CRM window")
	}

	// The tray host goes away (the desktop panel crashed) and another one
	// takes its name: the app's item registers with it.
	host1.Close()
	time.Sleep(time.Second)
	if !alive(app) {
		t.Fatalf("the app exited when the tray host went away:\n%s", stderr.String())
	}
	host2, h2 := startTrayHost(t, addr)
	var item string
	select {
	case item = <-h2.items:
	case <-time.After(20 * time.Second):
		t.Fatal("the app did not register its tray item with the new tray host")
	}
	var root menuItem
	var err error
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if root, err = trayMenu(host2, item); err == nil {
			if _, ok := root.find("Search guides..."); ok {
				break
			}
		}
	}
	if _, ok := root.find("Search guides..."); !ok {
		t.Fatalf("the new tray host cannot read the menu: %v %q", err, root.labels())
	}
	if !alive(app) {
		t.Fatalf("the app exited:\n%s", stderr.String())
	}
}

// TestDesktopXServerLoss kills the X server under `cuecard app`. GLFW
// (under fyne) sets no Xlib I/O error handler, so Xlib's default one ends
// the process with "X connection to :N broken (explicit kill or server
// shutdown)." (or "XIO: fatal IO error ...") and exit code 1: the app cannot outlive its X server. This
// test pins that behaviour down (an orderly exit with Xlib's message, not a
// hang and not a Go panic: before the panel's X connection went through
// internal/xconn, xgb panicked with "close of closed channel" first) so that
// a change in it is noticed. Every other client of a lost X server ends the
// same way; XDG autostart starts Cuecard again with the next session.
func TestDesktopXServerLoss(t *testing.T) {
	focustest.Require(t, "xdotool", "xprop")
	x := focustest.StartX(t)
	x.StartWM()
	e := append(quietEnv(t), x.Env()...)
	e = noTray(t, setEnv(setEnv(e, "LANG", "en_US.UTF-8"), "CUECARD_RUNTIME", t.TempDir()))
	var stderr testlog.Buffer
	app := exec.Command(binary, "--library", sample, "app")
	app.Env, app.Stderr = e, &stderr
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- app.Wait() }()
	t.Cleanup(func() {
		app.Process.Kill()
		<-exited
	})
	c := x.Client()
	c.Open("crm", -1, "chromium", "Chromium", "Deals | Acme CRM - Chromium")
	c.Activate("crm")
	if waitPanelNamed(t, x, app.Process.Pid, "Acme CRM") == "" {
		t.Fatal("no panel for the CRM window")
	}
	c.Stop()
	x.KillServer()
	var err error
	select {
	case err = <-exited:
		exited <- err
	case <-time.After(30 * time.Second):
		t.Fatalf("the app neither exited nor kept working visibly 30 s after the X server died:\n%s", stderr.String())
	}
	code := -1
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	}
	out := stderr.String()
	t.Logf("X server killed: the app exited (%v, code %d); its last words:\n%s", err, code, lastLines(out, 3))
	if strings.Contains(out, "panic:") || strings.Contains(out, "goroutine ") {
		t.Errorf("the app crashed with a Go panic instead of Xlib's exit:\n%s", out)
	}
	// Xlib's default handler words it by errno: EPIPE gives "X connection
	// to :N broken", anything else (EAGAIN when the socket closes as it is
	// read) "XIO: fatal IO error N (...) on X server ":N"".
	broken := strings.Contains(out, "X connection to "+x.Display+" broken") ||
		strings.Contains(out, "XIO:  fatal IO error") && strings.Contains(out, `on X server "`+x.Display+`"`)
	if code != 1 || !broken {
		t.Errorf("want Xlib's exit (code 1, \"X connection to %s broken\" or \"XIO: fatal IO error\"), got code %d:\n%s", x.Display, code, out)
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
