package markdown

import (
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"

	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/ui/kit"
)

// WorkStep is one step of a guide, to follow one at a time beside the app:
// a checklist item (Step has the guide's id for it, Known when its ticks
// are saved) or an item of a numbered list (Step.ID is "").
type WorkStep struct {
	Step  guide.Step
	Known bool
	// Section is the "## " heading the step is under, or "".
	Section string
	// Runs are the step's first paragraph, images left out.
	Runs []kit.Run
}

// Steps lists g's steps in document order: every checklist item, and the
// items of numbered lists that are not inside another list or a quote.
// A guide with neither has none.
func Steps(g *guide.Guide) []WorkStep {
	r := &bodyRenderer{g: g, noImages: true, src: []byte(g.Body)}
	doc := guide.Markdown.Parser().Parse(text.NewReader(r.src))
	var out []WorkStep
	section := ""
	var items func(l *ast.List)
	items = func(l *ast.List) {
		for it := l.FirstChild(); it != nil; it = it.NextSibling() {
			first := it.FirstChild()
			if box, ok := taskBox(first); ok {
				runs := r.inlineRuns(first, kit.Style{})
				if len(runs) > 0 {
					runs[0].Text = strings.TrimLeft(runs[0].Text, " ")
				}
				plain := strings.TrimSpace(r.plain(first))
				st, known := r.findStep(plain)
				if !known {
					st = guide.Step{Text: plain, Checked: box.IsChecked}
				}
				out = append(out, WorkStep{Step: st, Known: known, Section: section, Runs: runs})
			} else if l.IsOrdered() && first != nil {
				out = append(out, WorkStep{Step: guide.Step{Text: strings.TrimSpace(r.plain(first))}, Section: section,
					Runs: r.inlineRuns(first, kit.Style{})})
			}
			for c := it.FirstChild(); c != nil; c = c.NextSibling() {
				if sub, ok := c.(*ast.List); ok && hasTask(sub) {
					items(sub)
				}
			}
		}
	}
	for n := doc.FirstChild(); n != nil && len(out) < maxSteps; n = n.NextSibling() {
		switch t := n.(type) {
		case *ast.Heading:
			if t.Level == 2 {
				section = strings.TrimSpace(r.plain(t))
			}
		case *ast.List:
			if t.IsOrdered() || hasTask(t) {
				items(t)
			}
		}
	}
	if len(out) > maxSteps {
		out = out[:maxSteps]
	}
	return out
}

// maxSteps bounds Steps for a runaway file: a guide is short by design.
const maxSteps = 500
