package kit

import (
	"image/color"
	"math"
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Style is the look of a run of text.
type Style struct {
	Bold, Italic, Mono bool
	// Color and Size are theme names; "" means foreground and text size.
	Color fyne.ThemeColorName
	Size  fyne.ThemeSizeName
}

// HeadingStyle is the style of a heading of level 1 (the largest), 2 or
// more.
func HeadingStyle(level int) Style {
	switch level {
	case 1:
		return Style{Bold: true, Size: theme.SizeNameHeadingText}
	case 2:
		return Style{Bold: true, Size: theme.SizeNameSubHeadingText}
	default:
		return Style{Bold: true}
	}
}

// Run is a piece of inline text with one style; OnTap makes it a link.
type Run struct {
	Text  string
	Style Style
	OnTap func()
}

// FlowText is wrapped inline text made of styled runs and links.
//
// fyne 2.7's RichText wraps text made of several segments wrongly: a
// segment whose first word does not fit at the end of a line is broken
// between characters, and one that starts within a character of the right
// edge is laid out one character per line. FlowText instead lays out one
// object per word and breaks lines only at spaces.
type FlowText struct {
	widget.BaseWidget
	// Align places each line within the width (leading by default).
	Align fyne.TextAlign

	runs []Run
	// padded adds the inner padding of a Label around the text, so that
	// FlowText lines up with labels and check boxes.
	padded bool
	// nowrap keeps the text on one line (for rows of small items): its
	// minimum width is the whole text.
	nowrap bool
	// dense halves the padding, for dense lists (see Dense).
	dense bool
	// version counts SetRuns calls, so the renderer knows to rebuild.
	version int
}

// NewFlowText returns the text made of runs, with a Label's padding.
func NewFlowText(runs ...Run) *FlowText {
	f := &FlowText{runs: runs, padded: true}
	f.ExtendBaseWidget(f)
	return f
}

// NewText is a FlowText of one run: text in style st.
func NewText(text string, st Style) *FlowText {
	return NewFlowText(Run{Text: text, Style: st})
}

// Caption is one line of small secondary text.
func Caption(text string) *FlowText {
	f := NewText(text, Style{Color: theme.ColorNamePlaceHolder, Size: theme.SizeNameCaptionText})
	f.nowrap = true
	return f
}

// Subtle is secondary text (durations, hints, captions) in the placeholder
// colour, which stays readable on both theme variants.
func Subtle(text string) *FlowText {
	return NewText(text, Style{Color: theme.ColorNamePlaceHolder})
}

// Dense gives f half a Label's padding, as the rows of a dense list (the
// panel's, the search results) have, and returns f (see the package doc).
func (f *FlowText) Dense() *FlowText {
	f.dense = true
	return f
}

// String is the text of all runs.
func (f *FlowText) String() string {
	var b strings.Builder
	for _, r := range f.runs {
		b.WriteString(r.Text)
	}
	return b.String()
}

// SetRuns replaces the text.
func (f *FlowText) SetRuns(runs ...Run) {
	f.runs = runs
	f.version++
	f.Refresh()
}

func (f *FlowText) CreateRenderer() fyne.WidgetRenderer {
	r := &flowRenderer{f: f}
	r.build()
	return r
}

// token is one word (with the spaces after it) or a forced line break.
type token struct {
	obj   fyne.CanvasObject
	text  *canvas.Text // the text object, also inside a link
	size  fyne.Size    // with trailing spaces
	trim  float32      // width without trailing spaces
	space bool         // ends with a space: a line may break after it
	brk   bool         // a line break ("\n")
}

type flowRenderer struct {
	f       *FlowText
	tokens  []token
	objs    []fyne.CanvasObject
	version int
}

// build splits the runs into tokens.
func (r *flowRenderer) build() {
	r.version = r.f.version
	r.tokens = r.tokens[:0]
	r.objs = r.objs[:0]
	for _, run := range r.f.runs {
		lines := strings.Split(run.Text, "\n")
		for li, line := range lines {
			if li > 0 {
				r.tokens = append(r.tokens, token{brk: true})
			}
			for _, w := range splitWords(line) {
				if strings.TrimSpace(w) == "" {
					// Spaces alone (at the start of a run) belong to the
					// previous word, so a line can break there.
					if n := len(r.tokens); n > 0 && !r.tokens[n-1].brk {
						t := &r.tokens[n-1]
						t.text.Text += " "
						t.space = true
					}
					continue
				}
				r.tokens = append(r.tokens, r.word(w, run))
			}
		}
	}
	for _, t := range r.tokens {
		if t.obj != nil {
			r.objs = append(r.objs, t.obj)
		}
	}
	r.applyTheme()
}

// splitWords splits s after each run of spaces: "a b  c" -> "a ", "b  ", "c".
// Leading spaces come out as a token of their own.
func splitWords(s string) []string {
	var out []string
	start := 0
	inSpace := false
	for i, c := range s {
		sp := unicode.IsSpace(c)
		if inSpace && !sp {
			out = append(out, s[start:i])
			start = i
		}
		inSpace = sp
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

func (r *flowRenderer) word(w string, run Run) token {
	txt := canvas.NewText(w, color.Black)
	txt.TextStyle = fyne.TextStyle{Bold: run.Style.Bold, Italic: run.Style.Italic}
	if run.Style.Mono {
		// Themes have one monospace face; some (fyne's test theme) have
		// none for bold or italic monospace and fail to measure it.
		txt.TextStyle = fyne.TextStyle{Monospace: true}
	}
	t := token{text: txt, obj: txt, space: w != strings.TrimRightFunc(w, unicode.IsSpace)}
	if run.OnTap != nil {
		t.obj = newLinkText(txt, run.OnTap)
	}
	return t
}

// applyTheme sets colours and sizes from the theme and measures the words.
func (r *flowRenderer) applyTheme() {
	ti := 0
	for _, run := range r.f.runs {
		colorName := run.Style.Color
		if run.OnTap != nil {
			colorName = theme.ColorNameHyperlink
		}
		if colorName == "" {
			colorName = theme.ColorNameForeground
		}
		sizeName := run.Style.Size
		if sizeName == "" {
			sizeName = theme.SizeNameText
		}
		c := theme.ColorForWidget(colorName, r.f)
		s := theme.SizeForWidget(sizeName, r.f)
		// Walk the tokens this run made: same count as build produced.
		for _, w := range wordsOf(run.Text) {
			for ti < len(r.tokens) && r.tokens[ti].brk {
				ti++
			}
			if ti >= len(r.tokens) || w == "" {
				break
			}
			r.tokens[ti].text.Color = c
			r.tokens[ti].text.TextSize = s
			ti++
		}
	}
	for i := range r.tokens {
		t := &r.tokens[i]
		if t.brk {
			continue
		}
		t.size = fyne.MeasureText(t.text.Text, t.text.TextSize, t.text.TextStyle)
		t.trim = fyne.MeasureText(strings.TrimRightFunc(t.text.Text, unicode.IsSpace), t.text.TextSize, t.text.TextStyle).Width
		t.text.Refresh()
	}
}

// wordsOf lists the words of s that build makes tokens of, in order.
func wordsOf(s string) []string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		for _, w := range splitWords(line) {
			if strings.TrimSpace(w) != "" {
				out = append(out, w)
			}
		}
	}
	return out
}

func (r *flowRenderer) pad() fyne.Size {
	if !r.f.padded {
		return fyne.Size{}
	}
	p := theme.SizeForWidget(theme.SizeNameInnerPadding, r.f)
	if r.f.dense {
		p /= 2
	}
	return fyne.NewSize(p, p/2)
}

// lines breaks the tokens into lines for width w (without padding) and
// returns, per line, the first token index and the line's size.
type flowLine struct {
	first, end int
	width      float32
	height     float32
}

func (r *flowRenderer) lines(w float32) []flowLine {
	var out []flowLine
	cur := flowLine{}
	x := float32(0)
	newline := func(i int) {
		cur.end = i
		out = append(out, cur)
		cur = flowLine{first: i}
		x = 0
	}
	i := 0
	for i < len(r.tokens) {
		t := r.tokens[i]
		if t.brk {
			if cur.height == 0 {
				cur.height = r.lineHeight()
			}
			newline(i)
			cur.first = i + 1
			i++
			continue
		}
		// A unit is the words up to the next break opportunity.
		j := i
		var unitW, unitTrim, unitH float32
		for j < len(r.tokens) && !r.tokens[j].brk {
			tj := r.tokens[j]
			unitTrim = unitW + tj.trim
			unitW += tj.size.Width
			unitH = max(unitH, tj.size.Height)
			j++
			if tj.space {
				break
			}
		}
		if x > 0 && x+unitTrim > w {
			newline(i)
		}
		x += unitW
		cur.width = max(cur.width, x-(unitW-unitTrim))
		cur.height = max(cur.height, unitH)
		i = j
	}
	if cur.first < len(r.tokens) || len(out) == 0 {
		cur.end = len(r.tokens)
		if cur.height == 0 {
			cur.height = r.lineHeight()
		}
		out = append(out, cur)
	}
	return out
}

func (r *flowRenderer) lineHeight() float32 {
	return fyne.MeasureText("M", theme.SizeForWidget(theme.SizeNameText, r.f), fyne.TextStyle{}).Height
}

func (r *flowRenderer) MinSize() fyne.Size {
	pad := r.pad()
	width := r.f.Size().Width - 2*pad.Width
	var widest float32
	for _, t := range r.tokens {
		widest = max(widest, t.trim)
	}
	if width <= 0 || r.f.nowrap {
		// Not laid out yet: one line per hard line.
		width = float32(1 << 20)
	}
	var h float32
	ls := r.lines(width)
	for i, l := range ls {
		h += l.height
		if i > 0 {
			h += lineSpacing(r.f)
		}
		if r.f.nowrap {
			widest = max(widest, l.width)
		}
	}
	return fyne.NewSize(widest+2*pad.Width, h+2*pad.Height)
}

func lineSpacing(w fyne.Widget) float32 {
	return theme.SizeForWidget(theme.SizeNameLineSpacing, w) / 2
}

func (r *flowRenderer) Layout(size fyne.Size) {
	pad := r.pad()
	width := size.Width - 2*pad.Width
	if r.f.nowrap {
		width = float32(1 << 20)
	}
	y := pad.Height
	ls := r.lines(width)
	if r.f.nowrap && len(ls) == 1 {
		// A single line centred vertically, to sit level with badges and
		// buttons in a row.
		y = max(pad.Height, (size.Height-ls[0].height)/2)
	}
	for _, l := range ls {
		x := pad.Width
		avail := size.Width - 2*pad.Width
		switch r.f.Align {
		case fyne.TextAlignCenter:
			x += (avail - l.width) / 2
		case fyne.TextAlignTrailing:
			x += avail - l.width
		}
		for i := l.first; i < l.end; i++ {
			t := r.tokens[i]
			if t.brk {
				continue
			}
			// Align words of different sizes on the line's bottom, on whole
			// pixels: words at fractional positions render blurred.
			t.obj.Move(fyne.NewPos(float32(math.Round(float64(x))), float32(math.Round(float64(y+l.height-t.size.Height)))))
			t.obj.Resize(t.size)
			x += t.size.Width
		}
		y += l.height + lineSpacing(r.f)
	}
}

func (r *flowRenderer) Refresh() {
	if r.version != r.f.version {
		r.build()
	} else {
		r.applyTheme()
	}
	r.Layout(r.f.Size())
	canvas.Refresh(r.f)
}

func (r *flowRenderer) Objects() []fyne.CanvasObject { return r.objs }
func (r *flowRenderer) Destroy()                     {}

// LinkText is a word of a link: the hyperlink colour, a pointer cursor, an
// underline while hovered. FlowText makes one for each word of a Run with
// OnTap.
type LinkText struct {
	widget.BaseWidget
	text  *canvas.Text
	line  *canvas.Rectangle
	onTap func()
}

var (
	_ fyne.Tappable      = (*LinkText)(nil)
	_ desktop.Hoverable  = (*LinkText)(nil)
	_ desktop.Cursorable = (*LinkText)(nil)
)

func newLinkText(t *canvas.Text, onTap func()) *LinkText {
	l := &LinkText{text: t, onTap: onTap, line: canvas.NewRectangle(color.Transparent)}
	l.line.Hide()
	l.ExtendBaseWidget(l)
	return l
}

func (l *LinkText) CreateRenderer() fyne.WidgetRenderer {
	return &linkRenderer{l: l}
}

// String is the word shown (with the spaces after it).
func (l *LinkText) String() string { return l.text.Text }

// Tapped follows the link.
func (l *LinkText) Tapped(*fyne.PointEvent) {
	if l.onTap != nil {
		l.onTap()
	}
}

// Cursor is the pointer.
func (l *LinkText) Cursor() desktop.Cursor { return desktop.PointerCursor }

// MouseIn underlines the word.
func (l *LinkText) MouseIn(*desktop.MouseEvent) { l.line.Show(); l.Refresh() }

// MouseMoved does nothing.
func (l *LinkText) MouseMoved(*desktop.MouseEvent) {}

// MouseOut removes the underline.
func (l *LinkText) MouseOut() { l.line.Hide(); l.Refresh() }

type linkRenderer struct{ l *LinkText }

func (r *linkRenderer) MinSize() fyne.Size { return r.l.text.MinSize() }
func (r *linkRenderer) Layout(size fyne.Size) {
	r.l.text.Move(fyne.NewPos(0, 0))
	r.l.text.Resize(size)
	r.l.line.Move(fyne.NewPos(0, size.Height-2))
	r.l.line.Resize(fyne.NewSize(size.Width, 1))
}

func (r *linkRenderer) Refresh() {
	r.l.line.FillColor = r.l.text.Color
	r.Layout(r.l.Size())
	canvas.Refresh(r.l)
}

func (r *linkRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.l.text, r.l.line}
}
func (r *linkRenderer) Destroy() {}
