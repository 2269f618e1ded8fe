package ui

import (
	"fmt"
	"image"
	"log/slog"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/cuecard/cuecard/internal/ui/kit"
)

// RecordControlSize is the size of the recording control window.
var RecordControlSize = fyne.NewSize(340, 104)

// RecordControl is the small control shown while a guide is recorded: the
// title, the step count, and Pause/Resume, Undo last step and Stop. Its
// window floats above the others and never takes focus, so clicking it does
// not change the window being recorded (and its clicks are not steps).
//
// The callbacks are called on the UI goroutine; nil callbacks are skipped.
type RecordControl struct {
	widget.BaseWidget

	OnPause func(paused bool)
	OnUndo  func()
	OnStop  func()

	title   *widget.Label
	count   *widget.Label
	pause   *widget.Button
	undo    *widget.Button
	stop    *widget.Button
	dot     *widget.Icon
	content fyne.CanvasObject

	steps  int
	paused bool
	hotkey string
	corner string // where ShowRecordControl put the window
	// unit names what is counted: "step", "steps" (SetUnit).
	unit, units string
}

// NewRecordControl returns the control for a recording of title; hotkey is
// the stop hotkey's label ("" for none).
func NewRecordControl(title, hotkey string) *RecordControl {
	c := &RecordControl{hotkey: hotkey, unit: "step", units: "steps"}
	c.ExtendBaseWidget(c)
	c.title = widget.NewLabel("Recording: " + title)
	c.title.TextStyle.Bold = true
	c.title.Truncation = fyne.TextTruncateEllipsis
	c.count = widget.NewLabel("")
	c.dot = widget.NewIcon(theme.NewErrorThemedResource(theme.MediaRecordIcon()))
	c.pause = widget.NewButtonWithIcon("Pause", theme.MediaPauseIcon(), func() {
		c.paused = !c.paused
		c.refreshLabels()
		if c.OnPause != nil {
			c.OnPause(c.paused)
		}
	})
	c.undo = widget.NewButtonWithIcon("Undo", theme.ContentUndoIcon(), func() { call(c.OnUndo) })
	c.stop = widget.NewButtonWithIcon("Stop", theme.MediaStopIcon(), func() { call(c.OnStop) })
	c.stop.Importance = widget.HighImportance
	head := container.NewBorder(nil, nil, c.dot, nil, c.title)
	buttons := container.NewGridWithColumns(3, c.pause, c.undo, c.stop)
	c.content = container.NewBorder(head, c.count, nil, nil, buttons)
	c.refreshLabels()
	return c
}

func (c *RecordControl) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewPadded(c.content))
}

// Set shows the step count and the pause state.
func (c *RecordControl) Set(steps int, paused bool) {
	c.steps, c.paused = steps, paused
	c.refreshLabels()
}

// Steps and Paused are what the control shows.
func (c *RecordControl) Steps() int   { return c.steps }
func (c *RecordControl) Paused() bool { return c.paused }

func (c *RecordControl) refreshLabels() {
	n := fmt.Sprintf("%d %s", c.steps, c.units)
	if c.steps == 1 {
		n = "1 " + c.unit
	}
	var parts []string
	if c.paused {
		parts = append(parts, n+" · paused: clicks are not recorded")
		c.pause.SetText("Resume")
		c.pause.SetIcon(theme.MediaPlayIcon())
		c.dot.SetResource(theme.MediaPauseIcon())
	} else {
		parts = append(parts, n)
		c.pause.SetText("Pause")
		c.pause.SetIcon(theme.MediaPauseIcon())
		c.dot.SetResource(theme.NewErrorThemedResource(theme.MediaRecordIcon()))
	}
	if c.hotkey != "" && !c.paused {
		parts = append(parts, c.hotkey+" stops")
	}
	c.count.SetText(strings.Join(parts, " · "))
	if c.steps == 0 {
		c.undo.Disable()
	} else {
		c.undo.Enable()
	}
}

// ShowRecordControl shows c in a borderless window that floats above the
// others in the top-right corner and never takes focus. Close the window
// when the recording ends.
func ShowRecordControl(a fyne.App, c *RecordControl, log *slog.Logger) fyne.Window {
	if log == nil {
		log = slog.Default()
	}
	var w fyne.Window
	if drv, ok := a.Driver().(desktop.Driver); ok {
		w = drv.CreateSplashWindow()
	} else {
		w = a.NewWindow("Recording - Cuecard")
	}
	w.SetTitle("Recording - Cuecard")
	w.SetContent(c)
	w.Resize(RecordControlSize)
	// The first Show of a window takes focus under openbox even with the
	// input hint off; once hidden and shown again it does not (see the
	// panel), and hiding gives the focus back to the window the user
	// works in.
	c.corner = recordCorners[0]
	w.Show()
	preparePanel(w, c.corner, RecordControlSize, log)
	w.Hide()
	w.Show()
	preparePanel(w, c.corner, RecordControlSize, log)
	excludeFromCapture(w, log)
	return w
}

// recordCorners are where the control may go, in order of preference.
var recordCorners = []string{"top-right", "bottom-right", "top-left", "bottom-left"}

// KeepRecordControlClear moves the control's window w to another corner
// when it covers active, the screen area of the window the user works in
// (in pixels), so that it never hides what the user is about to click.
// UI goroutine.
func KeepRecordControlClear(w fyne.Window, c *RecordControl, active image.Rectangle, log *slog.Logger) {
	if w == nil || c.corner == "" {
		return
	}
	work, ok := workRect(w)
	if !ok {
		return
	}
	pw, ph := panelPixels(w, RecordControlSize)
	if corner := clearCorner(c.corner, work, active, int(pw), int(ph)); corner != c.corner {
		if log == nil {
			log = slog.Default()
		}
		c.corner = corner
		preparePanel(w, corner, RecordControlSize, log)
	}
}

// clearCorner is the corner of work for a control of width x height that
// covers the least of avoid: the current one while it covers nothing, else
// the first of recordCorners that covers nothing, else the one that covers
// the least.
func clearCorner(current string, work, avoid image.Rectangle, width, height int) string {
	covered := func(corner string) int {
		x, y := panelOrigin(corner, int32(work.Min.X), int32(work.Min.Y), int32(work.Dx()), int32(work.Dy()), int32(width), int32(height))
		r := image.Rect(int(x), int(y), int(x)+width, int(y)+height).Intersect(avoid)
		return r.Dx() * r.Dy()
	}
	best, least := current, covered(current)
	for _, c := range recordCorners {
		if n := covered(c); n < least {
			best, least = c, n
		}
	}
	return best
}

// RecordPrompt asks for the title of a guide to record.
type RecordPrompt struct {
	widget.BaseWidget

	// Check says what is wrong with a title, or nil.
	Check func(title string) error
	// OnRecord is called with an accepted title and the folder picked: ""
	// for beside the app's other guides, "." for the library root, else a
	// library-relative folder. OnCancel on Cancel.
	OnRecord func(title, folder string)
	OnCancel func()

	entry   *kit.Entry
	video   *kit.Check // hidden unless OfferVideo
	folder  *widget.Select
	folders map[string]string // choice -> folder
	errText *widget.Label
	content fyne.CanvasObject
}

// The folder choices besides the library's folders.
const (
	FolderBesideApp = "Beside the app's other guides"
	FolderRoot      = "The library's top folder"
)

// RecordPromptSize is the size of the prompt window.
var RecordPromptSize = fyne.NewSize(460, 260)

// NewRecordPrompt returns the prompt.
func NewRecordPrompt() *RecordPrompt {
	p := &RecordPrompt{}
	p.ExtendBaseWidget(p)
	p.entry = kit.NewEntry() // Escape and Ctrl+W close the prompt
	p.entry.SetPlaceHolder("How to create a deal")
	p.entry.OnSubmitted = func(string) { p.submit() }
	p.folder = widget.NewSelect(nil, nil)
	p.SetFolders(nil)
	p.errText = widget.NewLabel("")
	p.errText.Wrapping = fyne.TextWrapWord
	p.errText.Importance = widget.DangerImportance
	p.errText.Hide()
	intro := widget.NewLabel("Name the task, then do it once: every click becomes a step with a screenshot. " +
		"Password managers and private windows are never captured.")
	intro.Wrapping = fyne.TextWrapWord
	rec := kit.NewButton("Record", theme.MediaRecordIcon(), p.submit)
	rec.Importance = widget.HighImportance
	cancel := kit.NewButton("Cancel", nil, func() { call(p.OnCancel) })
	where := container.NewBorder(nil, nil, widget.NewLabel("Save in"), nil, p.folder)
	p.video = newVideoChoice()
	p.content = container.NewBorder(container.NewVBox(intro, p.entry, where, p.video, p.errText), container.NewHBox(layout.NewSpacer(), cancel, rec), nil, nil)
	return p
}

// SetFolders offers the library's folders (library-relative, "" the root)
// as where the guide goes, besides the default: beside the app's other
// guides.
func (p *RecordPrompt) SetFolders(folders []string) {
	p.folders = map[string]string{FolderBesideApp: "", FolderRoot: "."}
	opts := []string{FolderBesideApp, FolderRoot}
	for _, f := range folders {
		if f = strings.Trim(f, "/"); f != "" && f != "." {
			p.folders[f] = f
			opts = append(opts, f)
		}
	}
	p.folder.SetOptions(opts)
	p.folder.SetSelected(FolderBesideApp)
}

// Folder is the folder choice.
func (p *RecordPrompt) Folder() *widget.Select { return p.folder }

func (p *RecordPrompt) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewPadded(p.content))
}

// Entry is the title field.
func (p *RecordPrompt) Entry() *kit.Entry { return p.entry }

func (p *RecordPrompt) submit() {
	t := strings.Join(strings.Fields(p.entry.Text), " ")
	if p.Check != nil {
		if err := p.Check(t); err != nil {
			p.errText.SetText(err.Error())
			p.errText.Show()
			return
		}
	}
	p.errText.Hide()
	if p.OnRecord != nil {
		p.OnRecord(t, p.folders[p.folder.Selected])
	}
}
