package ui

import (
	"image"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/cuecard/cuecard/internal/ui/kit"
	"github.com/cuecard/cuecard/internal/walk"
)

// TestGuideMeCard: the card says the step and what to do for each state,
// and its buttons call back.
func TestGuideMeCard(t *testing.T) {
	newApp(t)
	c := NewGuideMe("How to file a deal")
	var calls []string
	c.OnBack = func() { calls = append(calls, "back") }
	c.OnDone = func() { calls = append(calls, "done") }
	c.OnSkip = func() { calls = append(calls, "skip") }
	c.OnStop = func() { calls = append(calls, "stop") }
	w := show(t, kit.NewTipHost(c), GuideMeSize)

	c.Set(walk.View{Step: 2, Steps: 7, Text: "Click Save.", State: walk.Found, Ring: image.Pt(400, 300), Radius: walk.FoundRadius})
	wantText(t, w.Content(), "Step 3 of 7", "Click Save.", "Click where the ring is.")
	c.Set(walk.View{Step: 2, Steps: 7, Text: "Click Save.", State: walk.Switch, App: "AcmeCRM"})
	if got := c.Hint(); got != "Switch to AcmeCRM to go on." {
		t.Errorf("switch hint %q", got)
	}
	c.Set(walk.View{Step: 0, Steps: 7, Text: "Click New deal.", State: walk.About, Shot: "testdata/none.png"})
	if !c.shot.Visible() || c.WindowSize(c.View()) != GuideMeShotSize || !c.back.Disabled() {
		t.Errorf("about here: shot shown %v, size %v, back disabled %v", c.shot.Visible(), c.WindowSize(c.View()), c.back.Disabled())
	}
	test.Tap(c.done)
	test.Tap(c.skip)
	test.Tap(c.closeB)
	c.Set(walk.View{Step: 1, Steps: 7, Text: "Type the name.", State: walk.Card})
	test.Tap(c.back)
	if want := "done skip stop back"; join(calls) != want {
		t.Errorf("calls %q, want %q", join(calls), want)
	}
	c.Set(walk.View{Step: 7, Steps: 7, State: walk.Finished})
	wantText(t, w.Content(), "All 7 steps done")
	calls = nil
	test.Tap(c.done) // now "Close"
	if join(calls) != "stop" || c.done.Text != "Close" {
		t.Errorf("finished: %q, button %q", join(calls), c.done.Text)
	}
}

func join(ss []string) string { return strings.Join(ss, " ") }

// TestGuideMeOrigin: the card goes beside the ring, never over it, and
// stays in the work area.
func TestGuideMeOrigin(t *testing.T) {
	work := image.Rect(0, 0, 1024, 600)
	const w, h = 340, 170
	over := func(x, y int32, v walk.View) bool {
		card := image.Rect(int(x), int(y), int(x)+w, int(y)+h)
		ring := image.Rect(v.Ring.X-v.Radius, v.Ring.Y-v.Radius, v.Ring.X+v.Radius, v.Ring.Y+v.Radius)
		return card.Overlaps(ring)
	}
	for _, v := range []walk.View{
		{State: walk.Found, Ring: image.Pt(100, 300), Radius: 22},
		{State: walk.Found, Ring: image.Pt(1000, 20), Radius: 22},
		{State: walk.About, Ring: image.Pt(512, 590), Radius: 44},
		{State: walk.Found, Ring: image.Pt(500, 300), Radius: 22},
	} {
		x, y := guideMeOrigin(v, work, w, h, "top-right")
		if over(x, y, v) || !image.Rect(int(x), int(y), int(x)+w, int(y)+h).In(work) {
			t.Errorf("ring %v: card at %d,%d covers it or leaves the screen", v.Ring, x, y)
		}
	}
	// A card-only step docks beside the app's window.
	x, y := guideMeOrigin(walk.View{State: walk.Card, Area: image.Rect(100, 100, 500, 400)}, work, w, h, "top-right")
	if x != 516 || y != 100 {
		t.Errorf("docked at %d,%d, want right of the window at 516,100", x, y)
	}
}
