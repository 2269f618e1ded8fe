package kit

import (
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// ellipsis ends a cut text, as fyne's truncating Label ends it.
const ellipsis = "…"

// TruncLabel is one line of text, cut with an ellipsis when it is wider
// than the label, with half a Label's padding: the title of a row in a
// dense list (the panel's, the search results). It looks like a Label with
// fyne.TextTruncateEllipsis inside a theme with half the inner padding,
// without a theme override (see the package doc).
type TruncLabel struct {
	widget.BaseWidget
	text  string
	style fyne.TextStyle
	// shown is the text as drawn at the last layout: text, or its start
	// and an ellipsis.
	shown string
}

// NewTruncLabel returns a label showing text in style.
func NewTruncLabel(text string, style fyne.TextStyle) *TruncLabel {
	l := &TruncLabel{text: text, style: style, shown: text}
	l.ExtendBaseWidget(l)
	return l
}

// Text is the whole text, also when it is shown cut.
func (l *TruncLabel) Text() string { return l.text }

// Shown is the text as drawn at the last layout: the whole text or its
// start with an ellipsis.
func (l *TruncLabel) Shown() string { return l.shown }

// Truncated reports whether the text was cut at the last layout.
func (l *TruncLabel) Truncated() bool { return l.shown != l.text }

// SetText replaces the text.
func (l *TruncLabel) SetText(text string) {
	if text == l.text {
		return
	}
	l.text = text
	l.shown = text
	l.Refresh()
}

func (l *TruncLabel) CreateRenderer() fyne.WidgetRenderer {
	r := &truncRenderer{l: l, t: canvas.NewText(l.text, nil)}
	r.t.TextStyle = l.style
	r.applyTheme()
	return r
}

type truncRenderer struct {
	l *TruncLabel
	t *canvas.Text
}

// pad is half a Label's inner padding, on every side.
func (r *truncRenderer) pad() float32 {
	return theme.SizeForWidget(theme.SizeNameInnerPadding, r.l) / 2
}

func (r *truncRenderer) applyTheme() {
	r.t.Color = theme.ColorForWidget(theme.ColorNameForeground, r.l)
	r.t.TextSize = theme.SizeForWidget(theme.SizeNameText, r.l)
}

// MinSize is a Label's with truncation: one character and the ellipsis
// wide, one line (and the padding) high.
func (r *truncRenderer) MinSize() fyne.Size {
	char := fyne.MeasureText("M", r.t.TextSize, fyne.TextStyle{})
	ell := fyne.MeasureText(ellipsis, r.t.TextSize, fyne.TextStyle{})
	line := fyne.MeasureText(r.l.text, r.t.TextSize, r.l.style).Height
	if r.l.text == "" {
		line = char.Height
	}
	return fyne.NewSize(char.Width+ell.Width, line+2*r.pad())
}

func (r *truncRenderer) Layout(size fyne.Size) {
	p := r.pad()
	r.l.shown = fitText(r.l.text, size.Width-2*p, r.t.TextSize, r.l.style)
	r.t.Text = r.l.shown
	r.t.Move(fyne.NewPos(p, p))
	r.t.Resize(r.t.MinSize())
}

func (r *truncRenderer) Refresh() {
	r.applyTheme()
	r.t.TextStyle = r.l.style
	r.Layout(r.l.Size())
	r.t.Refresh()
}

func (r *truncRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.t} }
func (r *truncRenderer) Destroy()                     {}

// fitText is s when it fits in width w, else the longest start of s that
// fits with an ellipsis after it (only the ellipsis if none does). Like
// fyne's Label, it measures against the whole width in pixels below w.
func fitText(s string, w, size float32, style fyne.TextStyle) string {
	w = float32(math.Floor(float64(w)))
	if fyne.MeasureText(s, size, style).Width <= w {
		return s
	}
	rs := []rune(s)
	lo, hi := 0, len(rs)-1 // the longest start that fits has lo runes
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if fyne.MeasureText(string(rs[:mid])+ellipsis, size, style).Width <= w {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return string(rs[:lo]) + ellipsis
}
