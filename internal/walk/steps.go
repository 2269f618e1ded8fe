package walk

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"

	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/locate"
)

// MaxSteps is the most steps a walkthrough plays.
const MaxSteps = 200

// StepsOf lists g's steps to play: the items of its numbered lists and
// checklists that are not inside another list, in document order, each
// with the click target written in it (see guide.ClickTarget), its patch
// loaded from dir (the guide file's folder), its first image and the
// shortcut it names in bold ("Press **Ctrl+S**."). A guide without such
// lists has no steps.
func StepsOf(g *guide.Guide, dir string) []Step {
	src := []byte(g.Body)
	doc := guide.Markdown.Parser().Parse(text.NewReader(src))
	lineOf := func(off int) int { return g.BodyLine + bytes.Count(src[:min(max(off, 0), len(src))], []byte("\n")) }
	var out []Step
	for n := doc.FirstChild(); n != nil && len(out) < MaxSteps; n = n.NextSibling() {
		l, ok := n.(*ast.List)
		if !ok || !(l.IsOrdered() || isChecklist(l)) {
			continue
		}
		for it := l.FirstChild(); it != nil && len(out) < MaxSteps; it = it.NextSibling() {
			first, last := span(it)
			if first < 0 || !l.IsOrdered() && !isTask(it) {
				continue
			}
			from, to := lineOf(first), lineOf(last)
			s := Step{Text: strings.TrimSpace(plain(it.FirstChild(), src))}
			if s.Text == "" {
				continue
			}
			for i := range g.Clicks {
				if c := g.Clicks[i]; c.Line >= from && c.Line <= to {
					s.Target = &c
					s.Patch = loadPatch(filepath.Join(dir, filepath.FromSlash(c.Patch)))
					break
				}
			}
			_ = ast.Walk(it, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
				if im, ok := c.(*ast.Image); ok && entering && s.Shot == "" {
					d := string(im.Destination)
					if !strings.Contains(d, "://") && !filepath.IsAbs(d) {
						s.Shot = filepath.Join(dir, filepath.FromSlash(d))
					}
				}
				return ast.WalkContinue, nil
			})
			if m := shortcut.FindStringSubmatch(plainMarkdown(it, src)); m != nil {
				s.Keys = m[1]
			}
			out = append(out, s)
		}
	}
	return out
}

// shortcut is a key combination written in bold: **Ctrl+Shift+S**.
var shortcut = regexp.MustCompile(`\*\*((?:(?:Ctrl|Control|Alt|Shift|Super|Win|Cmd|Meta)\+)+[^*+\s]{1,12})\*\*`)

func isChecklist(l *ast.List) bool {
	for it := l.FirstChild(); it != nil; it = it.NextSibling() {
		if isTask(it) {
			return true
		}
	}
	return false
}

// isTask reports whether a list item is a checklist item ("- [ ] ...").
func isTask(it ast.Node) bool {
	if f := it.FirstChild(); f != nil {
		_, ok := f.FirstChild().(*extast.TaskCheckBox)
		return ok
	}
	return false
}

// span is the first and last source offsets of n's lines.
func span(n ast.Node) (first, last int) {
	first, last = -1, -1
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering && c.Type() == ast.TypeBlock {
			if ls := c.Lines(); ls.Len() > 0 {
				if a := ls.At(0).Start; first < 0 || a < first {
					first = a
				}
				last = max(last, ls.At(ls.Len()-1).Stop-1)
			}
			if h, ok := c.(*ast.HTMLBlock); ok && h.HasClosure() {
				last = max(last, h.ClosureLine.Stop-1)
			}
		}
		return ast.WalkContinue, nil
	})
	return first, last
}

// plain is n's text without Markdown syntax.
func plain(n ast.Node, src []byte) string {
	if n == nil {
		return ""
	}
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.Text:
			b.Write(t.Segment.Value(src))
			if t.SoftLineBreak() || t.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(t.Value)
		case *ast.Image, *ast.HTMLBlock, *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return strings.Join(strings.Fields(b.String()), " ")
}

// plainMarkdown is the source of n's first paragraph.
func plainMarkdown(n ast.Node, src []byte) string {
	f := n.FirstChild()
	if f == nil || f.Lines().Len() == 0 {
		return ""
	}
	ls := f.Lines()
	return string(src[ls.At(0).Start:ls.At(ls.Len()-1).Stop])
}

// maxPatchSide bounds a patch image read from the library.
const maxPatchSide = 512

// loadPatch reads a patch image; a zero Gray when it cannot.
func loadPatch(path string) locate.Gray {
	f, err := os.Open(path)
	if err != nil {
		return locate.Gray{}
	}
	defer f.Close()
	cfg, err := png.DecodeConfig(f)
	if err != nil || cfg.Width > maxPatchSide || cfg.Height > maxPatchSide || cfg.Width < 8 || cfg.Height < 8 {
		return locate.Gray{}
	}
	if _, err := f.Seek(0, 0); err != nil {
		return locate.Gray{}
	}
	img, err := png.Decode(f)
	if err != nil {
		return locate.Gray{}
	}
	return locate.FromImage(img)
}

// equalKeys compares two shortcuts ignoring case and the modifiers' order.
func equalKeys(a, b string) bool {
	norm := func(s string) []string {
		parts := strings.Split(strings.ToLower(strings.ReplaceAll(s, " ", "")), "+")
		for i, p := range parts {
			switch p {
			case "control":
				parts[i] = "ctrl"
			case "win", "meta", "cmd":
				parts[i] = "super"
			}
		}
		slices.Sort(parts)
		return parts
	}
	return slices.Equal(norm(a), norm(b))
}
