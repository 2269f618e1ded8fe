package desktop

import (
	"context"
	"errors"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"sync"
	"time"

	"fyne.io/fyne/v2"

	"github.com/cuecard/cuecard/internal/a11y"
	"github.com/cuecard/cuecard/internal/capture"
	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/hotkey"
	"github.com/cuecard/cuecard/internal/record"
	"github.com/cuecard/cuecard/internal/screenrec"
	"github.com/cuecard/cuecard/internal/ui"
)

// VideoOptions make a recording a screen recording with narration (a
// format: video guide) instead of steps with screenshots.
type VideoOptions struct {
	// Window records the window that is active once Delay has passed
	// (its contents, without the frame); else Region, when not empty;
	// else the whole screen.
	Window bool
	Region image.Rectangle
	// NoAudio records no narration.
	NoAudio bool
	// Delay is the wait before a window recording picks its window.
	Delay time.Duration
	// FPS is the frame rate (0: screenrec.DefaultFPS).
	FPS int
}

var regionRE = regexp.MustCompile(`^(\d+)x(\d+)\+(-?\d+)\+(-?\d+)$`)

// ParseRegion reads a screen region written as X11 geometry: WxH+X+Y.
func ParseRegion(s string) (image.Rectangle, error) {
	m := regionRE.FindStringSubmatch(s)
	if m == nil {
		return image.Rectangle{}, fmt.Errorf("region %q is not WxH+X+Y, e.g. 1280x720+0+0", s)
	}
	n := make([]int, 4)
	for i := range n {
		n[i], _ = strconv.Atoi(m[i+1])
	}
	r := image.Rect(n[2], n[3], n[2]+n[0], n[3]+n[1])
	if r.Dx() < 16 || r.Dy() < 16 {
		return image.Rectangle{}, fmt.Errorf("region %q is too small: give at least 16x16 pixels", s)
	}
	return r, nil
}

// videoClick is a click seen while recording the screen.
type videoClick struct {
	at     time.Time
	screen image.Point
	step   record.Step
}

// videoRecorder is one screen recording: FFmpeg recording the area, the
// capture's clicks for the chapters, the stop hotkey and the control
// window, which is kept out of the recorded area, or, when the whole
// screen is recorded, hidden while recording and shown while paused.
type videoRecorder struct {
	o      RecordOptions
	tools  screenrec.Tools
	area   image.Rectangle
	window guide.Window // the window recorded, or zero
	audio  string
	work   string // the segments' folder, a hidden folder in the library
	cap    *capture.Capture
	tree   *a11y.Tree
	hk     *hotkey.Hotkey
	key    hotkey.Key
	ctl    *ui.RecordControl
	win    fyne.Window
	onDone func(record.Written, error)
	// notify, when set (the tray's recording), also tells the start
	// message as a desktop notification: nobody reads the app's stderr.
	notify func(string)
	// hidden: the control window is hidden while recording (the whole
	// screen, or an area no corner of the screen is clear of).
	hidden bool

	mu       sync.Mutex
	rec      *screenrec.Recorder
	clicks   []videoClick
	paused   bool
	started  chan struct{} // closed once FFmpeg runs (or failed to start)
	startErr error

	fed      chan struct{}
	stopOnce sync.Once
	done     chan struct{}
}

// startVideoRecorder checks FFmpeg and the microphone, picks the area and
// starts capturing clicks; show starts FFmpeg once the control window is
// out of the way.
func startVideoRecorder(ctx context.Context, o RecordOptions) (*videoRecorder, error) {
	v := *o.Video
	tools, err := screenrec.Find()
	if err != nil {
		return nil, fmt.Errorf("record: %w", err)
	}
	hide := excludeRules(o.Config.Exclude, o.Config.RecordExclude, o.Log)
	c, err := capture.Start(capture.Options{Hide: func(w guide.Window) bool {
		for _, r := range hide {
			if r.Match(w) {
				return true
			}
		}
		return false
	}, Logger: o.Log})
	if err != nil {
		return nil, fmt.Errorf("record: %w", err)
	}
	r := &videoRecorder{o: o, tools: tools, cap: c, started: make(chan struct{}), fed: make(chan struct{}), done: make(chan struct{}),
		key: startKey(o.Config.RecordHotkey, defaultRecordHotkey, "record_hotkey", o.Config, o.Log)}
	fail := func(err error) (*videoRecorder, error) {
		c.Close()
		return nil, fmt.Errorf("record: %w", err)
	}
	scr, err := screenRect()
	if err != nil {
		return fail(err)
	}
	switch {
	case v.Window:
		if v.Delay > 0 {
			fmt.Fprintf(o.Err, "Switch to the window to record: it is picked in %s.\n", v.Delay.Round(time.Second))
			select {
			case <-time.After(v.Delay):
			case <-ctx.Done():
				return fail(ctx.Err())
			}
		}
		w, area, ok := c.Focused()
		if !ok {
			return fail(errors.New("no window to record is active (Cuecard's own windows and excluded ones are not recorded): click the window first, or record the screen or a --region"))
		}
		r.window, r.area = w, area.Intersect(scr)
	case !v.Region.Empty():
		r.area = v.Region.Intersect(scr)
		if r.area.Dx() < 16 || r.area.Dy() < 16 {
			return fail(fmt.Errorf("region %v is not on the screen (%dx%d)", v.Region, scr.Dx(), scr.Dy()))
		}
	default:
		r.area = scr
	}
	r.area = screenrec.Even(r.area)
	if !v.NoAudio {
		mic, err := tools.Microphone(ctx)
		if err != nil {
			fmt.Fprintf(o.Err, "%v.\nRecording without narration (--no-audio skips this check).\n", err)
		}
		r.audio = mic
	}
	if r.work, err = os.MkdirTemp(o.Root, ".cuecard-video-"); err != nil {
		return fail(err)
	}
	if hk, err := hotkey.Register(ctx, r.key, hotkey.Options{Logger: o.Log}); err != nil {
		o.Log.Warn("no hotkey to stop the recording: use the Stop button", "err", err)
	} else {
		r.hk = hk
		go func() {
			for range hk.Events() {
				r.hotkey()
			}
		}()
	}
	if r.tree, err = a11y.Open(nil); err != nil {
		o.Log.Debug("record: no accessibility tree: the chapters name the app, not the control", "err", err)
	}
	go r.feed(ctx)
	return r, nil
}

// feed turns the capture's clicks into chapters.
func (r *videoRecorder) feed(ctx context.Context) {
	defer close(r.fed)
	for e := range r.cap.Events() {
		if e.Kind != capture.Click {
			continue // Enter and shortcuts are in the narration, not chapters
		}
		a := record.Action{Kind: record.Click, Window: e.Window, Hidden: e.Hidden, At: e.At}
		if !e.Hidden && r.tree != nil && e.Window.PID > 0 {
			if c, ok := r.tree.At(ctx, e.Window.PID, e.Screen); ok {
				a.Control = record.Control{Role: c.Role, Name: c.Name}
			}
		}
		st := record.Step{Kind: record.Click, At: e.At, Hidden: e.Hidden, Text: record.Hidden}
		if !e.Hidden {
			st.Window, st.App, st.Text = e.Window, record.AppLabel(e.Window), record.Sentence(a)
		}
		r.mu.Lock()
		if !r.paused {
			r.clicks = append(r.clicks, videoClick{at: e.At, screen: e.Screen, step: st})
		}
		n, p := len(r.clicks), r.paused
		r.mu.Unlock()
		r.refresh(n, p)
	}
	if err := r.cap.Err(); err != nil {
		go r.Stop()
	}
}

// refresh shows the chapter count and pause state in the control.
func (r *videoRecorder) refresh(n int, paused bool) {
	fyne.Do(func() {
		if r.ctl != nil {
			r.ctl.Set(n, paused)
		}
	})
}

func (r *videoRecorder) keyLabel() string {
	if r.hk == nil {
		return "the Stop button"
	}
	return r.key.String()
}

func (r *videoRecorder) setDone(f func(record.Written, error)) { r.onDone = f }

func (r *videoRecorder) wait() { <-r.done }

func (r *videoRecorder) startMessage() string {
	what := "the screen"
	switch {
	case !r.window.IsZero():
		what = "the window of " + record.AppLabel(r.window)
	case r.area != screenrec.Even(mustScreen()):
		what = fmt.Sprintf("the region %dx%d+%d+%d", r.area.Dx(), r.area.Dy(), r.area.Min.X, r.area.Min.Y)
	}
	narr := "with narration from the microphone"
	if r.audio == "" {
		narr = "without narration"
	}
	msg := fmt.Sprintf("Recording %q: %s, %s; every click is a chapter. ", r.o.Title, what, narr)
	if r.hidden {
		return msg + fmt.Sprintf("The control is hidden so it is not in the video: %s pauses and shows it (Resume, Stop); %s again stops.", r.keyLabel(), r.keyLabel())
	}
	return msg + fmt.Sprintf("Stop with %s or the Stop button.", r.keyLabel())
}

func mustScreen() image.Rectangle {
	r, _ := screenRect()
	return r
}

// hotkey pauses a recording whose control is hidden (and shows the
// control), or stops.
func (r *videoRecorder) hotkey() {
	r.mu.Lock()
	paused := r.paused
	r.mu.Unlock()
	if r.hidden && !paused {
		fyne.Do(func() { r.setPaused(true) })
		return
	}
	go r.Stop()
}

// show opens the control window, keeps it out of the recorded area (or
// hides it), then starts FFmpeg. UI goroutine.
func (r *videoRecorder) show(a fyne.App) {
	label := ""
	if r.hk != nil {
		label = r.key.String()
	}
	r.ctl = ui.NewRecordControl(r.o.Title, label)
	r.ctl.SetUnit("chapter", "chapters")
	r.ctl.OnPause = func(p bool) { r.setPaused(p) }
	r.ctl.OnUndo = func() {
		r.mu.Lock()
		if len(r.clicks) > 0 {
			r.clicks = r.clicks[:len(r.clicks)-1]
		}
		n, p := len(r.clicks), r.paused
		r.mu.Unlock()
		r.refresh(n, p)
	}
	r.ctl.OnStop = func() { go r.Stop() }
	r.win = ui.ShowRecordControl(a, r.ctl, r.o.Log)
	if !ui.PlaceRecordControlOutside(r.win, r.ctl, r.area, r.o.Log) {
		r.hidden = true
		r.win.Hide()
	}
	go func() {
		// The window manager moves or hides the control window in a
		// moment; FFmpeg takes longer than that to grab its first frame.
		rec, err := screenrec.Start(screenrec.Options{Tools: r.tools, Area: r.area, FPS: r.o.Video.FPS, Audio: r.audio, Dir: r.work, Log: r.o.Log})
		r.mu.Lock()
		r.rec, r.startErr = rec, err
		r.mu.Unlock()
		close(r.started)
		if err != nil {
			go r.Stop()
			return
		}
		fmt.Fprintln(r.o.Err, r.startMessage())
		if r.notify != nil {
			r.notify(r.startMessage())
		}
	}()
}

// setPaused pauses (FFmpeg ends the segment, clicks are no chapters) or
// resumes. UI goroutine.
func (r *videoRecorder) setPaused(p bool) {
	r.mu.Lock()
	if r.paused == p {
		r.mu.Unlock()
		return
	}
	r.paused = p
	n := len(r.clicks)
	r.mu.Unlock()
	r.cap.SetPaused(p)
	if r.ctl != nil {
		r.ctl.Set(n, p)
	}
	if r.hidden {
		if p {
			ui.ShowRecordControlAgain(r.win, r.ctl, r.o.Log)
		} else {
			r.win.Hide()
		}
	}
	go func() {
		<-r.started
		r.mu.Lock()
		rec := r.rec
		r.mu.Unlock()
		if rec == nil {
			return
		}
		var err error
		if p {
			err = rec.Pause()
		} else {
			err = rec.Resume()
		}
		if err != nil {
			r.o.Log.Error("screen recording", "err", err)
			go r.Stop()
		}
	}()
}

// Stop ends the recording, finishes the video and writes the guide (once;
// any goroutine), then closes the control window and calls onDone on the
// UI goroutine.
func (r *videoRecorder) Stop() {
	r.stopOnce.Do(func() {
		w, err := r.finish()
		if kept, _ := os.ReadDir(r.work); err != nil && len(kept) > 0 {
			// Keep what was recorded for the user to rescue.
			err = fmt.Errorf("%w (what was recorded is kept in %s)", err, r.work)
		} else {
			os.RemoveAll(r.work)
		}
		close(r.done)
		fyne.Do(func() {
			if r.win != nil {
				r.win.Close()
			}
			if r.onDone != nil {
				r.onDone(w, err)
			}
		})
	})
}

func (r *videoRecorder) finish() (record.Written, error) {
	r.cap.Close()
	<-r.fed
	if r.tree != nil {
		r.tree.Close()
	}
	if r.hk != nil {
		r.hk.Close()
	}
	select {
	case <-r.started:
	default:
		// show never ran (the app quit first): nothing was recorded.
		return record.Written{}, errors.New("record: the recording never started")
	}
	r.mu.Lock()
	rec, startErr := r.rec, r.startErr
	r.mu.Unlock()
	if startErr != nil {
		return record.Written{}, fmt.Errorf("record: %w", startErr)
	}
	segs, err := rec.Stop()
	if err != nil {
		return record.Written{}, fmt.Errorf("record: %w", err)
	}
	ctx := context.Background()
	r.mu.Lock()
	clicks := append([]videoClick(nil), r.clicks...)
	r.mu.Unlock()
	var chapters []record.VideoChapter
	var marks []screenrec.Mark
	for _, c := range clicks {
		at, ok := rec.Offset(c.at)
		if !ok || !c.screen.In(r.area) && !c.step.Hidden {
			continue // while paused, or outside the video
		}
		chapters = append(chapters, record.VideoChapter{At: at, Step: c.step})
		m := screenrec.Mark{At: at, Point: c.screen.Sub(r.area.Min), Title: guide.PlainInline(c.step.Text)}
		if c.step.Hidden {
			m.Point = image.Pt(-1, -1) // no ring over an excluded window
		}
		marks = append(marks, m)
	}
	f, err := r.tools.PickFormat(ctx)
	if err != nil {
		return record.Written{}, fmt.Errorf("record: %w", err)
	}
	fmt.Fprintf(r.o.Err, "Finishing the video (%d chapters)...\n", len(chapters))
	out := filepath.Join(r.work, record.VideoName+f.Ext)
	if err := r.tools.Finish(ctx, segs, out, marks, r.area.Size(), f); err != nil {
		return record.Written{}, fmt.Errorf("record: %w", err)
	}
	info, err := r.tools.Probe(ctx, out)
	if err != nil {
		return record.Written{}, fmt.Errorf("record: %w", err)
	}
	// The poster: the first click with its ring, else a second in.
	at := min(time.Second, info.Duration/2)
	if len(chapters) > 0 {
		at = min(chapters[0].At+300*time.Millisecond, info.Duration*9/10)
	}
	poster := filepath.Join(r.work, record.PosterName)
	if err := r.tools.Poster(ctx, out, at, poster); err != nil {
		r.o.Log.Warn("record: no poster frame", "err", err)
		poster = ""
	}
	steps := make([]record.Step, 0, len(chapters)+1)
	if !r.window.IsZero() {
		steps = append(steps, record.Step{Window: r.window})
	}
	for _, c := range chapters {
		steps = append(steps, c.Step)
	}
	g := record.Guide{Title: r.o.Title, Owner: r.o.Owner, Today: r.o.Now(), Tags: guide.Keywords(r.o.Title), Folder: r.o.folder(steps)}
	w, err := record.WriteVideo(r.o.Root, g, record.Video{File: out, Poster: poster, Duration: info.Duration,
		Size: image.Pt(info.Width, info.Height), Narrated: info.Audio, Chapters: chapters, Window: r.window})
	if err != nil {
		return record.Written{}, fmt.Errorf("record: %w", err)
	}
	return w, nil
}

// reportVideo says where the video guide is, how long and large its video
// is, and lints the guide.
func (o RecordOptions) reportVideo(w record.Written) {
	size := int64(0)
	if st, err := os.Stat(w.Video); err == nil {
		size = st.Size()
	}
	fmt.Fprintf(o.Out, "Created %s (video %s, %d KB)\n", w.File, filepath.Base(w.Video), (size+1023)/1024)
}

var (
	playersMu sync.Mutex
	players   = map[*screenrec.Playing]bool{}
)

// playVideo starts the desktop's player beside the app (ui.VideoPlayer).
// The players still running when Cuecard quits are stopped (stopPlayers).
func playVideo(file string, at time.Duration, place image.Rectangle, title string) (func(), int, error) {
	player, err := screenrec.FindPlayer()
	if err != nil {
		return nil, 0, err
	}
	p, err := screenrec.Play(player, file, at, place, title)
	if err != nil {
		return nil, 0, err
	}
	playersMu.Lock()
	players[p] = true
	playersMu.Unlock()
	return func() {
		p.Stop()
		playersMu.Lock()
		delete(players, p)
		playersMu.Unlock()
	}, p.PID(), nil
}

// stopPlayers stops the players playVideo started.
func stopPlayers() {
	playersMu.Lock()
	ps := players
	players = map[*screenrec.Playing]bool{}
	playersMu.Unlock()
	for p := range ps {
		p.Stop()
	}
}
