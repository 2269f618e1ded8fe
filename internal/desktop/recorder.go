package desktop

import (
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"github.com/cuecard/cuecard/internal/a11y"
	"github.com/cuecard/cuecard/internal/capture"
	"github.com/cuecard/cuecard/internal/config"
	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/hotkey"
	"github.com/cuecard/cuecard/internal/library"
	"github.com/cuecard/cuecard/internal/record"
	"github.com/cuecard/cuecard/internal/ui"
)

// defaultRecordHotkey stops a recording unless record_hotkey says otherwise.
var defaultRecordHotkey = hotkey.Key{Mods: hotkey.Ctrl | hotkey.Alt, Name: "R"}

// RecordOptions describe one recording of a guide.
type RecordOptions struct {
	Root   string        // the library
	Title  string        // the guide's title (checked by library.CheckNewTitle)
	Config config.Config // record_hotkey, record_blur, exclude, record_exclude
	Blur   bool          // blur each screenshot outside a box around the click
	Owner  string        // the guide's owner
	// Folder is where in the library the guide goes (library-relative,
	// "." for the root); "" puts it beside the recorded app's other guides
	// (record.Folder), else at the root.
	Folder string
	Now    func() time.Time
	Log    *slog.Logger
	// Out is told where the guide was written; Err its lint problems.
	Out, Err io.Writer
	// Handover, when set, offers the written guide (its library id) to a
	// running Cuecard app to show (Record); true: it shows it, and Record
	// opens no viewer of its own.
	Handover func(id string) bool
	// Guides, when set (the app: its index), are the library's guides, for
	// the folder of the app's other guides; nil scans the library.
	Guides func() []*guide.Guide
	// Video, when set, makes a screen recording with narration (a format:
	// video guide) instead of steps with screenshots (videorec.go).
	Video *VideoOptions
}

// recording is a running recording: of steps (recorder) or of the screen
// (videoRecorder).
type recording interface {
	// show opens the control window. UI goroutine.
	show(fyne.App)
	// Stop ends the recording and writes the guide (once; any goroutine).
	Stop()
	// wait waits until Stop has written the guide.
	wait()
	keyLabel() string
	// setDone sets what is called, on the UI goroutine, with the guide.
	setDone(func(record.Written, error))
	// startMessage tells the user the recording runs and how to stop it.
	startMessage() string
}

// startRecording starts the recording o asks for.
func startRecording(ctx context.Context, o RecordOptions) (recording, error) {
	if o.Video != nil {
		return startVideoRecorder(ctx, o)
	}
	return startRecorder(ctx, o)
}

var discardLog = slog.New(slog.NewTextHandler(io.Discard, nil))

// recorder is one recording: the capture feeding a session, the stop
// hotkey, and the control window.
type recorder struct {
	o     RecordOptions
	guide record.Guide
	sess  *record.Session
	cap   *capture.Capture
	tree  *a11y.Tree // nil: controls are not named
	hk    *hotkey.Hotkey
	key   hotkey.Key
	ctl   *ui.RecordControl
	win   fyne.Window
	// onDone is called on the UI goroutine with the written guide.
	onDone func(record.Written, error)

	fed      chan struct{} // closed when every captured event is in the session
	quit     chan struct{} // closed when Stop begins
	watching sync.WaitGroup
	shown    atomic.Bool // the control window is up (r.win and r.ctl set)
	stopOnce sync.Once
	done     chan struct{}
}

// startRecorder starts capturing; show opens the control window.
func startRecorder(ctx context.Context, o RecordOptions) (*recorder, error) {
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
	r := &recorder{o: o, sess: record.NewSession(o.Title), cap: c, key: startKey(o.Config.RecordHotkey, defaultRecordHotkey, "record_hotkey", o.Config, o.Log),
		guide: record.Guide{Title: o.Title, Owner: o.Owner, Today: o.Now(), Tags: guide.Keywords(o.Title), Images: record.ImageOptions{Blur: o.Blur}},
		fed:   make(chan struct{}), quit: make(chan struct{}), done: make(chan struct{})}
	if hk, err := hotkey.Register(ctx, r.key, hotkey.Options{Logger: o.Log, ID: "record", Description: "Stop recording a Cuecard guide"}); err != nil {
		o.Log.Warn("no hotkey to stop the recording: use the Stop button", "err", err)
	} else {
		r.hk = hk
		go func() {
			for range hk.Events() {
				r.Stop()
				return
			}
		}()
	}
	// The control steps aside from the window the user works in (a dialog
	// that opens under it, say): the active window is looked at a few
	// times a second, which costs a few X round trips.
	r.watching.Add(1)
	go func() {
		defer r.watching.Done()
		t := time.NewTicker(activeEvery)
		defer t.Stop()
		var last image.Rectangle
		for {
			select {
			case <-t.C:
				if !r.shown.Load() {
					continue
				}
				if act, ok := r.cap.Active(); ok && act != last {
					last = act
					fyne.Do(func() { ui.KeepRecordControlClear(r.win, r.ctl, act, r.o.Log) })
				}
			case <-r.quit:
				return
			}
		}
	}()
	if r.tree, err = a11y.Open(nil); err != nil {
		o.Log.Debug("record: no accessibility tree: the draft sentences name the app, not the control", "err", err)
	}
	// Cuecard's own hotkeys (the stop hotkey first of all) are no steps.
	own := map[hotkey.Key]bool{r.key: true, startKey(o.Config.Hotkey, hotkey.Default, "hotkey", o.Config, discardLog): true}
	go func() {
		defer close(r.fed)
		for e := range c.Events() {
			if e.Kind == capture.Shortcut && e.Keys != "" {
				if k, err := hotkey.Parse(e.Keys); err == nil && own[k] {
					continue
				}
			}
			a := record.Action{Kind: record.Kind(e.Kind), Window: e.Window, Hidden: e.Hidden, Point: e.Point, HasPoint: e.HasPoint, Keys: e.Keys, At: e.At}
			if e.Kind == capture.Click && !e.Hidden && r.tree != nil && e.Window.PID > 0 {
				if c, ok := r.tree.At(ctx, e.Window.PID, e.Screen); ok {
					a.Control = record.Control{Role: c.Role, Name: c.Name}
				}
			}
			if e.Image != nil {
				a.Image = image.Image(e.Image)
			}
			if r.sess.Add(a) {
				o.Log.Debug("record: step", "n", r.sess.Len(), "app", record.AppName(e.Window), "hidden", e.Hidden)
			}
		}
		if err := c.Err(); err != nil {
			go r.Stop() // the X connection was lost: keep what was recorded
		}
	}()
	return r, nil
}

func (r *recorder) setDone(f func(record.Written, error)) { r.onDone = f }

func (r *recorder) startMessage() string {
	return fmt.Sprintf("Recording %q: every click in another window is a step. Stop with %s or the Stop button.", r.o.Title, r.keyLabel())
}

func (r *recorder) keyLabel() string {
	if r.hk == nil {
		return "the Stop button"
	}
	return r.key.String()
}

// show opens the control window. UI goroutine.
func (r *recorder) show(a fyne.App) {
	label := ""
	if r.hk != nil {
		label = r.key.String()
	}
	r.ctl = ui.NewRecordControl(r.sess.Title, label)
	r.ctl.OnPause = func(p bool) {
		r.cap.SetPaused(p)
		r.sess.SetPaused(p)
	}
	r.ctl.OnUndo = func() { r.sess.Undo() }
	r.ctl.OnStop = func() { go r.Stop() }
	r.win = ui.ShowRecordControl(a, r.ctl, r.o.Log)
	r.shown.Store(true)
	ctl := r.ctl
	go func() {
		for {
			select {
			case <-r.sess.Changed():
				n, p := r.sess.Len(), r.sess.Paused()
				fyne.Do(func() { ctl.Set(n, p) })
			case <-r.done:
				return
			}
		}
	}()
}

// activeEvery is how often the recorder looks where the active window is.
const activeEvery = 250 * time.Millisecond

// Stop ends the recording and writes the guide (once; any goroutine), then
// closes the control window and calls onDone on the UI goroutine.
func (r *recorder) Stop() {
	r.stopOnce.Do(func() {
		close(r.quit)
		r.watching.Wait() // no more questions to the capture
		r.cap.Close()
		<-r.fed
		if r.tree != nil {
			r.tree.Close()
		}
		if r.hk != nil {
			r.hk.Close()
		}
		steps, _ := r.sess.Stop()
		g := r.guide
		g.Folder = r.o.folder(steps)
		w, err := record.Write(r.o.Root, g, steps)
		if err != nil {
			err = fmt.Errorf("record: %w", err)
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

// wait waits until Stop has written the guide.
func (r *recorder) wait() { <-r.done }

// folder is where the guide of steps goes in the library.
func (o RecordOptions) folder(steps []record.Step) string {
	if o.Folder != "" {
		return o.Folder
	}
	if o.Guides != nil {
		return record.Folder(o.Guides(), steps)
	}
	res, err := library.Scan(context.Background(), o.Root, library.Options{Ignore: o.Config.Ignore})
	if err != nil {
		o.Log.Warn("record: the guide goes to the library root", "err", err)
		return ""
	}
	return record.Folder(res.Guides, steps)
}

// CheckFolder checks a folder given for a recorded guide: inside the
// library root, not hidden, and there. It returns it cleaned ("." for the
// root).
func CheckFolder(root, folder string) (string, error) {
	f, err := record.CleanFolder(folder)
	if err != nil {
		return "", err
	}
	if f == "" {
		return ".", nil
	}
	if st, err := os.Stat(filepath.Join(root, filepath.FromSlash(f))); err != nil || !st.IsDir() {
		return "", fmt.Errorf("folder %q is not a folder of the library %s: create it first, or pick another", folder, root)
	}
	return f, nil
}

// reportWritten says where the guide is and lints it.
func (o RecordOptions) reportWritten(w record.Written) {
	largest := 0
	for _, im := range w.Images {
		largest = max(largest, im.Bytes)
	}
	if w.Video != "" {
		o.reportVideo(w)
	} else {
		fmt.Fprintf(o.Out, "Created %s (%d images, largest %d KB)\n", w.File, len(w.Images), (largest+1023)/1024)
	}
	g, probs := library.ParseFile(w.ID, w.File)
	if g != nil {
		probs = append(probs, library.Check(o.Root, []*guide.Guide{g}, o.Now())...)
	}
	for _, p := range probs {
		fmt.Fprintf(o.Err, "%s\n", p)
	}
}

// StartRecording records a guide from the tray's "Record a guide...": the
// control window opens, and the written guide opens in the viewer and an
// editor. UI goroutine.
func (a *App) StartRecording(ctx context.Context, title, folder string) error {
	return a.startRecording(ctx, title, folder, nil)
}

// StartVideoRecording records a screen recording with narration from the
// tray's "Record a guide..." (its "Screen recording with narration"
// choice): the whole screen, the control hidden while recording (the
// record hotkey pauses and shows it). UI goroutine.
func (a *App) StartVideoRecording(ctx context.Context, title, folder string) error {
	return a.startRecording(ctx, title, folder, &VideoOptions{})
}

func (a *App) startRecording(ctx context.Context, title, folder string, video *VideoOptions) error {
	if a.recording != nil {
		return errors.New("a recording is already running: stop it first")
	}
	cfg := a.settings()
	if err := library.CheckNewTitle(ctx, a.root, title, cfg.Ignore); err != nil {
		return err
	}
	if folder != "" {
		f, err := CheckFolder(a.root, folder)
		if err != nil {
			return err
		}
		folder = f
	}
	o := RecordOptions{Root: a.root, Title: title, Folder: folder, Config: cfg, Blur: cfg.RecordBlur, Owner: library.DefaultOwner(a.root),
		Now: a.d.Now, Log: a.log, Out: a.d.Out, Err: a.d.Err, Guides: a.ix.Guides, Video: video}
	r, err := startRecording(ctx, o)
	if err != nil {
		return err
	}
	if v, ok := r.(*videoRecorder); ok {
		v.notify = a.notify
	}
	r.setDone(func(w record.Written, err error) {
		a.recording = nil
		if err != nil {
			a.log.Error("recording", "err", err)
			a.notify(err.Error())
			return
		}
		o.reportWritten(w)
		a.shell.OpenGuide(w.ID, "")
		if err := OpenPath(w.File); err != nil {
			a.log.Warn("open the guide in an editor", "err", err)
		}
	})
	r.show(a.shell.App())
	a.recording = r
	return nil
}

// StopRecording ends the tray's recording, if one runs, and waits until
// its guide is written. The app calls it when it quits, so a recording is
// kept.
func (a *App) StopRecording() {
	if r := a.recording; r != nil {
		go r.Stop()
		r.wait()
	}
}

// Record records a guide on its own (`cuecard record`): a control window
// until Stop, the stop hotkey or ctx; then the guide is written, and,
// unless noOpen, opened with openEditor and shown: by the running app when
// o.Handover hands it over (Record then returns), else in a viewer window
// of this process (Record returns when it is closed).
func Record(ctx context.Context, o RecordOptions, noOpen bool, openEditor func(path string) error) error {
	if o.Log == nil {
		o.Log = slog.Default()
	}
	rec, err := startRecording(ctx, o)
	if err != nil {
		return err
	}
	a := app.NewWithID(ui.AppID)
	a.Settings().SetTheme(ui.AppTheme(a.Settings().Theme()))
	a.SetIcon(ui.AppIcon())
	var result error
	rec.setDone(func(w record.Written, err error) {
		if err != nil {
			result = err
			a.Quit()
			return
		}
		o.reportWritten(w)
		if noOpen || ctx.Err() != nil {
			a.Quit()
			return
		}
		// A round trip to the running app, on the UI goroutine all the
		// same: with the control window closed and no viewer open yet, fyne
		// ends the app as soon as this returns.
		if o.Handover != nil && o.Handover(w.ID) {
			fmt.Fprintln(o.Out, "Opened it in the running Cuecard.")
			if err := openEditor(w.File); err != nil {
				o.Log.Warn("open the guide in an editor", "err", err)
			}
			a.Quit()
			return
		}
		cfg := viewerConfig(o.Root, o.Now)
		cfg.OnWatchVideo = func(g *guide.Guide, file string, at time.Duration) {
			ui.ShowVideo(a, g, file, at, playVideo, "top-right", o.Log, nil)
		}
		v, err := ui.OpenGuide(cfg, w.ID, "")
		if err != nil {
			result = err
			a.Quit()
			return
		}
		win := a.NewWindow(v.Guide().Title + " - Cuecard")
		win.SetContent(v)
		win.Resize(ui.ViewerSize)
		win.SetOnClosed(a.Quit)
		win.Show()
		if err := openEditor(w.File); err != nil {
			o.Log.Warn("open the guide in an editor", "err", err)
		}
	})
	a.Lifecycle().SetOnStarted(func() {
		ui.SetWindowClass()
		rec.show(a)
		if o.Video == nil { // a screen recording says so once FFmpeg runs
			fmt.Fprintln(o.Err, rec.startMessage())
		}
	})
	go func() {
		<-ctx.Done()
		rec.Stop()
		fyne.Do(a.Quit)
	}()
	a.Run()
	// Stop's last step runs on the UI goroutine, which has ended: wait
	// only for the guide to be written.
	go rec.Stop()
	rec.wait()
	stopPlayers()
	return result
}
