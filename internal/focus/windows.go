//go:build windows

package focus

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"golang.org/x/sys/windows"

	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/win32"
)

// defaultWindowsPoll is Options.Poll's default on Windows: under Wine the
// poll is the only source of changes (see winSession.setup), and a switch
// should reach the panel well within 150 ms.
const defaultWindowsPoll = 100 * time.Millisecond

// New starts a Tracker for this system. It never fails: when the focused
// window cannot be known the first event says why.
//
// On Windows the tracker runs on its own OS thread with a message loop (see
// internal/win32): WinEvent hooks for foreground changes and for title
// changes of the foreground window's thread, plus a GetForegroundWindow poll
// every Options.Poll (100 ms by default).
func New(o Options) Tracker {
	if o.Poll <= 0 {
		o.Poll = defaultWindowsPoll
	}
	o = o.withDefaults()
	t := &winTracker{out: newOutbox()}
	s := &winSession{opts: o, filter: newFilter(o), out: t.out, exes: map[uint32]string{}}
	th, err := win32.Start(s.setup, s.message, s.teardown)
	if err != nil {
		return newUnavailable(err.Error())
	}
	t.thread = th
	return t
}

type winTracker struct {
	out    *outbox
	thread *win32.Thread
	once   sync.Once
}

func (t *winTracker) Events() <-chan Event { return t.out.ch }

func (t *winTracker) Close() error {
	t.once.Do(func() {
		t.thread.Stop()
		t.out.close()
	})
	return nil
}

// winSession is the tracker's state. Only its thread uses it.
type winSession struct {
	opts   Options
	filter filter
	out    *outbox

	timer      uintptr
	foreground win32.Hook
	names      win32.Hook // title changes of the foreground window's thread
	namesTID   uint32

	desktop windows.HWND // the desktop window
	hwnd    windows.HWND // the foreground window last read; 0: none
	current guide.Window // what was last read of it
	read    bool         // current holds a reading
	none    int          // polls in a row that found no foreground window
	polls   int          // polls of the same window
	exes    map[uint32]string
}

func (s *winSession) setup(uint32) error {
	s.desktop = windows.GetDesktopWindow()
	id, err := win32.SetTimer(uint32(s.opts.Poll / time.Millisecond))
	if err != nil {
		return fmt.Errorf("cannot poll the foreground window: %w", err)
	}
	s.timer = id
	// Wine 8 never sends these events (measured: foreground switches and
	// title changes, within a process and across processes), so under Wine
	// the poll beside them is what tracks focus, and what the tests
	// exercise. On Windows they report a change as it happens.
	s.foreground, err = win32.SetWinEventHook(win32.EVENT_SYSTEM_FOREGROUND, win32.EVENT_SYSTEM_FOREGROUND, 0, 0, s.event)
	if err != nil {
		s.opts.Logger.Warn("focus: no foreground events; polling only", "err", err, "poll", s.opts.Poll)
	}
	s.out.status(true, "tracking the focused window (foreground events, and polling every "+s.opts.Poll.String()+")")
	s.poll()
	return nil
}

func (s *winSession) teardown() {
	win32.KillTimer(s.timer)
	s.foreground.Unhook()
	s.names.Unhook()
}

func (s *winSession) message(m *win32.Msg) {
	if m.Message == win32.WM_TIMER && m.WParam == s.timer {
		s.poll()
	}
}

// event handles a WinEvent: a new foreground window, or a name change.
func (s *winSession) event(ev uint32, hwnd windows.HWND, object, child int32) {
	switch {
	case ev == win32.EVENT_SYSTEM_FOREGROUND:
		s.poll()
	case ev == win32.EVENT_OBJECT_NAMECHANGE && hwnd == s.hwnd && object == win32.OBJID_WINDOW && child == win32.CHILDID_SELF:
		s.poll()
	}
}

// poll reads the foreground window and reports what changed.
func (s *winSession) poll() {
	h := windows.GetForegroundWindow()
	// With no foreground window (for a moment during a switch), or Wine's
	// desktop window (while a program outside Wine has the focus), no
	// window is known. Like the X11 backend, that is reported only when it
	// lasts: at the second poll in a row.
	if h == 0 || h == s.desktop {
		s.hwnd = 0
		s.hookNames(0)
		if s.none++; s.none == 2 {
			s.current, s.read = guide.Window{}, true
			s.out.window(guide.Window{})
		}
		return
	}
	s.none = 0
	var w guide.Window
	if h == s.hwnd && !strings.EqualFold(s.current.Exe, win32.FrameHost) {
		// The same window: only its title and size can have changed (a
		// UWP frame still without its app is read whole again). Under
		// Wine each call is a round trip to the wineserver, so the poll
		// reads the title, and the size (three calls) only every 5th time:
		// at 100 ms, 0.6 % of a core then, 0.9 % with the size every time.
		w = s.current
		w.Title = win32.WindowText(h)
		if s.polls++; s.polls%5 == 0 {
			w.Fullscreen = fullscreen(h)
		}
	} else {
		clear(s.exes) // a pid may have been reused since
		var tid uint32
		w, tid = s.readWindow(h)
		s.hwnd = h
		s.hookNames(tid)
	}
	if s.read && w == s.current {
		return
	}
	s.current, s.read = w, true
	switch s.filter.judge(w) {
	case report:
		s.opts.Logger.Debug("focus: window", "exe", w.Exe, "class", w.Class, "pid", w.PID)
		s.out.window(w)
	case hide:
		s.out.window(guide.Window{})
	case silence:
	}
}

// hookNames follows title changes of the foreground window: a hook on the
// name changes of its thread only, moved at each switch.
func (s *winSession) hookNames(tid uint32) {
	if tid == s.namesTID {
		return
	}
	s.names.Unhook()
	s.names, s.namesTID = 0, 0
	if tid == 0 {
		return
	}
	h, err := win32.SetWinEventHook(win32.EVENT_OBJECT_NAMECHANGE, win32.EVENT_OBJECT_NAMECHANGE, 0, tid, s.event)
	if err != nil {
		s.opts.Logger.Debug("focus: no title events for the foreground window", "err", err)
		return
	}
	s.names, s.namesTID = h, tid
}

// readWindow reads title, class, pid and exe of a top-level window, and
// the id of its thread.
func (s *winSession) readWindow(h windows.HWND) (guide.Window, uint32) {
	w := guide.Window{Title: win32.WindowText(h), Class: win32.ClassName(h)}
	var pid uint32
	tid, _ := windows.GetWindowThreadProcessId(h, &pid)
	w.PID = int(pid)
	w.Exe = s.exe(pid)
	// A UWP app's window is a frame of ApplicationFrameHost.exe around the
	// app's own CoreWindow, a child from the app's process: report the app.
	if app := win32.HostedApp(h, w.Exe, pid); app != 0 {
		w.PID, w.Exe = int(app), s.exe(app)
	}
	w.Fullscreen = fullscreen(h)
	return w, tid
}

// exe is the file name of a process's executable ("notepad.exe"), or ""
// when the process cannot be opened (an elevated program seen from an
// unelevated one): its window still reports title and class. Names are
// kept while the same window stays in the foreground.
func (s *winSession) exe(pid uint32) string {
	if pid == 0 {
		return ""
	}
	if e, ok := s.exes[pid]; ok {
		return e
	}
	e, err := win32.ExeName(pid)
	if err != nil {
		s.opts.Logger.Debug("focus: cannot read the executable", "pid", pid, "err", err)
	}
	s.exes[pid] = e
	return e
}

// fullscreen reports whether the foreground window is a fullscreen program
// (a presentation, a video, a game): it covers its monitor, or Windows says
// the user is busy with one (presentation mode included).
func fullscreen(h windows.HWND) bool {
	return win32.CoversMonitor(h) || win32.Busy()
}
