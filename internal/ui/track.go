package ui

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/cuecard/cuecard/internal/track"
	"github.com/cuecard/cuecard/internal/ui/kit"
)

// TrackSize is the size of the Start here window.
var TrackSize = fyne.NewSize(520, 480)

// TrackView is the content of the "Start here" window: the person's
// required guides in order, each with its due date and status, the next
// one to do marked, and a click to open one.
//
// The callbacks are called on the UI goroutine; nil callbacks are skipped.
type TrackView struct {
	widget.BaseWidget

	// OnOpen opens a guide of the track.
	OnOpen func(id string)
	// Now is the clock for due dates; nil means time.Now.
	Now func() time.Time

	t       track.Track
	err     error
	summary *kit.FlowText
	list    *fyne.Container
	content fyne.CanvasObject
}

// NewTrackView returns an empty view; fill it with Set.
func NewTrackView() *TrackView {
	v := &TrackView{}
	v.ExtendBaseWidget(v)
	title := kit.NewText("Start here", kit.HeadingStyle(1))
	v.summary = kit.NewFlowText()
	v.list = container.NewVBox()
	intro := kit.Subtle("What to read and do first, by the dates your company set. Open an item to work through it; a checklist is done when every step is ticked.")
	v.content = container.NewBorder(container.NewVBox(title, v.summary, intro, widget.NewSeparator()), nil, nil, nil,
		container.NewVScroll(container.NewPadded(v.list)))
	return v
}

func (v *TrackView) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(v.content) }

// Track is the track shown.
func (v *TrackView) Track() track.Track { return v.t }

// Set shows t, or err when the track could not be read.
func (v *TrackView) Set(t track.Track, err error) {
	v.t, v.err = t, err
	now := time.Now()
	if v.Now != nil {
		now = v.Now()
	}
	v.list.RemoveAll()
	switch {
	case err != nil:
		v.summary.SetRuns(kit.Run{Text: "Your track could not be read: " + err.Error(), Style: kit.Style{Color: theme.ColorNameError}})
		v.list.Refresh()
		return
	case len(t.Items) == 0:
		v.summary.SetRuns(kit.Run{Text: "Nothing is required of you in this library. Settings has your role and start date, if the company's track is for a role."})
		v.list.Refresh()
		return
	}
	runs := []kit.Run{{Text: fmt.Sprintf("%d of %d done", t.Done, len(t.Items)), Style: kit.Style{Bold: true}}}
	if n := len(t.Overdue()); n > 0 {
		runs = append(runs, kit.Run{Text: fmt.Sprintf(" · %d overdue", n), Style: kit.Style{Bold: true, Color: theme.ColorNameError}})
	}
	if t.Complete() {
		runs = append(runs, kit.Run{Text: " · all done. Thank you!"})
	} else if next, ok := t.NextItem(); ok {
		runs = append(runs, kit.Run{Text: " · next: " + next.Title})
	}
	v.summary.SetRuns(runs...)
	for i, it := range t.Items {
		v.list.Add(v.row(it, i == t.Next, now))
	}
	v.list.Refresh()
}

// row is one item: status icon, title, and its due date and progress.
func (v *TrackView) row(it track.Item, next bool, now time.Time) fyne.CanvasObject {
	icon := widget.NewIcon(statusIcon(it.Status))
	title := kit.NewText(it.Title, kit.Style{Bold: next})
	meta := kit.Caption(itemMeta(it, now))
	lines := container.New(&kit.TightVBox{}, title, meta)
	var right fyne.CanvasObject
	switch {
	case next:
		right = kit.NewBadge("next", theme.ColorNamePrimary)
	case it.Status == track.Overdue:
		right = kit.NewBadge("overdue", theme.ColorNameError)
	}
	row := container.NewBorder(nil, nil, container.New(&kit.TopOffset{}, icon), right, lines)
	id := it.ID
	return kit.NewTapBox(row, func() {
		if v.OnOpen != nil {
			v.OnOpen(id)
		}
	})
}

func statusIcon(s track.Status) fyne.Resource {
	switch s {
	case track.Done:
		return theme.NewSuccessThemedResource(theme.ConfirmIcon())
	case track.Overdue:
		return theme.NewErrorThemedResource(theme.ErrorIcon())
	case track.InProgress:
		return theme.NewPrimaryThemedResource(theme.MediaPlayIcon())
	}
	return theme.RadioButtonIcon()
}

// itemMeta is an item's second line: how it is done, its progress and its
// due date, e.g. "Checklist · 3 of 9 steps · due Mon 21 Dec".
func itemMeta(it track.Item, now time.Time) string {
	var s string
	switch it.How {
	case track.ByAck:
		s = "Read and acknowledge"
	case track.ByChecklist:
		s = "Checklist"
		if it.StepsTotal > 0 && it.Status != track.Done {
			s += fmt.Sprintf(" · %d of %d steps", it.StepsDone, it.StepsTotal)
		}
	default:
		s = "Read, then mark as done"
	}
	switch {
	case it.Status == track.Done && !it.DoneAt.IsZero():
		s += " · done " + dateText(it.DoneAt)
		if it.Changed {
			s += " (the guide changed since)"
		}
	case it.Status == track.Done:
		s += " · done"
	case it.Due.IsZero():
	case it.Status == track.Overdue:
		s += " · was due " + dueText(it.Due, now)
	default:
		s += " · due " + dueText(it.Due, now)
	}
	return s
}

// dueText is a due day: "today", "tomorrow", or its date.
func dueText(d, now time.Time) string {
	y, m, day := now.Date()
	today := time.Date(y, m, day, 0, 0, 0, 0, time.UTC)
	switch d.Sub(today) {
	case 0:
		return "today"
	case 24 * time.Hour:
		return "tomorrow"
	}
	return d.Format("Mon 2 Jan")
}
