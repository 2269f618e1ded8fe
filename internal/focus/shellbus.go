//go:build linux

package focus

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/xconn"
)

// The desktop-shell backends (KWin, GNOME Shell) learn the focused window
// from a helper that runs inside the desktop's compositor (a KWin script, a
// GNOME Shell extension) and talks to Cuecard over the D-Bus session bus.
// shellTracker is what they share: the bus connection, the status events,
// the filter, and following the desktop's bus name as it goes and comes
// back. A shellBackend is the desktop-specific part.
type shellBackend interface {
	// desktop names the desktop in status events ("KWin").
	desktop() string
	// service is the bus name whose owner is the desktop side.
	service() string
	// absent is the error when service has no owner at start.
	absent(c *dbus.Conn) error
	// attach starts the desktop side's reports on c: a focus change
	// arrives as a call of report (from a D-Bus handler goroutine) or as a
	// signal. It returns a description of the tracking for the available
	// status and, when the desktop side says at once, the focused window.
	attach(c *dbus.Conn, report func(shellFocus)) (how string, now *shellFocus, err error)
	// signal reads a focus report from a signal of the bus (other than
	// NameOwnerChanged).
	signal(s *dbus.Signal) (shellFocus, bool)
	// detach stops the desktop side's reports (on Close).
	detach(c *dbus.Conn)
}

// shellFocus is a report from the desktop side. A zero Window means no
// window is focused.
type shellFocus struct {
	w guide.Window
}

// shellTracker is the Tracker of the desktop-shell backends.
type shellTracker struct {
	opts    Options
	be      shellBackend
	filter  filter
	out     *outbox
	conn    *dbus.Conn
	signals chan *dbus.Signal
	reports chan shellFocus
	stop    chan struct{}
	done    chan struct{}
}

// sessionBusAddress is the session bus of the user: $DBUS_SESSION_BUS_ADDRESS,
// else the systemd user bus in $XDG_RUNTIME_DIR.
func sessionBusAddress(getenv func(string) string) (string, error) {
	if a := getenv("DBUS_SESSION_BUS_ADDRESS"); a != "" {
		return a, nil
	}
	if d := getenv("XDG_RUNTIME_DIR"); d != "" {
		p := filepath.Join(d, "bus")
		if st, err := os.Stat(p); err == nil && st.Mode()&os.ModeSocket != 0 {
			return "unix:path=" + p, nil
		}
	}
	return "", errors.New("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set and $XDG_RUNTIME_DIR/bus does not exist)")
}

// newShell connects to the session bus and starts be. It fails when the
// desktop side is not on the bus, so that the caller can try another
// backend.
func newShell(o Options, be shellBackend) (Tracker, error) {
	o = o.withDefaults()
	addr, err := sessionBusAddress(o.Getenv)
	if err != nil {
		return nil, fmt.Errorf("%s focus tracking: %w", be.desktop(), err)
	}
	c, err := dbus.Connect(addr)
	if err != nil {
		return nil, fmt.Errorf("%s focus tracking: cannot connect to the D-Bus session bus: %w", be.desktop(), err)
	}
	var has bool
	if err := c.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, be.service()).Store(&has); err != nil {
		c.Close()
		return nil, fmt.Errorf("%s focus tracking: ask the session bus for %s: %w", be.desktop(), be.service(), err)
	}
	if !has {
		err := be.absent(c)
		c.Close()
		return nil, err
	}
	t := &shellTracker{
		opts:    o,
		be:      be,
		filter:  newFilter(o),
		out:     newOutbox(),
		conn:    c,
		signals: make(chan *dbus.Signal, 64),
		reports: make(chan shellFocus, 64),
		stop:    make(chan struct{}),
		done:    make(chan struct{}),
	}
	c.Signal(t.signals)
	if err := c.AddMatchSignal(dbus.WithMatchInterface("org.freedesktop.DBus"), dbus.WithMatchMember("NameOwnerChanged"),
		dbus.WithMatchSender("org.freedesktop.DBus"), dbus.WithMatchArg(0, be.service())); err != nil {
		c.Close()
		return nil, fmt.Errorf("%s focus tracking: watch %s on the session bus: %w", be.desktop(), be.service(), err)
	}
	how, now, err := be.attach(c, t.report)
	if err != nil {
		c.Close()
		return nil, err
	}
	t.out.status(true, how+t.opts.note)
	go t.run(now)
	return t, nil
}

// report passes a report from a D-Bus handler to the tracker's goroutine.
func (t *shellTracker) report(f shellFocus) {
	select {
	case t.reports <- f:
	case <-t.stop:
	}
}

func (t *shellTracker) Events() <-chan Event { return t.out.ch }

func (t *shellTracker) Close() error {
	select {
	case <-t.stop:
	default:
		close(t.stop)
	}
	<-t.done
	return nil
}

func (t *shellTracker) run(now *shellFocus) {
	defer close(t.done)
	defer t.out.close()
	defer t.conn.Close()
	var none *time.Timer
	var noneC <-chan time.Time
	attached := true // the desktop side is on the bus and reports
	// got handles a report: a window at once, no window after noneDelay.
	got := func(f shellFocus) {
		if none != nil {
			none.Stop()
			noneC = nil
		}
		if f.w.IsZero() && f.w.PID == 0 {
			// Desktops report "no window" between two windows: wait a
			// moment before saying so.
			none = time.NewTimer(noneDelay)
			noneC = none.C
			return
		}
		t.window(f.w)
	}
	if now != nil {
		got(*now)
	}
	// attach starts the desktop side once it is back on the bus. Its
	// objects may appear a moment after its name: failures are retried
	// with backoff while the name is owned.
	var retryC <-chan time.Time
	delay := t.opts.Retry
	failures := 0
	attach := func() {
		how, now, err := t.be.attach(t.conn, t.report)
		if err != nil {
			t.opts.Logger.Debug("focus: desktop side is back but cannot be used yet", "desktop", t.be.desktop(), "err", err, "retry", delay)
			// The first failures are usually the desktop still starting:
			// the status "left the session bus" stands until the third.
			if failures++; failures >= 3 {
				t.out.status(false, Unavailable+err.Error())
			}
			retryC = time.After(delay)
			delay = min(delay*2, t.opts.RetryMax)
			return
		}
		attached = true
		retryC = nil
		t.out.status(true, how+t.opts.note)
		if now != nil {
			got(*now)
		}
	}
	for {
		select {
		case <-t.stop:
			if t.conn.Connected() {
				t.be.detach(t.conn)
			}
			return
		case <-t.conn.Context().Done():
			t.opts.Logger.Debug("focus: lost the session bus", "desktop", t.be.desktop())
			t.out.status(false, Unavailable+"lost the connection to the D-Bus session bus (the desktop session ended?); restart Cuecard to track the focused window again")
			<-t.stop
			return
		case s, ok := <-t.signals:
			if !ok {
				continue // the context case reports it
			}
			if s.Name == "org.freedesktop.DBus.NameOwnerChanged" && len(s.Body) == 3 {
				if name, _ := s.Body[0].(string); name != t.be.service() {
					continue
				}
				if owner, _ := s.Body[2].(string); owner == "" {
					attached = false
					retryC = nil
					if none != nil {
						none.Stop()
						noneC = nil
					}
					t.opts.Logger.Debug("focus: desktop side left the bus", "desktop", t.be.desktop())
					t.out.status(false, fmt.Sprintf("%s%s left the session bus (%s); tracking resumes when it is back",
						Unavailable, t.be.desktop(), t.be.service()))
				} else {
					delay, failures = t.opts.Retry, 0
					attach()
				}
				continue
			}
			if f, ok := t.be.signal(s); ok && attached {
				got(f)
			}
		case f := <-t.reports:
			if attached {
				got(f)
			}
		case <-retryC:
			retryC = nil
			if !attached {
				attach()
			}
		case <-noneC:
			noneC = nil
			t.out.window(guide.Window{})
		}
	}
}

// window reports w as the filter says.
func (t *shellTracker) window(w guide.Window) {
	if w.PID > 0 && w.Exe == "" {
		w.Exe = xconn.Exe(w.PID)
	}
	switch t.filter.judge(w) {
	case report:
		t.opts.Logger.Debug("focus: window", "exe", w.Exe, "class", w.Class, "pid", w.PID)
		t.out.window(w)
	case hide:
		t.out.window(guide.Window{})
	case silence:
	}
}
