package ui

import (
	"image"
	"log/slog"

	"fyne.io/fyne/v2"

	"github.com/cuecard/cuecard/internal/ui/kit"
)

// SetUnit names what the control counts: "chapter", "chapters" for a
// screen recording (default "step", "steps").
func (c *RecordControl) SetUnit(one, many string) {
	c.unit, c.units = one, many
	c.refreshLabels()
}

// PlaceRecordControlOutside moves the control's window w to the first
// corner of the work area where it does not cover area (the part of the
// screen a screen recording grabs), so it is never in the video. It
// reports whether there is such a corner; when there is none (the whole
// screen is recorded) the caller hides the window while recording.
// Without a window system to ask (tests, Wayland) it reports false.
// UI goroutine.
func PlaceRecordControlOutside(w fyne.Window, c *RecordControl, area image.Rectangle, log *slog.Logger) bool {
	if w == nil {
		return false
	}
	work, ok := workRect(w)
	if !ok {
		return false
	}
	pw, ph := panelPixels(w, RecordControlSize)
	for _, corner := range recordCorners {
		x, y := panelOrigin(corner, int32(work.Min.X), int32(work.Min.Y), int32(work.Dx()), int32(work.Dy()), pw, ph)
		// A few pixels of margin: the window manager's frame, if any.
		r := image.Rect(int(x), int(y), int(x+pw), int(y+ph)).Inset(-4)
		if !r.Overlaps(area) {
			if log == nil {
				log = slog.Default()
			}
			c.corner = corner
			preparePanel(w, corner, RecordControlSize, log)
			return true
		}
	}
	return false
}

// ShowRecordControlAgain shows the control's window after a Hide, in its
// corner, above the others and without the focus. UI goroutine.
func ShowRecordControlAgain(w fyne.Window, c *RecordControl, log *slog.Logger) {
	if w == nil {
		return
	}
	if log == nil {
		log = slog.Default()
	}
	panelShowing()
	w.Show()
	preparePanel(w, c.corner, RecordControlSize, log)
}

// RecordPromptVideoSize is the record prompt's size with the screen
// recording choice.
var RecordPromptVideoSize = fyne.NewSize(460, 300)

// The record prompt's choice of a screen recording.
const VideoChoice = "Screen recording with narration (a video, needs FFmpeg)"

func newVideoChoice() *kit.Check {
	c := kit.NewCheck(VideoChoice, nil)
	c.Hide()
	return c
}

// OfferVideo shows the choice of a screen recording with narration.
func (p *RecordPrompt) OfferVideo() { p.video.Show() }

// VideoChosen reports whether a screen recording was chosen.
func (p *RecordPrompt) VideoChosen() bool { return p.video.Visible() && p.video.Checked }

// Video is the screen recording choice.
func (p *RecordPrompt) Video() *kit.Check { return p.video }
