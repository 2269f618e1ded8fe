package ui

import (
	"image"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/cuecard/cuecard/internal/guide"
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

// TestPanelGuideMe: a row of a guide with click targets has a Guide me
// button (when the app offers Guide me) that starts it; other rows do not.
func TestPanelGuideMe(t *testing.T) {
	newApp(t)
	p := NewPanel()
	var started []string
	p.OnGuideMe = func(id string) { started = append(started, id) }
	p.Set(PanelState{App: "Acme CRM", Guides: []Hit{{ID: "a.md", Title: "How to file a deal", GuideMe: true}, {ID: "b.md", Title: "How to refund"}}})
	show(t, p, PanelSize)
	var shown []*kit.TipButton
	for _, r := range p.pool[:len(p.rows)] {
		if r.gm.Visible() {
			shown = append(shown, r.gm)
		}
	}
	if len(shown) != 1 {
		t.Fatalf("%d rows show Guide me, want 1", len(shown))
	}
	test.Tap(shown[0])
	if join(started) != "a.md" {
		t.Errorf("Guide me started %q", started)
	}
	p.OnGuideMe = nil
	p.Set(PanelState{App: "Acme CRM", Guides: []Hit{{ID: "a.md", Title: "How to file a deal", GuideMe: true}}})
	for _, r := range p.pool {
		if r.gm.Visible() {
			t.Error("Guide me shown without the app offering it")
		}
	}
}

// TestViewerGuideMe: a guide with click targets gets Guide me beside Step
// by step; one without gets Step by step only.
func TestViewerGuideMe(t *testing.T) {
	newApp(t)
	src := "---\ntitle: How to file a deal\n---\n1. Click **New deal**.\n\n   <!-- cuecard-target patch=p.png x=10 y=10 w=100 h=100 dx=48 dy=48 -->\n\n2. Click **Save**.\n"
	g, ps := guide.Parse("crm/file.md", []byte(src))
	if g == nil {
		t.Fatal(ps)
	}
	var started string
	cfg := ViewerConfig{OnWorkBeside: func(*guide.Guide) {}, OnGuideMe: func(g *guide.Guide) { started = g.ID }}
	labels := func(v *Viewer) (out []string) {
		for _, b := range findAll[*kit.Button](v) {
			out = append(out, b.Text)
		}
		return out
	}
	v := NewViewer(g, cfg)
	show(t, v, ViewerSize)
	var gm *kit.Button
	for _, b := range findAll[*kit.Button](v) {
		if b.Text == "Guide me" {
			gm = b
		}
	}
	if gm == nil {
		t.Fatalf("no Guide me button: %q", labels(v))
	}
	test.Tap(gm)
	if started != "crm/file.md" {
		t.Errorf("Guide me started %q", started)
	}
	plain, _ := guide.Parse("crm/plain.md", []byte("---\ntitle: How to refund\n---\n1. Open it.\n2. Refund.\n"))
	for _, l := range labels(NewViewer(plain, cfg)) {
		if l == "Guide me" {
			t.Error("Guide me on a guide without click targets")
		}
	}
}
