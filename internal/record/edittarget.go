package record

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"

	"github.com/cuecard/cuecard/internal/guide"
)

// NumberedStep is a step of a guide file's numbered lists: the items of
// the ordered lists at the top of the document, in document order (as the
// viewer's step list counts them; a numbered list nested in a step is part
// of that step).
type NumberedStep struct {
	// N is the step's number, from 1.
	N int
	// Line is the step's first line in the file.
	Line int
	// Text is the step's first paragraph as plain text.
	Text string
	// Target is the step's click target comment, when it has one (Line
	// set), and Image the line of its first image (0: none).
	Target guide.ClickTarget
	Image  int

	item ast.Node
}

// StepsError is a step number that the guide does not have.
type StepsError struct {
	Path        string
	Line, Steps int
	Step        int
}

func (e *StepsError) Error() string {
	switch e.Steps {
	case 0:
		return fmt.Sprintf("%s:%d: the guide has no numbered steps (1. ..., 2. ...): Guide me points at numbered steps only", e.Path, e.Line)
	case 1:
		return fmt.Sprintf("%s:%d: no step %d: the guide has 1 numbered step", e.Path, e.Line, e.Step)
	}
	return fmt.Sprintf("%s:%d: no step %d: the guide has %d numbered steps (1 to %d)", e.Path, e.Line, e.Step, e.Steps, e.Steps)
}

// editDoc is a guide file split into lines for editing, and its body parsed.
type editDoc struct {
	lines    [][]byte // each with its line ending
	eol      []byte   // the file's line ending: "\r\n" or "\n"
	bodyLine int      // the body's first line (1-based)
	body     []byte   // the body as guide.Parse reads it
	lineOf   []int    // body offsets of line starts
	steps    []NumberedStep
}

func readDoc(path string, src []byte) (*editDoc, error) {
	g, probs := guide.Parse(path, src)
	if g == nil {
		for _, p := range probs {
			if p.Level == guide.LevelError {
				return nil, fmt.Errorf("%s:%d: %s: fix it first (cuecard lint)", path, p.Line, p.Message)
			}
		}
		return nil, fmt.Errorf("%s: not a guide", path)
	}
	d := &editDoc{eol: []byte("\n"), bodyLine: g.BodyLine, body: []byte(g.Body)}
	if i := bytes.IndexByte(src, '\n'); i > 0 && src[i-1] == '\r' {
		d.eol = []byte("\r\n")
	}
	for rest := src; len(rest) > 0; {
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			i = len(rest) - 1
		}
		d.lines = append(d.lines, rest[:i+1])
		rest = rest[i+1:]
	}
	// The body must be the file's lines from bodyLine on (a file with
	// lone CR line endings, or one guide.Parse had to trim, is not).
	var tail []byte
	for _, l := range d.lines[min(len(d.lines), g.BodyLine-1):] {
		tail = append(tail, bytes.ReplaceAll(l, []byte("\r\n"), []byte("\n"))...)
	}
	tail = bytes.TrimPrefix(tail, []byte("\xef\xbb\xbf"))
	if !bytes.Equal(tail, d.body) {
		return nil, fmt.Errorf("%s: cannot edit this file line by line (old Mac line endings, or deeply nested Markdown): save it with Unix or Windows line endings", path)
	}
	d.lineOf = []int{0}
	for i, c := range d.body {
		if c == '\n' {
			d.lineOf = append(d.lineOf, i+1)
		}
	}
	doc := guide.Markdown.Parser().Parse(text.NewReader(d.body))
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		l, ok := n.(*ast.List)
		if !ok || !l.IsOrdered() {
			continue
		}
		for it := l.FirstChild(); it != nil; it = it.NextSibling() {
			st := NumberedStep{N: len(d.steps) + 1, Line: d.line(blockStart(it)), item: it}
			if first := it.FirstChild(); first != nil {
				st.Text = strings.Join(strings.Fields(plain(first, d.body)), " ")
			}
			for c := it.FirstChild(); c != nil; c = c.NextSibling() {
				switch v := c.(type) {
				case *ast.HTMLBlock:
					raw := htmlText(v, d.body)
					if st.Target.Line == 0 && guide.IsClickComment(raw) {
						t, _ := guide.ParseClickTarget(raw) // a bad one is replaced all the same
						t.Line = d.line(v.Lines().At(0).Start)
						st.Target = t
					}
				case *ast.Paragraph, *ast.TextBlock:
					if st.Image == 0 && hasImage(v) {
						st.Image = d.line(v.Lines().At(v.Lines().Len() - 1).Start)
					}
				}
			}
			d.steps = append(d.steps, st)
		}
	}
	return d, nil
}

// line is the file line of a body offset.
func (d *editDoc) line(off int) int {
	lo, hi := 0, len(d.lineOf)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if d.lineOf[mid] <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return d.bodyLine + lo
}

// blockStart is the body offset of a block's first line of text (a list
// item's: its first child's).
func blockStart(n ast.Node) int {
	for ; n != nil; n = n.FirstChild() {
		if n.Type() == ast.TypeBlock && n.Lines().Len() > 0 {
			return n.Lines().At(0).Start
		}
	}
	return 0
}

func htmlText(v *ast.HTMLBlock, src []byte) string {
	var b strings.Builder
	for i := 0; i < v.Lines().Len(); i++ {
		seg := v.Lines().At(i)
		b.Write(seg.Value(src))
	}
	if v.HasClosure() {
		seg := v.ClosureLine
		b.Write(seg.Value(src))
	}
	return b.String()
}

func hasImage(n ast.Node) bool {
	found := false
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if _, ok := c.(*ast.Image); ok && entering {
			found = true
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	return found
}

// plain is a block's text without Markdown syntax.
func plain(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch v := c.(type) {
		case *ast.Text:
			seg := v.Segment
			b.Write(seg.Value(src))
			if v.SoftLineBreak() || v.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(v.Value)
		case *ast.CodeSpan:
			for t := v.FirstChild(); t != nil; t = t.NextSibling() {
				if s, ok := t.(*ast.Text); ok {
					seg := s.Segment
					b.Write(seg.Value(src))
				}
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// NumberedSteps are the numbered steps of a guide file (path names it in
// errors).
func NumberedSteps(path string, src []byte) ([]NumberedStep, error) {
	d, err := readDoc(path, src)
	if err != nil {
		return nil, err
	}
	return d.steps, nil
}

// SetTarget puts t's comment into step n (1-based) of a guide file: in
// place of the step's target comment if it has one, else on the line after
// the step's first image, else after its first paragraph, indented like
// the step's text so that it stays in the step's list item. Every other
// byte of src is kept, line endings (LF or CRLF) included. It returns the
// new file, the comment's line and the step (with the old target, if any).
// A step the guide does not have is a *StepsError.
func SetTarget(path string, src []byte, n int, t guide.ClickTarget) (out []byte, line int, step NumberedStep, err error) {
	d, err := readDoc(path, src)
	if err != nil {
		return nil, 0, step, err
	}
	if n < 1 || n > len(d.steps) {
		e := &StepsError{Path: path, Line: d.bodyLine, Steps: len(d.steps), Step: n}
		if len(d.steps) > 0 {
			e.Line = d.steps[0].Line
		}
		return nil, 0, step, e
	}
	step = d.steps[n-1]
	first := step.item.FirstChild()
	switch first.(type) {
	case *ast.Paragraph, *ast.TextBlock:
	default:
		first = nil // a code block, a heading, a list: no sentence to put it after
	}
	if first == nil || first.Lines().Len() == 0 {
		return nil, 0, step, fmt.Errorf("%s:%d: step %d does not start with text: write its text first", path, step.Line, n)
	}
	// The step's text column: where its first line's text starts.
	textLine := d.line(first.Lines().At(0).Start)
	lineText := d.lines[textLine-1]
	col := first.Lines().At(0).Start - d.lineOf[textLine-d.bodyLine]
	if col > len(lineText) {
		return nil, 0, step, fmt.Errorf("%s:%d: step %d does not start with text", path, step.Line, n)
	}
	indent := make([]byte, col)
	for i := range indent {
		indent[i] = ' '
		if lineText[i] == '\t' {
			indent[i] = '\t'
		}
	}
	comment := append(append(indent, t.String()...), d.eol...)

	var replaceFrom, replaceTo int // file lines [from, to), 1-based
	switch {
	case step.Target.Line > 0:
		// The old comment's lines.
		var old ast.Node
		for c := step.item.FirstChild(); c != nil; c = c.NextSibling() {
			if h, ok := c.(*ast.HTMLBlock); ok && d.line(h.Lines().At(0).Start) == step.Target.Line {
				old = h
			}
		}
		h := old.(*ast.HTMLBlock)
		last := h.Lines().At(h.Lines().Len() - 1).Start
		if h.HasClosure() {
			last = h.ClosureLine.Start
		}
		replaceFrom, replaceTo = step.Target.Line, d.line(last)+1
	case step.Image > 0:
		replaceFrom, replaceTo = step.Image+1, step.Image+1
	default:
		segs := first.Lines()
		end := d.line(segs.At(segs.Len()-1).Start) + 1
		replaceFrom, replaceTo = end, end
	}
	var b bytes.Buffer
	for i, l := range d.lines {
		ln := i + 1
		if ln == replaceFrom {
			b.Write(comment)
		}
		if ln >= replaceFrom && ln < replaceTo {
			continue
		}
		b.Write(l)
		if ln == replaceFrom-1 && !bytes.HasSuffix(l, []byte("\n")) {
			b.Write(d.eol) // the last line had no line ending
		}
	}
	if replaceFrom > len(d.lines) {
		b.Write(comment)
	}
	return b.Bytes(), replaceFrom, step, nil
}
