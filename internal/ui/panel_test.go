package ui

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/ui/kit"
)

func panelHits(n int) []Hit {
	var hits []Hit
	for i := range n {
		hits = append(hits, Hit{
			ID: fmt.Sprintf("g%d.md", i), Title: fmt.Sprintf("Guide %d", i),
			Format: guide.Formats[i%len(guide.Formats)], Duration: time.Duration(i+1) * time.Minute,
			Stale: i == 1,
		})
	}
	return hits
}

func TestPanelRows(t *testing.T) {
	newApp(t)
	p := NewPanel()
	var opened []string
	p.OnOpen = func(id string) { opened = append(opened, id) }
	p.Set(PanelState{App: "Acme CRM", Guides: panelHits(7)})
	w := show(t, p, PanelSize)

	if len(p.rows) != MaxPanelGuides {
		t.Fatalf("%d rows, want %d", len(p.rows), MaxPanelGuides)
	}
	wantText(t, w.Content(), "Acme CRM", "Guide 0", "Guide 4", "Guide · 1 min", "Checklist · 2 min")
	wantNoText(t, w.Content(), "Guide 5", "Guide 6", "No guides")
	if got := len(findAll[*kit.Badge](w.Content())); got != 1 {
		t.Errorf("%d badges, want 1 (the stale guide)", got)
	}
	if got := shownText(p.rows[1]); got != "Guide 1 Checklist · 2 min review overdue" {
		t.Errorf("stale row shows %q", got)
	}

	test.Tap(p.rows[3])
	test.Tap(p.rows[0])
	if fmt.Sprint(opened) != "[g3.md g0.md]" {
		t.Errorf("opened %v, want [g3.md g0.md]", opened)
	}

	p.Set(PanelState{App: "Calc"})
	settle(w)
	wantText(t, w.Content(), "Calc", "No guides for this app yet.")
	if len(p.rows) != 0 {
		t.Errorf("%d rows after emptying", len(p.rows))
	}
}

func TestPanelStatus(t *testing.T) {
	newApp(t)
	p := NewPanel()
	w := show(t, p, PanelSize)
	wantNoText(t, w.Content(), "unavailable")

	p.Set(PanelState{App: "Firefox", Guides: panelHits(1), Status: "focus tracking unavailable: no display"})
	settle(w)
	wantText(t, w.Content(), "focus tracking unavailable: no display", "Guide 0")

	p.Set(PanelState{App: "Firefox", Guides: panelHits(1)})
	settle(w)
	wantNoText(t, w.Content(), "unavailable")
}

func TestPanelButtons(t *testing.T) {
	newApp(t)
	p := NewPanel()
	local := time.FixedZone("CET", 3600)
	now := time.Date(2027, 3, 4, 22, 30, 0, 0, local)
	p.Now = func() time.Time { return now }
	var calls []string
	p.OnSearch = func() { calls = append(calls, "search") }
	p.OnMute = func() { calls = append(calls, "mute") }
	p.OnClose = func() { calls = append(calls, "close") }
	var snoozes []time.Time
	p.OnSnooze = func(until time.Time) { snoozes = append(snoozes, until) }
	p.Set(PanelState{App: "Acme CRM", Guides: panelHits(2)})
	w := show(t, p, PanelSize)

	buttons := findAll[*kit.TipButton](w.Content())
	if len(buttons) != 4 {
		t.Fatalf("%d buttons, want search, snooze, mute, close", len(buttons))
	}
	// Each says what it does.
	p.SetHotkey("Ctrl+Alt+Space")
	for i, want := range []string{"Search all guides (Ctrl+Alt+Space)", "Snooze: no suggestions for Acme CRM for a while",
		"Mute: never pop up by itself for Acme CRM", "Close"} {
		if got := buttons[i].TipText(); got != want {
			t.Errorf("button %d tooltip %q, want %q", i, got, want)
		}
	}
	test.Tap(buttons[0])
	test.Tap(buttons[2])
	test.Tap(buttons[3])
	if fmt.Sprint(calls) != "[search mute close]" {
		t.Errorf("calls %v", calls)
	}

	// The snooze button shows the choices in the panel (no pop-up menu:
	// the panel never has the keyboard focus to close one with Escape).
	resized := 0
	p.OnResize = func() { resized++ }
	h0 := p.FitSize().Height
	test.Tap(buttons[1])
	if !p.SnoozeChoices() || resized != 1 || p.FitSize().Height <= h0 || w.Canvas().Overlays().Top() != nil {
		t.Fatalf("snooze: choices %v, resized %d, height %v (was %v), overlay %v", p.SnoozeChoices(), resized, p.FitSize().Height, h0, w.Canvas().Overlays().Top())
	}
	test.Tap(button(t, w.Content(), "1 hour"))
	if p.SnoozeChoices() {
		t.Error("the choices stay after one was taken")
	}
	test.Tap(buttons[1])
	test.Tap(button(t, w.Content(), "Until tomorrow"))
	test.Tap(buttons[1])
	test.Tap(buttons[1]) // again: closes the choices
	if p.SnoozeChoices() || len(snoozes) != 2 {
		t.Errorf("a second tap leaves the choices open (%v) or snoozed (%d)", p.SnoozeChoices(), len(snoozes))
	}
	want := []time.Time{now.Add(time.Hour), time.Date(2027, 3, 5, 0, 0, 0, 0, local)}
	if len(snoozes) != 2 || !snoozes[0].Equal(want[0]) || !snoozes[1].Equal(want[1]) {
		t.Errorf("snoozes %v, want %v", snoozes, want)
	}
}

// TestPanelNote: a line under the guides with a button (the undo after a
// mute, or why nothing popped) that calls its action and makes room.
func TestPanelNote(t *testing.T) {
	newApp(t)
	p := NewPanel()
	p.Set(PanelState{App: "Acme CRM", Guides: panelHits(1)})
	plain := p.FitSize()
	undone := 0
	p.Set(PanelState{App: "Acme CRM", Guides: panelHits(1), Note: "Acme CRM is muted: no more pop-ups for it. Settings lists muted apps.",
		Action: "Undo", OnAction: func() { undone++ }})
	if st := p.FitSize(); st.Height <= plain.Height {
		t.Errorf("the note adds no height: %v vs %v", st, plain)
	}
	w := show(t, p, p.FitSize())
	wantText(t, w.Content(), "Acme CRM is muted")
	var undo *kit.Button
	for _, b := range findAll[*kit.Button](w.Content()) {
		if b.Text == "Undo" && b.Visible() {
			undo = b
		}
	}
	if undo == nil {
		t.Fatal("no Undo button")
	}
	test.Tap(undo)
	if undone != 1 {
		t.Errorf("Undo called the action %d times", undone)
	}
	p.Set(PanelState{App: "Acme CRM", Guides: panelHits(1)})
	if p.noteC.Visible() || p.FitSize() != plain {
		t.Error("the note stays after it is gone from the state")
	}
}

// TestPanelTooltips: resting the pointer on a button shows what it does,
// and on a row whose title is cut short, the whole title; over the panel,
// never taking its clicks.
func TestPanelTooltips(t *testing.T) {
	newApp(t)
	t.Cleanup(kit.TipsAtOnce())
	p := NewPanel()
	long := "How to reconcile the monthly card statement with the receipts in the finance system"
	p.Set(PanelState{App: "Acme CRM", Guides: []Hit{{ID: "a.md", Title: long}, {ID: "b.md", Title: "Short"}}})
	host := kit.NewTipHost(p)
	w := show(t, host, PanelSize)
	mute := findAll[*kit.TipButton](w.Content())[2]
	test.MoveMouse(w.Canvas(), fyne.CurrentApp().Driver().AbsolutePositionForObject(mute).Add(fyne.NewPos(4, 4)))
	if got := host.Tip(); got != "Mute: never pop up by itself for Acme CRM" {
		t.Errorf("tooltip over mute %q", got)
	}
	rows := p.rows
	test.MoveMouse(w.Canvas(), fyne.CurrentApp().Driver().AbsolutePositionForObject(rows[0]).Add(fyne.NewPos(20, 8)))
	if got := host.Tip(); got != long {
		t.Errorf("tooltip over the cut title %q", got)
	}
	test.MoveMouse(w.Canvas(), fyne.CurrentApp().Driver().AbsolutePositionForObject(rows[1]).Add(fyne.NewPos(20, 8)))
	if got := host.Tip(); got != "" {
		t.Errorf("a title shown whole has a tooltip %q", got)
	}
	opened := ""
	p.OnOpen = func(id string) { opened = id }
	test.MoveMouse(w.Canvas(), fyne.CurrentApp().Driver().AbsolutePositionForObject(rows[0]).Add(fyne.NewPos(20, 8)))
	test.TapCanvas(w.Canvas(), fyne.CurrentApp().Driver().AbsolutePositionForObject(rows[0]).Add(fyne.NewPos(20, 8)))
	if opened != "a.md" {
		t.Errorf("a click on the row with its tooltip opened %q", opened)
	}
}

// TestPanelFitSize checks that the panel is sized to its rows: one guide
// gives a shorter panel than five, and at its fitted size every row shows
// without scrolling.
func TestPanelFitSize(t *testing.T) {
	newApp(t)
	p := NewPanel()
	sizes := map[int]fyne.Size{}
	for _, n := range []int{0, 1, 3, 5, 7} {
		p.Set(PanelState{App: "Acme CRM", Guides: panelHits(n)})
		size := p.FitSize()
		sizes[n] = size
		if size.Width != PanelSize.Width || size.Height < minPanelHeight || size.Height > PanelSize.Height {
			t.Errorf("%d guides: size %v outside %v..%v", n, size, minPanelHeight, PanelSize)
		}
		w := show(t, p, size)
		scroll := findAll[*container.Scroll](w.Content())
		if len(scroll) != 1 {
			t.Fatalf("%d scroll containers, want 1", len(scroll))
		}
		if in, out := scroll[0].Content.MinSize().Height, scroll[0].Size().Height; in > out+0.5 {
			t.Errorf("%d guides: rows need %.0f px, the panel gives %.0f: they scroll", n, in, out)
		}
	}
	if !(sizes[1].Height < sizes[3].Height && sizes[3].Height < sizes[5].Height) {
		t.Errorf("heights do not grow with rows: %v", sizes)
	}
	if sizes[7] != sizes[5] {
		t.Errorf("7 guides (%v) should size like the 5 shown (%v)", sizes[7], sizes[5])
	}
	p.Set(PanelState{App: "Acme CRM", Guides: panelHits(1), Status: "focus tracking unavailable: the X server connection was lost; search still works"})
	if st := p.FitSize(); st.Height <= sizes[1].Height {
		t.Errorf("a status line does not add height: %v vs %v", st, sizes[1])
	}
}

// TestPanelUpdatesDoNotGrowTheHeap: the panel follows focus all day; each
// update must reuse its rows.
func TestPanelUpdatesDoNotGrowTheHeap(t *testing.T) {
	newApp(t)
	p := NewPanel()
	w := show(t, p, PanelSize)
	update := func(i int) {
		hits := panelHits(1 + i%5)
		for j := range hits {
			hits[j].Title = fmt.Sprintf("How to do task %d-%d", i, j)
		}
		p.Set(PanelState{App: fmt.Sprintf("App %d", i%7), Guides: hits})
		w.Canvas().Refresh(p)
	}
	heap := func() uint64 {
		var m runtime.MemStats
		runtime.GC()
		runtime.GC()
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	for i := range 300 { // warm up caches
		update(i)
	}
	before := heap()
	for i := range 3000 {
		update(i)
	}
	if grown := int64(heap()) - int64(before); grown > 8<<20 {
		t.Errorf("3,000 panel updates grew the heap by %d MB", grown>>20)
	}
}
