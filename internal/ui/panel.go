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
	// OnClose is called by the close button.
	OnClose func()
	// OnOpen is called with the id of the guide the user clicked.
	OnOpen func(id string)
	// Now is the clock for snoozes; nil means time.Now.
	Now func() time.Time

	state   PanelState
	title   *widget.Label
	list    *fyne.Container
	rowsC   fyne.CanvasObject // the list with room for the scroll bar
	empty   *kit.FlowText
	status  *kit.FlowText
	statusC fyne.CanvasObject
	snooze  *widget.Button
	rows    []*kit.TapBox // the rows shown, a prefix of pool's boxes
	pool    []*panelRow   // MaxPanelGuides rows, made once
	top     fyne.CanvasObject
	content fyne.CanvasObject
}

// NewPanel returns an empty panel; fill it with Set.
func NewPanel() *Panel {
	p := &Panel{}
	p.ExtendBaseWidget(p)

	p.title = widget.NewLabel("Cuecard")
	p.title.TextStyle.Bold = true
	p.title.Truncation = fyne.TextTruncateEllipsis

	search := kit.IconButton(theme.SearchIcon(), func() { call(p.OnSearch) })
	p.snooze = kit.IconButton(theme.HistoryIcon(), p.showSnoozeMenu)
	mute := kit.IconButton(theme.VolumeMuteIcon(), func() { call(p.OnMute) })
	closeB := kit.IconButton(theme.CancelIcon(), func() { call(p.OnClose) })
	buttons := container.NewHBox(search, p.snooze, mute, closeB)
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

	p.top = container.NewVBox(header, widget.NewSeparator())
	p.content = container.NewBorder(
		p.top,
		p.statusC, nil, nil,
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
			r.set(guides[i])
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
		size := theme.TextSize()
		line := fyne.MeasureText(p.state.Status, size, fyne.TextStyle{})
		lines := float32(math.Ceil(float64(line.Width / max(w, 1))))
		h += pad + lines*line.Height + 4*pad
	}
	h = float32(math.Ceil(float64(h)))
	return fyne.NewSize(PanelSize.Width, max(minPanelHeight, min(PanelSize.Height, h)))
}

// panelRow is one guide row of the panel, updated in place by set.
type panelRow struct {
	box   *kit.TapBox
	id    string
	title *kit.TruncLabel
	meta  *kit.FlowText
	stale *kit.Badge
	icon  *widget.Icon
}

func (p *Panel) newRow() *panelRow {
	r := &panelRow{title: kit.NewTruncLabel("", fyne.TextStyle{}), meta: kit.Caption("").Dense(), stale: staleBadge().Dense(),
		icon: widget.NewIcon(nil)}
	r.stale.Hide()
	details := kit.NewDenseHBox(r.meta, r.stale)
	lines := container.New(&kit.TightVBox{}, r.title, details)
	row := kit.NewDenseBorder(container.New(&kit.TopOffset{}, r.icon), nil, lines)
	r.box = kit.NewTapBox(row, func() {
		if p.OnOpen != nil && r.id != "" {
			p.OnOpen(r.id)
		}
	})
	return r
}

// set shows guide h in the row.
func (r *panelRow) set(h Hit) {
	r.id = h.ID
	r.title.SetText(h.Title)
	meta := FormatName(h.Format)
	if d := durationText(h.Duration); d != "" {
		meta += " · " + d
	}
	r.meta.SetRuns(kit.Run{Text: meta, Style: kit.Style{Color: theme.ColorNamePlaceHolder, Size: theme.SizeNameCaptionText}})
	r.icon.SetResource(FormatIcon(h.Format))
	if h.Stale {
		r.stale.Show()
	} else {
		r.stale.Hide()
	}
}

// snoozeMenu is the menu of the snooze button.
func (p *Panel) snoozeMenu() *fyne.Menu {
	now := time.Now
	if p.Now != nil {
		now = p.Now
	}
	snooze := func(until func(time.Time) time.Time) func() {
		return func() {
			if p.OnSnooze != nil {
				p.OnSnooze(until(now()))
			}
		}
	}
	return fyne.NewMenu("",
		fyne.NewMenuItem("Snooze for 1 hour", snooze(func(t time.Time) time.Time { return t.Add(time.Hour) })),
		fyne.NewMenuItem("Snooze until tomorrow", snooze(startOfTomorrow)),
	)
}

func (p *Panel) showSnoozeMenu() {
	c := fyne.CurrentApp().Driver().CanvasForObject(p.snooze)
	if c == nil {
		return
	}
	widget.ShowPopUpMenuAtRelativePosition(p.snoozeMenu(), c, fyne.NewPos(0, p.snooze.Size().Height), p.snooze)
}

// call calls f when it is set.
func call(f func()) {
	if f != nil {
		f()
	}
}
