package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/cuecard/cuecard/internal/track"
	"github.com/cuecard/cuecard/internal/ui/kit"
)

// Training is the Start-here track as the viewer needs it: the item of a
// guide in the person's track, and the actions that complete one.
type Training interface {
	// Item is the guide's item of the person's track; ok is false when the
	// guide is not in it (not required, or for other roles).
	Item(id string) (it track.Item, ok bool)
	Ack(id string) error
	MarkDone(id string, done bool) error
}

// trainingBar is the viewer's line for a guide of the track.
type trainingBar struct {
	v      *Viewer
	text   *kit.FlowText
	button *kit.Button
	undo   *kit.Button
	box    fyne.CanvasObject
}

// trainingBar is the line of a guide in the person's track, or nil.
func (v *Viewer) trainingBar() fyne.CanvasObject {
	if v.cfg.Training == nil || !v.g.Required {
		return nil // only required guides are in a track: no need to build it
	}
	if _, ok := v.cfg.Training.Item(v.g.ID); !ok {
		return nil
	}
	b := &trainingBar{v: v, text: kit.NewFlowText()}
	b.button = kit.NewButton("", theme.ConfirmIcon(), b.act)
	b.button.Importance = widget.HighImportance
	b.undo = kit.NewButton("Undo", nil, func() {
		v.showErr("undo", v.cfg.Training.MarkDone(v.g.ID, false))
		v.trackChanged()
	})
	b.undo.Importance = widget.LowImportance
	b.box = kit.Notice(theme.NewPrimaryThemedResource(theme.InfoIcon()), theme.ColorNamePrimary,
		container.NewBorder(nil, nil, nil, container.NewHBox(b.undo, b.button), b.text))
	v.training = b
	b.refresh()
	return b.box
}

// refresh shows the item's state as the track has it now.
func (b *trainingBar) refresh() {
	it, ok := b.v.cfg.Training.Item(b.v.g.ID)
	if !ok {
		b.box.Hide()
		return
	}
	now := b.v.now()
	text := "Start here: " + itemMeta(it, now)
	style := kit.Style{}
	if it.Status == track.Overdue {
		style.Bold = true
	}
	b.text.SetRuns(kit.Run{Text: text, Style: style})
	b.button.Hide()
	b.undo.Hide()
	switch {
	case it.Status == track.Done && it.How == track.ByMark:
		b.undo.Show()
	case it.Status == track.Done:
	case it.How == track.ByAck:
		b.button.SetText("I have read and understood")
		b.button.Show()
	case it.How == track.ByMark:
		b.button.SetText("Mark as done")
		b.button.Show()
	}
	b.box.Refresh()
}

func (b *trainingBar) act() {
	v := b.v
	it, ok := v.cfg.Training.Item(v.g.ID)
	if !ok {
		return
	}
	switch it.How {
	case track.ByAck:
		v.showErr("save your acknowledgement", v.cfg.Training.Ack(v.g.ID))
	case track.ByMark:
		v.showErr("mark the guide as done", v.cfg.Training.MarkDone(v.g.ID, true))
	}
	v.trackChanged()
}
