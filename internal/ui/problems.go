package ui

import (
	"fmt"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/ui/kit"
)

// MaxProblemsShown is how many problems the list shows; the summary counts
// them all.
const MaxProblemsShown = 500

// ProblemsSize is the size the problems window is designed for.
var ProblemsSize = fyne.NewSize(640, 360)

// Problems is the content of the library problems window: one row per
// problem, "path:line: level: message", sorted by file and line. Set it again
// whenever the library's problem list changes.
type Problems struct {
	widget.BaseWidget

	// OnCopy, when set, adds a "Copy" button that passes every problem as
	// text, one per line.
	OnCopy func(text string)

	problems []guide.Problem
	// hidden: rows are not built (SetShown); a library with thousands
	// of problems would otherwise keep thousands of rows in memory in a
	// window nobody looks at.
	hidden  bool
	summary *widget.Label
	list    *fyne.Container
	scroll  *container.Scroll
	copyB   *widget.Button
	content fyne.CanvasObject
}

// NewProblems returns an empty problems list.
func NewProblems() *Problems {
	p := &Problems{}
	p.ExtendBaseWidget(p)
	p.summary = widget.NewLabel("")
	p.summary.Wrapping = fyne.TextWrapWord
	p.copyB = widget.NewButtonWithIcon("Copy", theme.ContentCopyIcon(), func() {
		if p.OnCopy != nil {
			p.OnCopy(p.Text())
		}
	})
	p.list = container.NewVBox()
	p.scroll = container.NewVScroll(p.list)
	p.content = container.NewBorder(
		container.NewVBox(container.NewBorder(nil, nil, nil, p.copyB, p.summary), widget.NewSeparator()),
		nil, nil, nil, p.scroll)
	p.Set(nil)
	return p
}

func (p *Problems) CreateRenderer() fyne.WidgetRenderer {
	if p.OnCopy == nil {
		p.copyB.Hide()
	}
	return widget.NewSimpleRenderer(p.content)
}

// Problems returns the problems shown, sorted.
func (p *Problems) Problems() []guide.Problem { return p.problems }

// Text is every problem, one "path:line: level: message" a line.
func (p *Problems) Text() string {
	var b strings.Builder
	for _, pr := range p.problems {
		b.WriteString(pr.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// Set replaces the list.
func (p *Problems) Set(ps []guide.Problem) {
	ps = append([]guide.Problem(nil), ps...)
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].Path != ps[j].Path {
			return ps[i].Path < ps[j].Path
		}
		return ps[i].Line < ps[j].Line
	})
	p.problems = ps

	errs, warns := 0, 0
	for _, pr := range ps {
		if pr.Level == guide.LevelError {
			errs++
		} else {
			warns++
		}
	}
	switch {
	case len(ps) == 0:
		p.summary.SetText("No problems: every guide in the library can be read.")
	case errs > 0:
		p.summary.SetText(fmt.Sprintf("%s and %s. Files with errors are left out until they are fixed.",
			plural(errs, "error"), plural(warns, "warning")))
	default:
		p.summary.SetText(fmt.Sprintf("%s. Every guide can be read.", plural(warns, "warning")))
	}
	if p.OnCopy != nil && len(ps) > 0 {
		p.copyB.Show()
	} else {
		p.copyB.Hide()
	}

	p.buildRows()
}

// SetShown tells the list whether its window is shown: rows are built only
// then, and dropped when it is hidden.
func (p *Problems) SetShown(shown bool) {
	if p.hidden == !shown {
		return
	}
	p.hidden = !shown
	p.buildRows()
}

func (p *Problems) buildRows() {
	if p.hidden {
		p.list.Objects = nil
		p.list.Refresh()
		return
	}
	ps := p.problems
	shown := ps
	if len(shown) > MaxProblemsShown {
		shown = shown[:MaxProblemsShown]
	}
	objs := make([]fyne.CanvasObject, 0, len(shown)+1)
	for _, pr := range shown {
		objs = append(objs, problemRow(pr))
	}
	if more := len(ps) - len(shown); more > 0 {
		objs = append(objs, kit.Subtle(fmt.Sprintf("… and %d more: run cuecard lint to see them all.", more)))
	}
	p.list.Objects = objs
	p.list.Refresh()
}

func problemRow(pr guide.Problem) fyne.CanvasObject {
	var icon fyne.Resource = theme.NewWarningThemedResource(theme.WarningIcon())
	levelColor := theme.ColorNameWarning
	if pr.Level == guide.LevelError {
		icon = theme.NewErrorThemedResource(theme.ErrorIcon())
		levelColor = theme.ColorNameError
	}
	text := kit.NewFlowText(
		kit.Run{Text: fmt.Sprintf("%s:%d: ", pr.Path, pr.Line), Style: kit.Style{Bold: true}},
		kit.Run{Text: string(pr.Level) + ": ", Style: kit.Style{Bold: true, Color: levelColor}},
		kit.Run{Text: pr.Message},
	)
	return container.NewBorder(nil, nil, kit.LineIcon(icon), nil, text)
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
