//go:build linux || freebsd || netbsd || openbsd || dragonfly

package focus

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/wayland"
)

// errNoWlr says that the compositor runs but does not offer the protocol.
var errNoWlr = errors.New("the compositor does not offer " + wayland.IfaceToplevelManager +
	" (wlroots compositors such as sway, Hyprland, labwc and river do; GNOME and KDE do not)")

// ownAppIDs are the app_ids of Cuecard's own windows on Wayland, compared
// without case. The protocol gives no pid, so Options.OwnPIDs cannot apply.
var ownAppIDs = []string{"io.github.cuecard", "cuecard"}

// newWlroots tracks the focus through the wlroots foreign-toplevel
// protocol. It fails, saying why, when there is no Wayland socket or the
// compositor does not offer the protocol; after that it never fails: a
// compositor that goes away is reported and reconnected to.
func newWlroots(o Options) (Tracker, error) {
	path, err := wayland.SocketPath(o.Getenv)
	if err != nil {
		return nil, err
	}
	c, g, err := wlrConnect(path)
	if err != nil {
		return nil, err
	}
	t := &wlrTracker{
		opts:   o,
		path:   path,
		name:   filepath.Base(path),
		filter: newFilter(o),
		out:    newOutbox(),
		stop:   make(chan struct{}),
		done:   make(chan struct{}),
	}
	go t.run(c, g)
	return t, nil
}

// wlrProbeTimeout bounds the registry round trip of wlrConnect.
var wlrProbeTimeout = 2 * time.Second

// wlrConnect connects and finds the foreign-toplevel manager global.
func wlrConnect(path string) (*wayland.Conn, wayland.Global, error) {
	c, err := wayland.Dial(path, dialTimeout)
	if err != nil {
		return nil, wayland.Global{}, err
	}
	// New waits for this probe: a compositor answers in well under a
	// millisecond, a hung one must not hold up the app's start for long.
	c.SetDeadline(time.Now().Add(wlrProbeTimeout))
	var g wayland.Global
	err = c.GetRegistry()
	var evs []wayland.Event
	if err == nil {
		evs, err = c.Roundtrip()
	}
	if err != nil {
		c.Close()
		return nil, g, fmt.Errorf("reading the globals of the compositor at %s: %w", path, err)
	}
	for _, ev := range evs {
		if gl, ok := ev.(wayland.Global); ok && gl.Interface == wayland.IfaceToplevelManager {
			g = gl
		}
	}
	if g.Name == 0 {
		c.Close()
		return nil, g, errNoWlr
	}
	c.SetDeadline(time.Time{})
	return c, g, nil
}

type wlrTracker struct {
	opts   Options
	path   string
	name   string // the display name, for messages
	filter filter
	out    *outbox
	stop   chan struct{}
	done   chan struct{}
}

func (t *wlrTracker) Events() <-chan Event { return t.out.ch }

func (t *wlrTracker) Close() error {
	select {
	case <-t.stop:
	default:
		close(t.stop)
	}
	<-t.done
	return nil
}

// run follows sessions until Close, reconnecting with backoff.
func (t *wlrTracker) run(c *wayland.Conn, g wayland.Global) {
	defer close(t.done)
	defer t.out.close()
	delay := t.opts.Retry
	for {
		var err error
		if c == nil {
			c, g, err = wlrConnect(t.path)
		}
		if c != nil {
			var ready bool
			ready, err = t.session(c, g)
			c = nil
			if err == nil { // stopped
				return
			}
			if ready {
				delay = t.opts.Retry
			}
		}
		t.opts.Logger.Debug("focus: Wayland session ended", "display", t.name, "err", err, "retry", delay)
		t.out.status(false, fmt.Sprintf("%sWayland display %s: %v; retrying", Unavailable, t.name, err))
		select {
		case <-t.stop:
			return
		case <-time.After(delay):
		}
		delay = min(delay*2, t.opts.RetryMax)
	}
}

// wlrTop is what is known of one toplevel: cur is its state at the last
// done event, next accumulates the changes that the next done applies.
type wlrTop struct {
	cur, next struct {
		appID, title       string
		active, fullscreen bool
	}
}

func (tp *wlrTop) window() guide.Window {
	// No pid and no executable on Wayland: the app_id stands for both
	// the class and the executable, so rules written for either match.
	return guide.Window{Exe: tp.cur.appID, Class: tp.cur.appID, Title: tp.cur.title, Fullscreen: tp.cur.fullscreen}
}

// session runs one connection until it fails (the error says why) or the
// tracker stops (nil).
func (t *wlrTracker) session(c *wayland.Conn, g wayland.Global) (ready bool, err error) {
	defer c.Close()
	version := min(g.Version, wayland.ToplevelManagerVersion)
	if _, err := c.Bind(g, version); err != nil {
		return false, err
	}
	initial, err := c.Sync()
	if err != nil {
		return false, err
	}
	type item struct {
		ev  wayland.Event
		err error
	}
	items := make(chan item, 64)
	quit := make(chan struct{})
	defer close(quit)
	go func() {
		for {
			ev, err := c.Next()
			select {
			case items <- item{ev, err}:
			case <-quit:
				return
			}
			if err != nil {
				return
			}
		}
	}()

	tops := map[uint32]*wlrTop{}
	var active uint32
	var none *time.Timer
	var noneC <-chan time.Time
	setNone := func() {
		active = 0
		if none != nil {
			none.Stop()
		}
		none = time.NewTimer(noneDelay)
		noneC = none.C
	}
	defer func() {
		if none != nil {
			none.Stop()
		}
	}()
	report := func(tp *wlrTop) {
		if !ready {
			return
		}
		w := tp.window()
		switch t.judge(w) {
		case report:
			t.opts.Logger.Debug("focus: window", "class", w.Class)
			t.out.window(w)
		case hide:
			t.out.window(guide.Window{})
		case silence:
		}
	}
	for {
		select {
		case <-t.stop:
			return ready, nil
		case <-noneC:
			noneC = nil
			if active == 0 && ready {
				t.out.window(guide.Window{})
			}
		case it := <-items:
			if it.err != nil {
				return ready, it.err
			}
			switch ev := it.ev.(type) {
			case wayland.CallbackDone:
				if ev.Callback != initial {
					continue
				}
				ready = true
				t.out.status(true, fmt.Sprintf("tracking the focused window on Wayland display %s (backend wlroots: %s version %d; "+
					"Wayland gives no pid: exe and class are the app id)%s", t.name, wayland.IfaceToplevelManager, version, t.opts.note))
				if tp := tops[active]; active != 0 && tp != nil {
					report(tp)
				} else {
					setNone()
				}
			case wayland.ToplevelsFinished:
				return ready, errors.New("the compositor stopped reporting windows (" + wayland.IfaceToplevelManager + " finished)")
			case wayland.NewToplevel:
				tops[ev.Handle] = &wlrTop{}
			case wayland.ToplevelTitle:
				if tp := tops[ev.Handle]; tp != nil {
					tp.next.title = ev.Title
				}
			case wayland.ToplevelAppID:
				if tp := tops[ev.Handle]; tp != nil {
					tp.next.appID = ev.AppID
				}
			case wayland.ToplevelState:
				if tp := tops[ev.Handle]; tp != nil {
					tp.next.active = ev.Has(wayland.StateActivated)
					tp.next.fullscreen = ev.Has(wayland.StateFullscreen)
				}
			case wayland.ToplevelDone:
				tp := tops[ev.Handle]
				if tp == nil {
					continue
				}
				changed := tp.cur != tp.next
				tp.cur = tp.next
				switch {
				case tp.cur.active && (active != ev.Handle || changed):
					active = ev.Handle
					if none != nil {
						none.Stop()
						noneC = nil
					}
					report(tp)
				case !tp.cur.active && active == ev.Handle:
					setNone()
				}
			case wayland.ToplevelClosed:
				delete(tops, ev.Handle)
				if err := c.DestroyToplevel(ev.Handle); err != nil {
					return ready, err
				}
				if active == ev.Handle {
					setNone()
				}
			}
		}
	}
}

// judge is the filter's verdict, with Cuecard's own windows recognised by
// app_id since Wayland gives no pid.
func (t *wlrTracker) judge(w guide.Window) verdict {
	for _, id := range ownAppIDs {
		if strings.EqualFold(w.Class, id) {
			return silence
		}
	}
	return t.filter.judge(w)
}
