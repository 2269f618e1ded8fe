package ui

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/cuecard/cuecard/internal/ui/kit"
)

// SearchSize is the size the search window is designed for.
var SearchSize = fyne.NewSize(560, 420)

// Defaults of the search window.
const (
	DefaultSearchLimit    = 20
	DefaultSearchDebounce = 60 * time.Millisecond
)

// Search is the content of the hotkey search window: an entry with results
// as you type. Queries run on a goroutine after a short pause in typing; a
// newer query cancels an older one, and only the newest result is shown.
// Up and Down move the selection, Enter opens the selected guide, Escape
// closes.
//
// The callbacks are called on the UI goroutine; nil callbacks are skipped.
type Search struct {
	widget.BaseWidget

	// OnOpen is called with the guide (and FAQ anchor, or "") to open.
	OnOpen func(id, anchor string)
	// OnClose is called by Escape.
	OnClose func()
	// OnDone is told the final query and how many guides it found when
	// the user opens a guide or closes the window (not on every keystroke:
	// "searches that found nothing" should be what people gave up on).
	OnDone func(query string, hits int)
	// Limit is the most results asked for; 0 means DefaultSearchLimit.
	Limit int
	// Debounce is the pause in typing before a query runs; 0 means
	// DefaultSearchDebounce. The empty query runs at once.
	Debounce time.Duration

	searcher Searcher
	// do applies a result on the UI goroutine: fyne.Do, replaced in tests.
	do func(func())

	entry   *searchEntry
	results *fyne.Container
	pool    []*searchRow // result rows, made as needed and reused
	scroll  *container.Scroll
	message *widget.Label
	content fyne.CanvasObject

	hits []Hit
	rows []*kit.TapBox
	sel  int

	// gen numbers queries; shown is the number of the query on screen.
	gen           atomic.Uint64
	shown         uint64
	cancel        context.CancelFunc
	openWhenReady bool
}

// NewSearch returns the search window content for s.
func NewSearch(s Searcher) *Search {
	w := &Search{searcher: s, do: fyne.Do, sel: -1}
	w.ExtendBaseWidget(w)

	w.entry = newSearchEntry()
	w.entry.SetPlaceHolder("Search guides")
	w.entry.OnChanged = w.query
	w.entry.onKey = w.typedKey

	// The rows are made once and updated in place; they have half the
	// padding themselves (dense, see package kit), not through a theme
	// override.
	w.results = kit.NewDenseVBox()
	for range DefaultSearchLimit {
		r := w.newRow(len(w.pool))
		r.box.Hide()
		w.pool = append(w.pool, r)
		w.results.Add(r.box)
	}
	w.scroll = container.NewVScroll(kit.DenseScrollGutter(w.results))
	w.message = widget.NewLabel("")
	w.message.Wrapping = fyne.TextWrapWord
	w.message.Alignment = fyne.TextAlignCenter
	w.message.Hide()

	// The arrows are icons, not the characters: fonts without them (Wine's;
	// fyne's own has none) would draw boxes.
	arrow := func(r fyne.Resource) fyne.CanvasObject {
		i := canvas.NewImageFromResource(theme.NewColoredResource(r, theme.ColorNamePlaceHolder))
		i.FillMode = canvas.ImageFillContain
		i.SetMinSize(fyne.NewSquareSize(theme.Size(theme.SizeNameCaptionText) + 2))
		return i
	}
	hint := container.NewHBox(layout.NewSpacer(), arrow(theme.MoveUpIcon()), arrow(theme.MoveDownIcon()),
		kit.Caption("select · Enter open · Esc close"))

	w.content = container.NewBorder(
		container.NewBorder(nil, nil, widget.NewIcon(theme.SearchIcon()), nil, w.entry),
		hint, nil, nil,
		container.NewStack(w.scroll, container.NewVBox(w.message)))
	return w
}

func (w *Search) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(w.content)
}

// Entry is the text entry; focus it when the window is shown.
func (w *Search) Entry() fyne.Focusable { return w.entry }

// Query is the text in the entry.
func (w *Search) Query() string { return w.entry.Text }

// Hits are the results on screen.
func (w *Search) Hits() []Hit { return w.hits }

// Selected is the index of the selected result, or -1.
func (w *Search) Selected() int { return w.sel }

// Reset empties the entry and shows the results of the empty query (the
// focused app's guides). Call it each time the window is shown.
func (w *Search) Reset() {
	w.openWhenReady = false
	if w.entry.Text != "" {
		w.entry.SetText("") // runs the query through OnChanged
		return
	}
	w.query("")
}

// SetQuery puts text in the entry and searches for it.
func (w *Search) SetQuery(text string) {
	if w.entry.Text == text {
		w.query(text)
		return
	}
	w.entry.SetText(text)
}

// query starts a search for text, cancelling the one in flight.
func (w *Search) query(text string) {
	gen := w.gen.Add(1)
	if w.cancel != nil {
		w.cancel()
	}
	ctx, cancel := context.WithCancel(context.Background())
	w.cancel = cancel

	delay := w.Debounce
	if delay <= 0 {
		delay = DefaultSearchDebounce
	}
	if text == "" {
		delay = 0
	}
	limit := w.Limit
	if limit <= 0 {
		limit = DefaultSearchLimit
	}
	go w.run(ctx, gen, text, limit, delay)
}

// run waits out the debounce, searches and hands the result to the UI
// goroutine. It runs on a goroutine of its own.
func (w *Search) run(ctx context.Context, gen uint64, text string, limit int, delay time.Duration) {
	if delay > 0 {
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
	var hits []Hit
	var err error
	if w.searcher != nil {
		hits, err = w.searcher.Search(ctx, text, limit)
	}
	if ctx.Err() != nil {
		return
	}
	w.do(func() {
		if w.gen.Load() != gen {
			return // superseded while waiting for the UI goroutine
		}
		w.apply(gen, text, hits, err)
	})
}

// apply shows the result of query gen.
func (w *Search) apply(gen uint64, text string, hits []Hit, err error) {
	w.shown = gen
	if err != nil {
		hits = nil
	}
	w.hits = hits
	// Rows are reused, never replaced; more are made only when more are
	// needed than were made (a Limit above DefaultSearchLimit).
	for len(w.pool) < len(hits) {
		w.pool = append(w.pool, w.newRow(len(w.pool)))
	}
	w.rows = w.rows[:0]
	objs := make([]fyne.CanvasObject, 0, len(w.pool))
	for i, r := range w.pool {
		r.box.SetSelected(false) // a reused row keeps no earlier selection
		if i < len(hits) {
			r.set(hits[i])
			r.box.Show()
			w.rows = append(w.rows, r.box)
		} else {
			r.box.Hide()
		}
		objs = append(objs, r.box)
	}
	w.results.Objects = objs
	w.results.Refresh()
	w.scroll.ScrollToTop()

	switch {
	case err != nil:
		w.showMessage(fmt.Sprintf("Search failed: %v", err))
	case len(hits) == 0 && text == "":
		w.showMessage("Type to search all guides.")
	case len(hits) == 0:
		w.showMessage(fmt.Sprintf("No guides found for “%s”.", text))
	default:
		w.message.Hide()
	}

	w.sel = -1
	if len(hits) > 0 {
		w.setSelected(0)
	}
	if w.openWhenReady {
		w.openWhenReady = false
		w.openSelected()
	}
}

func (w *Search) showMessage(text string) {
	w.message.SetText(text)
	w.message.Show()
}

// searchRow is one result row, updated in place by set.
type searchRow struct {
	box               *kit.TapBox
	title             *kit.TruncLabel
	forApp, stale     *kit.Badge
	others            *kit.Badge // the roles the guide is for, when not the user's
	duration, snippet *kit.FlowText
	icon              *widget.Icon
}

func (w *Search) newRow(i int) *searchRow {
	r := &searchRow{title: kit.NewTruncLabel("", fyne.TextStyle{Bold: true}),
		forApp: kit.NewBadge("for this app", theme.ColorNamePrimary).Dense(), stale: staleBadge().Dense(),
		others:   kit.NewBadge("", theme.ColorNamePlaceHolder).Dense(),
		duration: kit.Caption("").Dense(), snippet: kit.NewFlowText().Dense(), icon: widget.NewIcon(nil)}
	right := kit.NewDenseHBox(r.forApp, r.others, r.stale, r.duration)
	row := kit.NewDenseBorder(container.New(&kit.TopOffset{}, r.icon), nil,
		container.New(&kit.TightVBox{}, kit.NewDenseBorder(nil, right, r.title), r.snippet))
	r.box = kit.NewTapBox(row, func() {
		w.setSelected(i)
		w.openSelected()
	})
	return r
}

// set shows hit h in the row.
func (r *searchRow) set(h Hit) {
	r.title.SetText(h.Title)
	showIf(r.forApp, h.AppMatch)
	if h.ForOthers != "" {
		r.others.SetText("for " + h.ForOthers)
	}
	showIf(r.others, h.ForOthers != "")
	showIf(r.stale, h.Stale)
	d := durationText(h.Duration)
	r.duration.SetRuns(kit.Run{Text: d, Style: kit.Style{Color: theme.ColorNamePlaceHolder, Size: theme.SizeNameCaptionText}})
	showIf(r.duration, d != "")
	var runs []kit.Run
	if h.Section != "" {
		runs = append(runs, kit.Run{Text: h.Section + " — ", Style: kit.Style{Italic: true}})
	}
	switch {
	case h.Snippet != "":
		runs = append(runs, snippetRuns(h.Snippet)...)
	case h.Summary != "":
		runs = append(runs, snippetRuns(h.Summary)...)
	}
	r.snippet.SetRuns(runs...)
	showIf(r.snippet, len(runs) > 0)
	r.icon.SetResource(FormatIcon(h.Format))
}

// showIf shows o when on, else hides it.
func showIf(o fyne.CanvasObject, on bool) {
	if on {
		o.Show()
	} else {
		o.Hide()
	}
}

// typedKey handles the keys of the entry that move through results; it
// reports whether it used the key.
func (w *Search) typedKey(k fyne.KeyName) bool {
	switch k {
	case fyne.KeyDown:
		if len(w.hits) > 0 {
			w.setSelected(min(w.sel+1, len(w.hits)-1))
		}
	case fyne.KeyUp:
		if len(w.hits) > 0 {
			w.setSelected(max(w.sel-1, 0))
		}
	case fyne.KeyReturn, fyne.KeyEnter:
		if w.shown != w.gen.Load() {
			w.openWhenReady = true // typed and pressed Enter before the results came
			return true
		}
		w.openSelected()
	case fyne.KeyEscape:
		w.closeSearch()
	default:
		return false
	}
	return true
}

func (w *Search) closeSearch() {
	if w.cancel != nil {
		w.cancel()
	}
	w.openWhenReady = false
	w.done()
	call(w.OnClose)
}

func (w *Search) setSelected(i int) {
	if w.sel >= 0 && w.sel < len(w.rows) {
		w.rows[w.sel].SetSelected(false)
	}
	w.sel = i
	if i < 0 || i >= len(w.rows) {
		return
	}
	w.rows[i].SetSelected(true)
	w.ensureVisible(w.rows[i])
}

// ensureVisible scrolls so that row is in view.
func (w *Search) ensureVisible(row fyne.CanvasObject) {
	view := w.scroll.Size().Height
	if view <= 0 {
		return
	}
	top, bottom := row.Position().Y, row.Position().Y+row.Size().Height
	off := w.scroll.Offset
	switch {
	case top < off.Y:
		off.Y = top
	case bottom > off.Y+view:
		off.Y = bottom - view
	default:
		return
	}
	w.scroll.ScrollToOffset(off)
}

func (w *Search) done() {
	if w.OnDone != nil && strings.TrimSpace(w.entry.Text) != "" {
		w.OnDone(w.entry.Text, len(w.hits))
	}
}

func (w *Search) openSelected() {
	if w.sel < 0 || w.sel >= len(w.hits) {
		return
	}
	h := w.hits[w.sel]
	w.done()
	if w.OnOpen != nil {
		w.OnOpen(h.ID, h.Anchor)
	}
}

// searchEntry is an Entry that lets the search window take the keys that
// move through results.
type searchEntry struct {
	widget.Entry
	onKey func(fyne.KeyName) bool
}

func newSearchEntry() *searchEntry {
	e := &searchEntry{}
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey gives Up, Down, Enter and Escape to the search window.
func (e *searchEntry) TypedKey(k *fyne.KeyEvent) {
	if e.onKey != nil && e.onKey(k.Name) {
		return
	}
	e.Entry.TypedKey(k)
}

// TypedShortcut closes the search window on Ctrl+W, like Escape.
func (e *searchEntry) TypedShortcut(s fyne.Shortcut) {
	if cs, ok := s.(*desktop.CustomShortcut); ok && cs.KeyName == fyne.KeyW && cs.Modifier == fyne.KeyModifierShortcutDefault {
		if e.onKey != nil && e.onKey(fyne.KeyEscape) {
			return
		}
	}
	e.Entry.TypedShortcut(s)
}
