package walk

import (
	"context"
	"hash/crc32"
	"image"
	"time"

	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/locate"
)

// Radii of the ring: on a found target, and "about here".
const (
	FoundRadius = 22
	AboutRadius = 44
	// hitSlack widens the target area a click must land in.
	hitSlack = 10
)

// state is the walkthrough's state, owned by the run goroutine.
type state struct {
	w     *Walk
	at    int
	ended State // Finished or Stopped once ended; else Looking

	win    guide.Window
	area   image.Rectangle
	active bool // the step's window is active

	searched bool        // a search was made for this step in this window
	found    bool        // ... and found the target
	conf     float64     // its best score
	rel      image.Point // the ring's centre relative to area.Min
	sum      uint32      // checksum of the image searched
	searchAt time.Time   // search again at (zero: not planned)
	checkAt  time.Time   // compare the contents at
	// checkedAt is when the contents were last looked at.
	checkedAt time.Time
	wasOK     bool // Focused was ok the last time
}

func (w *Walk) run(ctx context.Context) {
	defer close(w.done)
	defer close(w.views)
	st := w.st
	// A Screen that says when the active window changes is looked at then
	// (and every Idle besides); another is polled every Poll.
	var changes <-chan struct{}
	every := w.o.Poll
	if c, ok := w.scr.(interface{ Changes() <-chan struct{} }); ok {
		if changes = c.Changes(); changes != nil {
			every = w.o.Idle
		}
	}
	timer := time.NewTimer(every)
	defer timer.Stop()
	st.goTo(0)
	for {
		now := time.Now()
		if st.ended == Looking {
			st.refresh(now)
		}
		w.publish(st.view())
		if st.ended != Looking {
			return
		}
		timer.Reset(st.next(now, every))
		select {
		case f := <-w.cmds:
			f()
		case <-changes:
		case <-timer.C:
		case <-ctx.Done():
			st.end(Stopped)
		}
	}
}

// next is how long until the walkthrough must look again: every, or
// sooner when a search or a comparison is due.
func (st *state) next(now time.Time, every time.Duration) time.Duration {
	d := every
	due := func(at time.Time) {
		if !at.IsZero() {
			d = min(d, max(at.Sub(now), time.Millisecond))
		}
	}
	due(st.searchAt)
	due(st.checkAt)
	if st.active && st.searched {
		due(st.checkedAt.Add(st.w.o.Recheck))
	}
	return d
}

// publish hands v to the reader, replacing an unread older view.
func (w *Walk) publish(v View) {
	w.mu.Lock()
	same := v == w.last
	w.last = v
	w.mu.Unlock()
	if same && v.State != Finished && v.State != Stopped {
		return
	}
	for {
		select {
		case w.views <- v:
			return
		default:
			select {
			case <-w.views:
			default:
			}
		}
	}
}

func (st *state) step() Step { return st.w.steps[st.at] }

func (st *state) goTo(i int) {
	if i >= len(st.w.steps) {
		st.end(Finished)
		return
	}
	st.at = max(0, i)
	st.searched, st.found, st.conf = false, false, 0
	st.searchAt, st.checkAt = time.Now(), time.Time{}
}

func (st *state) end(s State) {
	if st.ended == Looking {
		st.ended = s
	}
}

// windowOK reports whether win is the window of the step.
func (st *state) windowOK(win guide.Window) bool {
	s := st.step()
	if s.Target != nil && !s.Target.Window.Empty() {
		return s.Target.Window.Match(win)
	}
	if len(st.w.o.Apps) == 0 {
		return true
	}
	for _, r := range st.w.o.Apps {
		if r.Match(win) {
			return true
		}
	}
	return false
}

// refresh looks at the active window and searches for the target when
// it is time to.
func (st *state) refresh(now time.Time) {
	win, area, ok := st.w.scr.Focused()
	same := ok && sameWindow(win, st.win) && area.Size() == st.area.Size()
	st.active = ok && st.windowOK(win)
	if ok != st.wasOK || (ok && !sameWindow(win, st.win)) {
		st.w.o.Log.Debug("guide me: active window", "ok", ok, "exe", win.Exe, "class", win.Class, "step's", st.active)
	}
	st.wasOK = ok
	if ok {
		st.win, st.area = win, area
	}
	if !st.active || st.step().Target == nil {
		return
	}
	if !same && st.searched {
		st.searched = false // another window, or resized: search again
		st.searchAt = now
	}
	switch {
	case !st.searched || (!st.searchAt.IsZero() && !now.Before(st.searchAt)):
		st.search(nil)
	case !st.checkAt.IsZero() && !now.Before(st.checkAt):
		st.check()
	case now.Sub(st.lastCheck()) >= st.w.o.Recheck:
		st.check()
	}
}

func (st *state) lastCheck() time.Time { return st.checkedAt }

func sameWindow(a, b guide.Window) bool {
	return a.PID == b.PID && a.Exe == b.Exe && a.Class == b.Class && a.Instance == b.Instance
}

// check compares the window's contents with the last search's and
// searches again when they changed.
func (st *state) check() {
	st.checkAt = time.Time{}
	st.checkedAt = time.Now()
	img, win, area, err := st.w.scr.Snapshot()
	if err != nil || !st.windowOK(win) {
		return
	}
	st.win, st.area = win, area
	if crc32.ChecksumIEEE(img.Pix) == st.sum {
		return
	}
	st.search(img)
}

// search looks for the step's patch in img (nil: a new snapshot).
func (st *state) search(img *image.RGBA) {
	st.searchAt = time.Time{}
	st.checkedAt = time.Now()
	if img == nil {
		var win guide.Window
		var area image.Rectangle
		var err error
		img, win, area, err = st.w.scr.Snapshot()
		if err != nil || !st.windowOK(win) {
			st.w.o.Log.Debug("guide me: no image of the window", "err", err)
			st.searchAt = time.Now().Add(st.w.o.Settle)
			return
		}
		st.win, st.area = win, area
	}
	t := st.step().Target
	start := time.Now()
	st.sum = crc32.ChecksumIEEE(img.Pix)
	st.searched = true
	st.found, st.conf = false, 0
	if p := st.step().Patch; p.W > 0 && p.H > 0 {
		m, ok := locate.Find(locate.FromImage(img), p, locate.Options{Threshold: st.w.o.Threshold, Scales: st.w.o.Scales})
		if m.Score > -2 {
			st.conf = m.Score
		}
		if ok {
			st.found = true
			in := image.Pt(int(float64(t.InPatch.X)*m.Scale+0.5), int(float64(t.InPatch.Y)*m.Scale+0.5))
			st.rel = img.Rect.Min.Add(m.Rect.Min).Add(in)
		}
	}
	if !st.found {
		x, y := t.Rel()
		st.rel = image.Pt(int(x*float64(st.area.Dx())+0.5), int(y*float64(st.area.Dy())+0.5))
		// The app may still be drawing (a dialog opening): look again.
		st.checkAt = time.Now().Add(st.w.o.Settle)
	}
	if st.w.o.Searched != nil {
		st.w.o.Searched(time.Since(start))
	}
	st.w.o.Log.Debug("guide me: searched", "step", st.at+1, "found", st.found, "score", st.conf, "took", time.Since(start))
}

// input moves on when a click lands on the target, or a key does what
// a step without target asks; other input in the window makes it look
// again once the app has redrawn.
func (st *state) input(in Input) {
	if st.ended != Looking || !st.windowOK(in.Window) {
		return
	}
	s := st.step()
	switch in.Kind {
	case Click:
		if s.Target != nil && st.searched {
			c := st.area.Min.Add(st.rel)
			r := FoundRadius + hitSlack
			if !st.found {
				r = AboutRadius
			}
			if d := in.Screen.Sub(c); d.X*d.X+d.Y*d.Y <= r*r {
				st.goTo(st.at + 1)
				return
			}
		}
	case Enter:
		if s.Target == nil && s.Keys == "" {
			st.goTo(st.at + 1)
			return
		}
	case Shortcut:
		if s.Keys != "" && equalKeys(s.Keys, in.Keys) {
			st.goTo(st.at + 1)
			return
		}
	}
	st.checkAt = time.Now().Add(st.w.o.Settle)
}

// view is the current view.
func (st *state) view() View {
	w := st.w
	v := View{Guide: w.g.ID, Title: w.g.Title, Step: st.at, Steps: len(w.steps)}
	if st.ended != Looking {
		v.State = st.ended
		if st.ended == Finished {
			v.Step = len(w.steps)
		}
		return v
	}
	s := st.step()
	v.Text = s.Text
	if s.Target != nil {
		v.App = s.Target.App
	}
	switch {
	case s.Target == nil:
		v.State = Card
		if st.active {
			v.Area = st.area
		}
	case !st.active:
		v.State = Switch
	case !st.searched:
		v.State, v.Area = Looking, st.area
	default:
		v.Area, v.Confidence = st.area, st.conf
		v.Ring = st.area.Min.Add(st.rel)
		if st.found {
			v.State, v.Radius = Found, FoundRadius
		} else {
			v.State, v.Radius, v.Shot = About, AboutRadius, s.Shot
		}
	}
	return v
}
