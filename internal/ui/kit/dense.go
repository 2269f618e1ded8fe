package kit

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
)

// densePadding is the padding of a dense list: half the theme's.
func densePadding() float32 { return theme.Padding() / 2 }

// NewDenseVBox stacks objs as container.NewVBox does, with half the
// padding between them (a dense list, see the package doc).
func NewDenseVBox(objs ...fyne.CanvasObject) *fyne.Container {
	return container.New(denseBox{}, objs...)
}

// NewDenseHBox lines objs up as container.NewHBox does, with half the
// padding between them.
func NewDenseHBox(objs ...fyne.CanvasObject) *fyne.Container {
	return container.New(denseBox{horizontal: true}, objs...)
}

// denseBox is fyne's box layout with half the padding (no spacers): each
// visible object at its minimum height (width, when horizontal) and the
// full width (height).
type denseBox struct{ horizontal bool }

func (b denseBox) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	n := 0
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		m := o.MinSize()
		if b.horizontal {
			s.Width += m.Width
			s.Height = max(s.Height, m.Height)
		} else {
			s.Width = max(s.Width, m.Width)
			s.Height += m.Height
		}
		n++
	}
	if n > 1 {
		gap := densePadding() * float32(n-1)
		if b.horizontal {
			s.Width += gap
		} else {
			s.Height += gap
		}
	}
	return s
}

func (b denseBox) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	gap := densePadding()
	at := float32(0)
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		m := o.MinSize()
		if b.horizontal {
			o.Move(fyne.NewPos(at, 0))
			o.Resize(fyne.NewSize(m.Width, size.Height))
			at += m.Width + gap
		} else {
			o.Move(fyne.NewPos(0, at))
			o.Resize(fyne.NewSize(size.Width, m.Height))
			at += m.Height + gap
		}
	}
}

// NewDenseBorder lays out as container.NewBorder(nil, nil, left, right,
// center...) does, with half the padding beside left and right. left and
// right may be nil.
func NewDenseBorder(left, right fyne.CanvasObject, center ...fyne.CanvasObject) *fyne.Container {
	objs := append([]fyne.CanvasObject{}, center...)
	for _, o := range []fyne.CanvasObject{left, right} {
		if o != nil {
			objs = append(objs, o)
		}
	}
	return container.New(&denseBorder{left: left, right: right}, objs...)
}

// denseBorder is fyne's border layout, only left and right, with half the
// padding.
type denseBorder struct{ left, right fyne.CanvasObject }

func shown(o fyne.CanvasObject) bool { return o != nil && o.Visible() }

func (b *denseBorder) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		if o.Visible() && o != b.left && o != b.right {
			s = s.Max(o.MinSize())
		}
	}
	for _, side := range []fyne.CanvasObject{b.left, b.right} {
		if shown(side) {
			m := side.MinSize()
			s = fyne.NewSize(s.Width+m.Width+densePadding(), max(s.Height, m.Height))
		}
	}
	return s
}

func (b *denseBorder) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := densePadding()
	var left, right float32
	if shown(b.left) {
		w := b.left.MinSize().Width
		b.left.Resize(fyne.NewSize(w, size.Height))
		b.left.Move(fyne.NewPos(0, 0))
		left = w + pad
	}
	if shown(b.right) {
		w := b.right.MinSize().Width
		b.right.Resize(fyne.NewSize(w, size.Height))
		b.right.Move(fyne.NewPos(size.Width-w, 0))
		right = w + pad
	}
	for _, o := range objs {
		if o.Visible() && o != b.left && o != b.right {
			o.Resize(fyne.NewSize(size.Width-left-right, size.Height))
			o.Move(fyne.NewPos(left, 0))
		}
	}
}

// DenseScrollGutter leaves room on the right of o for the scroll bar, which
// fyne draws over the content, half a padding from o.
func DenseScrollGutter(o fyne.CanvasObject) fyne.CanvasObject {
	sp := canvas.NewRectangle(color.Transparent)
	sp.SetMinSize(fyne.NewSize(theme.ScrollBarSize(), 0))
	return NewDenseBorder(nil, sp, o)
}
