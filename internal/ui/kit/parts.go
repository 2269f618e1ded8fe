package kit

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// TapBox is a row that reacts to taps and the mouse: it highlights on hover
// and when selected, and calls onTap when tapped.
type TapBox struct {
	widget.BaseWidget
	// Tip, when set, gives the tooltip shown when the pointer rests on the
	// row ("" for none), e.g. a title the row had to cut short.
	Tip      func() string
	tip      tipper
	content  fyne.CanvasObject
	bg       *canvas.Rectangle
	onTap    func()
	hovered  bool
	selected bool
}

var (
	_ fyne.Tappable      = (*TapBox)(nil)
	_ desktop.Hoverable  = (*TapBox)(nil)
	_ desktop.Cursorable = (*TapBox)(nil)
)

// NewTapBox returns content as a row that calls onTap when tapped.
func NewTapBox(content fyne.CanvasObject, onTap func()) *TapBox {
	b := &TapBox{content: content, onTap: onTap, bg: canvas.NewRectangle(color.Transparent)}
	b.ExtendBaseWidget(b)
	return b
}

func (b *TapBox) CreateRenderer() fyne.WidgetRenderer {
	b.updateBackground()
	return widget.NewSimpleRenderer(container.NewStack(b.bg, b.content))
}

// Tapped calls onTap.
func (b *TapBox) Tapped(*fyne.PointEvent) {
	b.tip.out(b)
	if b.onTap != nil {
		b.onTap()
	}
}

// Cursor is the pointer: the row is clickable.
func (b *TapBox) Cursor() desktop.Cursor { return desktop.PointerCursor }

// MouseIn highlights the row.
func (b *TapBox) MouseIn(*desktop.MouseEvent) {
	b.hovered = true
	b.Refresh()
	if b.Tip != nil {
		b.tip.in(b, b.Tip)
	}
}

// MouseMoved does nothing.
func (b *TapBox) MouseMoved(*desktop.MouseEvent) {}

// MouseOut removes the hover highlight.
func (b *TapBox) MouseOut() {
	b.hovered = false
	b.Refresh()
	if b.Tip != nil {
		b.tip.out(b)
	}
}

// Selected reports whether the row is highlighted as the selected one.
func (b *TapBox) Selected() bool { return b.selected }

// SetSelected highlights the row as the selected one, or not.
func (b *TapBox) SetSelected(sel bool) {
	if b.selected == sel {
		return
	}
	b.selected = sel
	b.Refresh()
}

// Refresh applies the highlight for the current state and theme.
func (b *TapBox) Refresh() {
	b.updateBackground()
	b.BaseWidget.Refresh()
}

func (b *TapBox) updateBackground() {
	switch {
	case b.selected:
		b.bg.FillColor = theme.ColorForWidget(theme.ColorNameSelection, b)
	case b.hovered:
		b.bg.FillColor = theme.ColorForWidget(theme.ColorNameHover, b)
	default:
		b.bg.FillColor = color.Transparent
	}
	b.bg.CornerRadius = theme.SizeForWidget(theme.SizeNameSelectionRadius, b)
	b.bg.Refresh()
}

// Badge is a small label on a tinted, rounded background, such as
// "review overdue".
type Badge struct {
	widget.BaseWidget
	text *canvas.Text
	bg   *canvas.Rectangle
	tint fyne.ThemeColorName
	// dense halves the padding (see Dense).
	dense bool
}

// NewBadge returns a badge saying text on the theme colour tint.
func NewBadge(text string, tint fyne.ThemeColorName) *Badge {
	b := &Badge{
		text: canvas.NewText(text, color.Black),
		bg:   canvas.NewRectangle(color.Transparent),
		tint: tint,
	}
	b.text.TextStyle.Bold = true
	b.ExtendBaseWidget(b)
	return b
}

// SetText changes what the badge says.
func (b *Badge) SetText(text string) {
	if b.text.Text == text {
		return
	}
	b.text.Text = text
	b.Refresh()
}

// Text is what the badge says.
func (b *Badge) Text() string { return b.text.Text }

// Dense gives b half the padding, for the rows of a dense list, and
// returns b (see the package doc).
func (b *Badge) Dense() *Badge {
	b.dense = true
	return b
}

func (b *Badge) CreateRenderer() fyne.WidgetRenderer {
	b.applyTheme()
	return &badgeRenderer{b: b}
}

// Refresh re-reads the theme.
func (b *Badge) Refresh() {
	b.applyTheme()
	b.BaseWidget.Refresh()
}

func (b *Badge) applyTheme() {
	// The normal text colour on a tint: white text on the warning orange
	// or the primary blue is too faint to read.
	b.bg.FillColor = withAlpha(theme.ColorForWidget(b.tint, b), 0x60)
	b.bg.CornerRadius = theme.SizeForWidget(theme.SizeNameInputRadius, b)
	b.text.Color = theme.ColorForWidget(theme.ColorNameForeground, b)
	b.text.TextSize = theme.SizeForWidget(theme.SizeNameCaptionText, b)
	b.bg.Refresh()
	b.text.Refresh()
}

type badgeRenderer struct{ b *Badge }

func (r *badgeRenderer) padding() fyne.Size {
	p := theme.SizeForWidget(theme.SizeNameInnerPadding, r.b)
	if r.b.dense {
		p /= 2
	}
	return fyne.NewSize(p, p/4)
}

func (r *badgeRenderer) MinSize() fyne.Size {
	return r.b.text.MinSize().Add(r.padding().Add(r.padding()))
}

func (r *badgeRenderer) Layout(size fyne.Size) {
	min := r.MinSize()
	// Keep the badge its natural height, centred vertically in its cell.
	y := (size.Height - min.Height) / 2
	if y < 0 {
		y = 0
	}
	r.b.bg.Move(fyne.NewPos(0, y))
	r.b.bg.Resize(fyne.NewSize(size.Width, min.Height))
	r.b.text.Move(fyne.NewPos(r.padding().Width, y+r.padding().Height))
	r.b.text.Resize(r.b.text.MinSize())
}

func (r *badgeRenderer) Refresh()                     { r.Layout(r.b.Size()); canvas.Refresh(r.b) }
func (r *badgeRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.b.bg, r.b.text} }
func (r *badgeRenderer) Destroy()                     {}

// IconButton is a compact button with only an icon.
func IconButton(icon fyne.Resource, tapped func()) *widget.Button {
	b := widget.NewButtonWithIcon("", icon, tapped)
	b.Importance = widget.LowImportance
	return b
}

// AppTheme is the app's theme: base (fyne's theme) with input borders
// drawn in the placeholder colour, because the light theme's border is too
// faint to see an empty check box on white. It is the whole app's theme,
// not an override around the check boxes, which are in viewer and
// settings windows opened all day: see Dense for what an override costs.
func AppTheme(base fyne.Theme) fyne.Theme { return appTheme{base} }

type appTheme struct{ fyne.Theme }

func (t appTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if n == theme.ColorNameInputBorder {
		n = theme.ColorNamePlaceHolder
	}
	return t.Theme.Color(n, v)
}

// withAlpha is c with alpha a.
func withAlpha(c color.Color, a uint8) color.Color {
	r, g, b, _ := c.RGBA()
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: a}
}

// LineIcon is an icon placed to line up with the first line of text beside
// it (text in a Label or FlowText starts below an inner padding).
func LineIcon(res fyne.Resource) fyne.CanvasObject {
	return container.New(&TopOffset{}, widget.NewIcon(res))
}

// TopOffset is a layout that puts its objects at their minimum size, half
// an inner padding from the top: an icon beside text, level with its first
// line.
type TopOffset struct{}

func (TopOffset) dy() float32 { return theme.InnerPadding() / 2 }

// MinSize is the largest object's, with the offset.
func (t TopOffset) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return s.AddWidthHeight(0, t.dy())
}

// Layout places the objects.
func (t TopOffset) Layout(objs []fyne.CanvasObject, _ fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, t.dy()))
		o.Resize(o.MinSize())
	}
}

// Notice is a message in a tinted box with an icon, for warnings that must
// be noticed.
func Notice(icon fyne.Resource, tint fyne.ThemeColorName, text fyne.CanvasObject) fyne.CanvasObject {
	bg := canvas.NewRectangle(withAlpha(theme.Color(tint), 0x40))
	bg.CornerRadius = theme.InputRadiusSize()
	bg.StrokeColor = theme.Color(tint)
	bg.StrokeWidth = 1
	return container.NewStack(bg, container.NewBorder(nil, nil, LineIcon(icon), nil, text))
}

// Indent shifts o right by depth list levels.
func Indent(depth int, o fyne.CanvasObject) fyne.CanvasObject {
	if depth == 0 {
		return o
	}
	sp := canvas.NewRectangle(color.Transparent)
	sp.SetMinSize(fyne.NewSize(float32(depth)*24, 0))
	return container.NewBorder(nil, nil, sp, nil, o)
}

// TightVBox is a layout that stacks its visible objects vertically, each
// at its minimum height and the full width, without padding between them.
type TightVBox struct{}

// MinSize is the widest object's width and the sum of the heights.
func (TightVBox) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		m := o.MinSize()
		s.Width = max(s.Width, m.Width)
		s.Height += m.Height
	}
	return s
}

// Layout stacks the objects.
func (TightVBox) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	y := float32(0)
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		h := o.MinSize().Height
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(size.Width, h))
		y += h
	}
}
