// Package record turns a recorded task into a guide: the steps of a
// recording session (clicks and Enter presses, each with the window it
// happened in and a screenshot of that window), with pause and undo, and the
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
)

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
	// for Enter.
	Point    image.Point
	HasPoint bool
	// Hidden is true for a window on the exclude list: the step says
	// "(hidden)" and nothing about the window is kept.
	Hidden bool
	At     time.Time
}

// Step is one recorded step.
type Step struct {
	Kind Kind
	// Text is the draft sentence, e.g. "Click in Deals | Acme CRM.", or
	// Hidden for a hidden step.
	Text string
	// App is the window's app (exe, else class) and Title its title; both
	// empty for a hidden step.
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
		st.App = AppName(a.Window)
		st.Title = strings.TrimSpace(a.Window.Title)
		st.Image, st.Point, st.HasPoint = a.Image, a.Point, a.HasPoint && a.Image != nil
		st.Text = Sentence(a.Kind, a.Window)
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

// Sentence is the draft sentence of a step: "Click in Deals | Acme CRM.",
// or "Type the text and press Enter in Deals | Acme CRM." The author
// rewrites it to say what the step is for.
func Sentence(k Kind, w guide.Window) string {
	where := strings.Join(strings.Fields(w.Title), " ")
	if where == "" {
		where = AppName(w)
	}
	if where == "" {
		where = "the window"
	}
	if k == Enter {
		return fmt.Sprintf("Type the text and press Enter in %s.", where)
	}
	return fmt.Sprintf("Click in %s.", where)
}
