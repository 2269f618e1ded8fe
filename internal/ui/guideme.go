package ui

import (
	"fmt"
	"image"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/cuecard/cuecard/internal/ui/kit"
	"github.com/cuecard/cuecard/internal/walk"
)

// GuideMeSize is the size of the Guide me step card; with the step's
// screenshot ("about here") it is GuideMeShotSize.
var (
	GuideMeSize     = fyne.NewSize(340, 170)
	GuideMeShotSize = fyne.NewSize(340, 300)
)

// GuideMe is the step card of a walkthrough: "Step 3 of 7", the step, what
// to do now (click where the ring is, switch to the app, about here with
// the recorded screenshot), and Back, Done this step, Skip and Stop. Its
// window sits beside the ring and never takes the focus.
//
// The callbacks are called on the UI goroutine; nil callbacks are skipped.
type GuideMe struct {
	widget.BaseWidget

	OnBack, OnDone, OnSkip, OnStop func()

	view    walk.View
	title   *widget.Label
	where   *kit.FlowText
	text    *kit.FlowText
	hint    *kit.FlowText
	shot    *canvas.Image
	back    *kit.TipButton
	skip    *kit.TipButton
	done    *kit.Button
	closeB  *kit.TipButton
	content fyne.CanvasObject
}

// NewGuideMe returns the card of a walkthrough of the guide titled title.
func NewGuideMe(title string) *GuideMe {
	c := &GuideMe{}
	c.ExtendBaseWidget(c)
	c.title = widget.NewLabel("Guide me: " + title)
	c.title.TextStyle.Bold = true
	c.title.Truncation = fyne.TextTruncateEllipsis
	c.closeB = kit.NewTipButton(theme.CancelIcon(), "Stop guiding", func() { call(c.OnStop) })
	c.where = kit.Caption("")
	c.text = kit.NewFlowText()
	c.hint = kit.NewFlowText()
	c.shot = canvas.NewImageFromResource(nil)
	c.shot.FillMode = canvas.ImageFillContain
	c.shot.SetMinSize(fyne.NewSize(300, 130))
	c.shot.Hide()
	c.back = kit.NewTipButton(theme.NavigateBackIcon(), "Previous step", func() { call(c.OnBack) })
	c.skip = kit.NewTipButton(theme.MediaSkipNextIcon(), "Skip this step", func() { call(c.OnSkip) })
	c.done = kit.NewButton("Done this step", theme.ConfirmIcon(), func() { call(c.OnDone) })
	header := container.NewBorder(nil, nil, nil, c.closeB, c.title)
	footer := container.NewBorder(nil, nil, c.back, c.skip, container.NewHBox(layout.NewSpacer(), c.done, layout.NewSpacer()))
	body := container.NewVBox(c.where, c.text, c.hint, c.shot)
	c.content = container.NewBorder(container.NewVBox(header, widget.NewSeparator()), footer, nil, nil,
		container.NewVScroll(container.NewPadded(body)))
	return c
}

func (c *GuideMe) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(c.content) }

// View is the view shown.
func (c *GuideMe) View() walk.View { return c.view }

// Hint is the line under the step ("Click where the ring is.").
func (c *GuideMe) Hint() string { return c.hint.String() }

// Set shows a view of the walkthrough.
func (c *GuideMe) Set(v walk.View) {
	c.view = v
	caption := kit.Style{Color: theme.ColorNamePlaceHolder, Size: theme.SizeNameCaptionText, Bold: true}
	switch v.State {
	case walk.Finished:
		c.where.SetRuns(kit.Run{Text: fmt.Sprintf("All %d steps done", v.Steps), Style: caption})
		c.text.SetRuns(kit.Run{Text: "You did it. This guide is done.", Style: kit.Style{Bold: true}})
		c.hint.SetRuns()
		c.shot.Hide()
		c.back.Disable()
		c.skip.Disable()
		c.done.SetText("Close")
		c.done.OnTapped = func() { call(c.OnStop) }
		return
	case walk.Stopped:
		return
	}
	c.done.SetText("Done this step")
	c.done.OnTapped = func() { call(c.OnDone) }
	c.where.SetRuns(kit.Run{Text: fmt.Sprintf("Step %d of %d", v.Step+1, v.Steps), Style: caption})
	c.text.SetRuns(kit.Run{Text: v.Text})
	muted := kit.Style{Color: theme.ColorNamePlaceHolder}
	c.shot.Hide()
	switch v.State {
	case walk.Found:
		c.hint.SetRuns(kit.Run{Text: "Click where the ring is.", Style: muted})
	case walk.About:
		c.hint.SetRuns(kit.Run{Text: "About here: the app looks different from when this was recorded. The step looked like this:", Style: muted})
		if v.Shot != "" {
			c.shot.File = v.Shot
			c.shot.Resource = nil
			c.shot.Refresh()
			c.shot.Show()
		}
	case walk.Switch:
		app := v.App
		if app == "" {
			app = "the app"
		}
		c.hint.SetRuns(kit.Run{Text: "Switch to "}, kit.Run{Text: app, Style: kit.Style{Bold: true}}, kit.Run{Text: " to go on."})
	case walk.Looking:
		c.hint.SetRuns(kit.Run{Text: "Looking for the place…", Style: muted})
	default: // Card
		c.hint.SetRuns()
	}
	if v.Step == 0 {
		c.back.Disable()
	} else {
		c.back.Enable()
	}
	c.skip.Enable()
}

// WindowSize is the card window's size for v.
func (c *GuideMe) WindowSize(v walk.View) fyne.Size {
	if v.State == walk.About && v.Shot != "" {
		return GuideMeShotSize
	}
	return GuideMeSize
}

// guideMeOrigin is where the card of size pw x ph pixels goes for v in
// the work area: beside the ring (right, else left, never over it),
// else beside the app's window, else in the corner given.
func guideMeOrigin(v walk.View, work image.Rectangle, pw, ph int32, corner string) (x, y int32) {
	w, h := int(pw), int(ph)
	clampY := func(y int) int32 { return int32(max(work.Min.Y, min(y, work.Max.Y-h))) }
	clampX := func(x int) int32 { return int32(max(work.Min.X, min(x, work.Max.X-w))) }
	const gap = 16
	switch {
	case v.HasRing():
		r := v.Radius + gap
		if v.Ring.X+r+w <= work.Max.X {
			return int32(v.Ring.X + r), clampY(v.Ring.Y - h/2)
		}
		if v.Ring.X-r-w >= work.Min.X {
			return int32(v.Ring.X - r - w), clampY(v.Ring.Y - h/2)
		}
		// No room on either side: above or below the ring.
		if v.Ring.Y-r-h >= work.Min.Y {
			return clampX(v.Ring.X - w/2), int32(v.Ring.Y - r - h)
		}
		return clampX(v.Ring.X - w/2), clampY(v.Ring.Y + r)
	case !v.Area.Empty():
		if v.Area.Max.X+gap+w <= work.Max.X {
			return int32(v.Area.Max.X + gap), clampY(v.Area.Min.Y)
		}
		if v.Area.Min.X-gap-w >= work.Min.X {
			return int32(v.Area.Min.X - gap - w), clampY(v.Area.Min.Y)
		}
		return clampX(v.Area.Max.X - w - gap), clampY(v.Area.Max.Y - h - gap)
	}
	return panelOrigin(corner, int32(work.Min.X), int32(work.Min.Y), int32(work.Dx()), int32(work.Dy()), pw, ph)
}

// GuideMeWindow is the step card's window, moved beside the ring as the
// walkthrough goes.
type GuideMeWindow struct {
	s    *Shell
	w    fyne.Window
	card *GuideMe
	// at is the view the window was last placed for.
	at     walk.View
	size   fyne.Size
	placed bool
}

// ShowGuideMe opens the step card's window. One walkthrough at a time:
// the "step by step" window closes. UI goroutine.
func (s *Shell) ShowGuideMe(card *GuideMe) *GuideMeWindow {
	if s.besideWin != nil {
		s.besideWin.Close()
		s.besideWin = nil
	}
	if s.panelUp {
		s.hidePanel()
	}
	var w fyne.Window
	if drv, ok := s.app.Driver().(desktop.Driver); ok {
		w = s.idle.track(drv.CreateSplashWindow())
	} else {
		w = s.newWindow("Cuecard")
	}
	w.SetTitle(card.title.Text + " - Cuecard")
	w.SetContent(kit.NewTipHost(card))
	gw := &GuideMeWindow{s: s, w: w, card: card, size: GuideMeSize}
	w.Resize(gw.size)
	// The first Show of a window takes the focus under openbox even with
	// the input hint off; hidden and shown again it does not, and hiding
	// gives the focus back to the app (see ShowRecordControl).
	panelShowing()
	w.Show()
	gw.place()
	w.Hide()
	w.Show()
	gw.place()
	return gw
}

// Set shows v and moves the window beside the ring when it moved. UI
// goroutine.
func (gw *GuideMeWindow) Set(v walk.View) {
	gw.card.Set(v)
	size := gw.card.WindowSize(v)
	resized := size != gw.size
	if resized {
		gw.size = size
		gw.w.Resize(size)
	}
	if gw.placed && !resized && v.Ring == gw.at.Ring && v.Area == gw.at.Area && v.State == gw.at.State {
		return
	}
	gw.at = v
	gw.place()
}

func (gw *GuideMeWindow) place() {
	v, corner := gw.at, besideCorner(gw.s.corner)
	prepareFloating(gw.w, gw.size, gw.s.log, func(work image.Rectangle, pw, ph int32) (int32, int32) {
		return guideMeOrigin(v, work, pw, ph, corner)
	})
	gw.placed = true
}

// Close closes the window. UI goroutine.
func (gw *GuideMeWindow) Close() { gw.w.Close() }

// Window is the card's window.
func (gw *GuideMeWindow) Window() fyne.Window { return gw.w }

// notice shows a short message in a small window of its own (Escape and
// Close close it). UI goroutine.
func (s *Shell) notice(title, text string) {
	w := s.newWindow(title + " - Cuecard")
	msg := widget.NewLabel(text)
	msg.Wrapping = fyne.TextWrapWord
	closeB := kit.NewButton("Close", nil, func() { w.Close() })
	closeB.Importance = widget.HighImportance
	w.SetContent(container.NewBorder(nil, container.NewHBox(layout.NewSpacer(), closeB), nil, nil, container.NewPadded(msg)))
	s.bindKeys(w, kit.Keys{Close: w.Close, Default: w.Close})
	w.Resize(fyne.NewSize(380, 150))
	w.Show()
}
