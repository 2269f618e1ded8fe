//go:build linux

package hotkey

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"github.com/cuecard/cuecard/internal/xconn"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/robotn/xgb"
	"github.com/robotn/xgb/xproto"
	"github.com/robotn/xgb/xtest"

	"github.com/cuecard/cuecard/internal/focus/focustest"
)

// Keysyms the tests type.
const (
	symSpace    = 0x20
	symCtrlL    = 0xffe3
	symShiftL   = 0xffe1
	symCapsLock = 0xffe5
	symF1       = 0xffbe
	symK        = 'k'
)

// client is a second X client: it types through the XTEST extension (as
// xdotool does, without a process per key), grabs keys to play another
// program, and reads the keyboard state.
type client struct {
	tb   testing.TB
	c    *xgb.Conn
	g    *xconn.Guard
	root xproto.Window
	km   keymap
	mm   modmap
}

func newClient(tb testing.TB, display string) *client {
	tb.Helper()
	d, err := xconn.ParseDisplay(display)
	if err != nil {
		tb.Fatal(err)
	}
	c, g, err := xconn.Dial(d, 5*time.Second, os.Getenv)
	if err != nil {
		tb.Fatalf("connect to %s: %v", display, err)
	}
	if err := xtest.Init(c); err != nil {
		xconn.Close(c, g)
		tb.Fatalf("XTEST: %v", err)
	}
	cl := &client{tb: tb, c: c, g: g, root: xproto.Setup(c).DefaultScreen(c).Root}
	cl.readMaps()
	// Drain events (MappingNotify reaches every client) so xgb never blocks.
	go func() {
		for {
			if ev, err := c.WaitForEvent(); ev == nil && err == nil {
				return
			}
		}
	}()
	tb.Cleanup(func() { xconn.Close(c, g) })
	return cl
}

func (cl *client) readMaps() {
	cl.tb.Helper()
	setup := xproto.Setup(cl.c)
	kr, err := xproto.GetKeyboardMapping(cl.c, setup.MinKeycode, byte(setup.MaxKeycode-setup.MinKeycode+1)).Reply()
	if err != nil {
		cl.tb.Fatal(err)
	}
	mr, err := xproto.GetModifierMapping(cl.c).Reply()
	if err != nil {
		cl.tb.Fatal(err)
	}
	cl.km = keymap{first: setup.MinKeycode, per: int(kr.KeysymsPerKeycode), syms: kr.Keysyms}
	cl.mm = modmap{per: int(mr.KeycodesPerModifier), codes: mr.Keycodes}
}

func (cl *client) code(sym uint32) xproto.Keycode {
	cl.tb.Helper()
	codes, _ := cl.km.codes(sym)
	if len(codes) == 0 {
		cl.tb.Fatalf("no keycode for keysym %#x", sym)
	}
	return codes[0]
}

// fake sends one XTEST key event and waits until the server has handled it.
func (cl *client) fake(press bool, code xproto.Keycode) {
	cl.tb.Helper()
	typ := byte(xproto.KeyRelease)
	if press {
		typ = xproto.KeyPress
	}
	if err := xtest.FakeInputChecked(cl.c, typ, byte(code), 0, cl.root, 0, 0, 0).Check(); err != nil {
		cl.tb.Fatalf("XTEST key event: %v", err)
	}
}

// tap presses the keys in order and releases them in reverse order.
func (cl *client) tap(syms ...uint32) {
	cl.tb.Helper()
	for _, s := range syms {
		cl.fake(true, cl.code(s))
	}
	for i := len(syms) - 1; i >= 0; i-- {
		cl.fake(false, cl.code(syms[i]))
	}
}

// state is the keyboard's modifier state (locks included).
func (cl *client) state() uint16 {
	cl.tb.Helper()
	r, err := xproto.QueryPointer(cl.c, cl.root).Reply()
	if err != nil {
		cl.tb.Fatal(err)
	}
	return r.Mask & 0xff
}

// setLock turns a lock (NumLock, CapsLock) on or off by tapping its key,
// and checks the server's state.
func (cl *client) setLock(sym uint32, bit uint16, on bool) {
	cl.tb.Helper()
	if (cl.state()&bit != 0) != on {
		cl.tap(sym)
	}
	if got := cl.state()&bit != 0; got != on {
		cl.tb.Fatalf("lock %#x: state %#x, want on=%v", sym, cl.state(), on)
	}
}

// grabKey grabs keycode+mods on the root window as another program would.
func (cl *client) grabKey(code xproto.Keycode, mods uint16) error {
	return xproto.GrabKeyChecked(cl.c, false, cl.root, mods, code, xproto.GrabModeAsync, xproto.GrabModeAsync).Check()
}

func (cl *client) ungrabKey(code xproto.Keycode, mods uint16) {
	cl.tb.Helper()
	if err := xproto.UngrabKeyChecked(cl.c, code, cl.root, mods).Check(); err != nil {
		cl.tb.Fatal(err)
	}
}

// Modifier bits of the test server's keymap.
func (cl *client) numBit() uint16   { return cl.mm.bit(cl.km, symNumLock) }
func (cl *client) altBit() uint16   { return cl.mm.bit(cl.km, symAltL) }
func (cl *client) superBit() uint16 { return cl.mm.bit(cl.km, symSuperL) }

// events asserts what a Hotkey sends.
type events struct {
	tb testing.TB
	h  *Hotkey
}

func (e events) one(why string) {
	e.tb.Helper()
	select {
	case _, ok := <-e.h.Events():
		if !ok {
			e.tb.Fatalf("%s: Events closed", why)
		}
	case <-time.After(5 * time.Second):
		e.tb.Fatalf("%s: no event within 5 s", why)
	}
	e.none(why+" (a second event)", 100*time.Millisecond)
}

func (e events) none(why string, d time.Duration) {
	e.tb.Helper()
	select {
	case _, ok := <-e.h.Events():
		if ok {
			e.tb.Fatalf("%s: unexpected event", why)
		}
		e.tb.Fatalf("%s: Events closed", why)
	case <-time.After(d):
	}
}

func (e events) status(active bool, contains string, target error) Status {
	e.tb.Helper()
	select {
	case s, ok := <-e.h.Status():
		if !ok {
			e.tb.Fatal("Status closed")
		}
		if s.Active != active || (contains != "" && (s.Err == nil || !strings.Contains(s.Err.Error(), contains))) ||
			(target != nil && !errors.Is(s.Err, target)) || (active && s.Err != nil) {
			e.tb.Fatalf("status %+v, want active=%v with %q (%v)", s, active, contains, target)
		}
		return s
	case <-time.After(10 * time.Second):
		e.tb.Fatalf("no status within 10 s (want active=%v %q)", active, contains)
	}
	return Status{}
}

func mustRegister(tb testing.TB, x *focustest.X, k Key, o Options) *Hotkey {
	tb.Helper()
	o.Display = x.Display
	if o.Logger == nil {
		o.Logger = testLogger(tb)
	}
	h, err := Register(context.Background(), k, o)
	if err != nil {
		tb.Fatalf("Register(%s): %v", k, err)
	}
	tb.Cleanup(func() { h.Close() })
	return h
}

// TestPress: the hotkey fires once per press, only for its exact modifiers,
// with NumLock and CapsLock on or off, once for a held (auto-repeating) key,
// and Close frees the key for others.
func TestPress(t *testing.T) {
	x := focustest.StartX(t)
	x.StartWM()
	cl := newClient(t, x.Display)
	base, _ := goroutines()
	log, logs := testLogs(t)
	h := mustRegister(t, x, Default, Options{Logger: log})
	e := events{t, h}
	e.status(true, "", nil)

	cl.tap(symCtrlL, symAltL, symSpace)
	e.one("Ctrl+Alt+Space")
	cl.tap(symSpace)
	cl.tap(symCtrlL, symSpace)
	cl.tap(symAltL, symSpace)
	cl.tap(symCtrlL, symAltL, symShiftL, symSpace)
	cl.tap(symCtrlL, symAltL, symK)
	e.none("other keys", 150*time.Millisecond)

	num := cl.numBit()
	if num == 0 {
		t.Fatal("the test server maps NumLock to no modifier")
	}
	cl.setLock(symNumLock, num, true)
	cl.tap(symCtrlL, symAltL, symSpace)
	e.one("Ctrl+Alt+Space with NumLock on")
	cl.setLock(symCapsLock, xproto.ModMaskLock, true)
	cl.tap(symCtrlL, symAltL, symSpace)
	e.one("Ctrl+Alt+Space with NumLock and CapsLock on")
	cl.setLock(symNumLock, num, false)
	cl.tap(symCtrlL, symAltL, symSpace)
	e.one("Ctrl+Alt+Space with CapsLock on")
	cl.setLock(symCapsLock, xproto.ModMaskLock, false)
	cl.tap(symCtrlL, symAltL, symSpace)
	e.one("Ctrl+Alt+Space with the locks off again")

	// A held key auto-repeats (the server sends release+press pairs with
	// one timestamp): one event.
	// Events merges unread presses, so they are counted as they come.
	ctrl, alt, space := cl.code(symCtrlL), cl.code(symAltL), cl.code(symSpace)
	count := make(chan int)
	stopCount := make(chan struct{})
	go func() {
		n := 0
		for {
			select {
			case <-h.Events():
				n++
			case <-stopCount:
				count <- n
				return
			}
		}
	}()
	cl.fake(true, ctrl)
	cl.fake(true, alt)
	cl.fake(true, space)
	// Xvfb repeats after 660 ms, then every 40 ms; on a busy machine later:
	// hold until several repeats were seen (5 s at most).
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if strings.Count(logs(), "auto-repeat ignored") >= 3 {
			break
		}
	}
	cl.fake(false, space)
	time.Sleep(100 * time.Millisecond)
	close(stopCount)
	if n := <-count; n != 1 {
		t.Fatalf("Ctrl+Alt+Space held: %d events, want 1", n)
	}
	if n := strings.Count(logs(), "auto-repeat ignored"); n < 3 {
		t.Fatalf("Ctrl+Alt+Space held: %d auto-repeats, want several (does the server repeat keys?)", n)
	}
	// Pressed again while Ctrl and Alt stay down: a new press.
	time.Sleep(5 * time.Millisecond)
	cl.fake(true, space)
	cl.fake(false, space)
	cl.fake(false, alt)
	cl.fake(false, ctrl)
	e.one("Space pressed again under Ctrl+Alt")

	// While registered, nobody else can grab it; after Close, anyone can.
	if err := cl.grabKey(space, xproto.ModMaskControl|cl.altBit()); err == nil {
		t.Fatal("another client grabbed Ctrl+Alt+Space while it was registered")
	}
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
	if _, ok := <-h.Events(); ok {
		t.Fatal("Events not closed after Close")
	}
	h.Close() // twice is fine
	waitGoroutines(t, base)
	for _, lock := range []uint16{0, num, xproto.ModMaskLock, num | xproto.ModMaskLock} {
		if err := cl.grabKey(space, xproto.ModMaskControl|cl.altBit()|lock); err != nil {
			t.Fatalf("after Close, another client cannot grab Ctrl+Alt+Space with locks %#x: %v", lock, err)
		}
	}
}

// TestXdotool presses the hotkey with xdotool, as a user's tools would.
func TestXdotool(t *testing.T) {
	requireTool(t, "xdotool")
	x := focustest.StartX(t)
	x.StartWM()
	h := mustRegister(t, x, Default, Options{})
	e := events{t, h}
	e.status(true, "", nil)
	cl := newClient(t, x.Display)
	xdotool := func(args ...string) {
		t.Helper()
		if out, err := xdotoolCmd(x, args...).CombinedOutput(); err != nil {
			t.Fatalf("xdotool %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	xdotool("key", "ctrl+alt+space")
	e.one("xdotool key ctrl+alt+space")
	xdotool("key", "Num_Lock")
	if cl.state()&cl.numBit() == 0 {
		t.Fatalf("NumLock is not on after xdotool key Num_Lock (state %#x)", cl.state())
	}
	xdotool("key", "ctrl+alt+space")
	e.one("xdotool key ctrl+alt+space with NumLock on")
	xdotool("key", "Caps_Lock")
	if cl.state()&xproto.ModMaskLock == 0 {
		t.Fatalf("CapsLock is not on after xdotool key Caps_Lock (state %#x)", cl.state())
	}
	xdotool("key", "ctrl+alt+space")
	e.one("xdotool key ctrl+alt+space with NumLock and CapsLock on")
}

// goroutines lists this process's goroutines by id, less those parked in
// robotn/xgb's id generators: xgb never stops them, two per connection
// ever made, whoever closed it.
func goroutines() (map[string]string, string) {
	buf := make([]byte, 1<<20)
	dump := string(buf[:runtime.Stack(buf, true)])
	m := map[string]string{}
	for _, g := range strings.Split(dump, "\n\n") {
		if strings.Contains(g, "xgb.(*Conn).generateXIds") || strings.Contains(g, "xgb.(*Conn).generateSeqIds") {
			continue
		}
		if f := strings.Fields(g); len(f) >= 2 && f[0] == "goroutine" {
			m[f[1]] = g
		}
	}
	return m, dump
}

// waitGoroutines waits until every goroutine started since base (from
// goroutines) has ended: a closed or refused Hotkey leaves nothing behind.
func waitGoroutines(tb testing.TB, base map[string]string) {
	tb.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for {
		now, _ := goroutines()
		var extra []string
		for id, g := range now {
			// robotn/xgb's request goroutine can stay blocked after its
			// connection closed, and then never closes its event channel,
			// so a reader waiting in WaitForEvent stays too (an upstream
			// leak of two goroutines per lost connection, not ours).
			upstream := strings.Contains(g, "created by github.com/robotn/xgb.postNewConn") ||
				strings.Contains(g, "github.com/robotn/xgb.(*Conn).WaitForEvent")
			if _, ok := base[id]; !ok && !upstream {
				extra = append(extra, g)
			}
		}
		if len(extra) == 0 {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatalf("%d goroutines left:\n%s", len(extra), strings.Join(extra, "\n\n"))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// testLogger keeps debug logs and shows them if the test fails.
func testLogger(tb testing.TB) *slog.Logger {
	l, _ := testLogs(tb)
	return l
}

// testLogs is testLogger with a function that returns the logs so far.
func testLogs(tb testing.TB) (*slog.Logger, func() string) {
	var mu sync.Mutex
	var buf bytes.Buffer
	logs := func() string {
		mu.Lock()
		defer mu.Unlock()
		return buf.String()
	}
	tb.Cleanup(func() {
		if tb.Failed() {
			tb.Logf("logs:\n%s", logs())
		}
	})
	return slog.New(slog.NewTextHandler(writerFunc(func(p []byte) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		return buf.Write(p)
	}), &slog.HandlerOptions{Level: slog.LevelDebug})), logs
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

func xdotoolCmd(x *focustest.X, args ...string) *exec.Cmd {
	cmd := exec.Command("xdotool", args...)
	cmd.Env = x.Env()
	return cmd
}

// requireTool skips the test (fails it under CI=true) when a tool is missing.
func requireTool(tb testing.TB, tool string) {
	tb.Helper()
	if _, err := exec.LookPath(tool); err == nil {
		return
	}
	msg := fmt.Sprintf("this test needs %s on PATH (Debian: apt-get install %s)", tool, tool)
	if os.Getenv("CI") == "true" {
		tb.Fatal(msg)
	}
	tb.Skip(msg)
}

// TestTaken: a key another client holds, fully or in one lock variant only,
// or that the window manager binds, is refused with ErrTaken; the process
// carries on, and the variants Register did grab are released.
func TestTaken(t *testing.T) {
	x := focustest.StartX(t)
	x.StartWM()
	cl := newClient(t, x.Display)
	space := cl.code(symSpace)
	ctrlAlt := xproto.ModMaskControl | cl.altBit()
	num := cl.numBit()
	opts := Options{Display: x.Display, Logger: testLogger(t)}

	if err := cl.grabKey(space, ctrlAlt); err != nil {
		t.Fatal(err)
	}
	base, _ := goroutines()
	h, err := Register(context.Background(), Default, opts)
	if err == nil {
		h.Close()
		t.Fatal("Register succeeded on a key another client holds")
	}
	if !errors.Is(err, ErrTaken) || errors.Is(err, ErrUnavailable) {
		t.Fatalf("error %v, want ErrTaken", err)
	}
	if want := "Ctrl+Alt+Space is already used by another program: choose another hotkey in Settings"; err.Error() != want {
		t.Fatalf("error %q, want %q", err, want)
	}
	waitGoroutines(t, base)
	cl.ungrabKey(space, ctrlAlt)

	// Only the NumLock+CapsLock variant is held elsewhere: refused, and the
	// other variants, grabbed before the conflict showed, are free again.
	if err := cl.grabKey(space, ctrlAlt|num|xproto.ModMaskLock); err != nil {
		t.Fatal(err)
	}
	if _, err := Register(context.Background(), Default, opts); !errors.Is(err, ErrTaken) {
		t.Fatalf("one variant held elsewhere: %v, want ErrTaken", err)
	}
	for _, lock := range []uint16{0, num, xproto.ModMaskLock} {
		if err := cl.grabKey(space, ctrlAlt|lock); err != nil {
			t.Fatalf("Register kept the grab with locks %#x after failing: %v", lock, err)
		}
	}

	// Openbox binds Super+F1 (and Ctrl+Alt+Left) in its default settings;
	// it grabs its keys a moment after it starts managing the screen. Probing
	// with a grab of our own could make Openbox's grab fail, so give it time
	// and then expect ErrTaken; a key Openbox has not grabbed (yet) is
	// reported and skipped rather than failed.
	time.Sleep(500 * time.Millisecond)
	for _, s := range []string{"Super+F1", "Ctrl+Alt+Left"} {
		k, err := Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		h, err := Register(context.Background(), k, opts)
		if err == nil {
			h.Close()
			t.Logf("Openbox has not bound %s on this machine; not checked", s)
			continue
		}
		if !errors.Is(err, ErrTaken) || !strings.HasPrefix(err.Error(), s+" is already used") {
			t.Fatalf("Register(%s), bound by Openbox: %v, want ErrTaken", s, err)
		}
	}

	// Still working: another key registers and fires.
	k, _ := Parse("Ctrl+Shift+F1")
	h = mustRegister(t, x, k, Options{})
	cl.tap(symCtrlL, symShiftL, symF1)
	events{t, h}.one("Ctrl+Shift+F1")
}

// TestServerDies kills the X server under a registered hotkey: no crash,
// Status says why, and the key works again on a new server on the display.
func TestServerDies(t *testing.T) {
	x := focustest.StartX(t)
	h := mustRegister(t, x, Default, Options{Retry: 20 * time.Millisecond, RetryMax: 100 * time.Millisecond})
	e := events{t, h}
	e.status(true, "", nil)

	x.KillServer()
	s := e.status(false, "lost the connection to X display "+x.Display, ErrUnavailable)
	if !strings.Contains(s.Err.Error(), "works again when the X server is back") {
		t.Errorf("status %v", s.Err)
	}
	e.status(false, "cannot connect to X display "+x.Display, ErrUnavailable)
	e.none("server down", 50*time.Millisecond)

	x.RestartServer()
	// Failed attempts may still report before the key is active again.
	for s := range h.Status() {
		if s.Active {
			break
		}
		if !errors.Is(s.Err, ErrUnavailable) {
			t.Fatalf("status %+v while the server restarts", s)
		}
	}
	cl := newClient(t, x.Display)
	cl.tap(symCtrlL, symAltL, symSpace)
	e.one("Ctrl+Alt+Space on the new server")

	// And once more, then Close while the server is down.
	x.KillServer()
	e.status(false, "lost the connection", ErrUnavailable)
	start := time.Now()
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > closeTimeout+time.Second {
		t.Fatalf("Close took %s with the server down", d)
	}
	for range h.Status() {
	}
}

// TestContext: ctx bounds the registration, not the hotkey's life.
func TestContext(t *testing.T) {
	x := focustest.StartX(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Register(ctx, Default, Options{Display: x.Display, Logger: testLogger(t)}); !errors.Is(err, context.Canceled) {
		t.Fatalf("Register with a done context: %v", err)
	}
	ctx, cancel = context.WithTimeout(context.Background(), 5*time.Second)
	h, err := Register(ctx, Default, Options{Display: x.Display, Logger: testLogger(t)})
	cancel()
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	cl := newClient(t, x.Display)
	cl.tap(symCtrlL, symAltL, symSpace)
	events{t, h}.one("Ctrl+Alt+Space after Register's context ended")
}

// TestSilentServer: a display that accepts connections and never answers
// (a hung X server) gives ErrUnavailable after the dial timeout, and
// Register's ctx cuts the wait short.
func TestSilentServer(t *testing.T) {
	dir := t.TempDir()
	l, err := net.Listen("unix", filepath.Join(dir, "X:0"))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { c.Close() })
		}
	}()
	defer func(d time.Duration) { dialTimeout = d }(dialTimeout)
	dialTimeout = 300 * time.Millisecond
	display := filepath.Join(dir, "X") + ":0"
	o := Options{Display: display, Logger: testLogger(t)}
	if _, err := Register(context.Background(), Default, o); !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "did not answer within 300ms") {
		t.Fatalf("silent server: %v", err)
	}
	dialTimeout = time.Minute
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := Register(ctx, Default, o); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("silent server, ctx deadline: %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("Register returned %s after its ctx ended", d)
	}
}

// TestMappingChange: when the keyboard mapping moves the key to another
// keycode, the hotkey follows it.
func TestMappingChange(t *testing.T) {
	x := focustest.StartX(t)
	cl := newClient(t, x.Display)
	k, _ := Parse("Super+K")
	h := mustRegister(t, x, k, Options{})
	e := events{t, h}
	e.status(true, "", nil)
	super := uint32(symSuperL)
	if cl.superBit() == 0 {
		t.Fatal("the test server maps Super to no modifier")
	}
	cl.tap(super, symK)
	e.one("Super+K")

	// Move k to a keycode that types nothing, as xdotool does for symbols
	// missing from the layout.
	old := cl.code(symK)
	var spare xproto.Keycode
	for code := cl.km.first; int(code-cl.km.first+1)*cl.km.per <= len(cl.km.syms); code++ {
		i := int(code - cl.km.first)
		empty := true
		for _, s := range cl.km.syms[i*cl.km.per : (i+1)*cl.km.per] {
			empty = empty && s == 0
		}
		if empty {
			spare = code
			break
		}
	}
	if spare == 0 {
		t.Fatal("no spare keycode")
	}
	per := byte(cl.km.per)
	set := func(code xproto.Keycode, sym xproto.Keysym) {
		syms := make([]xproto.Keysym, per)
		syms[0], syms[1] = sym, sym
		if err := xproto.ChangeKeyboardMappingChecked(cl.c, 1, code, per, syms).Check(); err != nil {
			t.Fatal(err)
		}
	}
	set(spare, symK)
	set(old, 0)
	cl.readMaps()
	if cl.code(symK) != spare {
		t.Fatalf("k is on %d, want %d", cl.code(symK), spare)
	}
	// The hotkey regrabs on MappingNotify; wait until the new keycode is
	// ours (another client's grab of it fails), then press it.
	deadline := time.Now().Add(5 * time.Second)
	for cl.grabKey(spare, cl.superBit()) == nil {
		cl.ungrabKey(spare, cl.superBit())
		if time.Now().After(deadline) {
			t.Fatal("the hotkey did not grab the new keycode")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cl.tap(super, symK)
	e.one("Super+K on its new keycode")
	cl.fake(true, cl.code(super))
	cl.fake(true, old)
	cl.fake(false, old)
	cl.fake(false, cl.code(super))
	e.none("the old keycode", 150*time.Millisecond)
	if err := cl.grabKey(old, cl.superBit()); err != nil {
		t.Fatalf("the old keycode is still grabbed: %v", err)
	}
}

// TestUnavailable: sessions without X11 give ErrUnavailable with the reason.
func TestUnavailable(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		want string
	}{
		{"no display", map[string]string{}, "no X display (DISPLAY is not set)"},
		{"wayland without X", map[string]string{"WAYLAND_DISPLAY": "wayland-0"}, "Wayland session without X11"},
		{"bogus display name", map[string]string{"DISPLAY": "bogus"}, `"bogus" is not an X display name`},
		{"no server", map[string]string{"DISPLAY": ":4712"}, "cannot connect to X display :4712"},
		{"no server over tcp", map[string]string{"DISPLAY": "127.0.0.1:4713"}, "cannot connect to X display 127.0.0.1:4713"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, err := Register(context.Background(), Default, Options{Getenv: func(k string) string { return tc.env[k] }, Logger: testLogger(t)})
			if err == nil {
				h.Close()
				t.Fatal("Register succeeded")
			}
			if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q, want ErrUnavailable with %q", err, tc.want)
			}
		})
	}
}
