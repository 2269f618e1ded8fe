//go:build linux

package waylandtest

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/focus/focustest"
)

// User is the unprivileged account compositors run as when tests run as
// root.
const User = "cuecard-wayland"

// Require skips tb (or fails it under CI=true) unless every tool is on PATH.
func Require(tb testing.TB, tools ...string) {
	tb.Helper()
	focustest.RequireFor(tb, "Wayland test", "apt-get install sway foot", tools...)
}

// Session is a runtime directory and the unprivileged identity its
// compositor runs as.
type Session struct {
	// RuntimeDir is the session's XDG_RUNTIME_DIR.
	RuntimeDir string
	tb         testing.TB
	cred       *syscall.Credential // nil: run as the test's own user
	home       string
	mu         sync.Mutex
	log        bytes.Buffer
}

// NewSession makes a runtime directory (mode 0700) owned by the user that
// compositors and clients run as.
func NewSession(tb testing.TB) *Session {
	tb.Helper()
	s := &Session{tb: tb}
	// Not tb.TempDir(): its parents are private to the test's user. As
	// root, /tmp itself: TMPDIR may be private to root too.
	base := ""
	if os.Geteuid() == 0 {
		base = "/tmp"
	}
	dir, err := os.MkdirTemp(base, "cuecard-wayland-")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o700); err != nil {
		tb.Fatal(err)
	}
	s.RuntimeDir = dir
	s.home = filepath.Join(dir, "home")
	if err := os.Mkdir(s.home, 0o700); err != nil {
		tb.Fatal(err)
	}
	if os.Geteuid() == 0 {
		uid, gid := unprivileged(tb)
		s.cred = &syscall.Credential{Uid: uid, Gid: gid}
		for _, p := range []string{dir, s.home} {
			if err := os.Chown(p, int(uid), int(gid)); err != nil {
				tb.Fatal(err)
			}
		}
	}
	return s
}

var userMu sync.Mutex

// unprivileged returns the ids of User, creating the account if needed.
func unprivileged(tb testing.TB) (uint32, uint32) {
	tb.Helper()
	userMu.Lock()
	defer userMu.Unlock()
	u, err := user.Lookup(User)
	// Test binaries of other packages may run useradd at the same time:
	// it then fails on the lock of /etc/passwd, or because the user exists.
	var out []byte
	var aerr error
	for end := time.Now().Add(10 * time.Second); err != nil && time.Now().Before(end); {
		out, aerr = exec.Command("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", User).CombinedOutput()
		if u, err = user.Lookup(User); err != nil {
			time.Sleep(100 * time.Millisecond)
		}
	}
	if err != nil {
		tb.Fatalf("cannot create the user %s for the compositor (sway refuses root): %v: %s", User, aerr, out)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return uint32(uid), uint32(gid)
}

// Env is the environment of a client of this session's compositor, with
// WAYLAND_DISPLAY set to display.
func (s *Session) Env(display string) []string {
	return []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + s.home,
		"XDG_RUNTIME_DIR=" + s.RuntimeDir,
		"WAYLAND_DISPLAY=" + display,
		"LANG=C.UTF-8",
	}
}

// Command prepares a process that runs as the session's user, in its own
// process group, with its output in the session's log.
func (s *Session) Command(env []string, name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Env = env
	cmd.Dir = s.RuntimeDir
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Credential: s.cred}
	cmd.Stdout, cmd.Stderr = s.logWriter(), s.logWriter()
	return cmd
}

func (s *Session) logWriter() io.Writer { return lockedWriter{s} }

type lockedWriter struct{ s *Session }

func (w lockedWriter) Write(p []byte) (int, error) {
	w.s.mu.Lock()
	defer w.s.mu.Unlock()
	if w.s.log.Len() < 1<<20 {
		w.s.log.Write(p)
	}
	return len(p), nil
}

// Logs is what the session's processes printed (the last part of it).
func (s *Session) Logs() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.log.Bytes()
	if len(b) > 8000 {
		b = b[len(b)-8000:]
	}
	return string(b)
}

// stop ends a process group: SIGTERM, then SIGKILL after a while.
func stop(cmd *exec.Cmd, done <-chan struct{}) {
	if cmd == nil || cmd.Process == nil {
		return
	}
	syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-done
	}
}

// waitFor polls cond every 10 ms until it holds or timeout passes.
func waitFor(timeout time.Duration, cond func() bool) bool {
	end := time.Now().Add(timeout)
	for {
		if cond() {
			return true
		}
		if time.Now().After(end) {
			return false
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Sway is a headless sway compositor.
type Sway struct {
	*Session
	// Display is the WAYLAND_DISPLAY name, inside RuntimeDir.
	Display string
	// IPC is sway's IPC socket (SWAYSOCK).
	IPC     string
	cmd     *exec.Cmd
	done    chan struct{}
	clients []*exec.Cmd
	stopped bool
}

// StartSway starts a headless sway in a new session and stops it when the
// test ends. It returns once clients can connect and its IPC answers.
func StartSway(tb testing.TB) *Sway {
	tb.Helper()
	Require(tb, "sway", "foot")
	s := &Sway{Session: NewSession(tb)}
	tb.Cleanup(s.Stop)
	s.start()
	return s
}

// Restart starts sway again in the same session after Kill: clients that
// reconnect to the same socket reach the new compositor.
func (s *Sway) Restart() {
	s.tb.Helper()
	s.stopped = false
	s.start()
}

func (s *Sway) start() {
	tb := s.tb
	tb.Helper()
	s.done = make(chan struct{})
	s.Display, s.IPC = "", ""
	conf := filepath.Join(s.RuntimeDir, "sway.conf")
	// No bar, no wallpaper, no borders: only what tests need.
	if err := os.WriteFile(conf, []byte("output HEADLESS-1 resolution 1280x800\ndefault_border none\nfocus_follows_mouse no\n"), 0o644); err != nil {
		tb.Fatal(err)
	}
	env := append(s.Env(""), "WLR_BACKENDS=headless", "WLR_LIBINPUT_NO_DEVICES=1", "WLR_RENDERER=pixman")
	env = removeEnv(env, "WAYLAND_DISPLAY")
	s.cmd = s.Command(env, "sway", "-c", conf)
	if err := s.cmd.Start(); err != nil {
		tb.Fatalf("start sway: %v", err)
	}
	cmd, done := s.cmd, s.done
	go func() { cmd.Wait(); close(done) }()
	ipcName := fmt.Sprintf(".%d.sock", s.cmd.Process.Pid)
	ok := waitFor(15*time.Second, func() bool {
		select {
		case <-s.done:
			return true
		default:
		}
		ents, _ := os.ReadDir(s.RuntimeDir)
		for _, e := range ents {
			n := e.Name()
			switch {
			case strings.HasPrefix(n, "wayland-") && !strings.HasSuffix(n, ".lock"):
				s.Display = n
			case strings.HasPrefix(n, "sway-ipc.") && strings.HasSuffix(n, ipcName):
				s.IPC = filepath.Join(s.RuntimeDir, n)
			}
		}
		if s.Display == "" || s.IPC == "" {
			return false
		}
		// sway listens on its Wayland socket before its IPC answers.
		_, err := s.ipc(ipcGetVersion, "")
		return err == nil
	})
	select {
	case <-s.done:
		tb.Fatalf("sway exited at start:\n%s", s.Logs())
	default:
	}
	if !ok {
		tb.Fatalf("sway did not start within 15 s:\n%s", s.Logs())
	}
}

func removeEnv(env []string, key string) []string {
	out := env[:0]
	for _, e := range env {
		if !strings.HasPrefix(e, key+"=") {
			out = append(out, e)
		}
	}
	return out
}

// Socket is the absolute path of the compositor's socket.
func (s *Sway) Socket() string { return filepath.Join(s.RuntimeDir, s.Display) }

// ClientEnv is the environment of a client of this compositor.
func (s *Sway) ClientEnv() []string { return s.Env(s.Display) }

// sway IPC message types (the i3 IPC protocol).
const (
	ipcRunCommand = 0
	ipcGetTree    = 4
	ipcGetVersion = 7
)

// ipc sends one message on sway's IPC socket and returns the reply's
// payload.
func (s *Sway) ipc(typ uint32, payload string) ([]byte, error) {
	c, err := net.DialTimeout("unix", s.IPC, 5*time.Second)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	msg := []byte("i3-ipc")
	msg = binary.LittleEndian.AppendUint32(msg, uint32(len(payload)))
	msg = binary.LittleEndian.AppendUint32(msg, typ)
	msg = append(msg, payload...)
	if _, err := c.Write(msg); err != nil {
		return nil, err
	}
	var hdr [14]byte
	if _, err := io.ReadFull(c, hdr[:]); err != nil {
		return nil, fmt.Errorf("sway IPC: %w", err)
	}
	if string(hdr[:6]) != "i3-ipc" {
		return nil, fmt.Errorf("sway IPC: bad reply header %q", hdr[:6])
	}
	body := make([]byte, binary.LittleEndian.Uint32(hdr[6:]))
	if _, err := io.ReadFull(c, body); err != nil {
		return nil, fmt.Errorf("sway IPC: %w", err)
	}
	return body, nil
}

// Run runs a sway command (as swaymsg would) and fails the test if sway
// reports an error.
func (s *Sway) Run(command string) {
	s.tb.Helper()
	if err := s.RunErr(command); err != nil {
		s.tb.Fatal(err)
	}
}

// RunErr runs a sway command and returns sway's error, if any. It is safe
// to call from any goroutine.
func (s *Sway) RunErr(command string) error {
	out, err := s.ipc(ipcRunCommand, command)
	if err != nil {
		return fmt.Errorf("sway command %q: %w", command, err)
	}
	var res []struct {
		Success bool   `json:"success"`
		Error   string `json:"error"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		return fmt.Errorf("sway command %q: reply %q: %w", command, out, err)
	}
	for _, r := range res {
		if !r.Success {
			return fmt.Errorf("sway command %q failed: %s", command, r.Error)
		}
	}
	return nil
}

// Terminal is a foot window.
type Terminal struct {
	AppID string
	fifo  string
}

// Open starts foot with app_id and title, and waits until sway shows it
// (a new window takes the focus). Its title can be changed with SetTitle.
func (s *Sway) Open(appID, title string) *Terminal {
	s.tb.Helper()
	t := &Terminal{AppID: appID, fifo: filepath.Join(s.RuntimeDir, "title-"+appID)}
	if err := syscall.Mkfifo(t.fifo, 0o600); err != nil {
		s.tb.Fatal(err)
	}
	if s.cred != nil {
		os.Chown(t.fifo, int(s.cred.Uid), int(s.cred.Gid))
	}
	// The shell sets the title (OSC 2) to each line written to the fifo.
	script := `while :; do read -r t < "$1" && printf '\033]2;%s\007' "$t"; done`
	cmd := s.Command(s.ClientEnv(), "foot", "--app-id="+appID, "--title="+title, "sh", "-c", script, "sh", t.fifo)
	if err := cmd.Start(); err != nil {
		s.tb.Fatalf("start foot: %v", err)
	}
	go cmd.Wait()
	s.clients = append(s.clients, cmd)
	if !waitFor(15*time.Second, func() bool { return s.hasWindow(appID) }) {
		s.tb.Fatalf("foot --app-id=%s did not appear within 15 s:\n%s", appID, s.Logs())
	}
	return t
}

// SetTitle makes the terminal set its window title.
func (s *Sway) SetTitle(t *Terminal, title string) {
	s.tb.Helper()
	f, err := os.OpenFile(t.fifo, os.O_WRONLY, 0)
	if err != nil {
		s.tb.Fatal(err)
	}
	defer f.Close()
	if _, err := fmt.Fprintln(f, title); err != nil {
		s.tb.Fatal(err)
	}
}

// Focus focuses the window with app_id through sway's IPC.
func (s *Sway) Focus(appID string) {
	s.tb.Helper()
	s.Run(fmt.Sprintf(`[app_id="^%s$"] focus`, appID))
}

// Focused is the app_id of the focused window in sway's tree ("" if none).
func (s *Sway) Focused() string {
	s.tb.Helper()
	var found string
	walk(s.tree(), func(n node) {
		if n.Focused && n.AppID != "" {
			found = n.AppID
		}
	})
	return found
}

type node struct {
	AppID    string `json:"app_id"`
	Focused  bool   `json:"focused"`
	Nodes    []node `json:"nodes"`
	Floating []node `json:"floating_nodes"`
}

func walk(n node, f func(node)) {
	f(n)
	for _, c := range n.Nodes {
		walk(c, f)
	}
	for _, c := range n.Floating {
		walk(c, f)
	}
}

func (s *Sway) tree() node {
	out, err := s.ipc(ipcGetTree, "")
	if err != nil {
		return node{}
	}
	var n node
	json.Unmarshal(out, &n)
	return n
}

func (s *Sway) hasWindow(appID string) bool {
	var ok bool
	walk(s.tree(), func(n node) { ok = ok || n.AppID == appID })
	return ok
}

// Stop stops the clients and the compositor. It is safe to call twice.
func (s *Sway) Stop() {
	if s.stopped {
		return
	}
	s.stopped = true
	for _, c := range s.clients {
		syscall.Kill(-c.Process.Pid, syscall.SIGKILL)
	}
	stop(s.cmd, s.done)
}

// Kill makes the compositor exit at once (SIGKILL), as a crash would.
func (s *Sway) Kill() {
	syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
	<-s.done
}

// Weston is a headless Weston compositor: a real Wayland compositor that
// does not offer the wlroots foreign-toplevel protocol.
type Weston struct {
	*Session
	// Display is the WAYLAND_DISPLAY name, inside RuntimeDir.
	Display string
	cmd     *exec.Cmd
	done    chan struct{}
}

// StartWeston starts a headless weston in a new session and stops it when
// the test ends. It returns once its socket exists.
func StartWeston(tb testing.TB) *Weston {
	tb.Helper()
	Require(tb, "weston")
	w := &Weston{Session: NewSession(tb), Display: "wayland-weston", done: make(chan struct{})}
	w.cmd = w.Command(removeEnv(w.Env(""), "WAYLAND_DISPLAY"), "weston", "--backend=headless-backend.so",
		"--socket="+w.Display, "--idle-time=0", "--no-config")
	if err := w.cmd.Start(); err != nil {
		tb.Fatalf("start weston: %v", err)
	}
	go func() { w.cmd.Wait(); close(w.done) }()
	tb.Cleanup(func() { stop(w.cmd, w.done) })
	sock := filepath.Join(w.RuntimeDir, w.Display)
	ok := waitFor(15*time.Second, func() bool {
		select {
		case <-w.done:
			return true
		default:
		}
		_, err := os.Stat(sock)
		return err == nil
	})
	select {
	case <-w.done:
		tb.Fatalf("weston exited at start:\n%s", w.Logs())
	default:
	}
	if !ok {
		tb.Fatalf("weston did not start within 15 s:\n%s", w.Logs())
	}
	return w
}

// XDisplay is the DISPLAY of sway's XWayland server, which starts when the
// first X11 client connects. The test is skipped (or failed under CI=true)
// when Xwayland is not installed.
func (s *Sway) XDisplay() string {
	s.tb.Helper()
	Require(s.tb, "Xwayland")
	file := filepath.Join(s.RuntimeDir, "xdisplay")
	os.Remove(file)
	s.Run(fmt.Sprintf(`exec sh -c 'echo "$DISPLAY" > %s.tmp && mv %s.tmp %s'`, file, file, file))
	var d string
	if !waitFor(10*time.Second, func() bool {
		b, err := os.ReadFile(file)
		d = strings.TrimSpace(string(b))
		return err == nil
	}) || d == "" {
		s.tb.Fatalf("sway has no XWayland display (%q):\n%s", d, s.Logs())
	}
	return d
}
