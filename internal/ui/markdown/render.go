package markdown

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"

	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/ui/kit"
)

// maxImageSize is the largest image file shown.
const maxImageSize = 8 << 20

// maxImageWidth is the widest an image is shown, in fyne units.
const maxImageWidth = 520

// Section is a "## " section of a guide's body: its heading and its
// blocks.
type Section struct {
	guide.Section
	Blocks []fyne.CanvasObject
}

// Options is what a rendering needs besides the guide. Every field is
// optional.
type Options struct {
	// Library is the library folder, for images. Give it a file system
	// that cannot leave the folder, such as an os.Root's FS. nil shows
	// images as their descriptions.
	Library fs.FS
	// Remote loads images from the web that the library's settings allow
	// (docs/SECURITY.md); nil: remote images are never loaded.
	Remote RemoteImages
	// Do runs a change from another goroutine (a remote image loaded) on
	// the UI goroutine; nil means fyne.Do.
	Do func(func())
	// OnLink is called with where a tapped link leads (see guide.ResolveLink).
	// Links that lead nowhere, and every link when OnLink is nil, are
	// shown as plain text.
	OnLink func(guide.Target)
	// Step makes the row of a checklist step: its check box and its text.
	// known is false for a task item the guide's Steps do not hold (s is
	// then made from the item). nil shows task items as bullets.
	Step func(s guide.Step, known bool, text []kit.Run) fyne.CanvasObject
}

// RemoteImages loads the remote images a library allows.
type RemoteImages interface {
	// Allowed reports whether the image at url may be loaded.
	Allowed(url string) bool
	// Fetch loads it (bounded in time and size).
	Fetch(ctx context.Context, url string) ([]byte, error)
}

// Render turns g's body into fyne objects: the blocks before its first
// "## " heading, and its sections. A level-1 heading that repeats the
// title is left out (the caller shows the title). Call it on the UI
// goroutine.
//
// fyne's own Markdown support knows neither tables nor task lists and
// opens every link; Render reads the body with the same goldmark
// extensions as guide.Parse, renders tables as grids and task items as
// steps (Options.Step), and routes links through guide.ResolveLink.
func Render(g *guide.Guide, opt Options) (pre []fyne.CanvasObject, sections []Section) {
	r := &bodyRenderer{g: g, opt: opt}
	return r.render(g.Body)
}

// bodyRenderer is one rendering of a guide's body.
type bodyRenderer struct {
	g   *guide.Guide
	opt Options
	src []byte

	out   []fyne.CanvasObject // finished blocks of the current part
	quote bool
	step  int // index into the guide's Steps of the next task item
	// noImages leaves inline images out (Steps: a step's sentence only).
	noImages bool

	// Bounds for hostile or runaway guides: text shown, nesting depth.
	shown int  // bytes of text rendered so far
	cut   bool // maxShownText reached: the rest is not rendered
	depth int  // block nesting
}

// Rendering bounds: a guide is short by design, but a library is written
// by many people (and sync clients), so Render never builds more than
// this, whatever a file holds.
const (
	// maxShownText is how much text is rendered; the rest is left in the
	// file, and the rendering says so.
	maxShownText = 100_000
	// maxRenderDepth is the deepest nesting of quotes and lists rendered
	// as such; deeper content is shown as plain text.
	maxRenderDepth = 24
	// maxTableRows is how many rows of a table are shown.
	maxTableRows = 200
)

// render returns the blocks before the first "## " heading and the sections.
func (r *bodyRenderer) render(body string) (pre []fyne.CanvasObject, sections []Section) {
	r.src = []byte(body)
	doc := guide.Markdown.Parser().Parse(text.NewReader(r.src))
	g := r.g
	var cur *Section
	finish := func() {
		if cur == nil {
			pre = r.out
		} else {
			cur.Blocks = r.out
			sections = append(sections, *cur)
		}
		r.out = nil
	}
	secIndex := 0
	titleSkipped := false
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		if h, ok := n.(*ast.Heading); ok {
			ht := strings.TrimSpace(r.plain(h))
			if h.Level == 1 && !titleSkipped && strings.EqualFold(ht, strings.TrimSpace(g.Title)) {
				titleSkipped = true // the caller shows the title
				continue
			}
			if h.Level == 2 {
				finish()
				sec := guide.Section{Title: ht, Anchor: guide.Anchor(ht)}
				if secIndex < len(g.Sections) {
					sec = g.Sections[secIndex]
				}
				secIndex++
				cur = &Section{Section: sec}
				continue
			}
		}
		if r.cut {
			break
		}
		r.block(n)
	}
	if r.cut {
		r.emit(kit.NewText(fmt.Sprintf("This guide is too long to show in full: the rest is in its file, %s.", g.ID),
			kit.Style{Italic: true, Color: theme.ColorNamePlaceHolder}))
	}
	finish()
	return pre, sections
}

func (r *bodyRenderer) emit(o fyne.CanvasObject) { r.out = append(r.out, o) }

// blocksOf renders n's children as blocks of their own.
func (r *bodyRenderer) blocksOf(n ast.Node) []fyne.CanvasObject {
	saved := r.out
	r.out = nil
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		r.block(c)
	}
	out := r.out
	r.out = saved
	return out
}

// block renders one block node.
func (r *bodyRenderer) block(n ast.Node) {
	if r.cut {
		return
	}
	r.depth++
	defer func() { r.depth-- }()
	if r.depth > maxRenderDepth {
		r.emit(kit.NewText(r.plain(n), kit.Style{}))
		return
	}
	switch t := n.(type) {
	case *ast.Heading:
		r.emit(kit.NewText(r.plain(t), kit.HeadingStyle(t.Level)))
	case *ast.Paragraph:
		r.paragraph(t)
	case *ast.TextBlock:
		r.paragraph(t)
	case *ast.List:
		if hasTask(t) {
			r.taskList(t, 0)
			return
		}
		r.emit(r.list(t))
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		var b bytes.Buffer
		lines := n.Lines()
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			b.Write(seg.Value(r.src))
		}
		if code := strings.TrimRight(b.String(), "\n"); code != "" {
			r.emit(codeBlock(code))
		}
	case *ast.Blockquote:
		r.quote = true
		blocks := r.blocksOf(t)
		r.quote = false
		bar := canvas.NewRectangle(theme.Color(theme.ColorNamePrimary))
		bar.SetMinSize(fyne.NewSize(3, 0))
		r.emit(container.NewBorder(nil, nil, bar, nil, container.NewVBox(blocks...)))
	case *ast.ThematicBreak:
		r.emit(widget.NewSeparator())
	case *extast.Table:
		r.emit(r.table(t))
	case *ast.HTMLBlock:
		// Raw HTML is not shown.
	default:
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			r.block(c)
		}
	}
}

// codeBlock is preformatted text on a tinted background.
func codeBlock(code string) fyne.CanvasObject {
	l := widget.NewLabel(code)
	l.TextStyle.Monospace = true
	l.Wrapping = fyne.TextWrapBreak
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	bg.CornerRadius = theme.InputRadiusSize()
	return container.NewStack(bg, l)
}

// paragraph renders a paragraph; images in it become blocks of their own.
func (r *bodyRenderer) paragraph(p ast.Node) {
	var runs []kit.Run
	flush := func() {
		if len(runs) > 0 {
			r.emit(kit.NewFlowText(runs...))
			runs = nil
		}
	}
	for c := p.FirstChild(); c != nil; c = c.NextSibling() {
		if img, ok := c.(*ast.Image); ok {
			flush()
			r.emit(r.image(img))
			continue
		}
		runs = append(runs, r.inlineRuns(c, r.baseStyle())...)
	}
	flush()
}

func (r *bodyRenderer) baseStyle() kit.Style {
	if r.quote {
		return kit.Style{Italic: true}
	}
	return kit.Style{}
}

// inlineRuns renders an inline node (and its children) as text runs.
func (r *bodyRenderer) inlineRuns(n ast.Node, st kit.Style) []kit.Run {
	var out []kit.Run
	add := func(s string, st kit.Style, onTap func()) {
		if s == "" || r.cut {
			return
		}
		if r.shown += len(s); r.shown > maxShownText {
			r.cut = true
			return
		}
		if k := len(out); k > 0 && out[k-1].Style == st && out[k-1].OnTap == nil && onTap == nil {
			out[k-1].Text += s
			return
		}
		out = append(out, kit.Run{Text: s, Style: st, OnTap: onTap})
	}
	var walk func(n ast.Node, st kit.Style)
	walk = func(n ast.Node, st kit.Style) {
		switch t := n.(type) {
		case *ast.Text:
			s := string(guide.TextValue(t, r.src))
			switch {
			case t.HardLineBreak():
				s += "\n"
			case t.SoftLineBreak():
				s += " "
			}
			add(s, st, nil)
		case *ast.String:
			add(string(t.Value), st, nil)
		case *ast.CodeSpan:
			cs := st
			cs.Mono = true
			add(r.plain(t), cs, nil)
		case *ast.Emphasis:
			es := st
			if t.Level >= 2 {
				es.Bold = true
			} else {
				es.Italic = true
			}
			for c := t.FirstChild(); c != nil; c = c.NextSibling() {
				walk(c, es)
			}
		case *ast.Link:
			label, onTap := r.link(r.plain(t), string(t.Destination))
			add(label, st, onTap)
		case *ast.AutoLink:
			dest := string(t.URL(r.src))
			if t.AutoLinkType == ast.AutoLinkEmail && !strings.HasPrefix(strings.ToLower(dest), "mailto:") {
				dest = "mailto:" + dest
			}
			label, onTap := r.link(string(t.Label(r.src)), dest)
			add(label, st, onTap)
		case *ast.Image:
			if r.noImages {
				return
			}
			is := st
			is.Italic = true
			add("[image: "+r.plain(t)+"]", is, nil)
		case *ast.RawHTML, *extast.TaskCheckBox:
			// not shown
		default:
			for c := n.FirstChild(); c != nil; c = c.NextSibling() {
				walk(c, st)
			}
		}
	}
	walk(n, st)
	return out
}

// link decides how a link is shown: with an action when the link policy
// lets it go somewhere, as plain text otherwise.
func (r *bodyRenderer) link(label, dest string) (string, func()) {
	if strings.TrimSpace(label) == "" {
		label = dest
	}
	target := guide.ResolveLink(r.g.ID, dest)
	onLink := r.opt.OnLink
	if target.Kind == guide.TargetNone || onLink == nil {
		return label, nil
	}
	return label, func() { onLink(target) }
}

// plain is the text of n's inline content.
func (r *bodyRenderer) plain(n ast.Node) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.Text:
			b.Write(guide.TextValue(t, r.src))
			if t.SoftLineBreak() || t.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(t.Value)
		case *ast.AutoLink:
			b.Write(t.Label(r.src))
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// list renders a list without task items: a marker column and the items'
// blocks.
func (r *bodyRenderer) list(l *ast.List) fyne.CanvasObject {
	var rows []fyne.CanvasObject
	n := l.Start
	for it := l.FirstChild(); it != nil; it = it.NextSibling() {
		marker := "•"
		if l.IsOrdered() {
			marker = fmt.Sprintf("%d.", n)
			n++
		}
		rows = append(rows, listRow(marker, r.blocksOf(it)))
	}
	return container.New(&kit.TightVBox{}, rows...)
}

// listRow is one list item: its marker and its blocks.
func listRow(marker string, blocks []fyne.CanvasObject) fyne.CanvasObject {
	m := kit.NewText(marker, kit.Style{})
	m.Align = fyne.TextAlignTrailing
	col := container.New(&fixedWidth{width: 28}, m)
	return container.NewBorder(nil, nil, container.NewVBox(col), nil, container.New(&kit.TightVBox{}, blocks...))
}

// fixedWidth gives its objects a fixed width.
type fixedWidth struct{ width float32 }

func (f *fixedWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var h float32
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(f.width, h)
}

func (f *fixedWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

// hasTask reports whether a list holds a task item at any depth.
func hasTask(l *ast.List) bool {
	found := false
	_ = ast.Walk(l, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if _, ok := n.(*extast.TaskCheckBox); ok && entering {
			found = true
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	return found
}

// taskList renders a list with task items: a row per step, other items
// as bullets, nested lists indented.
func (r *bodyRenderer) taskList(l *ast.List, depth int) {
	for it := l.FirstChild(); it != nil; it = it.NextSibling() {
		first := it.FirstChild()
		var rest ast.Node
		if first != nil {
			rest = first.NextSibling()
		}
		if box, ok := taskBox(first); ok {
			r.emit(kit.Indent(depth, r.stepRow(first, box)))
		} else if first != nil {
			r.emit(kit.Indent(depth, listRow("•", []fyne.CanvasObject{kit.NewFlowText(r.inlineRuns(first, kit.Style{})...)})))
		}
		for c := rest; c != nil; c = c.NextSibling() {
			if sub, ok := c.(*ast.List); ok && hasTask(sub) {
				r.taskList(sub, depth+1)
				continue
			}
			saved := r.out
			r.out = nil
			r.block(c)
			for _, o := range r.out {
				saved = append(saved, kit.Indent(depth+1, o))
			}
			r.out = saved
		}
	}
}

// taskBox returns the task check box that starts block, if any.
func taskBox(block ast.Node) (*extast.TaskCheckBox, bool) {
	if block == nil {
		return nil, false
	}
	box, ok := block.FirstChild().(*extast.TaskCheckBox)
	return box, ok
}

// stepRow renders one checklist step.
func (r *bodyRenderer) stepRow(block ast.Node, box *extast.TaskCheckBox) fyne.CanvasObject {
	runs := r.inlineRuns(block, kit.Style{})
	// The parser leaves the space after "[ ]" on the first text.
	if len(runs) > 0 {
		runs[0].Text = strings.TrimLeft(runs[0].Text, " ")
	}
	if r.opt.Step == nil {
		return listRow("•", []fyne.CanvasObject{kit.NewFlowText(runs...)})
	}
	text := strings.TrimSpace(r.plain(block))
	step, ok := r.findStep(text)
	if !ok {
		step = guide.Step{Text: text, Checked: box.IsChecked}
	}
	return r.opt.Step(step, ok, runs)
}

// findStep finds the guide's Step for a task item: normally the next one in
// document order, else the one with the same text.
func (r *bodyRenderer) findStep(text string) (guide.Step, bool) {
	steps := r.g.Steps
	norm := func(s string) string { return strings.Join(strings.Fields(strings.ToLower(s)), "") }
	want := norm(text)
	if r.step < len(steps) && norm(steps[r.step].Text) == want {
		r.step++
		return steps[r.step-1], true
	}
	for _, s := range steps {
		if norm(s.Text) == want {
			return s, true
		}
	}
	return guide.Step{}, false
}

// image renders an image of the library: relative to the guide, inside
// the library only. Anything else shows its description.
func (r *bodyRenderer) image(img *ast.Image) fyne.CanvasObject {
	alt := strings.TrimSpace(r.plain(img))
	fallback := func(why string) fyne.CanvasObject {
		t := "[image"
		if alt != "" {
			t += ": " + alt
		}
		if why != "" {
			t += " (" + why + ")"
		}
		return kit.NewText(t+"]", kit.Style{Italic: true, Color: theme.ColorNamePlaceHolder})
	}
	lib := r.opt.Library
	if dest := strings.TrimSpace(string(img.Destination)); guide.IsWebURL(dest) {
		// Fetching it would tell a third party who reads which guide:
		// only hosts the library's settings name are asked.
		if rm := r.opt.Remote; rm != nil && rm.Allowed(dest) {
			return r.remoteImage(rm, dest, alt, fallback)
		}
		return fallback("remote images are not loaded")
	}
	p, ok := guide.LibraryPath(r.g.ID, string(img.Destination))
	if !ok || lib == nil {
		return fallback("")
	}
	st, err := fs.Stat(lib, p)
	if err != nil || st.IsDir() || st.Size() > maxImageSize {
		return fallback("not found in the library")
	}
	data, err := fs.ReadFile(lib, p)
	if err != nil {
		return fallback("not readable")
	}
	return imageObject(path.Base(p), data, alt, fallback)
}

// remoteImage shows alt while the image loads from the web, then the image.
func (r *bodyRenderer) remoteImage(rm RemoteImages, url, alt string, fallback func(string) fyne.CanvasObject) fyne.CanvasObject {
	box := container.NewStack(fallback("loading"))
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		data, err := rm.Fetch(ctx, url)
		do := r.opt.Do
		if do == nil {
			do = fyne.Do
		}
		do(func() {
			if err != nil {
				box.Objects = []fyne.CanvasObject{fallback("could not be loaded")}
			} else {
				box.Objects = []fyne.CanvasObject{imageObject(path.Base(url), data, alt, fallback)}
			}
			box.Refresh()
		})
	}()
	return box
}

// imageObject shows image data at its size (at most maxImageWidth wide),
// with alt as its caption.
func imageObject(name string, data []byte, alt string, fallback func(string) fyne.CanvasObject) fyne.CanvasObject {
	ci := canvas.NewImageFromResource(fyne.NewStaticResource(name, data))
	ci.FillMode = canvas.ImageFillOriginal
	if ci.Aspect() == 0 {
		return fallback("not a supported image")
	}
	size := ci.MinSize()
	if size.Width <= 1 || size.Height <= 1 || size.Width > maxImageWidth {
		size = fyne.NewSize(maxImageWidth, maxImageWidth/ci.Aspect())
	}
	ci.FillMode = canvas.ImageFillContain
	ci.SetMinSize(size)
	if alt == "" {
		return ci
	}
	label := kit.NewText(alt, kit.Style{Italic: true, Color: theme.ColorNamePlaceHolder, Size: theme.SizeNameCaptionText})
	label.Align = fyne.TextAlignCenter
	return container.New(&kit.TightVBox{}, ci, label)
}
