package ui

import (
	"fmt"
	"image"
	"log/slog"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/ui/kit"
)

// VideoPlayer plays a video file in a window of its own (the desktop's
// player, a separate process) from at, its video area placed at place
// (screen pixels), in a window titled title; pid is its process, stop
// ends it.
type VideoPlayer func(file string, at time.Duration, place image.Rectangle, title string) (stop func(), pid int, err error)

// VideoPlayerSize is the player's video area in pixels.
var VideoPlayerSize = image.Pt(480, 300)

// VideoChaptersWidth is the width of the chapters window.
const VideoChaptersWidth = 320

// VideoChapters is the small window beside a playing video guide: its
// title, where the video plays from, and a button per chapter that starts
// the player there. It floats above the app and never takes the focus,
// like the step-by-step window.
//
// The callbacks are called on the UI goroutine; nil callbacks are skipped.
type VideoChapters struct {
	widget.BaseWidget

	OnChapter func(at time.Duration)
	OnClose   func()

	g       *guide.Guide
	status  *widget.Label
	content fyne.CanvasObject
}

// NewVideoChapters returns the chapters window's content for g.
func NewVideoChapters(g *guide.Guide) *VideoChapters {
	c := &VideoChapters{g: g}
	c.ExtendBaseWidget(c)
	title := widget.NewLabel(g.Title)
	title.TextStyle.Bold = true
	title.Truncation = fyne.TextTruncateEllipsis
	closeB := kit.NewTipButton(theme.CancelIcon(), "Close the video", func() { call(c.OnClose) })
	c.status = widget.NewLabel("")
	c.status.Importance = widget.LowImportance
	rows := container.NewVBox()
	start := kit.NewButton("0:00  From the start", theme.MediaPlayIcon(), func() { c.jump(0) })
	start.Alignment = widget.ButtonAlignLeading
	rows.Add(start)
	for _, ch := range g.Chapters {
		at := ch.At
		b := kit.NewButton(guide.FormatClock(at)+"  "+guide.PlainInline(ch.Text), theme.MediaSkipNextIcon(), func() { c.jump(at) })
		b.Alignment = widget.ButtonAlignLeading
		b.Importance = widget.LowImportance
		rows.Add(b)
	}
	head := container.NewBorder(nil, nil, nil, closeB, title)
	c.content = container.NewBorder(container.NewVBox(head, c.status), nil, nil, nil, container.NewVScroll(rows))
	return c
}

func (c *VideoChapters) jump(at time.Duration) {
	c.SetPlaying(at)
	if c.OnChapter != nil {
		c.OnChapter(at)
	}
}

// SetPlaying says where the video plays from.
func (c *VideoChapters) SetPlaying(at time.Duration) {
	c.status.SetText(fmt.Sprintf("Playing from %s · %d chapters", guide.FormatClock(at), len(c.g.Chapters)))
}

// SetError says the player could not start.
func (c *VideoChapters) SetError(err error) { c.status.SetText(err.Error()) }

func (c *VideoChapters) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewPadded(c.content))
}

// videoChaptersSize is the chapters window's size for n chapters.
func videoChaptersSize(n int) fyne.Size {
	return fyne.NewSize(VideoChaptersWidth, float32(min(440, 110+38*(n+1))))
}

// ShowVideo plays the video file of g from at in the desktop's player
// (play), placed beside the app at the side of the screen, with the
// chapters window under it; a chapter restarts the player there. Closing
// the chapters window stops the player, then calls onClosed (may be nil).
// It returns the chapters window.
// UI goroutine.
func ShowVideo(a fyne.App, g *guide.Guide, file string, at time.Duration, play VideoPlayer, corner string, log *slog.Logger, onClosed func()) fyne.Window {
	if log == nil {
		log = slog.Default()
	}
	var w fyne.Window
	if drv, ok := a.Driver().(desktop.Driver); ok {
		w = drv.CreateSplashWindow()
	} else {
		w = a.NewWindow("Cuecard")
	}
	w.SetTitle(g.Title + " - chapters - Cuecard")
	c := NewVideoChapters(g)
	size := videoChaptersSize(len(g.Chapters))
	w.SetContent(kit.NewTipHost(c))
	w.Resize(size)
	left := strings.HasSuffix(corner, "left")
	// The player's video area, at the top of the screen's side; the
	// chapters window under it (room for the player's title bar).
	player := image.Rectangle{Min: image.Pt(0, 0), Max: VideoPlayerSize}
	place := func(work image.Rectangle, pw, ph int32) (int32, int32) {
		x := work.Max.X - max(int(pw), VideoPlayerSize.X)
		if left {
			x = work.Min.X
		}
		player = image.Rectangle{Min: image.Pt(x, work.Min.Y), Max: image.Pt(x+VideoPlayerSize.X, work.Min.Y+VideoPlayerSize.Y)}
		return int32(x), int32(player.Max.Y + 40)
	}
	panelShowing()
	w.Show()
	prepareFloating(w, size, log, place)
	var stop func()
	start := func(at time.Duration) {
		if stop != nil {
			stop()
			stop = nil
		}
		s, pid, err := play(file, at, player, g.Title+" - Cuecard video")
		if err != nil {
			log.Warn("play the video", "err", err)
			c.SetError(err)
			return
		}
		stop = s
		keepPlayerAbove(pid)
		c.SetPlaying(at)
	}
	c.OnChapter = start
	c.OnClose = w.Close
	w.SetOnClosed(func() {
		if stop != nil {
			stop()
		}
		if onClosed != nil {
			onClosed()
		}
	})
	start(at)
	return w
}

// WatchVideo plays a local video guide's video beside the app with its
// chapters (ShowVideo); one at a time: a second replaces the first.
// Without ShellConfig.PlayVideo the desktop opens the file.
func (s *Shell) WatchVideo(g *guide.Guide, file string, at time.Duration) {
	if s.videoWin != nil {
		s.videoWin.Close()
		s.videoWin = nil
	}
	if s.panelUp {
		s.hidePanel() // the player takes the panel's side of the screen
	}
	var w fyne.Window
	w = ShowVideo(s.app, g, file, at, s.cfg.PlayVideo, s.corner, s.log, func() {
		if s.videoWin == w {
			s.videoWin = nil
		}
	})
	s.videoWin = w
}
