package kit

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// TipDelay is how long the pointer rests on a widget before its tooltip
// shows.
var TipDelay = 600 * time.Millisecond

// TipHost is a window's content with a layer for tooltips above it. The
// tooltip is drawn with plain canvas objects, which never take a click or
// the pointer: a click on a widget under it reaches the widget. Widgets of
// this package with a tip (TipButton, TapBox with Tip) find the host of
// their window: make it the window's content.
type TipHost struct {
	widget.BaseWidget
	content fyne.CanvasObject
	bg      *canvas.Rectangle
	text    *canvas.Text
}

// NewTipHost returns content with a tooltip layer.
func NewTipHost(content fyne.CanvasObject) *TipHost {
	h := &TipHost{content: content, bg: canvas.NewRectangle(theme.Color(theme.ColorNameOverlayBackground)),
		text: canvas.NewText("", theme.Color(theme.ColorNameForeground))}
	h.bg.StrokeWidth = 1
	h.bg.CornerRadius = theme.InputRadiusSize()
	h.text.TextSize = theme.Size(theme.SizeNameCaptionText)
	h.bg.Hide()
	h.text.Hide()
	h.ExtendBaseWidget(h)
	return h
}

func (h *TipHost) CreateRenderer() fyne.WidgetRenderer { return &tipRenderer{h} }

type tipRenderer struct{ h *TipHost }

func (r *tipRenderer) MinSize() fyne.Size { return r.h.content.MinSize() }
func (r *tipRenderer) Layout(size fyne.Size) {
	r.h.content.Resize(size)
	r.h.content.Move(fyne.NewPos(0, 0))
}
func (r *tipRenderer) Refresh() {
	r.h.content.Refresh()
	canvas.Refresh(r.h.bg)
	canvas.Refresh(r.h.text)
}
func (r *tipRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.h.content, r.h.bg, r.h.text}
}
func (r *tipRenderer) Destroy() {}

// Tip is the tooltip shown, or "" when none is.
func (h *TipHost) Tip() string {
	if !h.text.Visible() {
		return ""
	}
	return h.text.Text
}

// ShowTip shows tip beside over (below it, or above when there is no room),
// kept inside the window.
func (h *TipHost) ShowTip(tip string, over fyne.CanvasObject) {
	bg, text := h.bg, h.text
	if tip == "" {
		h.HideTip()
		return
	}
	bg.FillColor = theme.Color(theme.ColorNameOverlayBackground)
	bg.StrokeColor = theme.Color(theme.ColorNameSeparator)
	text.Color = theme.Color(theme.ColorNameForeground)
	text.Text = tip
	pad := theme.InnerPadding() / 2
	ts := text.MinSize()
	size := fyne.NewSize(ts.Width+2*pad, ts.Height+pad)
	d := fyne.CurrentApp().Driver()
	at := d.AbsolutePositionForObject(over).Subtract(d.AbsolutePositionForObject(h))
	pos := fyne.NewPos(at.X, at.Y+over.Size().Height+2)
	if pos.Y+size.Height > h.Size().Height {
		pos.Y = at.Y - size.Height - 2
	}
	pos.X = max(0, min(pos.X, h.Size().Width-size.Width))
	pos.Y = max(0, pos.Y)
	bg.Resize(size)
	bg.Move(pos)
	text.Resize(ts)
	text.Move(pos.Add(fyne.NewPos(pad, pad/2)))
	bg.Show()
	text.Show()
	canvas.Refresh(bg)
	canvas.Refresh(text)
}

// HideTip hides the tooltip.
func (h *TipHost) HideTip() {
	h.bg.Hide()
	h.text.Hide()
}

// tipHost is the TipHost of obj's window, or nil.
func tipHost(obj fyne.CanvasObject) *TipHost {
	app := fyne.CurrentApp()
	if app == nil {
		return nil
	}
	c := app.Driver().CanvasForObject(obj)
	if c == nil {
		return nil
	}
	h, _ := c.Content().(*TipHost)
	return h
}

// afterTipDelay runs f on the UI goroutine after TipDelay; tests run it at
// once.
var afterTipDelay = func(f func()) { time.AfterFunc(TipDelay, func() { fyne.Do(f) }) }

// tipper shows one widget's tooltip after the pointer rested on it.
type tipper struct {
	gen uint64
}

func (t *tipper) in(obj fyne.CanvasObject, tip func() string) {
	t.gen++
	gen := t.gen
	afterTipDelay(func() {
		if gen != t.gen {
			return
		}
		if h := tipHost(obj); h != nil {
			h.ShowTip(tip(), obj)
		}
	})
}

func (t *tipper) out(obj fyne.CanvasObject) {
	t.gen++
	if h := tipHost(obj); h != nil && h.Tip() != "" {
		h.HideTip()
	}
}

// TipButton is an icon Button that says what it does when the pointer
// rests on it (and to screen readers through its tip).
type TipButton struct {
	Button
	tip string
	t   tipper
}

var _ desktop.Hoverable = (*TipButton)(nil)

// NewTipButton returns a flat icon button with a tooltip.
func NewTipButton(icon fyne.Resource, tip string, tapped func()) *TipButton {
	b := &TipButton{tip: tip}
	b.Icon, b.OnTapped = icon, tapped
	b.Importance = widget.LowImportance
	b.ExtendBaseWidget(b)
	return b
}

// TipText is the button's tooltip.
func (b *TipButton) TipText() string { return b.tip }

// SetTip changes the tooltip.
func (b *TipButton) SetTip(tip string) { b.tip = tip }

// MouseIn highlights the button and starts the tooltip's delay.
func (b *TipButton) MouseIn(e *desktop.MouseEvent) {
	b.Button.MouseIn(e)
	b.t.in(b, func() string { return b.tip })
}

// MouseOut ends the highlight and the tooltip.
func (b *TipButton) MouseOut() {
	b.Button.MouseOut()
	b.t.out(b)
}

// Tapped hides the tooltip and presses the button.
func (b *TipButton) Tapped(e *fyne.PointEvent) {
	b.t.out(b)
	b.Button.Tapped(e)
}

// TipsAtOnce makes tooltips show at once, on the calling goroutine, for
// tests (fyne's test driver runs fyne.Do at once); restore undoes it.
func TipsAtOnce() (restore func()) {
	old := afterTipDelay
	afterTipDelay = func(f func()) { f() }
	return func() { afterTipDelay = old }
}
