// Package focus tells which application window is focused on the desktop.
//
// A Tracker publishes Events on a channel: a guide.Window each time the
// focused window changes or the focused window's title changes (browsers
// change the title, not the window, when the user switches tabs), and a
// status each time tracking becomes available or unavailable.
//
//	t := focus.New(focus.Options{})
//	defer t.Close()
//	for ev := range t.Events() {
//		switch {
//		case ev.IsStatus():  // ev.Status, ev.Available
//		default:             // ev.Window (zero: nothing to match)
//		}
//	}
//
// # Delivery
//
// Sends never block the backend: the channel buffers QueueLen events, and
// when the consumer falls further behind the oldest unread event is dropped
// to make room (the latest always wins). Each event is therefore a complete
// statement of the current state: a Window event implies that tracking
// works; a status event with Available false means no window is known until
// the next Window event. Consecutive duplicate events are not sent. Events
// is closed by Close.
//
// # Backends
//
// On a Wayland session (WAYLAND_DISPLAY set) New tries the Wayland backends
// first, in order (waylandBackends), because X11 (XWayland) sees only the
// windows of X11 programs there. The wlroots backend (sway, Hyprland, labwc,
// river) speaks the zwlr_foreign_toplevel_manager_v1 protocol through
// internal/wayland: the compositor pushes each toplevel's title, app_id
// and state, and the one in the activated state is the focused window. The
// protocol gives no pid, so Exe and Class are both the app_id, PID is 0,
// Options.OwnPIDs cannot apply, and Cuecard's own windows are recognised by
// their app_id instead ("cuecard", "io.github.cuecard", without case; its
// windows run under XWayland, where wlroots compositors give the WM_CLASS
// as app_id). When no Wayland backend fits, X11 is used if DISPLAY is set.
// The "tracking" status names the backend in use and says why the backends
// tried before it were not used; Describe returns that status for
// `cuecard status`.
//
// On Linux and the BSDs otherwise the tracker speaks X11 itself over one
// pure-Go connection (robotn/xgb, robotn/xgbutil): it subscribes to
// PropertyNotify for _NET_ACTIVE_WINDOW on the root window and for
// _NET_WM_NAME, WM_NAME, WM_CLASS and _NET_WM_PID on the active window, and
// to the destruction of the window manager's _NET_SUPPORTING_WM_CHECK
// window. It never polls. The
// exe comes from _NET_WM_PID through /proc/PID/exe (/proc/PID/comm when the
// link cannot be read), only for windows of this machine (WM_CLIENT_MACHINE).
//
// On Windows the tracker uses documented Win32 calls only (no cgo): WinEvent
// hooks for foreground changes (EVENT_SYSTEM_FOREGROUND) and for title
// changes of the foreground window (EVENT_OBJECT_NAMECHANGE), on an OS
// thread of its own with a message loop, and beside them a
// GetForegroundWindow poll every Options.Poll (Wine 8 sends none of those
// events). Title from GetWindowText, Class from GetClassName (Instance stays
// empty), PID from GetWindowThreadProcessId, and Exe, the executable's file
// name ("notepad.exe"), from QueryFullProcessImageName; a process that
// cannot be opened (an elevated program) leaves Exe empty. For a UWP app's
// frame (ApplicationFrameHost.exe), PID and Exe are the hosted app's.
//
// On macOS the tracker polls robotgo (built with cgo). robotgo is never
// called on X11: there it crashes the whole process without a display or a
// window manager, and its title reader leaks memory.
//
// # Degradation
//
// New never fails. When the focused window cannot be known the tracker sends
// a status "focus tracking unavailable: ..." that says why and what to do (no
// DISPLAY, a Wayland session where no Wayland backend fits and there is no
// XWayland, a Wayland compositor that went away (reconnected to with
// backoff), an X server that cannot be
// reached, no window manager, a window manager that stopped, a lost X
// connection), keeps trying where that can help (the X server or the window
// manager coming back), and sends an available status and the focused window
// once it can. A dying X server cannot crash the process: the connection is
// guarded against the panics robotn/xgb has when its socket fails.
//
// # Privacy
//
// Windows matching an Options.Exclude rule (by default password managers and
// private browsing windows) are dropped entirely: the tracker sends a zero
// Window instead, so the consumer stops showing guides for the previous
// window but learns nothing about the excluded one. Cuecard's own windows
// (those of Options.OwnPIDs; on Wayland, where there is no pid, those with
// Cuecard's app_id) send nothing at all: the previous window stays
// current. The tracker never writes a window title anywhere: not to logs at
// any level, not to errors. Logs carry only exe, class and pid, at debug level.
package focus

import (
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/latest"
)

// Unavailable starts the Status of every event that says the focused window
// cannot be known.
const Unavailable = "focus tracking unavailable: "

// Event is what a Tracker publishes: a status change or a window.
type Event struct {
	// Status, when not empty, makes this a status event: "focus tracking
	// unavailable: ..." or a short description of how focus is tracked.
	Status string `json:"status,omitempty"`
	// Available is false while the focused window cannot be known. A Window
	// event always has Available true.
	Available bool `json:"available"`
	// Window is the focused window, for a window event. It is zero when no
	// window is focused or the focused window is excluded.
	Window guide.Window `json:"window"`
}

// IsStatus reports whether e is a status event rather than a window event.
func (e Event) IsStatus() bool { return e.Status != "" }

// noGnomeExtension is ErrNoGnomeExtension's text (GNOME Shell runs without
// Cuecard's extension), which New's status then carries.
const noGnomeExtension = "the Cuecard GNOME Shell extension is not running"

// NeedsGnomeExtension reports whether a status event says that GNOME Shell
// runs without Cuecard's extension (the GNOME backend failed with
// ErrNoGnomeExtension, and New used X11 or nothing): the app then offers
// to install it (InstallGnomeExtension, Linux only).
func NeedsGnomeExtension(status string) bool { return strings.Contains(status, noGnomeExtension) }

// Tracker publishes the focused window. Close stops it and closes Events;
// it is safe to call more than once.
type Tracker interface {
	Events() <-chan Event
	Close() error
}

// Options configure a Tracker. The zero value is ready to use.
type Options struct {
	// Exclude drops matching windows entirely (a zero Window is sent in
	// their place). A window is excluded when any rule matches it, with
	// guide.Rule semantics (case-insensitive, unanchored regular
	// expressions; the class expression matches either half of WM_CLASS).
	// nil means DefaultExclude(); an empty non-nil slice excludes nothing.
	Exclude []guide.Rule
	// OwnPIDs are processes whose windows are never reported (Cuecard's own
	// windows). nil means this process.
	OwnPIDs []int
	// Display is the X display to use; empty means $DISPLAY. When set, the
	// X11 backend is used even on a Wayland session.
	Display string
	// Getenv reads the environment (DISPLAY, WAYLAND_DISPLAY); nil means
	// os.Getenv. Tests use it to simulate sessions.
	Getenv func(string) string
	// Logger receives debug and warning logs (never a title); nil means
	// slog.Default().
	Logger *slog.Logger
	// Retry is the first delay before reconnecting to a lost X server; it
	// doubles up to RetryMax. Zero means 500 ms and 30 s.
	Retry, RetryMax time.Duration
	// Poll is the polling interval of the Windows and macOS backends; zero
	// means 100 ms on Windows and 250 ms on macOS.
	Poll time.Duration

	// note is appended to the backend's "tracking" status: why the
	// backends tried before it were not used (set by New).
	note string
}

func (o Options) withDefaults() Options {
	if o.Exclude == nil {
		o.Exclude = DefaultExclude()
	}
	if o.OwnPIDs == nil {
		o.OwnPIDs = []int{os.Getpid()}
	}
	if o.Getenv == nil {
		o.Getenv = os.Getenv
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Retry <= 0 {
		o.Retry = 500 * time.Millisecond
	}
	if o.RetryMax <= 0 {
		o.RetryMax = 30 * time.Second
	}
	if o.Poll <= 0 {
		o.Poll = 250 * time.Millisecond
	}
	return o
}

// DefaultExclude is the default exclude list: password managers (KeePassXC,
// KeePass, Bitwarden, 1Password, by executable, WM_CLASS or Wayland app_id) and private
// browsing windows (Firefox "Private Browsing", Chrome/Chromium "Incognito",
// Edge "InPrivate", Brave/others "(Private)", by title).
func DefaultExclude() []guide.Rule {
	const managers = `^(keepassxc|keepassx|keepass2?|bitwarden|1password)(\.exe)?$`
	return []guide.Rule{
		guide.MustRule(managers, "", ""),
		guide.MustRule("", `^(keepassxc|keepassx|keepass2?|bitwarden|1password|org\.keepassxc\.keepassxc)$`, ""),
		guide.MustRule("", "", `private browsing|\bincognito\b|\binprivate\b|\(private\)`),
	}
}

// filter decides what to report for a window read from the system.
type filter struct {
	exclude []guide.Rule
	own     map[int]bool
}

type verdict int

const (
	report  verdict = iota // report the window
	hide                   // report a zero window (excluded)
	silence                // report nothing (Cuecard's own window)
)

func newFilter(o Options) filter {
	f := filter{own: map[int]bool{}}
	for _, r := range o.Exclude {
		if c, err := r.Compile(); err == nil && !c.Empty() {
			f.exclude = append(f.exclude, c)
		} else {
			o.Logger.Warn("focus: ignoring an exclude rule that does not compile", "rule", r.String())
		}
	}
	for _, p := range o.OwnPIDs {
		if p > 0 {
			f.own[p] = true
		}
	}
	return f
}

func (f filter) judge(w guide.Window) verdict {
	if w.PID > 0 && f.own[w.PID] {
		return silence
	}
	for _, r := range f.exclude {
		if r.Match(w) {
			return hide
		}
	}
	return report
}

// outbox is the bounded, drop-oldest channel behind Events, with duplicate
// suppression. Only one goroutine sends.
type outbox struct {
	ch   chan Event
	last Event
	sent bool
	once sync.Once
}

// QueueLen is how many unread events a Tracker keeps for a slow consumer.
const QueueLen = 16

func newOutbox() *outbox { return &outbox{ch: make(chan Event, QueueLen)} }

func (o *outbox) send(e Event) {
	if o.sent && e == o.last {
		return
	}
	o.last, o.sent = e, true
	latest.Send(o.ch, e)
}

func (o *outbox) window(w guide.Window) {
	o.send(Event{Available: true, Window: w})
}

func (o *outbox) status(available bool, msg string) {
	o.send(Event{Available: available, Status: msg})
}

func (o *outbox) close() { o.once.Do(func() { close(o.ch) }) }

// unavailableTracker is a Tracker that only reports why it cannot work.
type unavailableTracker struct {
	out *outbox
}

func newUnavailable(reason string) Tracker {
	t := &unavailableTracker{out: newOutbox()}
	t.out.status(false, Unavailable+reason)
	return t
}

func (t *unavailableTracker) Events() <-chan Event { return t.out.ch }
func (t *unavailableTracker) Close() error         { t.out.close(); return nil }

// logWriter turns a third-party logger's lines into debug logs.
type logWriter struct {
	log *slog.Logger
	src string
}

func (w logWriter) Write(p []byte) (int, error) {
	w.log.Debug(w.src+": "+strings.TrimSpace(string(p)), "component", "focus")
	return len(p), nil
}

var _ io.Writer = logWriter{}

// Describe starts a Tracker, waits up to timeout for its first status and
// stops it: a one-line answer to "how is the focus tracked here, and if
// not, why", for status output.
func Describe(o Options, timeout time.Duration) string {
	t := New(o)
	defer t.Close()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		select {
		case ev, ok := <-t.Events():
			if !ok {
				return Unavailable + "the tracker stopped"
			}
			if ev.IsStatus() {
				return ev.Status
			}
		case <-deadline.C:
			return Unavailable + "no answer within " + timeout.String()
		}
	}
}
