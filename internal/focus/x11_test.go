//go:build linux

package focus

import (
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/focus/focustest"
	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/testlog"
)

// recorder reads a tracker's events and asserts their exact sequence.
type recorder struct {
	t  *testing.T
	tr Tracker
}

func (r recorder) next() Event {
	r.t.Helper()
	select {
	case ev, ok := <-r.tr.Events():
		if !ok {
			r.t.Fatal("Events closed early")
		}
		return ev
	case <-time.After(10 * time.Second):
		r.t.Fatal("no event within 10 s")
	}
	return Event{}
}

func (r recorder) window(want guide.Window) {
	r.t.Helper()
	ev := r.next()
	if ev.IsStatus() || !ev.Available || ev.Window != want {
		r.t.Fatalf("event %+v, want window %+v", ev, want)
	}
}

func (r recorder) status(available bool, contains string) {
	r.t.Helper()
	ev := r.next()
	if !ev.IsStatus() || ev.Available != available || !strings.Contains(ev.Status, contains) {
		r.t.Fatalf("event %+v, want status (available %v) containing %q", ev, available, contains)
	}
	if !available && !strings.HasPrefix(ev.Status, Unavailable) {
		r.t.Fatalf("status %q does not start with %q", ev.Status, Unavailable)
	}
}

// quiet asserts that no event comes within d.
func (r recorder) quiet(d time.Duration) {
	r.t.Helper()
	select {
	case ev := <-r.tr.Events():
		r.t.Fatalf("unexpected event %+v", ev)
	case <-time.After(d):
	}
}

// TestX11Sequence drives a real desktop (Xvfb + Openbox) and asserts the
// exact sequence of events: window manager start, new windows taking focus,
// activation, title changes of the focused and of another window, exe from
// /proc, excluded windows, Cuecard's own windows, the window manager dying
// and coming back, and Close.
func TestX11Sequence(t *testing.T) {
	// A slow machine must not see Openbox's brief "no active window"
	// between two windows.
	defer func(d time.Duration) { noneDelay = d }(noneDelay)
	noneDelay = 250 * time.Millisecond
	x := focustest.StartX(t)
	logs := &testlog.Buffer{}
	tr := New(Options{Display: x.Display, Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	r := recorder{t, tr}
	c := x.Client()

	r.status(false, "no window manager is running on X display "+x.Display)
	x.StartWM()
	r.status(true, "tracking the focused window on X display "+x.Display+" (window manager: Openbox)")
	r.window(guide.Window{}) // nothing focused yet

	self := func(instance, class, title string) guide.Window {
		return guide.Window{Exe: "cuecard-testwin", Class: class, Instance: instance, Title: title, PID: c.PID}
	}
	c.Open("a", -1, "chromium", "Chromium", "Deals | Acme CRM - Chromium")
	r.window(self("chromium", "Chromium", "Deals | Acme CRM - Chromium"))
	c.Open("b", 0, "xterm", "XTerm", "bash") // no _NET_WM_PID: no exe
	r.window(guide.Window{Class: "XTerm", Instance: "xterm", Title: "bash"})
	c.Activate("a")
	r.window(self("chromium", "Chromium", "Deals | Acme CRM - Chromium"))
	c.Title("a", "Leads | Acme CRM - Chromium") // a tab switch
	r.window(self("chromium", "Chromium", "Leads | Acme CRM - Chromium"))
	// Fullscreen (a presentation): the same window, now fullscreen, and back.
	fs := self("chromium", "Chromium", "Leads | Acme CRM - Chromium")
	fs.Fullscreen = true
	c.Fullscreen("a", true)
	r.window(fs)
	c.Fullscreen("a", false)
	r.window(self("chromium", "Chromium", "Leads | Acme CRM - Chromium"))
	c.Title("b", "vim notes.txt") // not focused: no event (checked below)

	// The exe comes from the window's _NET_WM_PID through /proc.
	sleep := exec.Command("sleep", "60")
	if err := sleep.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sleep.Process.Kill(); sleep.Wait() })
	c.Open("s", sleep.Process.Pid, "soffice", "libreoffice-calc", "Sales.ods - LibreOffice Calc")
	r.window(guide.Window{Exe: "sleep", Class: "libreoffice-calc", Instance: "soffice", Title: "Sales.ods - LibreOffice Calc", PID: sleep.Process.Pid})

	// Excluded windows are dropped: a zero window, nothing of theirs.
	c.Open("k", -1, "keepassxc", "KeePassXC", "Passwords.kdbx - KeePassXC")
	r.window(guide.Window{})
	c.Activate("a")
	r.window(self("chromium", "Chromium", "Leads | Acme CRM - Chromium"))
	c.Open("p", -1, "Navigator", "firefox", "Inbox — Mozilla Firefox Private Browsing")
	r.window(guide.Window{})
	c.Title("p", "Inbox (3) — Mozilla Firefox Private Browsing")
	c.Activate("a")
	r.window(self("chromium", "Chromium", "Leads | Acme CRM - Chromium"))

	// Cuecard's own windows send nothing: the previous window stays current.
	own := c.Open("own", os.Getpid(), "cuecard", "Cuecard", "How to create a deal - Cuecard")
	x.WaitActive(own)
	c.Title("own", "Checklist - Cuecard")
	r.quiet(200 * time.Millisecond)
	c.Activate("b")
	r.window(guide.Window{Class: "XTerm", Instance: "xterm", Title: "vim notes.txt"})

	// The window manager dies: tracking stops, and resumes when one runs.
	x.KillWM()
	r.status(false, "the window manager (Openbox) stopped on X display "+x.Display)
	c.Title("a", "Reports | Acme CRM - Chromium")
	c.Title("b", "vim todo.txt")
	r.quiet(200 * time.Millisecond)
	x.StartWM()
	r.status(true, "tracking the focused window on X display "+x.Display+" (window manager: Openbox)")
	r.window(guide.Window{Class: "XTerm", Instance: "xterm", Title: "vim todo.txt"}) // Openbox keeps the X focus
	c.Activate("a")
	r.window(self("chromium", "Chromium", "Reports | Acme CRM - Chromium"))

	if err := tr.Close(); err != nil {
		t.Fatal(err)
	}
	if _, ok := <-tr.Events(); ok {
		t.Fatal("Events not closed after Close")
	}
	tr.Close() // twice is fine

	// Privacy: no title reached the logs, at debug level either.
	l := logs.String()
	if !strings.Contains(l, "focus: window") {
		t.Fatalf("debug logs missing; got:\n%s", l)
	}
	for _, title := range []string{"Acme", "Sales.ods", "Passwords", "Private Browsing", "vim", "bash", "Cuecard"} {
		if strings.Contains(l, title) {
			t.Errorf("a title (%q) reached the logs:\n%s", title, l)
		}
	}
}

// TestX11ServerDies kills the X server under a connected tracker: the process
// survives (robotn/xgb alone panics), the tracker says why, and it resumes on
// a new server on the same display.
func TestX11ServerDies(t *testing.T) {
	x := focustest.StartX(t)
	x.StartWM()
	tr := New(Options{Display: x.Display, Retry: 50 * time.Millisecond, RetryMax: 200 * time.Millisecond})
	defer tr.Close()
	r := recorder{t, tr}
	r.status(true, "tracking")
	r.window(guide.Window{})

	x.KillServer()
	r.status(false, "lost the connection to X display "+x.Display)
	// Reconnection attempts fail while the server is down.
	r.status(false, "cannot connect to X display "+x.Display)

	x.RestartServer()
	x.StartWM()
	c := x.Client()
	// Skip whatever the retries said before the window manager ran.
	for {
		ev := r.next()
		if ev.IsStatus() && ev.Available {
			break
		}
		if !ev.IsStatus() {
			t.Fatalf("window event %+v before tracking resumed", ev)
		}
	}
	r.window(guide.Window{})
	c.Open("a", 0, "xterm", "XTerm", "after restart")
	r.window(guide.Window{Class: "XTerm", Instance: "xterm", Title: "after restart"})
}

// TestX11ClientWithoutWM: an X server with no window manager at all.
func TestX11NoWindowManager(t *testing.T) {
	x := focustest.StartX(t)
	c := x.Client()
	c.Open("a", -1, "xterm", "XTerm", "no wm")
	tr := New(Options{Display: x.Display})
	defer tr.Close()
	r := recorder{t, tr}
	r.status(false, "no window manager is running")
	c.Title("a", "still no wm")
	r.quiet(200 * time.Millisecond)
}

// TestX11BogusDisplay: a display name that parses but has no server.
func TestX11BogusDisplay(t *testing.T) {
	tr := New(Options{Display: ":4711", Retry: time.Hour})
	defer tr.Close()
	r := recorder{t, tr}
	r.status(false, "cannot connect to X display :4711")
}
