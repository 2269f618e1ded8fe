package ui

import (
	"math"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/cuecard/cuecard/internal/ui/kit"
)

// MaxPanelGuides is how many guides the panel lists.
const MaxPanelGuides = 5

// PanelSize is the largest size of the floating panel: its width, and the
// height it grows to with MaxPanelGuides rows (see FitSize).
var PanelSize = fyne.NewSize(340, 300)

// minPanelHeight keeps a panel with one short row from looking like a
// stray tooltip.
const minPanelHeight = 120

// PanelState is what the panel shows.
type PanelState struct {
	// App is the focused application's display name, e.g. "Acme CRM".
	App string
	// Guides are the guides for App, best first; only the first
	// MaxPanelGuides are shown.
	Guides []Hit
	// Status is a degradation notice such as "focus tracking unavailable:
	// no X display", or "" for none.
	Status string
	// Note is a line for the user under the guides, e.g. why nothing
	// popped for this app, or "" for none. With Action set, a button
	// labelled Action beside it calls OnAction.
	Note     string
	Action   string
	OnAction func()
}

// Panel is the content of the small floating suggestion panel: a header
// with the app's name and the search, snooze, mute and close buttons, the
// app's guides, and a status line.
//
// The callbacks are called on the UI goroutine; nil callbacks are skipped.
type Panel struct {
	widget.BaseWidget

	// OnSearch is called by the search button.
	OnSearch func()
	// OnSnooze is called with the end of the snooze the user chose.
	OnSnooze func(until time.Time)
	// OnMute is called by the "mute this app" button.
	OnMute func()
	// OnResize is called when the panel's content changed its FitSize
	// without Set (the snooze choices opened or closed).
	OnResize func()
	// OnClose is called by the close button.
	OnClose func()
	// OnOpen is called with the id of the guide the user clicked.
	OnOpen func(id string)
	// OnGuideMe, when set, gives the rows of guides with click targets
	// (Hit.GuideMe) a "Guide me" button, which calls it with the id.
	OnGuideMe func(id string)
	// Now is the clock for snoozes; nil means time.Now.
	Now func() time.Time

	state   PanelState
	hotkey  string
	title   *widget.Label
	search  *kit.TipButton
	note    *kit.FlowText
	noteBtn *kit.Button
	noteC   fyne.CanvasObject
	// snoozeC is the row of snooze choices the snooze button opens: in
	// the panel, not a pop-up menu, because the panel never has the
	// keyboard focus (Escape could not close a menu).
	snoozeC  fyne.CanvasObject
	snoozeAt *widget.Label
	list     *fyne.Container
	rowsC    fyne.CanvasObject // the list with room for the scroll bar
	empty    *kit.FlowText
	status   *kit.FlowText
	statusC  fyne.CanvasObject
	snooze   *kit.TipButton
	mute     *kit.TipButton
	rows     []*kit.TapBox // the rows shown, a prefix of pool's boxes
	pool     []*panelRow   // MaxPanelGuides rows, made once
	top      fyne.CanvasObject
	content  fyne.CanvasObject
}

// NewPanel returns an empty panel; fill it with Set.
func NewPanel() *Panel {
	p := &Panel{}
	p.ExtendBaseWidget(p)

	p.title = widget.NewLabel("Cuecard")
	p.title.TextStyle.Bold = true
	p.title.Truncation = fyne.TextTruncateEllipsis

	// Icons say little on their own: each button has a tooltip.
	p.search = kit.NewTipButton(theme.SearchIcon(), "Search all guides", func() { call(p.OnSearch) })
	p.snooze = kit.NewTipButton(theme.HistoryIcon(), "Snooze: no suggestions for this app for a while", p.toggleSnooze)
	p.mute = kit.NewTipButton(theme.VisibilityOffIcon(), "Mute: never pop up by itself for this app", func() { call(p.OnMute) })
	closeB := kit.NewTipButton(theme.CancelIcon(), "Close", func() { call(p.OnClose) })
	buttons := container.NewHBox(p.search, p.snooze, p.mute, closeB)
	header := container.NewBorder(nil, nil, nil, buttons, p.title)

	// The rows are made once and updated in place; they have half the
	// padding themselves (dense, see package kit), not through a theme
	// override.
	p.empty = kit.Subtle("No guides for this app yet.").Dense()
	objs := []fyne.CanvasObject{p.empty}
	for range MaxPanelGuides {
		r := p.newRow()
		r.box.Hide()
		p.pool = append(p.pool, r)
		objs = append(objs, r.box)
	}
	p.list = kit.NewDenseVBox(objs...)
	p.rowsC = kit.DenseScrollGutter(p.list)

	p.status = kit.NewText("", kit.Style{})
	p.statusC = kit.Notice(theme.NewWarningThemedResource(theme.WarningIcon()), theme.ColorNameWarning, p.status)
	p.statusC.Hide()

	p.note = kit.NewText("", kit.Style{})
	p.noteBtn = kit.NewButton("", nil, func() {
		if p.state.OnAction != nil {
			p.state.OnAction()
		}
	})
	p.noteBtn.Importance = widget.HighImportance
	p.noteC = kit.Notice(theme.InfoIcon(), theme.ColorNamePrimary,
		container.NewBorder(nil, nil, nil, container.NewCenter(p.noteBtn), p.note))
	p.noteC.Hide()

	p.snoozeAt = widget.NewLabel("Snooze:")
	p.snoozeC = container.NewHBox(p.snoozeAt,
		kit.NewButton("1 hour", nil, func() { p.snoozeFor(func(t time.Time) time.Time { return t.Add(time.Hour) }) }),
		kit.NewButton("Until tomorrow", nil, func() { p.snoozeFor(startOfTomorrow) }))
	p.snoozeC.Hide()

	p.top = container.NewVBox(header, widget.NewSeparator())
	p.content = container.NewBorder(
		p.top,
		container.NewVBox(p.snoozeC, p.noteC, p.statusC), nil, nil,
		container.NewVScroll(p.rowsC))
	p.Set(PanelState{})
	return p
}

func (p *Panel) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(p.content)
}

// State returns what the panel shows.
func (p *Panel) State() PanelState { return p.state }

// Set replaces what the panel shows.
func (p *Panel) Set(s PanelState) {
	p.state = s
	if s.App != "" {
		p.title.SetText(s.App)
	} else {
		p.title.SetText("Cuecard")
	}

	guides := s.Guides
	if len(guides) > MaxPanelGuides {
		guides = guides[:MaxPanelGuides]
	}
	p.rows = p.rows[:0]
	for i, r := range p.pool {
		if i < len(guides) {
			r.set(p, guides[i])
			r.box.Show()
			p.rows = append(p.rows, r.box)
		} else {
			r.box.Hide()
		}
	}
	if len(guides) == 0 {
		p.empty.Show()
	} else {
		p.empty.Hide()
	}
	p.list.Refresh()

	p.status.SetRuns(kit.Run{Text: s.Status})
	if s.Status != "" {
		p.statusC.Show()
	} else {
		p.statusC.Hide()
	}
	p.snoozeC.Hide()
	p.note.SetRuns(kit.Run{Text: s.Note})
	p.noteBtn.SetText(s.Action)
	showIf(p.noteBtn, s.Action != "")
	showIf(p.noteC, s.Note != "")

	app := "this app"
	if s.App != "" {
		app = s.App
	}
	p.snooze.SetTip("Snooze: no suggestions for " + app + " for a while")
	p.mute.SetTip("Mute: never pop up by itself for " + app)
}

// SetHotkey names the search hotkey in the search button's tooltip.
func (p *Panel) SetHotkey(label string) {
	p.hotkey = label
	tip := "Search all guides"
	if label != "" {
		tip += " (" + label + ")"
	}
	p.search.SetTip(tip)
}

// FitSize is the size that shows the header, every row and the status line
// without scrolling: PanelSize's width, and a height between minPanelHeight
// and PanelSize's height. The floating window is resized to it on every
// update, so one guide gets a small panel and five a taller one.
func (p *Panel) FitSize() fyne.Size {
	pad := theme.Padding()
	h := p.top.MinSize().Height + pad + p.rowsC.MinSize().Height + pad
	if p.state.Status != "" {
		// The status wraps: count its lines at the width it will have
		// (inside the notice box, beside its icon).
		w := PanelSize.Width - 6*pad - theme.IconInlineSize()
		h += pad + p.lines(p.state.Status, w) + 4*pad
	}
	if p.snoozeC.Visible() {
		h += pad + p.snoozeC.MinSize().Height
	}
	if p.state.Note != "" {
		w := PanelSize.Width - 6*pad - theme.IconInlineSize()
		if p.state.Action != "" {
			w -= p.noteBtn.MinSize().Width + pad
		}
		h += pad + p.lines(p.state.Note, w) + 4*pad
	}
	h = float32(math.Ceil(float64(h)))
	return fyne.NewSize(PanelSize.Width, max(minPanelHeight, min(PanelSize.Height, h)))
}

// lines is the height text takes wrapped at width w (words are not
// split, so a line may hold less than w: one line more is allowed for
// that when the text wraps at all).
func (p *Panel) lines(text string, w float32) float32 {
	line := fyne.MeasureText(text, theme.TextSize(), fyne.TextStyle{})
	n := float32(math.Ceil(float64(line.Width / max(w, 1))))
	if n > 1 {
		n++
	}
	return n * line.Height
}

// panelRow is one guide row of the panel, updated in place by set.
type panelRow struct {
	box   *kit.TapBox
	id    string
	title *kit.TruncLabel
	meta  *kit.FlowText
	stale *kit.Badge
	icon  *widget.Icon
	gm    *kit.TipButton
}

func (p *Panel) newRow() *panelRow {
	r := &panelRow{title: kit.NewTruncLabel("", fyne.TextStyle{}), meta: kit.Caption("").Dense(), stale: staleBadge().Dense(),
		icon: widget.NewIcon(nil)}
	r.stale.Hide()
	details := kit.NewDenseHBox(r.meta, r.stale)
	lines := container.New(&kit.TightVBox{}, r.title, details)
	r.gm = kit.NewTipButton(theme.VisibilityIcon(), "Guide me: show where to click, step by step", func() {
		if p.OnGuideMe != nil && r.id != "" {
			p.OnGuideMe(r.id)
		}
	})
	r.gm.Importance = widget.LowImportance
	r.gm.Hide()
	row := kit.NewDenseBorder(container.New(&kit.TopOffset{}, r.icon), r.gm, lines)
	r.box = kit.NewTapBox(row, func() {
		if p.OnOpen != nil && r.id != "" {
			p.OnOpen(r.id)
		}
	})
	// A title cut short is shown whole on hover.
	r.box.Tip = func() string {
		if r.title.Truncated() {
			return r.title.Text()
		}
		return ""
	}
	return r
}

// set shows guide h in the row.
func (r *panelRow) set(p *Panel, h Hit) {
	r.id = h.ID
	r.title.SetText(h.Title)
	meta := FormatName(h.Format)
	if d := durationText(h.Duration); d != "" {
		meta += " · " + d
	}
	if h.Meta != "" {
		meta = h.Meta
	}
	r.meta.SetRuns(kit.Run{Text: meta, Style: kit.Style{Color: theme.ColorNamePlaceHolder, Size: theme.SizeNameCaptionText}})
	r.icon.SetResource(FormatIcon(h.Format))
	if h.GuideMe && p.OnGuideMe != nil {
		r.gm.Show()
	} else {
		r.gm.Hide()
	}
	if h.Stale {
		r.stale.Show()
	} else {
		r.stale.Hide()
	}
}

// SnoozeChoices reports whether the snooze choices are shown.
func (p *Panel) SnoozeChoices() bool { return p.snoozeC.Visible() }

// toggleSnooze shows or hides the snooze choices under the guides.
func (p *Panel) toggleSnooze() {
	if p.snoozeC.Visible() {
		p.snoozeC.Hide()
	} else {
		p.snoozeC.Show()
	}
	call(p.OnResize)
}

// snoozeFor snoozes until the time until gives for now.
func (p *Panel) snoozeFor(until func(time.Time) time.Time) {
	now := time.Now
	if p.Now != nil {
		now = p.Now
	}
	p.snoozeC.Hide()
	if p.OnSnooze != nil {
		p.OnSnooze(until(now()))
	}
}

// call calls f when it is set.
func call(f func()) {
	if f != nil {
		f()
	}
}
