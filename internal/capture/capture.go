// Package capture watches what the user does for the step recorder: every
// mouse click and every Enter pressed after typing, each with the window it
// happened in and a screenshot of that window taken at once.
//
// On X11 (Linux and the BSDs) it speaks the X protocol in pure Go, with no
// cgo and so no crash path without a display: the RECORD extension reports
// the device events (KeyPress, KeyRelease, ButtonPress) of the whole
// server without grabbing anything, the window under the click comes from
// TranslateCoordinates and the ICCCM WM_STATE property, and the screenshot
// from GetImage of that window's own contents: while recording, the
// top-level windows are redirected off screen by the Composite extension
// (automatic redirection: the server still draws the screen), so a window
// above the clicked one, the recording control first of all, is not in
// the picture (without Composite: GetImage on the root window, what the
// screen shows). robotn/xgb
// cannot read RECORD's stream of replies to one request (its reader pairs
// each reply with one request), so the RECORD data connection is a raw
// socket opened by internal/xconn; the control connection is xgb's.
//
// On Windows it uses low-level mouse and keyboard hooks (WH_MOUSE_LL,
// WH_KEYBOARD_LL), which see the input of the whole session without
// taking it; the window under the click is the top-level ancestor of
// WindowFromPoint (for a menu or a drop-down list, the foreground window it
// belongs to), and the screenshot is a GDI copy of the screen, cropped to
// that window, frame and menu bar included (Cuecard's windows ask to be
// left out of screen captures: WDA_EXCLUDEFROMCAPTURE).
//
// Privacy: typed text is never kept (a key press only counts as "typing"),
// windows that Options.Hide matches are never captured (the event says
// Hidden and carries no window and no image), and Cuecard's own windows
// (Options.OwnPIDs) produce no event at all.
//
// Elsewhere (macOS) Start returns ErrUnsupported.
package capture

import (
	"errors"
	"image"
	"log/slog"
	"os"
	"time"

	"github.com/cuecard/cuecard/internal/guide"
)

// Kind is what the user did.
type Kind int

// Kinds of events.
const (
	Click Kind = iota // a mouse button pressed in a window
	Enter             // Enter pressed after typing in a window
)

// Event is one action of the user.
type Event struct {
	Kind Kind
	// Window is the window it happened in (zero when Hidden).
	Window guide.Window
	// Hidden is true when Options.Hide matched the window: nothing of it
	// was captured.
	Hidden bool
	// Image is the window at the time of the event (X11: its client area;
	// Windows: the window with its frame and menu bar; nil when
	// Hidden or when the screenshot failed); Point is the click point in
	// Image's coordinates (HasPoint false for Enter).
	Image    *image.RGBA
	Point    image.Point
	HasPoint bool
	// At is when the event was seen.
	At time.Time
}

// Options configure Start.
type Options struct {
	// Display is the X display; empty means $DISPLAY.
	Display string
	// Getenv reads the environment; nil means os.Getenv.
	Getenv func(string) string
	// OwnPIDs are processes whose windows produce no event; nil means
	// this process.
	OwnPIDs []int
	// Hide reports whether a window must never be captured.
	Hide func(guide.Window) bool
	// Logger gets debug logs (never a window title); nil: slog.Default().
	Logger *slog.Logger
}

func (o Options) withDefaults() Options {
	if o.Getenv == nil {
		o.Getenv = os.Getenv
	}
	if o.OwnPIDs == nil {
		o.OwnPIDs = []int{os.Getpid()}
	}
	if o.Hide == nil {
		o.Hide = func(guide.Window) bool { return false }
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return o
}

// Errors of Start.
var (
	// ErrNoDisplay: no X display to record (no DISPLAY, or Wayland only).
	ErrNoDisplay = errors.New("no X display")
	// ErrNoRecord: the X server lacks the RECORD extension.
	ErrNoRecord = errors.New("the X server has no RECORD extension")
	// ErrUnsupported: recording is not available on this system.
	ErrUnsupported = errors.New("recording is supported on X11 and Windows only")
)

// QueueLen is how many events wait for a slow consumer before new ones are
// dropped (a click is a step: the recorder keeps up easily).
const QueueLen = 64

// keyboard follows the keys between steps, the same on every system: which
// modifiers are held, and whether text was typed since the last step
// (never which text). K is the system's key code.
type keyboard[K comparable] struct {
	held  map[K]bool
	typed int
}

func newKeyboard[K comparable]() *keyboard[K] { return &keyboard[K]{held: map[K]bool{}} }

// press reports whether pressing key k ends a step: Enter, with no
// modifier held, after typing.
func (kb *keyboard[K]) press(k K, modifier, enter, text bool) bool {
	switch {
	case modifier:
		kb.held[k] = true
	case enter:
		step := kb.typed > 0 && len(kb.held) == 0
		kb.typed = 0
		return step
	case text && len(kb.held) == 0:
		kb.typed++
	}
	return false
}

// release notes that key k is up.
func (kb *keyboard[K]) release(k K) { delete(kb.held, k) }

// reset forgets the typing: a click is a step of its own, and a pause
// ends what was typed before it.
func (kb *keyboard[K]) reset() { kb.typed = 0 }

// send delivers e (nil: nothing) on out, unless Close has stopped waiting
// for the consumer (abandon closed).
func send(out chan<- Event, abandon <-chan struct{}, e *Event) {
	if e == nil {
		return
	}
	select {
	case out <- *e:
	case <-abandon:
	}
}
