package guide

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Markdown is the goldmark configuration guides are read with: CommonMark
// plus GitHub tables, task lists and strikethrough. The viewer renders with
// the same extensions.
var Markdown = goldmark.New(goldmark.WithExtensions(extension.Table, extension.TaskList, extension.Strikethrough))

// Limits that keep Markdown parsing near linear on hostile input (found by
// the pathological-input tests: 100,000 unclosed "[" took 36 s in goldmark,
// 200,000 nested ">" 11 s). Real guides come nowhere near them.
const (
	// MaxQuoteDepth is the deepest blockquote nesting kept; deeper
	// markers of a line are dropped.
	MaxQuoteDepth = 32
	// MaxLinkOpeners is how many "[" a body may use for links; later
	// ones are read as plain text. A link that does not close makes
	// goldmark scan the rest of its paragraph, so long bodies get fewer:
	// linkOpeners.
	MaxLinkOpeners = 2000
)

// linkOpeners is the "[" budget of a body of n bytes: MaxLinkOpeners up
// to 25 KB, then less, down to 200 for the largest guides.
func linkOpeners(n int) int { return min(MaxLinkOpeners, max(200, 50_000_000/max(n, 1))) }

// boundMarkdown applies MaxQuoteDepth and MaxLinkOpeners to a body. It
// keeps every line where it is, so problems still point at the right line.
func boundMarkdown(s string) string {
	budget := linkOpeners(len(s))
	if strings.Count(s, "[") <= budget && !strings.Contains(s, strings.Repeat(">", MaxQuoteDepth)) &&
		!strings.Contains(s, strings.Repeat("> ", MaxQuoteDepth)) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	openers := 0
	for line := range strings.SplitAfterSeq(s, "\n") {
		// Leading blockquote markers: keep at most MaxQuoteDepth.
		depth, i := 0, 0
		for i < len(line) && (line[i] == '>' || line[i] == ' ' || line[i] == '\t') {
			if line[i] == '>' {
				depth++
			}
			i++
		}
		if depth > MaxQuoteDepth {
			b.WriteString(strings.Repeat("> ", MaxQuoteDepth))
			line = line[i:]
		}
		for j := 0; j < len(line); j++ {
			c := line[j]
			if c == '\\' && j+1 < len(line) {
				b.WriteByte(c)
				b.WriteByte(line[j+1])
				j++
				continue
			}
			if c == '[' {
				openers++
				if openers > budget {
					b.WriteByte('\\')
				}
			}
			b.WriteByte(c)
		}
	}
	return b.String()
}

// bodyDoc holds what one pass over the Markdown of a body collects.
type bodyDoc struct {
	src       []byte
	lineStart []int
	firstLine int // file line of src[0]
}

func (b *bodyDoc) line(off int) int {
	if off < 0 {
		off = 0
	}
	i := sort.SearchInts(b.lineStart, off+1) - 1
	if i < 0 {
		i = 0
	}
	return b.firstLine + i
}

// parseBody fills Title (when not set: from the heading the body starts
// with, of any level, else from the first "# " heading), Text,
// WordCount, Sections, Steps, Links and Clicks from g.Body. It returns the
// problems of click-target comments it could not read.
func parseBody(g *Guide) (bad []Problem) {
	src := []byte(g.Body)
	b := &bodyDoc{src: src, firstLine: g.BodyLine, lineStart: []int{0}}
	for i, c := range src {
		if c == '\n' {
			b.lineStart = append(b.lineStart, i+1)
		}
	}
	doc := Markdown.Parser().Parse(text.NewReader(src))

	var all strings.Builder
	var cur *Section
	anchors := map[string]int{}
	titleSet := g.Title != ""
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		if h, ok := n.(*ast.Heading); ok {
			ht := strings.TrimSpace(plainText(h, src))
			// The title is the first heading when the body starts with
			// one, whatever its level ("## Phishing" on top of a page
			// whose "# " headings come later), else the first "# ".
			top := n == doc.FirstChild()
			if (h.Level == 1 || top) && !titleSet && ht != "" {
				g.Title = ht
				titleSet = true
				continue
			}
			if h.Level == 1 && strings.EqualFold(ht, strings.TrimSpace(g.Title)) {
				continue // the title repeated as a heading is not text
			}
			if h.Level == 2 {
				if cur != nil {
					cur.Text = strings.TrimSpace(cur.Text)
					g.Sections = append(g.Sections, *cur)
				}
				cur = &Section{Anchor: uniqueAnchor(anchors, Anchor(ht)), Title: ht, Line: b.line(nodePos(h))}
				all.WriteString(ht)
				all.WriteString("\n")
				continue
			}
		}
		t := plainText(n, src)
		all.WriteString(t)
		all.WriteString("\n")
		if cur != nil {
			cur.Text += t + "\n"
		}
	}
	if cur != nil {
		cur.Text = strings.TrimSpace(cur.Text)
		g.Sections = append(g.Sections, *cur)
	}
	g.Text = strings.TrimSpace(all.String())
	g.WordCount = len(strings.Fields(g.Text))

	seen := map[string]int{}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch v := n.(type) {
		case *ast.Link:
			if v.Reference != nil && strings.HasPrefix(string(v.Reference.Value), "^") {
				// A footnote ("[^1]", "[^note]") whose definition
				// CommonMark reads as a link reference: not a link.
				return ast.WalkSkipChildren, nil
			}
			g.Links = append(g.Links, Link{Kind: LinkText, Dest: string(v.Destination), Line: b.line(nodePos(v)),
				Text: strings.TrimSpace(plainText(v, src))})
		case *ast.Image:
			g.Links = append(g.Links, Link{Kind: LinkImage, Dest: string(v.Destination), Line: b.line(nodePos(v))})
		case *ast.HTMLBlock:
			var raw strings.Builder
			for i := 0; i < v.Lines().Len(); i++ {
				seg := v.Lines().At(i)
				raw.Write(seg.Value(src))
			}
			if v.HasClosure() {
				raw.Write(v.ClosureLine.Value(src))
			}
			if !IsClickComment(raw.String()) {
				break
			}
			line := b.line(nodePos(v))
			t, err := ParseClickTarget(raw.String())
			if err != nil {
				bad = append(bad, Problem{Path: g.ID, Line: line, Level: LevelWarning, Code: "bad-target",
					Message: fmt.Sprintf("Guide me cannot use this %s comment: %v; fix it, or record the target again with cuecard target", ClickMarker, err)})
				break
			}
			t.Line = line
			g.Clicks = append(g.Clicks, t)
			g.HasClicks = true
			// The patch is an image of the guide: a missing one is a
			// broken link like any other.
			g.Links = append(g.Links, Link{Kind: LinkImage, Dest: t.Patch, Line: line})
		case *ast.ListItem:
			if box, block := taskBox(v); box != nil {
				st := strings.TrimSpace(plainText(block, src))
				id := StepID(st)
				seen[id]++
				if k := seen[id]; k > 1 {
					id += "-" + strconv.Itoa(k)
				}
				g.Steps = append(g.Steps, Step{ID: id, Text: st, Checked: box.IsChecked, Line: b.line(nodePos(block))})
			}
		}
		return ast.WalkContinue, nil
	})
	return bad
}

// taskBox returns the task check box of a list item and the block holding it.
func taskBox(li *ast.ListItem) (*extast.TaskCheckBox, ast.Node) {
	first := li.FirstChild()
	if first == nil {
		return nil, nil
	}
	if box, ok := first.FirstChild().(*extast.TaskCheckBox); ok {
		return box, first
	}
	return nil, nil
}

// StepID is the stable id of a checklist step: a short hash of its text,
// lower-cased with white space folded, so that editing other steps, adding
// steps or moving this one keeps its id.
func StepID(text string) string {
	norm := strings.Join(strings.Fields(strings.ToLower(text)), " ")
	sum := sha1.Sum([]byte(norm))
	return hex.EncodeToString(sum[:5])
}

// nodePos finds a source offset for n: its own position, else the first
// position among its descendants, else its first line.
func nodePos(n ast.Node) int {
	if p := n.Pos(); p >= 0 {
		return p
	}
	if n.Type() == ast.TypeBlock && n.Lines().Len() > 0 {
		return n.Lines().At(0).Start
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if p := nodePos(c); p >= 0 {
			return p
		}
	}
	if par := n.Parent(); par != nil && par.Type() == ast.TypeBlock && par.Lines().Len() > 0 {
		return par.Lines().At(0).Start
	}
	return -1
}

// plainText is the readable text of a node without Markdown syntax (nor
// the syntax of Obsidian and Hugo; see readable).
func plainText(n ast.Node, src []byte) string {
	var sb strings.Builder
	writePlain(&sb, n, src)
	return readable(sb.String())
}

func writePlain(sb *strings.Builder, n ast.Node, src []byte) {
	switch v := n.(type) {
	case *ast.Text:
		sb.Write(textValue(v, src))
		if v.SoftLineBreak() || v.HardLineBreak() {
			sb.WriteByte(' ')
		}
		return
	case *ast.String:
		sb.Write(v.Value)
		return
	case *ast.AutoLink:
		sb.Write(v.Label(src))
		return
	case *ast.CodeBlock, *ast.FencedCodeBlock:
		lines := n.Lines()
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			sb.Write(seg.Value(src))
		}
		return
	case *ast.HTMLBlock, *ast.RawHTML:
		return
	case *extast.TaskCheckBox:
		return
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		writePlain(sb, c, src)
		if c.Type() == ast.TypeBlock {
			sb.WriteByte('\n')
		}
	}
	if _, ok := n.(*extast.TableCell); ok {
		sb.WriteByte(' ')
	}
}

// Anchor is the GitHub-style anchor of a heading: lower case, letters, digits,
// hyphens and underscores kept, spaces turned into hyphens.
func Anchor(s string) string {
	var sb strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '-':
			sb.WriteRune(r)
		case r == ' ':
			sb.WriteByte('-')
		}
	}
	if sb.Len() == 0 {
		return "section"
	}
	return sb.String()
}

func uniqueAnchor(seen map[string]int, a string) string {
	n := seen[a]
	seen[a] = n + 1
	if n == 0 {
		return a
	}
	return a + "-" + strconv.Itoa(n)
}

// textValue is a text node's text with backslash escapes resolved ("\\*"
// is "*"), except in code spans, where a backslash is a backslash.
func textValue(t *ast.Text, src []byte) []byte {
	v := t.Segment.Value(src)
	if t.IsRaw() {
		return v
	}
	return util.UnescapePunctuations(v)
}

// TextValue is the text of a Markdown text node as a reader sees it:
// backslash escapes resolved outside code spans.
func TextValue(t *ast.Text, src []byte) []byte { return textValue(t, src) }
