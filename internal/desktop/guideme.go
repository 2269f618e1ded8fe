package desktop

import (
	"fmt"
	"image"
	"log/slog"
	"path/filepath"
	"sync"

	"github.com/cuecard/cuecard/internal/capture"
	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/overlay"
	"github.com/cuecard/cuecard/internal/owner"
	"github.com/cuecard/cuecard/internal/ui"
	"github.com/cuecard/cuecard/internal/walk"
)

// ring is the overlay that marks the target (internal/overlay): drawn
// above every window, it never takes the focus or a click.
type ring interface {
	Show(center image.Point, radius int, about bool) error
	Hide() error
	Close() error
}

// openRing opens the overlay (a variable for tests).
var openRing = func(log *slog.Logger) (ring, error) {
	r, err := overlay.Open(overlay.Options{Logger: log})
	if err != nil {
		return nil, err
	}
	return overlayRing{r}, nil
}

type overlayRing struct{ *overlay.Ring }

func (o overlayRing) Show(c image.Point, radius int, about bool) error {
	st := overlay.Found
	if about {
		st = overlay.About
	}
	return o.Ring.Show(c, radius, st)
}

// guideMe is one running walkthrough: the capture feeding the walk, the
// ring, and the step card.
type guideMe struct {
	a    *App
	w    *walk.Walk
	cap  *capture.Capture
	ring ring // nil: the card alone
	// ringMu guards the ring's state: shown at at (draw, ringScreen).
	ringMu sync.Mutex
	shown  bool
	at     walk.View
	win    *ui.GuideMeWindow
	once   sync.Once
	done   chan struct{}
}

// GuideMe starts a walkthrough of a guide with click targets, replacing
// the one running. UI goroutine.
func (a *App) GuideMe(id string) error {
	g, err := guideSource{root: a.root}.Guide(id)
	if err != nil {
		return err
	}
	steps := walk.StepsOf(g, filepath.Dir(filepath.Join(a.root, filepath.FromSlash(id))))
	if len(steps) == 0 {
		return fmt.Errorf("%s has no numbered steps or checklist to guide you through", g.Title)
	}
	if old := a.walkthrough(); old != nil {
		old.stop(true)
	}
	cfg := a.settings()
	hide := excludeRules(cfg.Exclude, cfg.RecordExclude, a.log)
	c, err := capture.Start(capture.Options{Logger: a.log, Hide: func(w guide.Window) bool {
		for _, r := range hide {
			if r.Match(w) {
				return true
			}
		}
		return false
	}})
	if err != nil {
		return fmt.Errorf("guide me needs to see the clicks in the app: %w", err)
	}
	gm := &guideMe{a: a, cap: c, done: make(chan struct{})}
	if gm.ring, err = openRing(a.log); err != nil {
		a.log.Warn("guide me: no ring over the app, the card alone", "err", err)
		gm.ring = nil
	}
	gm.w = walk.Start(g, steps, ringScreen{c, gm}, walk.Options{Apps: g.Apps, Log: a.log})
	card := ui.NewGuideMe(g.Title)
	card.OnBack = gm.w.Back
	card.OnDone = gm.w.Next
	card.OnSkip = gm.w.Next
	card.OnStop = func() { gm.stop(true) }
	gm.win = a.shell.ShowGuideMe(card)
	a.guidingMu.Lock()
	a.guiding = gm
	a.guidingMu.Unlock()
	a.log.Debug("guide me: started", "guide", id, "steps", len(steps))

	go func() { // the app's clicks and keys
		for e := range c.Events() {
			if e.Hidden {
				continue
			}
			gm.w.Input(walk.Input{Kind: walk.Kind(e.Kind), Window: e.Window, Screen: e.Screen, Keys: e.Keys})
		}
	}()
	go func() { // the views: the ring at once, the card on the UI goroutine
		for v := range gm.w.Views() {
			gm.draw(v)
			gm.a.shell.Do(func() {
				if gm.win != nil {
					gm.win.Set(v)
				}
			})
			if v.State == walk.Finished {
				a.finishedWalk(g)
			}
		}
		gm.stop(false) // the card stays to say it is done, until closed
	}()
	return nil
}

// ringScreen is the capture for the walk, the ring hidden while the
// window is captured where the capture would see it.
type ringScreen struct {
	*capture.Capture
	gm *guideMe
}

func (s ringScreen) Snapshot() (*image.RGBA, guide.Window, image.Rectangle, error) {
	if s.gm.ring == nil || s.OwnContents() {
		return s.Capture.Snapshot()
	}
	s.gm.ringMu.Lock()
	defer s.gm.ringMu.Unlock()
	if s.gm.shown {
		s.gm.ring.Hide()
		defer s.gm.ring.Show(s.gm.at.Ring, s.gm.at.Radius, s.gm.at.State == walk.About)
	}
	return s.Capture.Snapshot()
}

// draw moves the ring for v.
func (gm *guideMe) draw(v walk.View) {
	if gm.ring == nil {
		return
	}
	gm.ringMu.Lock()
	defer gm.ringMu.Unlock()
	if !v.HasRing() {
		if gm.shown {
			gm.ring.Hide()
			gm.shown = false
		}
		return
	}
	if gm.shown && v.Ring == gm.at.Ring && v.Radius == gm.at.Radius && v.State == gm.at.State && v.Area == gm.at.Area {
		return
	}
	if err := gm.ring.Show(v.Ring, v.Radius, v.State == walk.About); err != nil {
		gm.a.log.Debug("guide me: ring", "err", err)
		return
	}
	gm.shown, gm.at = true, v
}

// stop ends the walkthrough (any goroutine); closeCard closes its card
// too (Stop, Close, another walkthrough), else the card stays to say it
// is done.
func (gm *guideMe) stop(closeCard bool) {
	gm.once.Do(func() {
		go func() {
			gm.w.Close()
			gm.cap.Close()
			if gm.ring != nil {
				gm.ring.Close()
			}
			close(gm.done)
		}()
	})
	if closeCard {
		// Until then, a finished walkthrough is still the app's (cuecard
		// status says so).
		gm.a.guidingMu.Lock()
		if gm.a.guiding == gm {
			gm.a.guiding = nil
		}
		gm.a.guidingMu.Unlock()
		gm.a.shell.Do(func() {
			if gm.win != nil {
				gm.win.Close()
			}
		})
	}
}

// finishedWalk counts a walkthrough done to its end: a completed guide in
// usage and, for a required guide, done in the Start-here track.
func (a *App) finishedWalk(g *guide.Guide) {
	if err := a.coach.CompleteWalk(g.ID); err != nil {
		a.log.Warn("guide me: record the completion", "err", err)
	}
	a.shell.Do(a.shell.RefreshTrack)
}

// StopGuideMe stops the running walkthrough, if any, and waits for it to
// end (the app quitting).
func (a *App) StopGuideMe() {
	if gm := a.walkthrough(); gm != nil {
		gm.stop(false) // the windows went with the app
		<-gm.done
	}
}

func (a *App) walkthrough() *guideMe {
	a.guidingMu.Lock()
	defer a.guidingMu.Unlock()
	return a.guiding
}

// Walkthrough is the running walkthrough's state, or nil. Any goroutine.
func (a *App) Walkthrough() *owner.Walkthrough {
	gm := a.walkthrough()
	if gm == nil {
		return nil
	}
	v := gm.w.View()
	if v.State == walk.Stopped {
		return nil
	}
	wt := &owner.Walkthrough{Guide: v.Guide, Step: v.Step + 1, Steps: v.Steps, State: v.State.String(),
		TargetFound: v.State == walk.Found, Confidence: v.Confidence}
	if v.HasRing() {
		wt.Ring = &owner.Ring{X: v.Ring.X, Y: v.Ring.Y, Radius: v.Radius}
	}
	return wt
}

// guideMeFromSocket starts a walkthrough asked for by cuecard guide-me
// (the owner's goroutine): on the UI goroutine, with its error back.
func (a *App) guideMeFromSocket(id string) error {
	errc := make(chan error, 1)
	a.shell.Do(func() { errc <- a.GuideMe(id) })
	return <-errc
}
