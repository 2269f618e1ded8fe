//go:build linux || freebsd || netbsd || openbsd || dragonfly

package hotkey

import (
	"context"
	"errors"
	"fmt"
	"github.com/cuecard/cuecard/internal/xconn"
	"log/slog"
	"strings"
	"time"

	"github.com/robotn/xgb"
	"github.com/robotn/xgb/xproto"
)

// Timeouts of the X11 backend; tests shorten them.
var (
	dialTimeout  = 5 * time.Second
	setupTimeout = 10 * time.Second
	closeTimeout = 2 * time.Second
)

// errStopped ends a connection attempt cut short by Close.
var errStopped = errors.New("hotkey closed")

func register(ctx context.Context, k Key, o Options) (*Hotkey, error) {
	sym, err := k.keysym()
	if err != nil {
		return nil, err
	}
	name := o.Display
	if name == "" {
		name = o.Getenv("DISPLAY")
	}
	wayland := o.Getenv("WAYLAND_DISPLAY") != ""
	if wayland {
		h, err := registerPortal(ctx, k, o)
		if err == nil {
			o.Logger.Info("hotkey: registered through the GlobalShortcuts portal", "key", k.String())
			return h, nil
		}
		if !errors.Is(err, errNoPortal) {
			if errors.Is(err, errStopped) {
				err = ctx.Err()
			}
			return nil, err
		}
		o.Logger.Debug("hotkey: no GlobalShortcuts portal", "err", err)
	}
	if name == "" {
		if wayland {
			return nil, unavailable("this is a Wayland session without X11 (WAYLAND_DISPLAY is set, DISPLAY is not) and the desktop "+
				"offers no working GlobalShortcuts portal: add a keyboard shortcut in the desktop's settings that runs 'cuecard search --show'", nil)
		}
		return nil, unavailable("no X display (DISPLAY is not set): Cuecard's global hotkey needs X11", nil)
	}
	d, err := xconn.ParseDisplay(name)
	if err != nil {
		return nil, unavailable("DISPLAY: "+err.Error(), err)
	}
	if wayland {
		o.Logger.Warn("hotkey: this is a Wayland session: the X11 hotkey fires only while an X11 (XWayland) window has the focus",
			"key", k.String(), "display", name)
	}
	xconn.Silence(logWriter{o.Logger})
	x := &backend{h: newHotkey(k, o), opts: o, disp: d, sym: sym}
	s, err := x.connect(ctx)
	if err != nil {
		if errors.Is(err, errStopped) {
			err = ctx.Err()
		}
		return nil, err
	}
	x.h.setStatus(Status{Active: true})
	go x.run(s)
	return x.h, nil
}

// backend owns a Hotkey's X connections: one session at a time, and new
// ones after the server goes away.
type backend struct {
	h    *Hotkey
	opts Options
	disp xconn.Display
	sym  uint32 // the key's keysym
}

// connect dials the display, grabs the key and returns the running session.
// Errors wrap ErrUnavailable or ErrTaken, say that the layout lacks the key,
// or are errStopped (ctx done or Close).
func (x *backend) connect(ctx context.Context) (*session, error) {
	// Dial in a goroutine so that ctx and Close end the wait for a server
	// that accepts but does not answer.
	type dialed struct {
		c   *xgb.Conn
		g   *xconn.Guard
		err error
	}
	dc := make(chan dialed, 1)
	timeout := dialTimeout
	go func() {
		c, g, err := xconn.Dial(x.disp, timeout, x.opts.Getenv)
		dc <- dialed{c, g, err}
	}()
	var d dialed
	select {
	case d = <-dc:
	case <-ctx.Done():
	case <-x.h.stop:
	}
	if d.c == nil && d.err == nil { // stopped while dialling
		go func() {
			if d := <-dc; d.err == nil {
				xconn.Close(d.c, d.g)
			}
		}()
		return nil, errStopped
	}
	if d.err != nil {
		return nil, unavailable(fmt.Sprintf("cannot connect to X display %s: %v", x.disp.Name, d.err), d.err)
	}
	c, g := d.c, d.g
	s := &session{
		x: x, c: c, g: g,
		ready: make(chan error, 1),
		ended: make(chan error, 1),
		quit:  make(chan struct{}),
		grabs: map[grab]bool{},
	}
	go s.run()
	timer := time.NewTimer(setupTimeout)
	defer timer.Stop()
	abandon := func() {
		close(s.quit)
		select {
		case <-s.ended:
		case <-time.After(closeTimeout):
			xconn.Close(c, g)
		}
	}
	select {
	case err := <-s.ready:
		if err != nil {
			return nil, err
		}
		return s, nil
	case <-g.Dead():
		close(s.quit)
		return nil, unavailable(fmt.Sprintf("lost the connection to X display %s while grabbing the key: %v", x.disp.Name, g.LostErr()), g.LostErr())
	case <-timer.C:
		close(s.quit)
		xconn.Close(c, g)
		return nil, unavailable(fmt.Sprintf("X display %s did not answer within %s", x.disp.Name, setupTimeout), nil)
	case <-ctx.Done():
		abandon()
		return nil, errStopped
	case <-x.h.stop:
		abandon()
		return nil, errStopped
	}
}

// run watches the session until Close, and after a lost connection
// connects again with backoff, reporting each change on Status.
func (x *backend) run(s *session) {
	defer x.h.finish()
	for {
		err := x.watch(s)
		if err == nil {
			return
		}
		x.h.setStatus(Status{Err: err})
		delay := x.opts.Retry
		for {
			x.opts.Logger.Debug("hotkey: connecting again", "display", x.disp.Name, "in", delay)
			select {
			case <-x.h.stop:
				return
			case <-time.After(delay):
			}
			delay = min(delay*2, x.opts.RetryMax)
			s, err = x.connect(context.Background())
			if err == nil {
				break
			}
			if errors.Is(err, errStopped) {
				return
			}
			x.h.setStatus(Status{Err: err})
		}
		x.h.setStatus(Status{Active: true})
	}
}

// watch waits for the session to end. It returns nil after Close (the
// session released the key), or why the session ended.
func (x *backend) watch(s *session) error {
	stop := func() error {
		close(s.quit)
		select {
		case <-s.ended:
		case <-time.After(closeTimeout):
			x.opts.Logger.Warn("hotkey: the X server did not confirm the release of the key", "display", x.disp.Name, "timeout", closeTimeout)
			xconn.Close(s.c, s.g) // the session's goroutine then fails (and recovers) or ends
		}
		return nil
	}
	select {
	case err := <-s.ended:
		if err == nil {
			err = x.lost(s.g)
		}
		return err
	case <-s.g.Dead():
		close(s.quit)
		return x.lost(s.g)
	case <-x.h.stop:
		return stop()
	}
}

func (x *backend) lost(g *xconn.Guard) error {
	return unavailable(fmt.Sprintf("lost the connection to X display %s (%v): the hotkey works again when the X server is back",
		x.disp.Name, g.LostErr()), g.LostErr())
}

// grab is one passive key grab: a keycode with an exact modifier state.
type grab struct {
	code xproto.Keycode
	mods uint16
}

// session is one X connection. Only its own goroutine (run) uses it.
type session struct {
	x     *backend
	c     *xgb.Conn
	g     *xconn.Guard
	ready chan error // the outcome of the setup: nil once the key is grabbed
	ended chan error // why run returned (nil: quit)
	quit  chan struct{}

	root      xproto.Window
	grabs     map[grab]bool // the grabs held
	readySent bool
	// The last release of a grabbed key: a press with the same keycode and
	// server time is an auto-repeat.
	relCode xproto.Keycode
	relTime xproto.Timestamp
}

func (s *session) run() {
	var err error
	defer func() {
		if r := recover(); r != nil { // xgb panics when used after its socket failed
			err = unavailable(fmt.Sprintf("the connection to X display %s failed: %v", s.x.disp.Name, r), nil)
		}
		if !s.readySent {
			s.ready <- err
		}
		s.ended <- err
	}()
	err = s.loop()
}

func (s *session) loop() error {
	s.root = xproto.Setup(s.c).DefaultScreen(s.c).Root
	// Events: read by a goroutine so that the loop can also watch quit.
	events := xconn.Events(s.c, s.quit)
	if err := s.regrab(); err != nil {
		xconn.Close(s.c, s.g)
		return err
	}
	s.readySent = true
	s.ready <- nil
	for {
		select {
		case <-s.quit:
			s.release()
			return nil
		case item, ok := <-events:
			if !ok {
				return s.x.lost(s.g)
			}
			switch ev := item.(type) {
			case xproto.KeyPressEvent:
				s.keyPress(ev)
			case xproto.KeyReleaseEvent:
				s.relCode, s.relTime = ev.Detail, ev.Time
			case xproto.MappingNotifyEvent:
				if ev.Request == xproto.MappingPointer {
					continue
				}
				s.x.opts.Logger.Debug("hotkey: keyboard mapping changed", "display", s.x.disp.Name)
				if err := s.regrab(); err != nil {
					s.release()
					return err
				}
			case xgb.Error:
				s.x.opts.Logger.Debug("hotkey: X error", "display", s.x.disp.Name, "err", ev.Error())
			}
		}
	}
}

func (s *session) keyPress(ev xproto.KeyPressEvent) {
	if !s.grabs[grab{ev.Detail, ev.State & 0xff}] {
		return // not ours (the state has pointer buttons above bit 7)
	}
	if ev.Detail == s.relCode && ev.Time == s.relTime {
		s.x.opts.Logger.Debug("hotkey: auto-repeat ignored", "key", s.x.h.key.String())
		return
	}
	select {
	case <-s.quit:
		return // abandoned
	default:
	}
	s.x.opts.Logger.Debug("hotkey: pressed", "key", s.x.h.key.String())
	s.x.h.press()
}

// regrab reads the keyboard and modifier mappings and makes the held grabs
// what they say: new grabs first, then old ones released, so the key is
// never free in between when nothing moved.
func (s *session) regrab() error {
	setup := xproto.Setup(s.c)
	first, last := setup.MinKeycode, setup.MaxKeycode
	kc := xproto.GetKeyboardMapping(s.c, first, byte(last-first+1))
	mc := xproto.GetModifierMapping(s.c)
	kr, err := kc.Reply()
	if err != nil {
		return fmt.Errorf("read the keyboard mapping of X display %s: %w", s.x.disp.Name, err)
	}
	mr, err := mc.Reply()
	if err != nil {
		return fmt.Errorf("read the modifier mapping of X display %s: %w", s.x.disp.Name, err)
	}
	km := keymap{first: first, per: int(kr.KeysymsPerKeycode), syms: kr.Keysyms}
	mm := modmap{per: int(mr.KeycodesPerModifier), codes: mr.Keycodes}
	p, err := planGrabs(km, mm, s.x.h.key.Mods, s.x.sym)
	if err != nil {
		return fmt.Errorf("%s: no key of the keyboard layout on X display %s types %q (%v): choose another hotkey in Settings",
			s.x.h.key, s.x.disp.Name, s.x.h.key.Name, err)
	}
	var add []grab
	want := map[grab]bool{}
	for _, g := range p.grabs {
		want[g] = true
		if !s.grabs[g] {
			add = append(add, g)
		}
	}
	if err := s.grab(add); err != nil {
		return err
	}
	var drop []grab
	for g := range s.grabs {
		if !want[g] {
			drop = append(drop, g)
		}
	}
	s.ungrab(drop)
	s.x.opts.Logger.Debug("hotkey: grabbed", "key", s.x.h.key.String(), "display", s.x.disp.Name,
		"keycodes", p.codes, "modifiers", fmt.Sprintf("%#x", p.want), "lock_modifiers", fmt.Sprintf("%#x", p.locks), "grabs", len(s.grabs))
	return nil
}

// grab grabs each of gs with a checked request (one round trip for all).
// If any fails, the ones it grabbed are released again and the error says
// why: ErrTaken for BadAccess, another program's grab.
func (s *session) grab(gs []grab) error {
	cookies := make([]xproto.GrabKeyCookie, len(gs))
	for i, g := range gs {
		cookies[i] = xproto.GrabKeyChecked(s.c, false, s.root, g.mods, g.code, xproto.GrabModeAsync, xproto.GrabModeAsync)
	}
	var (
		failed  error
		failedG grab
		got     []grab
	)
	for i, ck := range cookies {
		if err := ck.Check(); err != nil {
			if failed == nil {
				failed, failedG = err, gs[i]
			}
			continue
		}
		got = append(got, gs[i])
	}
	if failed == nil {
		for _, g := range got {
			s.grabs[g] = true
		}
		return nil
	}
	s.ungrab(got)
	s.sync() // the key is free for others when Register returns
	if _, ok := failed.(xproto.AccessError); ok {
		s.x.opts.Logger.Info("hotkey: taken by another program", "key", s.x.h.key.String(), "display", s.x.disp.Name,
			"keycode", failedG.code, "modifiers", fmt.Sprintf("%#x", failedG.mods))
		return taken(s.x.h.key, failed)
	}
	return fmt.Errorf("grab %s on X display %s: %v", s.x.h.key, s.x.disp.Name, failed)
}

// ungrab releases grabs (unchecked: releasing a grab one does not hold is
// no error).
func (s *session) ungrab(gs []grab) {
	for _, g := range gs {
		xproto.UngrabKey(s.c, g.code, s.root, g.mods)
		delete(s.grabs, g)
	}
}

// release ungrabs everything, waits until the server has done it (so
// another program can grab the key as soon as Close returns), and closes
// the connection.
func (s *session) release() {
	select {
	case <-s.g.Dead():
		return
	default:
	}
	all := make([]grab, 0, len(s.grabs))
	for g := range s.grabs {
		all = append(all, g)
	}
	s.ungrab(all)
	s.sync()
	xconn.Close(s.c, s.g)
}

// sync waits until the server has handled every request sent so far.
func (s *session) sync() {
	if _, err := xproto.GetInputFocus(s.c).Reply(); err != nil {
		s.x.opts.Logger.Debug("hotkey: sync", "display", s.x.disp.Name, "err", err)
	}
}

// logWriter turns xgb's log lines into debug logs.
type logWriter struct{ log *slog.Logger }

func (w logWriter) Write(p []byte) (int, error) {
	w.log.Debug("xgb: "+strings.TrimSpace(string(p)), "component", "hotkey")
	return len(p), nil
}
