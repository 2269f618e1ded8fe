// Package focustest runs a real X11 desktop for tests: an Xvfb server on a
// free display, the Openbox window manager, and the testwin helper program
// that opens windows with chosen titles, WM_CLASS and _NET_WM_PID. Tests
// start and stop everything themselves (t.Cleanup), and can kill and restart
// the window manager or the X server.
//
// When Xvfb, openbox or the Go tool is missing, Require skips the test with
// a message, or fails it when CI=true (CI must run these tests).
package focustest

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/xconn"

	"github.com/robotn/xgb"
	"github.com/robotn/xgb/xproto"
)

// Require skips tb (or fails it under CI=true) unless every tool is on PATH.
func Require(tb testing.TB, tools ...string) {
	tb.Helper()
	RequireFor(tb, "X11 test", "apt-get install xvfb openbox", tools...)
}

// RequireFor is Require for a kind of test (what) whose tools Debian
// installs with install: it skips tb, or fails it under CI=true, unless
// every tool is on PATH.
func RequireFor(tb testing.TB, what, install string, tools ...string) {
	tb.Helper()
	var missing []string
	for _, t := range tools {
		if _, err := exec.LookPath(t); err != nil {
			missing = append(missing, t)
		}
	}
	if len(missing) == 0 {
		return
	}
	msg := fmt.Sprintf("%s needs %s on PATH (Debian: %s; `make deps-test` installs them)", what, strings.Join(missing, ", "), install)
	if os.Getenv("CI") == "true" {
		tb.Fatal(msg)
	}
	tb.Skip(msg)
}

// X is an Xvfb server and, once started, its window manager.
type X struct {
	// Display is the display name, e.g. ":5".
	Display string
	tb      testing.TB
	dir     string
	server  *exec.Cmd
	wm      *exec.Cmd
	log     *bytes.Buffer
	mu      sync.Mutex
}

// StartX starts Xvfb on a free display (Xvfb picks it: -displayfd) and stops
// it when the test ends. extra are more Xvfb arguments, e.g.
// "-extension", "RECORD" to start it without that extension.
func StartX(tb testing.TB, extra ...string) *X {
	tb.Helper()
	Require(tb, "Xvfb", "openbox")
	x := &X{tb: tb, dir: tb.TempDir(), log: &bytes.Buffer{}}
	r, w, err := os.Pipe()
	if err != nil {
		tb.Fatal(err)
	}
	cmd := exec.Command("Xvfb", append([]string{"-displayfd", "3", "-screen", "0", "1024x600x24", "-nolisten", "tcp", "-noreset"}, extra...)...)
	cmd.ExtraFiles = []*os.File{w}
	cmd.Stdout, cmd.Stderr = x.logWriter(), x.logWriter()
	if err := cmd.Start(); err != nil {
		tb.Fatalf("start Xvfb: %v", err)
	}
	w.Close()
	x.server = cmd
	num := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(r).ReadString('\n')
		num <- strings.TrimSpace(line)
		r.Close()
	}()
	select {
	case n := <-num:
		if _, err := strconv.Atoi(n); err != nil {
			x.stop(cmd)
			tb.Fatalf("Xvfb did not report a display number (%q):\n%s", n, x.logs())
		}
		x.Display = ":" + n
	case <-time.After(15 * time.Second):
		x.stop(cmd)
		tb.Fatalf("Xvfb did not start within 15 s:\n%s", x.logs())
	}
	tb.Cleanup(x.Stop)
	x.waitServer()
	return x
}

func (x *X) logWriter() io.Writer { return lockedWriter{x} }

type lockedWriter struct{ x *X }

func (w lockedWriter) Write(p []byte) (int, error) {
	w.x.mu.Lock()
	defer w.x.mu.Unlock()
	return w.x.log.Write(p)
}

func (x *X) logs() string {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.log.String()
}

// Env is the environment for a program on this display.
func (x *X) Env() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DISPLAY=") && !strings.HasPrefix(kv, "WAYLAND_DISPLAY=") && !strings.HasPrefix(kv, "XAUTHORITY=") {
			env = append(env, kv)
		}
	}
	return append(env, "DISPLAY="+x.Display)
}

// Tool runs an X tool (xdotool, xprop, ...) on this display and returns
// what it printed; a failure gives "" (callers check what they expect).
func (x *X) Tool(name string, args ...string) string {
	cmd := exec.Command(name, args...)
	cmd.Env = x.Env()
	out, _ := cmd.Output()
	return string(out)
}

func (x *X) waitServer() {
	x.tb.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := connect(x.Display)
		if err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			x.tb.Fatalf("X server %s does not accept connections: %v\n%s", x.Display, err, x.logs())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

var quiet = sync.OnceFunc(func() { xgb.Logger = log.New(io.Discard, "", 0) })

// Conn is a test's X connection. Close it with Close, never with the xgb
// connection's own Close: when the server drops the socket first, xgb
// closes the connection itself, and a second close panics in xgb's reader
// goroutine, where no test can recover it (internal/xconn guards that).
type Conn struct {
	*xgb.Conn
	g *xconn.Guard
}

// Close closes the connection once.
func (c Conn) Close() { xconn.Close(c.Conn, c.g) }

// Dial opens an X connection to display for a test or benchmark.
func Dial(display string) (Conn, error) {
	quiet()
	d, err := xconn.ParseDisplay(display)
	if err != nil {
		return Conn{}, err
	}
	c, g, err := xconn.Dial(d, 5*time.Second, os.Getenv)
	if err != nil {
		return Conn{}, err
	}
	return Conn{c, g}, nil
}

func connect(display string) (Conn, error) { return Dial(display) }

// StartWM starts Openbox and waits until it manages the screen (its
// _NET_SUPPORTING_WM_CHECK window exists).
func (x *X) StartWM() {
	x.tb.Helper()
	home := filepath.Join(x.dir, "home")
	os.MkdirAll(home, 0o755)
	cmd := exec.Command("openbox", "--sm-disable")
	cmd.Env = append(x.Env(), "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, ".config"), "XDG_CACHE_HOME="+filepath.Join(home, ".cache"))
	cmd.Stdout, cmd.Stderr = x.logWriter(), x.logWriter()
	if err := cmd.Start(); err != nil {
		x.tb.Fatalf("start openbox: %v", err)
	}
	x.wm = cmd
	deadline := time.Now().Add(10 * time.Second)
	for !x.wmRunning() {
		if time.Now().After(deadline) {
			x.tb.Fatalf("openbox did not start on %s within 10 s:\n%s", x.Display, x.logs())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// wmRunning reports whether an EWMH window manager runs: the root's
// _NET_SUPPORTING_WM_CHECK names a live window that names itself.
func (x *X) wmRunning() bool {
	c, err := connect(x.Display)
	if err != nil {
		return false
	}
	defer c.Close()
	root := xproto.Setup(c.Conn).DefaultScreen(c.Conn).Root
	a, err := xproto.InternAtom(c.Conn, false, 24, "_NET_SUPPORTING_WM_CHECK").Reply()
	if err != nil {
		return false
	}
	get := func(w xproto.Window) xproto.Window {
		r, err := xproto.GetProperty(c.Conn, false, w, a.Atom, xproto.GetPropertyTypeAny, 0, 1).Reply()
		if err != nil || r.Format != 32 || len(r.Value) < 4 {
			return 0
		}
		return xproto.Window(xgb.Get32(r.Value))
	}
	w := get(root)
	return w != 0 && get(w) == w
}

// KillWM kills the window manager with SIGKILL (a crash: it cleans nothing
// up) and waits for it to exit.
func (x *X) KillWM() {
	x.tb.Helper()
	if x.wm == nil {
		x.tb.Fatal("KillWM: no window manager running")
	}
	x.wm.Process.Kill()
	x.wm.Wait()
	x.wm = nil
}

// KillServer kills Xvfb with SIGKILL; its window manager then exits (or is
// killed) too.
func (x *X) KillServer() {
	x.tb.Helper()
	x.server.Process.Kill()
	x.server.Wait()
	x.server = nil
	// The display stays this test's until RestartServer: a lock file with
	// a live pid (this process's), so that another test's Xvfb, looking
	// for a free display, does not take the dead server's number (whose
	// socket RestartServer then removes).
	n := strings.TrimPrefix(x.Display, ":")
	os.WriteFile("/tmp/.X"+n+"-lock", []byte(fmt.Sprintf("%10d\n", os.Getpid())), 0o444)
	if x.wm != nil {
		x.stop(x.wm)
		x.wm = nil
	}
}

// RestartServer starts Xvfb again on the same display.
func (x *X) RestartServer() {
	x.tb.Helper()
	n := strings.TrimPrefix(x.Display, ":")
	if b, err := os.ReadFile("/tmp/.X" + n + "-lock"); err == nil && strings.TrimSpace(string(b)) != strconv.Itoa(os.Getpid()) {
		x.tb.Fatalf("display %s was taken by another server (pid %s) after this test killed its own", x.Display, strings.TrimSpace(string(b)))
	}
	os.Remove("/tmp/.X11-unix/X" + n)
	os.Remove("/tmp/.X" + n + "-lock")
	cmd := exec.Command("Xvfb", x.Display, "-screen", "0", "1024x600x24", "-nolisten", "tcp", "-noreset")
	cmd.Stdout, cmd.Stderr = x.logWriter(), x.logWriter()
	if err := cmd.Start(); err != nil {
		x.tb.Fatalf("restart Xvfb: %v", err)
	}
	x.server = cmd
	x.waitServer()
}

func (x *X) stop(cmd *exec.Cmd) {
	if cmd == nil || cmd.Process == nil {
		return
	}
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		cmd.Process.Kill()
		<-done
	}
}

// Stop stops the window manager and the X server. Cleanup calls it.
func (x *X) Stop() {
	x.stop(x.wm)
	x.wm = nil
	x.stop(x.server)
	x.server = nil
	// The lock KillServer left holding the display, if it is still there.
	lock := "/tmp/.X" + strings.TrimPrefix(x.Display, ":") + "-lock"
	if b, err := os.ReadFile(lock); err == nil && strings.TrimSpace(string(b)) == strconv.Itoa(os.Getpid()) {
		os.Remove(lock)
		os.Remove("/tmp/.X11-unix/X" + strings.TrimPrefix(x.Display, ":"))
	}
}

// Screenshot saves the screen as a PNG (needs ImageMagick's import).
func (x *X) Screenshot(path string) error {
	cmd := exec.Command("import", "-window", "root", path)
	cmd.Env = x.Env()
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("import: %v: %s", err, out)
	}
	return nil
}

// helper builds testwin into the test's temporary folder (the Go build
// cache makes this quick after the first time).
func helper(tb testing.TB) string {
	tb.Helper()
	bin := filepath.Join(tb.TempDir(), "cuecard-testwin")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/cuecard/cuecard/internal/focus/focustest/testwin")
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("build testwin: %v\n%s", err, out)
	}
	return bin
}

// Client is a running testwin program: its windows belong to its process.
type Client struct {
	// PID is the helper's process id (the _NET_WM_PID of "self" windows).
	PID int
	tb  testing.TB
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Reader
}

// Client starts the testwin helper on this display; Cleanup stops it.
func (x *X) Client() *Client {
	x.tb.Helper()
	Require(x.tb, "go")
	bin := helper(x.tb)
	cmd := exec.Command(bin)
	cmd.Env = x.Env()
	in, err := cmd.StdinPipe()
	if err != nil {
		x.tb.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		x.tb.Fatal(err)
	}
	cmd.Stderr = x.logWriter()
	if err := cmd.Start(); err != nil {
		x.tb.Fatalf("start testwin: %v", err)
	}
	c := &Client{PID: cmd.Process.Pid, tb: x.tb, cmd: cmd, in: in, out: bufio.NewReader(out)}
	x.tb.Cleanup(c.Stop)
	return c
}

func (c *Client) do(args ...string) string {
	c.tb.Helper()
	for _, a := range args {
		if strings.ContainsAny(a, "\t\n") {
			c.tb.Fatalf("testwin argument %q has a tab or newline", a)
		}
	}
	if _, err := fmt.Fprintln(c.in, strings.Join(args, "\t")); err != nil {
		c.tb.Fatalf("testwin %s: %v", args[0], err)
	}
	line, err := c.out.ReadString('\n')
	if err != nil {
		c.tb.Fatalf("testwin %s: %v", args[0], err)
	}
	line = strings.TrimSpace(line)
	if !strings.HasPrefix(line, "ok") {
		c.tb.Fatalf("testwin %s: %s", args[0], line)
	}
	return strings.TrimSpace(strings.TrimPrefix(line, "ok"))
}

// Open opens and maps a window. pid is its _NET_WM_PID: 0 for none, -1 for
// the helper's own pid. It returns the window id.
func (c *Client) Open(name string, pid int, instance, class, title string) uint32 {
	c.tb.Helper()
	p := strconv.Itoa(pid)
	if pid < 0 {
		p = "self"
	}
	id, err := strconv.ParseUint(strings.TrimPrefix(c.do("open", name, p, instance, class, title), "0x"), 16, 32)
	if err != nil {
		c.tb.Fatal(err)
	}
	return uint32(id)
}

// Title sets a window's _NET_WM_NAME and WM_NAME.
func (c *Client) Title(name, title string) { c.tb.Helper(); c.do("title", name, title) }

// Activate asks the window manager to focus a window (_NET_ACTIVE_WINDOW
// client message, source indication 2: a pager, as xdotool does).
func (c *Client) Activate(name string) { c.tb.Helper(); c.do("activate", name) }

// Fullscreen asks the window manager to make a window fullscreen or not
// (_NET_WM_STATE client message).
func (c *Client) Fullscreen(name string, on bool) {
	c.tb.Helper()
	v := "off"
	if on {
		v = "on"
	}
	c.do("fullscreen", name, v)
}

// Size resizes a window's client area (the window manager keeps its
// position).
func (c *Client) Size(name string, width, height int) {
	c.tb.Helper()
	c.do("size", name, strconv.Itoa(width), strconv.Itoa(height))
}

// Button adds a "button" to a window: a child window of colour rgb
// (0xRRGGBB) at x, y in the window, width by height pixels.
func (c *Client) Button(name string, x, y, width, height int, rgb uint32) {
	c.tb.Helper()
	c.do("button", name, strconv.Itoa(x), strconv.Itoa(y), strconv.Itoa(width), strconv.Itoa(height), strconv.FormatUint(uint64(rgb), 16))
}

// LabelledButton adds a button with a label drawn on it (X's built-in
// "fixed" font), as an app's buttons have.
func (c *Client) LabelledButton(name string, x, y, width, height int, rgb uint32, label string) {
	c.tb.Helper()
	c.do("button", name, strconv.Itoa(x), strconv.Itoa(y), strconv.Itoa(width), strconv.Itoa(height), strconv.FormatUint(uint64(rgb), 16), label)
}

// Clicks is how many button presses reached a window's buttons (see
// Button and LabelledButton).
func (c *Client) Clicks(name string) int {
	c.tb.Helper()
	n, err := strconv.Atoi(strings.TrimSpace(c.do("clicks", name)))
	if err != nil {
		c.tb.Fatalf("testwin clicks: %v", err)
	}
	return n
}

// Close destroys a window.
func (c *Client) Close(name string) { c.tb.Helper(); c.do("close", name) }

// Stop ends the helper (its windows go with it).
func (c *Client) Stop() {
	if c.cmd == nil {
		return
	}
	c.in.Close()
	done := make(chan struct{})
	go func() { c.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		c.cmd.Process.Kill()
		<-done
	}
	c.cmd = nil
}

// ActiveWindow is the root window's _NET_ACTIVE_WINDOW (0 when unset).
func (x *X) ActiveWindow() uint32 {
	x.tb.Helper()
	c, err := connect(x.Display)
	if err != nil {
		x.tb.Fatal(err)
	}
	defer c.Close()
	root := xproto.Setup(c.Conn).DefaultScreen(c.Conn).Root
	a, err := xproto.InternAtom(c.Conn, false, 18, "_NET_ACTIVE_WINDOW").Reply()
	if err != nil {
		x.tb.Fatal(err)
	}
	r, err := xproto.GetProperty(c.Conn, false, root, a.Atom, xproto.GetPropertyTypeAny, 0, 1).Reply()
	if err != nil || r.Format != 32 || len(r.Value) < 4 {
		return 0
	}
	return xgb.Get32(r.Value)
}

// WaitActive waits until the window manager reports id as the active window.
func (x *X) WaitActive(id uint32) {
	x.tb.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for x.ActiveWindow() != id {
		if time.Now().After(deadline) {
			x.tb.Fatalf("window 0x%x did not become active (active: 0x%x)", id, x.ActiveWindow())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// PrivateBus starts a D-Bus session bus of the test's own and returns its
// address. With a display (not ""), the services it starts by activation
// (AT-SPI's bus launcher and registry) get that DISPLAY, never the one of
// the run (which CI may set empty: the registry then exits), and a runtime
// folder of their own (AT-SPI's bus socket would otherwise be one fixed
// path shared by tests that run at once).
func PrivateBus(tb testing.TB, display string) string {
	tb.Helper()
	Require(tb, "dbus-daemon")
	bus := exec.Command("dbus-daemon", "--session", "--nofork", "--print-address=1")
	if display != "" {
		for _, kv := range os.Environ() {
			if !strings.HasPrefix(kv, "DISPLAY=") && !strings.HasPrefix(kv, "XDG_RUNTIME_DIR=") {
				bus.Env = append(bus.Env, kv)
			}
		}
		bus.Env = append(bus.Env, "DISPLAY="+display, "XDG_RUNTIME_DIR="+tb.TempDir())
	}
	out, err := bus.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := bus.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { bus.Process.Kill(); bus.Wait() })
	addr, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		tb.Fatal(err)
	}
	return strings.TrimSpace(addr)
}
