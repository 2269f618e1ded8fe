package ui

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

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

	buttons := findAll[*widget.Button](w.Content())
	if len(buttons) != 4 {
		t.Fatalf("%d buttons, want search, snooze, mute, close", len(buttons))
	}
	test.Tap(buttons[0])
	test.Tap(buttons[2])
	test.Tap(buttons[3])
	if fmt.Sprint(calls) != "[search mute close]" {
		t.Errorf("calls %v", calls)
	}

	// The snooze button opens a menu over the panel.
	test.Tap(buttons[1])
	menu := w.Canvas().Overlays().Top()
	if menu == nil {
		t.Fatal("snooze shows no menu")
	}
	wantText(t, menu, "Snooze for 1 hour", "Snooze until tomorrow")
	tapMenuItem(t, menu, "Snooze for 1 hour")
	test.Tap(buttons[1])
	tapMenuItem(t, w.Canvas().Overlays().Top(), "Snooze until tomorrow")
	want := []time.Time{now.Add(time.Hour), time.Date(2027, 3, 5, 0, 0, 0, 0, local)}
	if len(snoozes) != 2 || !snoozes[0].Equal(want[0]) || !snoozes[1].Equal(want[1]) {
		t.Errorf("snoozes %v, want %v", snoozes, want)
	}
}

// tapMenuItem taps the item of a shown menu with the label.
func tapMenuItem(t *testing.T, menu fyne.CanvasObject, label string) {
	t.Helper()
	for _, it := range findAll[fyne.Tappable](menu) {
		if o, ok := it.(fyne.CanvasObject); ok && shownText(o) == label {
			test.Tap(it)
			return
		}
	}
	t.Fatalf("no menu item %q in %q", label, shownText(menu))
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
