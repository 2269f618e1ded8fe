// Package capture watches what the user does for the step recorder: every
// mouse click, every Enter pressed after typing and every keyboard
// shortcut (a key pressed with Ctrl, Alt or Super held), each with the
// window it happened in and a screenshot of that window taken at once.
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
// Privacy: typed text is never kept (a key press only counts as "typing";
// plain keys and Shift+key are typing, and on Windows so is Ctrl+Alt+key
// that types a character, AltGr's way there; only a shortcut is named),
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
	"strconv"
	"strings"
	"time"

	"github.com/cuecard/cuecard/internal/guide"
)

// Kind is what the user did.
type Kind int

// Kinds of events.
const (
	Click    Kind = iota // a mouse button pressed in a window
	Enter                // Enter pressed after typing in a window
	Shortcut             // a key pressed with Ctrl, Alt or Super held
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
	// Image's coordinates (HasPoint false for keys).
	Image    *image.RGBA
	Point    image.Point
	HasPoint bool
	// Screen is the click point on the screen (for the accessibility
	// tree); zero for keys.
	Screen image.Point
	// Keys names a Shortcut: "Ctrl+Shift+S" (empty for a key without a
	// name here, and in a Hidden event).
	Keys string
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
	// OnEscape, when set, is called (on the capture's goroutine) when Esc
	// is pressed with no modifier held, in any window: how a one-shot
	// capture such as `cuecard target` is cancelled. Esc is no event.
	OnEscape func()
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

// mod is the kind of a modifier key.
type mod uint8

const (
	notMod mod = iota
	shiftMod
	ctrlMod
	altMod
	superMod // Super, Meta, Hyper: the Windows key
)

// key is what the keyboard rule needs to know of a key: which modifier it
// is, whether it is Enter or types text, and its name for a shortcut.
type key struct {
	mod         mod
	enter, text bool
	name        string // "S", "F5", "Tab"; "" when unknown
}

// keyboard follows the keys between steps, the same on every system: which
// modifiers are held, and whether text was typed since the last step
// (never which text). K is the system's key code.
type keyboard[K comparable] struct {
	held  map[K]mod
	typed int
	// altGr: Ctrl+Alt is AltGr, which types characters (@ on a German
	// keyboard is AltGr+Q): on Windows, where AltGr reaches the hooks as
	// Ctrl+Alt. On X11 AltGr is a key of its own (ISO_Level3_Shift).
	altGr bool
}

func newKeyboard[K comparable]() *keyboard[K] { return &keyboard[K]{held: map[K]mod{}} }

// press reports whether pressing key k ends a step, and which: Enter after
// typing with no modifier held (Shift+Enter is a new line), or a key
// pressed with Ctrl, Alt or Super held (then keys names it, e.g.
// "Ctrl+Shift+S"). Plain keys and Shift+key are typing, never a step.
func (kb *keyboard[K]) press(k K, info key) (step Kind, keys string, ok bool) {
	if info.mod != notMod {
		kb.held[k] = info.mod
		return 0, "", false
	}
	var held [superMod + 1]bool
	for _, m := range kb.held {
		held[m] = true
	}
	shortcut := held[ctrlMod] || held[altMod] || held[superMod]
	if kb.altGr && held[ctrlMod] && held[altMod] && !held[superMod] && info.text {
		shortcut = false // AltGr typing
	}
	switch {
	case shortcut:
		kb.typed = 0
		if info.name == "" {
			return Shortcut, "", true
		}
		var parts []string
		for _, m := range []struct {
			m    mod
			name string
		}{{ctrlMod, "Ctrl"}, {altMod, "Alt"}, {shiftMod, "Shift"}, {superMod, "Super"}} {
			if held[m.m] {
				parts = append(parts, m.name)
			}
		}
		return Shortcut, strings.Join(append(parts, info.name), "+"), true
	case info.enter:
		step := kb.typed > 0 && len(kb.held) == 0
		kb.typed = 0
		return Enter, "", step
	case info.text:
		kb.typed++
	}
	return 0, "", false
}

// escape reports whether pressing key k (info) is a plain Esc.
func (kb *keyboard[K]) escape(info key) bool { return info.name == "Esc" && len(kb.held) == 0 }

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

func itoa(n int) string { return strconv.Itoa(n) }
