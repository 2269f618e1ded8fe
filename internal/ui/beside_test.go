package ui

import (
	"errors"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/ui/kit"
)

// TestBesideChecklist: the window opens at the first step not done; Done
// saves the step (the viewer sees it) and moves on; Back and Next stop at
// the ends; "Open the whole guide" opens it at the step's section.
func TestBesideChecklist(t *testing.T) {
	newApp(t)
	g := sampleGuide(t, "sales/monthly-sales-report.md")
	p := &progress{saved: map[string]bool{g.Steps[0].ID: true, g.Steps[1].ID: true}}
	b := NewBeside(g, p.fake())
	w := show(t, kit.NewTipHost(b), BesideSize)
	if at, of := b.Step(); at != 2 || of != len(g.Steps) {
		t.Fatalf("opens at step %d of %d, want 2 of %d", at, of, len(g.Steps))
	}
	wantText(t, w.Content(), "Step 3 of 15", g.Steps[2].Text[:20])
	if b.done.Checked {
		t.Error("an open step shows as done")
	}
	test.Tap(b.done)
	if len(p.calls) != 1 || p.calls[0] != "set sales/monthly-sales-report.md "+g.Steps[2].ID+" true" {
		t.Errorf("Done saved %v", p.calls)
	}
	if at, _ := b.Step(); at != 3 {
		t.Errorf("after Done at step %d, want the next (3)", at)
	}
	test.Tap(b.back)
	if at, _ := b.Step(); at != 2 || !b.done.Checked {
		t.Errorf("Back: step %d done %v, want 2 done", at, b.done.Checked)
	}
	for range 20 {
		test.Tap(b.next)
	}
	if at, of := b.Step(); at != of-1 || !b.next.Disabled() {
		t.Errorf("Next past the end: step %d of %d, next disabled %v", at, of, b.next.Disabled())
	}
	var opened, anchor string
	b.OnOpen = func(id, a string) { opened, anchor = id, a }
	test.Tap(findAll[*kit.TipButton](w.Content())[0])
	if opened != g.ID || anchor == "" {
		t.Errorf("open the whole guide: %q at %q", opened, anchor)
	}
	// A step that cannot be saved says so and stays.
	p2 := fakeProgress{setStep: func(string, string, bool) error { return errors.New("disk full") }}
	b2 := NewBeside(g, p2)
	show(t, b2, BesideSize)
	test.Tap(b2.done)
	if at, _ := b2.Step(); at != 0 || !b2.errText.Visible() {
		t.Errorf("a failed save: at %d, error shown %v", at, b2.errText.Visible())
	}
}

// TestBesideNumberedSteps: a guide's numbered steps, without ticks.
func TestBesideNumberedSteps(t *testing.T) {
	newApp(t)
	g, ps := guide.Parse("save.md", []byte("---\ntitle: Save a report\n---\n1. Open **Reports**.\n2. Click Export.\n"))
	if g == nil {
		t.Fatal(ps)
	}
	b := NewBeside(g, nil)
	w := show(t, b, BesideSize)
	wantText(t, w.Content(), "Step 1 of 2", "Open Reports.")
	if b.done.Visible() {
		t.Error("a numbered step has a Done box")
	}
	test.Tap(b.next)
	wantText(t, w.Content(), "Step 2 of 2", "Click Export.")
	if !HasSteps(g) || HasSteps(&guide.Guide{Body: "Only text."}) {
		t.Error("HasSteps")
	}
}

// TestViewerWorkBeside: a guide with steps offers "Step by step".
func TestViewerWorkBeside(t *testing.T) {
	newApp(t)
	g := sampleGuide(t, "sales/monthly-sales-report.md")
	var got *guide.Guide
	v := NewViewer(g, ViewerConfig{OnWorkBeside: func(g *guide.Guide) { got = g }})
	w := show(t, v, ViewerSize)
	test.Tap(button(t, w.Content(), "Step by step"))
	if got != g {
		t.Error("the button did not call OnWorkBeside with the guide")
	}
	plain, _ := guide.Parse("p.md", []byte("---\ntitle: Plain\n---\nJust text.\n"))
	w2 := show(t, NewViewer(plain, ViewerConfig{OnWorkBeside: func(*guide.Guide) {}}), ViewerSize)
	if findButton(w2.Content(), "Step by step") != nil {
		t.Error("a guide without steps offers to work beside the app")
	}
}
