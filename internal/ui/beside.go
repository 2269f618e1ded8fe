package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/ui/kit"
	"github.com/cuecard/cuecard/internal/ui/markdown"
)

// BesideSize is the size of the "work beside it" window.
var BesideSize = fyne.NewSize(360, 190)

// Beside is the content of the small window that shows one step of a
// guide at a time, to follow while working in the app: it floats above the
// app and never takes the focus (like the panel), with Back and Next, and
// for a checklist a Done tick that saves the step and moves on.
//
// The callbacks are called on the UI goroutine; nil callbacks are skipped.
type Beside struct {
	widget.BaseWidget

	// OnOpen opens the whole guide at a section anchor ("" for the top).
	OnOpen func(id, anchor string)
	// OnClose closes the window.
	OnClose func()

	g        *guide.Guide
	steps    []markdown.WorkStep
	progress Progress
	state    map[string]bool
	at       int

	where   *kit.FlowText
	text    *kit.FlowText
	done    *kit.Check
	back    *kit.TipButton
	next    *kit.TipButton
	errText *widget.Label
	content fyne.CanvasObject
}

// NewBeside returns the window content for g's steps (see markdown.Steps),
// at the first step not done. progress (may be nil) keeps the ticks.
func NewBeside(g *guide.Guide, progress Progress) *Beside {
	b := &Beside{g: g, steps: markdown.Steps(g), progress: progress, state: map[string]bool{}}
	b.ExtendBaseWidget(b)
	for _, s := range g.Steps {
		b.state[s.ID] = s.Checked
	}
	if progress != nil {
		for id, on := range progress.Steps(g.ID) {
			if _, ok := b.state[id]; ok {
				b.state[id] = on
			}
		}
	}

	title := widget.NewLabel(g.Title)
	title.TextStyle.Bold = true
	title.Truncation = fyne.TextTruncateEllipsis
	full := kit.NewTipButton(theme.DocumentIcon(), "Open the whole guide", func() {
		if b.OnOpen != nil {
			anchor := ""
			if b.at < len(b.steps) && b.steps[b.at].Section != "" {
				anchor = guide.Anchor(b.steps[b.at].Section)
			}
			b.OnOpen(b.g.ID, anchor)
		}
	})
	closeB := kit.NewTipButton(theme.CancelIcon(), "Close", func() { call(b.OnClose) })
	header := container.NewBorder(nil, nil, nil, container.NewHBox(full, closeB), title)

	b.where = kit.Caption("")
	b.text = kit.NewFlowText()
	b.errText = widget.NewLabel("")
	b.errText.Importance = widget.DangerImportance
	b.errText.Truncation = fyne.TextTruncateEllipsis
	b.errText.Hide()
	b.done = kit.NewCheck("Done", b.tick)
	b.back = kit.NewTipButton(theme.NavigateBackIcon(), "Previous step", func() { b.show(b.at - 1) })
	b.next = kit.NewTipButton(theme.NavigateNextIcon(), "Next step", func() { b.show(b.at + 1) })
	footer := container.NewBorder(nil, nil, b.back, b.next, container.NewHBox(layout.NewSpacer(), b.done, layout.NewSpacer()))

	b.content = container.NewBorder(
		container.NewVBox(header, widget.NewSeparator()),
		container.NewVBox(b.errText, footer), nil, nil,
		container.NewVScroll(container.NewPadded(container.NewBorder(b.where, nil, nil, nil, b.text))))
	b.show(b.firstOpen())
	return b
}

func (b *Beside) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(b.content) }

// Guide is the guide followed.
func (b *Beside) Guide() *guide.Guide { return b.g }

// Step is the index of the step shown, of how many.
func (b *Beside) Step() (at, of int) { return b.at, len(b.steps) }

// HasSteps reports whether g has steps to follow one at a time.
func HasSteps(g *guide.Guide) bool { return len(markdown.Steps(g)) > 0 }

// firstOpen is the first step not done, or 0.
func (b *Beside) firstOpen() int {
	for i, s := range b.steps {
		if s.Known && !b.state[s.Step.ID] {
			return i
		}
	}
	for i, s := range b.steps {
		if !s.Known {
			return i
		}
	}
	return 0
}

// show shows step i.
func (b *Beside) show(i int) {
	if len(b.steps) == 0 {
		b.where.SetRuns()
		b.text.SetRuns(kit.Run{Text: "This guide has no numbered steps or checklist to follow step by step."})
		b.done.Hide()
		b.back.Disable()
		b.next.Disable()
		return
	}
	i = max(0, min(i, len(b.steps)-1))
	b.at = i
	s := b.steps[i]
	where := fmt.Sprintf("Step %d of %d", i+1, len(b.steps))
	if s.Section != "" {
		where += " · " + s.Section
	}
	b.where.SetRuns(kit.Run{Text: where, Style: kit.Style{Color: theme.ColorNamePlaceHolder, Size: theme.SizeNameCaptionText, Bold: true}})
	b.text.SetRuns(s.Runs...)
	if s.Known {
		b.done.OnChanged = nil // setting the box is not a tick
		b.done.SetChecked(b.state[s.Step.ID])
		b.done.OnChanged = b.tick
		b.done.Show()
	} else {
		b.done.Hide()
	}
	if i == 0 {
		b.back.Disable()
	} else {
		b.back.Enable()
	}
	if i == len(b.steps)-1 {
		b.next.Disable()
	} else {
		b.next.Enable()
	}
}

// tick saves the Done box of the step shown; ticked, the next step shows.
func (b *Beside) tick(on bool) {
	s := b.steps[b.at]
	if !s.Known {
		return
	}
	b.state[s.Step.ID] = on
	if b.progress != nil {
		if err := b.progress.SetStep(b.g.ID, s.Step.ID, on); err != nil {
			b.errText.SetText("Could not save your progress: " + err.Error())
			b.errText.Show()
			return
		}
	}
	b.errText.Hide()
	if on && b.at < len(b.steps)-1 {
		b.show(b.at + 1)
	}
}
