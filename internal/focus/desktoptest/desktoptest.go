//go:build linux

package desktoptest

import (
	"bufio"
	"bytes"
	_ "embed"
	"io"
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

	"github.com/godbus/dbus/v5"
)

// Require skips tb (or fails it under CI=true) unless every tool is on PATH.
func Require(tb testing.TB, tools ...string) {
	tb.Helper()
	focustest.RequireFor(tb, "desktop test", "kwin-wayland, gnome-shell, dbus, python3-gi, gir1.2-gtk-3.0", tools...)
}

// Desktop is a running headless compositor with its session bus.
type Desktop struct {
	// Name is "KWin" or "GNOME Shell".
	Name string
	// Runtime is the desktop's XDG_RUNTIME_DIR; Home its HOME.
	Runtime, Home string
	// Bus is the address of its D-Bus session bus.
	Bus string
	// Wayland is its WAYLAND_DISPLAY.
	Wayland string
	// Startup is how long the compositor took to be on the bus (and, for
	// GNOME Shell, to run the extension).
	Startup time.Duration

	tb    testing.TB
	env   []string
	procs []*exec.Cmd
	comp  *exec.Cmd
	log   *lockedBuffer
	// launch starts the compositor (again) and waits until it is ready.
	launch func()
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.b.Len() > 1<<20 {
		return len(p), nil
	}
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// newDesktop makes the folders and environment of a desktop and starts its
// session bus.
func newDesktop(tb testing.TB, name, wayland string, extra ...string) *Desktop {
	tb.Helper()
	Require(tb, "dbus-daemon")
	root := tb.TempDir()
	d := &Desktop{Name: name, tb: tb, Runtime: filepath.Join(root, "run"), Home: filepath.Join(root, "home"), Wayland: wayland, log: &lockedBuffer{}}
	for _, dir := range []string{d.Runtime, d.Home} {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			tb.Fatal(err)
		}
	}
	d.Bus = "unix:path=" + filepath.Join(d.Runtime, "bus")
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "DISPLAY", "WAYLAND_DISPLAY", "XAUTHORITY", "XDG_RUNTIME_DIR", "DBUS_SESSION_BUS_ADDRESS", "DBUS_SYSTEM_BUS_ADDRESS",
			"HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_CURRENT_DESKTOP", "XDG_SESSION_TYPE",
			"GDK_BACKEND", "QT_QPA_PLATFORM", "GSETTINGS_BACKEND":
			continue
		}
		d.env = append(d.env, kv)
	}
	d.env = append(d.env, "XDG_RUNTIME_DIR="+d.Runtime, "DBUS_SESSION_BUS_ADDRESS="+d.Bus, "HOME="+d.Home,
		"XDG_CONFIG_HOME="+filepath.Join(d.Home, ".config"), "XDG_DATA_HOME="+filepath.Join(d.Home, ".local", "share"),
		"XDG_CACHE_HOME="+filepath.Join(d.Home, ".cache"), "XDG_SESSION_TYPE=wayland")
	d.env = append(d.env, extra...)
	tb.Cleanup(d.stop)
	d.start("dbus-daemon", "--session", "--nofork", "--nopidfile", "--address="+d.Bus)
	d.waitFor("the session bus", 10*time.Second, func() bool {
		_, err := os.Stat(filepath.Join(d.Runtime, "bus"))
		return err == nil
	})
	return d
}

// Env is the environment of a program in this desktop (its session bus,
// runtime folder, HOME and WAYLAND_DISPLAY).
func (d *Desktop) Env() []string {
	return append(append([]string(nil), d.env...), "WAYLAND_DISPLAY="+d.Wayland)
}

// Getenv reads Env, for focus.Options.Getenv.
func (d *Desktop) Getenv(k string) string {
	env := d.Env()
	for i := len(env) - 1; i >= 0; i-- {
		if key, v, _ := strings.Cut(env[i], "="); key == k {
			return v
		}
	}
	return ""
}

// Logs is what the desktop's programs printed.
func (d *Desktop) Logs() string { return d.log.String() }

func (d *Desktop) start(name string, args ...string) *exec.Cmd {
	d.tb.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = d.Env()
	cmd.Stdout, cmd.Stderr = d.log, d.log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		d.tb.Fatalf("%s: start %s: %v", d.Name, name, err)
	}
	d.procs = append(d.procs, cmd)
	return cmd
}

func (d *Desktop) waitFor(what string, limit time.Duration, ok func() bool) {
	d.tb.Helper()
	deadline := time.Now().Add(limit)
	for !ok() {
		if time.Now().After(deadline) {
			d.tb.Fatalf("%s: %s not ready within %s; logs:\n%s", d.Name, what, limit, tail(d.Logs(), 4000))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}

// Conn connects to the desktop's session bus; it is closed when the test ends.
func (d *Desktop) Conn() *dbus.Conn {
	d.tb.Helper()
	c, err := dbus.Connect(d.Bus)
	if err != nil {
		d.tb.Fatalf("%s: connect to its session bus: %v", d.Name, err)
	}
	d.tb.Cleanup(func() { c.Close() })
	return c
}

// HasName reports whether name has an owner on the desktop's session bus.
func (d *Desktop) HasName(c *dbus.Conn, name string) bool {
	var has bool
	err := c.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, name).Store(&has)
	return err == nil && has
}

// StopCompositor kills the compositor (its bus and test windows stay), as
// when the desktop crashes.
func (d *Desktop) StopCompositor() {
	if d.comp != nil && d.comp.Process != nil {
		syscall.Kill(-d.comp.Process.Pid, syscall.SIGKILL)
		d.comp.Wait()
		d.comp = nil
	}
}

// Restart starts the compositor again after StopCompositor, on the same
// session bus and Wayland socket name, and waits until it is ready.
func (d *Desktop) Restart() {
	d.tb.Helper()
	d.StopCompositor()
	d.launch()
}

func (d *Desktop) stop() {
	for i := len(d.procs) - 1; i >= 0; i-- {
		p := d.procs[i]
		if p.Process == nil {
			continue
		}
		syscall.Kill(-p.Process.Pid, syscall.SIGTERM)
		done := make(chan struct{})
		go func() { p.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(3 * time.Second):
			syscall.Kill(-p.Process.Pid, syscall.SIGKILL)
			<-done
		}
	}
	d.procs = nil
}

//go:embed gtkwin.py
var gtkWin string

// Python is the Python 3 that has PyGObject with GTK 3, or "" when none does.
func Python() string {
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		if path, err := exec.LookPath(p); err == nil {
			if exec.Command(path, "-c", "import gi; gi.require_version('Gtk', '3.0'); from gi.repository import Gtk").Run() == nil {
				return path
			}
		}
	}
	return ""
}

// Window is a native Wayland GTK 3 window of its own process.
type Window struct {
	// AppID is its Wayland app id; PID its process.
	AppID string
	PID   int
	cmd   *exec.Cmd
	in    io.WriteCloser
	d     *Desktop
}

// Open opens a GTK 3 window with app id appID and title, and waits until it
// is mapped.
func (d *Desktop) Open(appID, title string) *Window {
	d.tb.Helper()
	py := Python()
	if py == "" {
		Require(d.tb, "python3 with PyGObject and GTK 3 (python3-gi, gir1.2-gtk-3.0)")
	}
	script := filepath.Join(d.Home, "gtkwin.py")
	if _, err := os.Stat(script); err != nil {
		if err := os.WriteFile(script, []byte(gtkWin), 0o600); err != nil {
			d.tb.Fatal(err)
		}
	}
	cmd := exec.Command(py, script, appID, title)
	cmd.Env = append(d.Env(), "GDK_BACKEND=wayland", "NO_AT_BRIDGE=1")
	cmd.Stderr = d.log
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	in, err := cmd.StdinPipe()
	if err != nil {
		d.tb.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		d.tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		d.tb.Fatalf("start a GTK test window: %v", err)
	}
	w := &Window{AppID: appID, PID: cmd.Process.Pid, cmd: cmd, in: in, d: d}
	d.tb.Cleanup(w.Close)
	ready := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(out).ReadString('\n')
		ready <- strings.TrimSpace(line)
		io.Copy(io.Discard, out)
	}()
	select {
	case line := <-ready:
		if pid, err := strconv.Atoi(strings.TrimPrefix(line, "ready ")); err != nil || pid != w.PID {
			d.tb.Fatalf("GTK test window %s did not start (%q); logs:\n%s", appID, line, tail(d.Logs(), 4000))
		}
	case <-time.After(20 * time.Second):
		d.tb.Fatalf("GTK test window %s not mapped within 20 s; logs:\n%s", appID, tail(d.Logs(), 4000))
	}
	return w
}

func (w *Window) command(c string) {
	if _, err := io.WriteString(w.in, c+"\n"); err != nil {
		w.d.tb.Errorf("test window %s: %v", w.AppID, err)
	}
}

// SetTitle changes the window's title.
func (w *Window) SetTitle(title string) { w.command("title " + title) }

// Raise unmaps and maps the window again: a newly mapped window takes the
// focus on KWin and GNOME Shell (there is no input device to click with).
func (w *Window) Raise() { w.command("raise") }

// Close closes the window and ends its process.
func (w *Window) Close() {
	if w.cmd == nil {
		return
	}
	w.in.Close()
	done := make(chan struct{})
	go func() { w.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(3 * time.Second):
		w.cmd.Process.Kill()
		<-done
	}
	w.cmd = nil
}
