// Package record turns a recorded task into a guide: the steps of a
// recording session (clicks, Enter presses and shortcuts, each with the
// window it happened in and a screenshot of that window), with pause and
// undo, and the
// guide folder written at the end: index.md with its front matter filled in
// and one PNG per step, cropped, marked with a ring at the click point,
// optionally blurred outside a box around it, and scaled for the viewer.
//
// The package is headless: the capture of input events and screenshots is
// an adapter (internal/capture on X11) that cmd wires to a Session. Steps in
// windows on the exclude list never carry an image or a window: they are
// written as "(hidden)".
package record

import (
	"errors"
	"fmt"
	"image"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/cuecard/cuecard/internal/guide"
)

// Kind is what the user did.
type Kind int

// Kinds of steps.
const (
	// Click is a mouse click in a window.
	Click Kind = iota
	// Enter is the Enter key pressed after typing text (the text itself is
	// never recorded).
	Enter
	// Shortcut is a key pressed with Ctrl, Alt or Super held, e.g.
	// Ctrl+Shift+S (typing, Shift+letter included, is never a step).
	Shortcut
)

// Control is what the accessibility tree says was clicked: its role
// ("push button", "menu item", ...) and its name ("Save"); empty when the
// desktop could not tell.
type Control struct {
	Role, Name string
}

// Action is one input the capture adapter saw.
type Action struct {
	Kind Kind
	// Window is the window the action happened in. For a hidden action it
	// is ignored.
	Window guide.Window
	// Image is the window's screenshot, or nil (hidden windows, or when the
	// screenshot failed).
	Image image.Image
	// Point is the click point in Image's coordinates; HasPoint is false
	// for keys.
	Point    image.Point
	HasPoint bool
	// Keys names a Shortcut, e.g. "Ctrl+Shift+S".
	Keys string
	// Control is the control clicked, when the desktop can tell.
	Control Control
	// Hidden is true for a window on the exclude list: the step says
	// "(hidden)" and nothing about the window is kept.
	Hidden bool
	At     time.Time
}

// Step is one recorded step.
type Step struct {
	Kind Kind
	// Text is the draft sentence in Markdown, e.g. "Click in **AcmeCRM**.",
	// or Hidden for a hidden step.
	Text string
	// App is the window's app as a reader knows it (see AppLabel) and
	// Title its title; both empty for a hidden step.
	App, Title string
	Window     guide.Window
	Image      image.Image
	Point      image.Point
	HasPoint   bool
	Hidden     bool
	At         time.Time
}

// Hidden is the text of a step in an excluded window.
const Hidden = "(hidden)"

// ErrStopped is returned by a Session's methods after Stop.
var ErrStopped = errors.New("the recording has stopped")

// Session collects steps. It is safe for concurrent use: the capture
// adapter adds actions from its goroutine while the control window pauses,
// undoes and stops from the UI goroutine.
type Session struct {
	// Title is the guide's title, e.g. "How to create a deal".
	Title string

	mu      sync.Mutex
	steps   []Step
	paused  bool
	stopped bool
	changed chan struct{}
}

// NewSession starts an empty, running session.
func NewSession(title string) *Session {
	return &Session{Title: strings.TrimSpace(title), changed: make(chan struct{}, 1)}
}

// Changed receives a value (coalesced) after every change of the step
// count or the pause state, for the control window to refresh.
func (s *Session) Changed() <-chan struct{} { return s.changed }

func (s *Session) notify() {
	select {
	case s.changed <- struct{}{}:
	default:
	}
}

// Add records an action as a step. It reports whether a step was added:
// nothing is added while paused or after Stop.
func (s *Session) Add(a Action) bool {
	st := Step{Kind: a.Kind, At: a.At}
	if a.Hidden {
		st.Hidden, st.Text = true, Hidden
	} else {
		st.Window = a.Window
		st.App = AppLabel(a.Window)
		st.Title = strings.TrimSpace(a.Window.Title)
		st.Image, st.Point, st.HasPoint = a.Image, a.Point, a.HasPoint && a.Image != nil
		st.Text = Sentence(a)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.paused || s.stopped {
		return false
	}
	s.steps = append(s.steps, st)
	s.notify()
	return true
}

// Undo removes the last step. It reports whether there was one.
func (s *Session) Undo() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped || len(s.steps) == 0 {
		return false
	}
	s.steps[len(s.steps)-1] = Step{}
	s.steps = s.steps[:len(s.steps)-1]
	s.notify()
	return true
}

// SetPaused pauses (no step is added) or resumes the session.
func (s *Session) SetPaused(p bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.paused != p {
		s.paused = p
		s.notify()
	}
}

// Paused reports whether the session is paused.
func (s *Session) Paused() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.paused
}

// Len is the number of steps.
func (s *Session) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.steps)
}

// Stop ends the session and returns its steps; later calls return
// ErrStopped.
func (s *Session) Stop() ([]Step, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		return nil, ErrStopped
	}
	s.stopped = true
	s.notify()
	return append([]Step(nil), s.steps...), nil
}

// Stopped reports whether Stop was called.
func (s *Session) Stopped() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stopped
}

// AppName is the short name of a window's app: its executable, else its
// WM_CLASS class, else its instance.
func AppName(w guide.Window) string {
	for _, v := range []string{w.Exe, w.Class, w.Instance} {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

// AppLabel is an app's name as its users know it, for the draft
// sentences: the WM_CLASS class on X11 ("Mousepad"), else the executable
// without ".exe", its first letter upper-cased ("Notepad"). Never the window
// title: that names the document, which is not the guide's business.
func AppLabel(w guide.Window) string {
	exe := strings.TrimSpace(w.Exe)
	windows := strings.HasSuffix(strings.ToLower(exe), ".exe")
	// A Windows window class names the toolkit's window ("Chrome_WidgetWin_1",
	// "#32770"), not the app: there the executable says more.
	if c := strings.TrimSpace(w.Class); c != "" && !windows && !strings.ContainsAny(c, "_#") {
		return c
	}
	if windows {
		exe = exe[:len(exe)-len(".exe")]
	}
	if exe != "" {
		r, n := utf8.DecodeRuneInString(exe)
		return string(unicode.ToUpper(r)) + exe[n:]
	}
	for _, v := range []string{w.Class, w.Instance} {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

// Sentence is the draft sentence of a step, in Markdown: "Click the
// **Save** button." when the control clicked is known, else "Click in
// **Mousepad**."; "Type the text and press **Enter** in **Mousepad**.";
// "Press **Ctrl+Shift+S**.". The author rewrites it to say what the step
// is for.
func Sentence(a Action) string {
	app := AppLabel(a.Window)
	if app == "" {
		app = "the window"
	} else {
		app = "**" + mdEscape(app) + "**"
	}
	switch a.Kind {
	case Enter:
		return fmt.Sprintf("Type the text and press **Enter** in %s.", app)
	case Shortcut:
		if a.Keys == "" {
			return fmt.Sprintf("Press a shortcut in %s.", app)
		}
		return fmt.Sprintf("Press **%s**.", mdEscape(a.Keys))
	}
	name := strings.Join(strings.Fields(a.Control.Name), " ")
	if name == "" {
		return fmt.Sprintf("Click in %s.", app)
	}
	name = "**" + mdEscape(name) + "**"
	switch role := strings.ToLower(a.Control.Role); role {
	case "push button", "button", "toggle button", "check box", "radio button", "link", "tab", "page tab":
		if role == "push button" {
			role = "button"
		} else if role == "page tab" {
			role = "tab"
		}
		return fmt.Sprintf("Click the %s %s.", name, role)
	case "menu item", "check menu item", "radio menu item", "menu":
		return fmt.Sprintf("Choose %s.", name)
	}
	return fmt.Sprintf("Click %s.", name)
}
