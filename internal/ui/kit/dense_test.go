package kit

import (
	"image/color"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// halfPadding is the app's theme with half the padding: what the dense
// rows looked like when they were drawn in a theme override, and must
// still look like.
type halfPadding struct{ fyne.Theme }

func (t halfPadding) Size(n fyne.ThemeSizeName) float32 {
	s := t.Theme.Size(n)
	if n == theme.SizeNameInnerPadding || n == theme.SizeNamePadding {
		return s / 2
	}
	return s
}

// textOf is the text drawn under o (its canvas.Text objects, joined).
func textOf(o fyne.CanvasObject) string {
	var parts []string
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch c := o.(type) {
		case *canvas.Text:
			parts = append(parts, c.Text)
		case *fyne.Container:
			for _, x := range c.Objects {
				walk(x)
			}
		case fyne.Widget:
			for _, x := range test.WidgetRenderer(c).Objects() {
				walk(x)
			}
		}
	}
	walk(o)
	return strings.Join(parts, "")
}

// A TruncLabel shows its whole text when it fits, else its start and an
// ellipsis within its width, as a truncating Label does; the whole text
// stays its Text.
func TestTruncLabelTruncates(t *testing.T) {
	test.NewTempApp(t)
	const long = "How to build a pipeline dashboard in Salesforce"
	l := NewTruncLabel(long, fyne.TextStyle{Bold: true})
	w := test.NewTempWindow(t, l)
	w.SetPadded(false)

	w.Resize(fyne.NewSize(600, 60))
	if l.Truncated() || l.Shown() != long || textOf(l) != long {
		t.Errorf("600 wide: shown %q (truncated %v), want the whole text", l.Shown(), l.Truncated())
	}

	pad := theme.InnerPadding() / 2
	for _, width := range []float32{300, 180, 90} {
		w.Resize(fyne.NewSize(width, 60))
		shown := l.Shown()
		if !l.Truncated() || !strings.HasSuffix(shown, "…") || !strings.HasPrefix(long, strings.TrimSuffix(shown, "…")) {
			t.Errorf("%v wide: shown %q, want a start of the text and an ellipsis", width, shown)
		}
		if textOf(l) != shown {
			t.Errorf("%v wide: drawn %q, shown %q", width, textOf(l), shown)
		}
		if got := fyne.MeasureText(shown, theme.TextSize(), l.style).Width; got > width-2*pad {
			t.Errorf("%v wide: %q is %v wide, more than the %v inside the padding", width, shown, got, width-2*pad)
		}
		if l.Text() != long {
			t.Errorf("Text() = %q, want the whole text", l.Text())
		}
	}

	l.SetText("Short")
	if l.Truncated() || textOf(l) != "Short" {
		t.Errorf("after SetText: drawn %q (truncated %v)", textOf(l), l.Truncated())
	}
}

// A TruncLabel is a truncating Label in a theme with half the padding:
// the same size, the text in the same place and cut at the same letter.
func TestTruncLabelIsADenseLabel(t *testing.T) {
	a := test.NewTempApp(t)
	const long = "How to qualify and convert a lead in Salesforce"
	for _, bold := range []bool{false, true} {
		style := fyne.TextStyle{Bold: bold}
		label := widget.NewLabelWithStyle(long, fyne.TextAlignLeading, style)
		label.Truncation = fyne.TextTruncateEllipsis
		over := container.NewThemeOverride(label, halfPadding{a.Settings().Theme()})
		trunc := NewTruncLabel(long, style)
		for _, width := range []float32{500, 280, 200} {
			wl := test.NewTempWindow(t, over)
			wl.SetPadded(false)
			wl.Resize(fyne.NewSize(width, 60))
			wt := test.NewTempWindow(t, trunc)
			wt.SetPadded(false)
			wt.Resize(fyne.NewSize(width, 60))
			if got, want := trunc.MinSize().Height, over.MinSize().Height; got != want {
				t.Errorf("bold %v: height %v, a dense Label's %v", bold, got, want)
			}
			if got, want := textOf(trunc), textOf(over); got != want {
				t.Errorf("bold %v, %v wide: shows %q, a dense Label %q", bold, width, got, want)
			}
			lt := findText(over)
			tt := test.WidgetRenderer(trunc).Objects()[0].(*canvas.Text)
			if got, want := absPos(wt, tt), absPos(wl, lt); got != want {
				t.Errorf("bold %v: text at %v, a dense Label's at %v", bold, got, want)
			}
		}
	}
}

func findText(o fyne.CanvasObject) *canvas.Text {
	var found *canvas.Text
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch c := o.(type) {
		case *canvas.Text:
			if found == nil {
				found = c
			}
		case *fyne.Container:
			for _, x := range c.Objects {
				walk(x)
			}
		case fyne.Widget:
			for _, x := range test.WidgetRenderer(c).Objects() {
				walk(x)
			}
		}
	}
	walk(o)
	return found
}

// absPos is the position of o within the content of w.
func absPos(w fyne.Window, o fyne.CanvasObject) fyne.Position {
	var walk func(c fyne.CanvasObject, at fyne.Position) (fyne.Position, bool)
	walk = func(c fyne.CanvasObject, at fyne.Position) (fyne.Position, bool) {
		if c == o {
			return at, true
		}
		var kids []fyne.CanvasObject
		switch x := c.(type) {
		case *fyne.Container:
			kids = x.Objects
		case fyne.Widget:
			kids = test.WidgetRenderer(x).Objects()
		}
		for _, k := range kids {
			if p, ok := walk(k, at.Add(k.Position())); ok {
				return p, true
			}
		}
		return fyne.Position{}, false
	}
	p, ok := walk(w.Canvas().Content(), fyne.Position{})
	if !ok {
		panic("object not in the window")
	}
	return p
}

// A dense row (DenseBorder, DenseHBox and DenseVBox of TruncLabels, dense
// FlowTexts and Badges) has the size and layout the same row had in a theme
// override with half the padding.
func TestDenseRowKeepsItsSize(t *testing.T) {
	a := test.NewTempApp(t)
	icon := func() fyne.CanvasObject {
		r := canvas.NewRectangle(color.Black)
		r.SetMinSize(fyne.NewSquareSize(20))
		return r
	}
	// The row as it was: fyne's containers and Label in an override.
	oldRow := func(title string) (fyne.CanvasObject, fyne.CanvasObject) {
		l := widget.NewLabel(title)
		l.Truncation = fyne.TextTruncateEllipsis
		details := container.NewHBox(Caption("Checklist · 6 min"), NewBadge("review overdue", theme.ColorNameWarning))
		return container.NewBorder(nil, nil, icon(), nil, container.New(&TightVBox{}, l, details)), details
	}
	newRow := func(title string) (fyne.CanvasObject, fyne.CanvasObject) {
		details := NewDenseHBox(Caption("Checklist · 6 min").Dense(), NewBadge("review overdue", theme.ColorNameWarning).Dense())
		return NewDenseBorder(icon(), nil, container.New(&TightVBox{}, NewTruncLabel(title, fyne.TextStyle{}), details)), details
	}
	titles := []string{"How to run the monthly sales report", "What are our pricing tiers?"}
	var oldRows, newRows []fyne.CanvasObject
	var oldDetails, newDetails []fyne.CanvasObject
	for _, title := range titles {
		o, od := oldRow(title)
		n, nd := newRow(title)
		oldRows, newRows = append(oldRows, o), append(newRows, n)
		oldDetails, newDetails = append(oldDetails, od), append(newDetails, nd)
	}
	old := container.NewThemeOverride(oldScrollGutter(container.NewVBox(oldRows...)), halfPadding{a.Settings().Theme()})
	dense := DenseScrollGutter(NewDenseVBox(newRows...))

	wo := test.NewTempWindow(t, old)
	wo.SetPadded(false)
	wo.Resize(fyne.NewSize(340, 200))
	wn := test.NewTempWindow(t, dense)
	wn.SetPadded(false)
	wn.Resize(fyne.NewSize(340, 200))

	if got, want := dense.MinSize(), old.MinSize(); got != want {
		t.Errorf("dense rows' minimum size %v, in an override %v", got, want)
	}
	for i := range titles {
		if got, want := newRows[i].Size(), oldRows[i].Size(); got != want {
			t.Errorf("row %d: size %v, in an override %v", i, got, want)
		}
		if got, want := absPos(wn, newRows[i]), absPos(wo, oldRows[i]); got != want {
			t.Errorf("row %d: at %v, in an override at %v", i, got, want)
		}
		if got, want := absPos(wn, newDetails[i]), absPos(wo, oldDetails[i]); got != want {
			t.Errorf("row %d: details at %v, in an override at %v", i, got, want)
		}
		if got, want := newDetails[i].Size(), oldDetails[i].Size(); got != want {
			t.Errorf("row %d: details %v, in an override %v", i, got, want)
		}
	}
}

// oldScrollGutter is the scroll gutter as it was: fyne's border
// layout (with the override's padding).
func oldScrollGutter(o fyne.CanvasObject) fyne.CanvasObject {
	sp := canvas.NewRectangle(color.Transparent)
	sp.SetMinSize(fyne.NewSize(theme.ScrollBarSize(), 0))
	return container.NewBorder(nil, nil, nil, sp, o)
}
