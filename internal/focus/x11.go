//go:build linux || freebsd || netbsd || openbsd || dragonfly

package focus

import (
	"fmt"
	"github.com/cuecard/cuecard/internal/xconn"
	"os"
	"strings"
	"time"

	"github.com/robotn/xgb"
	"github.com/robotn/xgb/xproto"

	"github.com/cuecard/cuecard/internal/guide"
)

// newX11 starts the X11 backend (see New, which chooses it).
func newX11(o Options) Tracker {
	name := o.Display
	if name == "" {
		name = o.Getenv("DISPLAY")
	}
	if name == "" {
		return newUnavailable("no X display (DISPLAY is not set); search still works")
	}
	d, err := xconn.ParseDisplay(name)
	if err != nil {
		return newUnavailable(fmt.Sprintf("DISPLAY: %v", err))
	}
	xconn.Silence(logWriter{o.Logger, "xgb"})
	t := &x11Tracker{
		opts:   o,
		disp:   d,
		filter: newFilter(o),
		out:    newOutbox(),
		stop:   make(chan struct{}),
		done:   make(chan struct{}),
	}
	go t.run()
	return t
}

// Timeouts of the X11 backend; tests shorten them.
var (
	dialTimeout = 5 * time.Second
	// noneDelay is how long "no active window" must last before it is
	// reported: window managers clear _NET_ACTIVE_WINDOW for a moment
	// between two windows.
	noneDelay    = 50 * time.Millisecond
	setupTimeout = 10 * time.Second
	closeTimeout = 2 * time.Second
)

type x11Tracker struct {
	opts   Options
	disp   xconn.Display
	filter filter
	out    *outbox
	stop   chan struct{}
	done   chan struct{}
}

func (t *x11Tracker) Events() <-chan Event { return t.out.ch }

func (t *x11Tracker) Close() error {
	select {
	case <-t.stop:
	default:
		close(t.stop)
	}
	<-t.done
	return nil
}

// run connects, runs a session until the connection is lost, and retries
// with backoff until Close.
func (t *x11Tracker) run() {
	defer close(t.done)
	defer t.out.close()
	delay := t.opts.Retry
	for {
		ready, err := t.session()
		if err == nil { // stopped
			return
		}
		if ready {
			delay = t.opts.Retry
		}
		t.opts.Logger.Debug("focus: X11 session ended", "display", t.disp.Name, "err", err, "retry", delay)
		t.out.status(false, Unavailable+err.Error())
		select {
		case <-t.stop:
			return
		case <-time.After(delay):
		}
		delay = min(delay*2, t.opts.RetryMax)
	}
}

// update is what a session reports to the tracker.
type update struct {
	status    string
	available bool
	window    *guide.Window
	ready     bool // the session is set up (resets the retry delay)
}

// session runs one X connection. It returns nil when the tracker is
// stopped, or why the connection ended. The X work runs in its own goroutine
// so that a connection dying in the middle of a request (xgb then never
// answers) cannot block the tracker: the session is abandoned.
func (t *x11Tracker) session() (ready bool, err error) {
	c, g, err := xconn.Dial(t.disp, dialTimeout, t.opts.Getenv)
	if err != nil {
		return false, fmt.Errorf("cannot connect to X display %s: %v", t.disp.Name, err)
	}
	s := &xsession{
		t: t, c: c, g: g,
		updates: make(chan update, 16),
		quit:    make(chan struct{}),
		ended:   make(chan error, 1),
	}
	go s.run()
	setup := time.NewTimer(setupTimeout)
	defer setup.Stop()
	for {
		select {
		case u := <-s.updates:
			t.apply(u)
			if u.ready {
				ready = true
				setup.Stop()
			}
		case err := <-s.ended:
			s.drain()
			return ready, err
		case <-g.Dead():
			close(s.quit)
			return ready, fmt.Errorf("lost the connection to X display %s: %v", t.disp.Name, g.LostErr())
		case <-setup.C:
			if ready {
				continue
			}
			close(s.quit)
			xconn.Close(c, g)
			return false, fmt.Errorf("the X display %s did not answer within %s", t.disp.Name, setupTimeout)
		case <-t.stop:
			close(s.quit)
			select {
			case <-s.ended:
			case <-time.After(closeTimeout):
			}
			return ready, nil
		}
	}
}

func (t *x11Tracker) apply(u update) {
	switch {
	case u.window != nil:
		t.out.window(*u.window)
	case u.status != "" && u.available:
		t.out.status(true, u.status+t.opts.note)
	case u.status != "":
		t.out.status(false, u.status)
	}
}

// xsession is one X connection and the state of what it watches. Only its
// own goroutine uses it.
type xsession struct {
	t       *x11Tracker
	c       *xgb.Conn
	g       *xconn.Guard
	updates chan update
	quit    chan struct{}
	ended   chan error

	atoms    map[string]xproto.Atom
	root     xproto.Window
	wmState  wmState
	wmCheck  xproto.Window // the window manager's check window; 0: none
	wmName   string
	activeOK bool          // the window manager publishes _NET_ACTIVE_WINDOW
	active   xproto.Window // the window whose properties we watch; 0: none
	current  guide.Window  // what we last read of active
	none     *time.Timer   // pending report of "no active window"
	hostname string
}

func (s *xsession) drain() {
	for {
		select {
		case u := <-s.updates:
			s.t.apply(u)
		default:
			return
		}
	}
}

// send passes an update to the tracker unless the session was abandoned.
func (s *xsession) send(u update) bool {
	select {
	case s.updates <- u:
		return true
	case <-s.quit:
		return false
	}
}

func (s *xsession) run() {
	var err error
	defer func() {
		if r := recover(); r != nil { // xgb panics when used after its socket failed
			err = fmt.Errorf("the X connection failed: %v", r)
		}
		s.ended <- err
	}()
	err = s.loop()
}

func (s *xsession) loop() error {
	s.root = xproto.Setup(s.c).DefaultScreen(s.c).Root
	s.hostname, _ = os.Hostname()
	if err := s.internAtoms(); err != nil {
		xconn.Close(s.c, s.g)
		return err
	}
	// Events: read by a goroutine so that the loop can also watch quit.
	events := xconn.Events(s.c, s.quit)
	if err := xproto.ChangeWindowAttributesChecked(s.c, s.root, xproto.CwEventMask,
		[]uint32{xproto.EventMaskPropertyChange}).Check(); err != nil {
		xconn.Close(s.c, s.g)
		return fmt.Errorf("cannot watch the root window of X display %s: %v", s.t.disp.Name, err)
	}
	s.checkWM()
	if !s.send(update{ready: true}) {
		xconn.Close(s.c, s.g)
		return nil
	}
	for {
		var none <-chan time.Time
		if s.none != nil {
			none = s.none.C
		}
		select {
		case <-none:
			s.none = nil
			if s.active == 0 && s.wmState == wmRunning && s.activeOK {
				s.send(update{window: &guide.Window{}})
			}
		case <-s.quit:
			xconn.Close(s.c, s.g)
			return nil
		case item, ok := <-events:
			if !ok {
				return fmt.Errorf("lost the connection to X display %s: %v", s.t.disp.Name, s.g.LostErr())
			}
			switch ev := item.(type) {
			case xproto.PropertyNotifyEvent:
				s.property(ev)
			case xproto.DestroyNotifyEvent:
				if s.wmCheck != 0 && ev.Window == s.wmCheck {
					s.wmGone()
				}
			case xgb.Error:
				// BadWindow for a window that vanished while we subscribed:
				// the window manager reports the next active window.
				s.t.opts.Logger.Debug("focus: X error", "err", ev.Error())
			}
		}
	}
}

var atomNames = []string{
	"_NET_ACTIVE_WINDOW", "_NET_SUPPORTING_WM_CHECK", "_NET_SUPPORTED", "_NET_WM_NAME",
	"_NET_WM_PID", "UTF8_STRING", "WM_NAME", "WM_CLASS", "WM_CLIENT_MACHINE", "STRING",
	"_NET_WM_STATE", "_NET_WM_STATE_FULLSCREEN",
}

func (s *xsession) internAtoms() error {
	s.atoms = map[string]xproto.Atom{}
	cookies := make([]xproto.InternAtomCookie, len(atomNames))
	for i, n := range atomNames {
		cookies[i] = xproto.InternAtom(s.c, false, uint16(len(n)), n)
	}
	for i, ck := range cookies {
		r, err := ck.Reply()
		if err != nil {
			return fmt.Errorf("intern atom %s on X display %s: %v", atomNames[i], s.t.disp.Name, err)
		}
		s.atoms[atomNames[i]] = r.Atom
	}
	return nil
}

// prop reads a property; a missing property is (nil, nil).
func (s *xsession) prop(w xproto.Window, atom string) (*xproto.GetPropertyReply, error) {
	r, err := xproto.GetProperty(s.c, false, w, s.atoms[atom], xproto.GetPropertyTypeAny, 0, 1<<16).Reply()
	if err != nil {
		return nil, err
	}
	if r.Format == 0 {
		return nil, nil
	}
	return r, nil
}

func (s *xsession) propWindow(w xproto.Window, atom string) (xproto.Window, error) {
	r, err := s.prop(w, atom)
	if err != nil || r == nil || r.Format != 32 || len(r.Value) < 4 {
		return 0, err
	}
	return xproto.Window(xgb.Get32(r.Value)), nil
}

type wmState int

const (
	wmUnknown wmState = iota
	wmNone            // no window manager (reported)
	wmRunning
)

// checkWM finds the EWMH window manager through _NET_SUPPORTING_WM_CHECK and
// watches for its check window's destruction (the window manager's death).
func (s *xsession) checkWM() {
	w, err := s.propWindow(s.root, "_NET_SUPPORTING_WM_CHECK")
	ok := err == nil && w != 0
	if ok && !(s.wmState == wmRunning && w == s.wmCheck) {
		// Subscribe first, then verify, so that a window manager dying in
		// between is noticed either way.
		err = xproto.ChangeWindowAttributesChecked(s.c, w, xproto.CwEventMask,
			[]uint32{xproto.EventMaskStructureNotify}).Check()
		var self xproto.Window
		if err == nil {
			self, err = s.propWindow(w, "_NET_SUPPORTING_WM_CHECK")
		}
		ok = err == nil && self == w
	}
	if !ok {
		if s.wmState != wmNone {
			s.wmState, s.wmCheck = wmNone, 0
			s.unwatch()
			s.send(update{status: fmt.Sprintf("%sno window manager is running on X display %s "+
				"(Cuecard needs an EWMH window manager, such as those of GNOME, KDE, Xfce or Openbox, to know the focused window); "+
				"tracking starts when one runs", Unavailable, s.t.disp.Name)})
		}
		return
	}
	if s.wmState == wmRunning && w == s.wmCheck && s.activeOK {
		return
	}
	if w != s.wmCheck {
		s.wmName = "unnamed"
		if r, err := s.prop(w, "_NET_WM_NAME"); err == nil && r != nil && r.Format == 8 {
			s.wmName = xconn.Text(r.Value, true)
		}
	}
	s.wmState, s.wmCheck = wmRunning, w
	s.activeOK = s.supportsActive()
	if !s.activeOK {
		s.unwatch()
		s.send(update{status: fmt.Sprintf("%sthe window manager (%s) on X display %s does not publish the active window (_NET_ACTIVE_WINDOW)",
			Unavailable, s.wmName, s.t.disp.Name)})
		return
	}
	s.t.opts.Logger.Debug("focus: window manager found", "display", s.t.disp.Name, "wm", s.wmName)
	s.send(update{available: true, status: fmt.Sprintf("tracking the focused window on X display %s (window manager: %s)", s.t.disp.Name, s.wmName)})
	s.active = 0
	s.activeChanged()
}

func (s *xsession) supportsActive() bool {
	r, err := s.prop(s.root, "_NET_SUPPORTED")
	if err != nil || r == nil || r.Format != 32 {
		return false
	}
	want := uint32(s.atoms["_NET_ACTIVE_WINDOW"])
	for v := r.Value; len(v) >= 4; v = v[4:] {
		if xgb.Get32(v) == want {
			return true
		}
	}
	return false
}

func (s *xsession) wmGone() {
	name := s.wmName
	s.wmState, s.wmCheck, s.activeOK = wmNone, 0, false
	s.unwatch()
	s.t.opts.Logger.Debug("focus: window manager stopped", "display", s.t.disp.Name, "wm", name)
	s.send(update{status: fmt.Sprintf("%sthe window manager (%s) stopped on X display %s; tracking resumes when a window manager runs",
		Unavailable, name, s.t.disp.Name)})
	// A replacement may already have set the property.
	s.checkWM()
}

func (s *xsession) unwatch() {
	if s.none != nil {
		s.none.Stop()
		s.none = nil
	}
	if s.active != 0 {
		xproto.ChangeWindowAttributes(s.c, s.active, xproto.CwEventMask, []uint32{0})
		s.active = 0
	}
	s.current = guide.Window{}
}

func (s *xsession) property(ev xproto.PropertyNotifyEvent) {
	switch {
	case ev.Window == s.root:
		switch ev.Atom {
		case s.atoms["_NET_ACTIVE_WINDOW"]:
			if s.wmState == wmRunning && s.activeOK {
				s.activeChanged()
			}
		case s.atoms["_NET_SUPPORTING_WM_CHECK"], s.atoms["_NET_SUPPORTED"]:
			s.checkWM()
		}
	case ev.Window == s.active && s.active != 0 && s.wmState == wmRunning:
		switch ev.Atom {
		case s.atoms["_NET_WM_NAME"], s.atoms["WM_NAME"], s.atoms["WM_CLASS"], s.atoms["_NET_WM_PID"], s.atoms["WM_CLIENT_MACHINE"], s.atoms["_NET_WM_STATE"]:
			s.readActive()
		}
	}
}

// activeChanged follows _NET_ACTIVE_WINDOW to a new window.
func (s *xsession) activeChanged() {
	w, err := s.propWindow(s.root, "_NET_ACTIVE_WINDOW")
	if err != nil {
		s.t.opts.Logger.Debug("focus: read _NET_ACTIVE_WINDOW", "err", err)
		return
	}
	if w == s.active && w != 0 {
		return
	}
	if s.active != 0 {
		xproto.ChangeWindowAttributes(s.c, s.active, xproto.CwEventMask, []uint32{0})
	}
	s.active = w
	if s.none != nil {
		s.none.Stop()
		s.none = nil
	}
	if w == 0 {
		s.current = guide.Window{}
		s.none = time.NewTimer(noneDelay)
		return
	}
	// Subscribe before reading, so no title change falls in between.
	xproto.ChangeWindowAttributes(s.c, w, xproto.CwEventMask, []uint32{xproto.EventMaskPropertyChange})
	s.readActive()
}

// readActive reads the active window and reports it as the filter says.
func (s *xsession) readActive() {
	w, err := s.readWindow(s.active)
	if err != nil {
		// The window vanished; the window manager names the next one.
		s.t.opts.Logger.Debug("focus: read active window", "err", err)
		return
	}
	s.current = w
	switch s.t.filter.judge(w) {
	case report:
		s.t.opts.Logger.Debug("focus: window", "exe", w.Exe, "class", w.Class, "pid", w.PID)
		s.send(update{window: &w})
	case hide:
		s.send(update{window: &guide.Window{}})
	case silence:
	}
}

// readWindow reads exe, class, instance, title and pid of a client window.
// All requests are sent before the first reply is awaited: one round trip.
func (s *xsession) readWindow(win xproto.Window) (guide.Window, error) {
	get := func(atom string) xproto.GetPropertyCookie {
		return xproto.GetProperty(s.c, false, win, s.atoms[atom], xproto.GetPropertyTypeAny, 0, 1<<16)
	}
	netName, name, class, pid, machine := get("_NET_WM_NAME"), get("WM_NAME"), get("WM_CLASS"), get("_NET_WM_PID"), get("WM_CLIENT_MACHINE")
	state := get("_NET_WM_STATE")
	var w guide.Window
	var firstErr error
	reply := func(c xproto.GetPropertyCookie) *xproto.GetPropertyReply {
		r, err := c.Reply()
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			return nil
		}
		if r.Format == 0 {
			return nil
		}
		return r
	}
	rNetName, rName, rClass, rPid, rMachine := reply(netName), reply(name), reply(class), reply(pid), reply(machine)
	rState := reply(state)
	if firstErr != nil {
		return w, firstErr
	}
	// Fullscreen (presentations, video calls): the coach never pops then.
	if r := rState; r != nil && r.Format == 32 {
		fs := uint32(s.atoms["_NET_WM_STATE_FULLSCREEN"])
		for i := 0; i+4 <= len(r.Value); i += 4 {
			if xgb.Get32(r.Value[i:]) == fs {
				w.Fullscreen = true
			}
		}
	}
	if r := rNetName; r != nil && r.Format == 8 {
		w.Title = xconn.Text(r.Value, true)
	}
	if w.Title == "" && rName != nil && rName.Format == 8 {
		w.Title = xconn.Text(rName.Value, rName.Type == s.atoms["UTF8_STRING"])
	}
	if r := rClass; r != nil && r.Format == 8 {
		parts := strings.SplitN(string(r.Value), "\x00", 3)
		w.Instance = xconn.Text([]byte(parts[0]), false)
		if len(parts) > 1 {
			w.Class = xconn.Text([]byte(parts[1]), false)
		}
	}
	if r := rPid; r != nil && r.Format == 32 && len(r.Value) >= 4 {
		w.PID = int(xgb.Get32(r.Value))
	}
	local := true
	if r := rMachine; r != nil && r.Format == 8 {
		m := strings.TrimRight(string(r.Value), "\x00")
		local = m == "" || strings.EqualFold(m, s.hostname) || m == "localhost"
	}
	if w.PID > 0 && local {
		w.Exe = xconn.Exe(w.PID)
	} else if !local {
		w.PID = 0 // a process on another machine: its pid means nothing here
	}
	return w, nil
}
