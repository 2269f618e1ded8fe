// Package walk plays a guide as "Guide me": one step at a time, each
// recorded click step pointed at in the app itself. It decides, the
// desktop draws: a Walk reads the active window through a Screen (the
// capture adapter), finds the step's recorded patch in a fresh image of
// that window (internal/locate), and publishes Views (where the ring goes,
// what the step card says) for the UI to render; clicks and keys seen in
// the app (the capture adapter's events, fed through Input) move it on.
//
// Finding the target: when the step's window is active, its image is
// searched for the patch, coarse to fine at a few scales; at or above the
// threshold the ring goes on the match (Found), below it on the recorded
// position relative to the window's size (About: "about here", with the
// step's screenshot in the card). When the window only moves, the ring
// moves with it without a new search; when it is resized, when input
// happened in it, or when its contents changed (looked at every Recheck,
// compared by a checksum), the patch is searched for again.
//
// Advancing: a click within the target's radius in the step's window
// moves to the next step; so does Enter (after typing) or the shortcut a
// step names, for a step without a click target. Next, Back, Done and Stop
// come from the card. A step whose window is not active says which app to
// switch to and waits for it.
package walk

import (
	"context"
	"image"
	"log/slog"
	"sync"
	"time"

	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/locate"
)

// Step is one step of a walkthrough.
type Step struct {
	// Text is the step's sentence as plain text.
	Text string
	// Target is where the recorded click was; nil for a step without one
	// (a card only).
	Target *guide.ClickTarget
	// Patch is Target's image, loaded; a zero Patch (unreadable file)
	// always falls back to the relative position.
	Patch locate.Gray
	// Shot is the step's screenshot file, shown in the card when the
	// target is only "about here"; "" for none.
	Shot string
	// Keys is a shortcut the step asks for ("Ctrl+S"), which advances it
	// when pressed; "" for none.
	Keys string
}

// Screen is what a walkthrough reads of the desktop (internal/capture).
type Screen interface {
	// Focused is the active window and the screen area its images are of.
	Focused() (guide.Window, image.Rectangle, bool)
	// Snapshot is an image of that area.
	Snapshot() (*image.RGBA, guide.Window, image.Rectangle, error)
}

// Kind is the kind of an Input.
type Kind int

// Kinds of input.
const (
	Click Kind = iota
	Enter
	Shortcut
)

// Input is a click or key seen in another app's window.
type Input struct {
	Kind   Kind
	Window guide.Window
	// Screen is a click's point on the screen.
	Screen image.Point
	// Keys names a Shortcut ("Ctrl+S").
	Keys string
}

// State is what the card shows.
type State int

// States of a view.
const (
	// Looking: the step's window is active; its target is being searched.
	Looking State = iota
	// Found: the ring is on the target.
	Found
	// About: the target was not recognised; the ring shows about where
	// it was, and the card the step's screenshot.
	About
	// Switch: the step's window is not active; the card says which app
	// to switch to.
	Switch
	// Card: a step without a target, shown as a card only.
	Card
	// Finished: every step was done.
	Finished
	// Stopped: the user stopped the walkthrough.
	Stopped
)

func (s State) String() string {
	return [...]string{"looking", "found", "about", "switch", "card", "finished", "stopped"}[s]
}

// View is the walkthrough's state for the UI to render.
type View struct {
	Guide, Title string
	// Step is the step shown (0-based) of Steps.
	Step, Steps int
	Text        string
	State       State
	// App is the app to switch to (Switch), or the step's app.
	App string
	// Ring is the ring's centre on the screen and Radius its radius
	// (Found and About).
	Ring   image.Point
	Radius int
	// Area is the step's window area on the screen, when known.
	Area image.Rectangle
	// Confidence is the best match's score (-1..1); 0 when not searched.
	Confidence float64
	// Shot is the step's screenshot (About).
	Shot string
}

// HasRing reports whether the view shows a ring.
func (v View) HasRing() bool { return v.State == Found || v.State == About }

// Options tune a Walk; the zero value is the defaults.
type Options struct {
	// Poll is how often the active window is looked at (default 50 ms):
	// the ring follows a moving window within about this long. A Screen
	// with a Changes method (a channel that signals when the active
	// window changes, moves or is resized) is looked at on each signal
	// and every Idle (default 1 s) instead.
	Poll, Idle time.Duration
	// Recheck is how often the window's contents are compared with the
	// last search, to search again when they changed (default 1.5 s).
	Recheck time.Duration
	// Settle is how long after input in the window the target is searched
	// again (default 250 ms): the app redraws first.
	Settle time.Duration
	// Threshold and Scales are locate's (defaults 0.8; 1, 0.8 and 1.25).
	Threshold float64
	Scales    []float64
	// Apps are the guide's apps rules: the window of a step whose target
	// names no window, or of a step without target.
	Apps []guide.Rule
	// Log gets debug logs (never a title); nil: slog.Default().
	Log *slog.Logger
	// Searched, when set, is called with the duration of each search (for
	// benchmarks and the bench command).
	Searched func(time.Duration)
}

// Walk is a walkthrough running. Its methods are safe for concurrent use.
type Walk struct {
	g     *guide.Guide
	steps []Step
	scr   Screen
	o     Options

	cmds  chan func()
	views chan View
	done  chan struct{}
	stop  context.CancelFunc

	st *state // the run goroutine's

	mu   sync.Mutex
	last View
}

// Start starts a walkthrough of g's steps at step 0.
func Start(g *guide.Guide, steps []Step, scr Screen, o Options) *Walk {
	if o.Poll <= 0 {
		o.Poll = 50 * time.Millisecond
	}
	if o.Idle <= 0 {
		o.Idle = time.Second
	}
	if o.Recheck <= 0 {
		o.Recheck = 1500 * time.Millisecond
	}
	if o.Settle <= 0 {
		o.Settle = 250 * time.Millisecond
	}
	if o.Threshold == 0 {
		o.Threshold = 0.8
	}
	if len(o.Scales) == 0 {
		o.Scales = []float64{1, 0.8, 1.25}
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	// Rules compiled once, not at each look at the active window.
	steps = append([]Step(nil), steps...)
	for i, s := range steps {
		if s.Target != nil {
			t := *s.Target
			if r, err := t.Window.Compile(); err == nil {
				t.Window = r
			}
			steps[i].Target = &t
		}
	}
	apps := make([]guide.Rule, 0, len(o.Apps))
	for _, r := range o.Apps {
		if c, err := r.Compile(); err == nil {
			apps = append(apps, c)
		}
	}
	o.Apps = apps
	ctx, cancel := context.WithCancel(context.Background())
	w := &Walk{g: g, steps: steps, scr: scr, o: o, cmds: make(chan func(), 16), views: make(chan View, 1),
		done: make(chan struct{}), stop: cancel}
	w.st = &state{w: w}
	go w.run(ctx)
	return w
}

// Views delivers each new view; when the reader is behind, only the
// latest waits. It is closed when the walkthrough ends (Finished or
// Stopped is the last view).
func (w *Walk) Views() <-chan View { return w.views }

// View is the latest view.
func (w *Walk) View() View {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.last
}

// Guide is the guide walked through.
func (w *Walk) Guide() *guide.Guide { return w.g }

// Done is closed when the walkthrough has ended.
func (w *Walk) Done() <-chan struct{} { return w.done }

func (w *Walk) do(f func()) {
	select {
	case w.cmds <- f:
	case <-w.done:
	}
}

// Input feeds a click or key seen in another app.
func (w *Walk) Input(in Input) { w.do(func() { w.st.input(in) }) }

// Next moves to the next step ("Done this step", Skip); after the last,
// the walkthrough is finished.
func (w *Walk) Next() { w.do(func() { w.st.goTo(w.st.at + 1) }) }

// Back moves to the step before.
func (w *Walk) Back() { w.do(func() { w.st.goTo(max(0, w.st.at-1)) }) }

// Stop ends the walkthrough (Stopped).
func (w *Walk) Stop() { w.do(func() { w.st.end(Stopped) }) }

// Close stops the walkthrough and waits for it to end.
func (w *Walk) Close() {
	w.Stop()
	w.stop()
	<-w.done
}
