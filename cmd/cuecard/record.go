package main

import (
	"context"
	"errors"
	"fmt"
	"image"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"github.com/cuecard/cuecard/internal/capture"
	"github.com/cuecard/cuecard/internal/config"
	"github.com/cuecard/cuecard/internal/focus"
	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/hotkey"
	"github.com/cuecard/cuecard/internal/library"
	"github.com/cuecard/cuecard/internal/record"
	"github.com/cuecard/cuecard/internal/ui"
)

// defaultRecordHotkey stops a recording unless record_hotkey says otherwise.
var defaultRecordHotkey = hotkey.Key{Mods: hotkey.Ctrl | hotkey.Alt, Name: "R"}

func (m *Main) cmdRecord(ctx context.Context, args []string) error {
	fs := m.flags("record")
	blur := fs.Bool("blur", false, "blur each screenshot outside a box around the click (setting: record_blur)")
	noOpen := fs.Bool("no-open", false, "do not open the new guide in the viewer and the editor")
	owner := fs.String("owner", "", "owner (default: git config user.email in the library, else $USER)")
	pos, err := m.parse(fs, args)
	if err != nil {
		return err
	}
	title := strings.Join(strings.Fields(strings.Join(pos, " ")), " ")
	if title == "" {
		return usagef("record: give the guide's title, e.g. cuecard record \"How to create a deal\"")
	}
	root, err := m.libraryRoot()
	if err != nil {
		return err
	}
	cfg, err := m.settings()
	if err != nil {
		return err
	}
	if err := m.checkRecordTitle(ctx, root, title, cfg); err != nil {
		return usagef("record: %v", err)
	}
	if runtime.GOOS == "linux" && os.Getenv("DISPLAY") == "" {
		return errors.New("no display: recording a guide needs an X11 graphical session (DISPLAY is not set); the other cuecard commands work without one")
	}
	if *owner == "" {
		*owner = defaultOwner(root)
	}
	rec, err := m.startRecorder(ctx, root, title, cfg, *blur || cfg.RecordBlur, *owner)
	if err != nil {
		return err
	}
	a := app.NewWithID(ui.AppID)
	a.Settings().SetTheme(ui.AppTheme(a.Settings().Theme()))
	a.SetIcon(ui.AppIcon())
	var result error
	rec.onDone = func(w record.Written, err error) {
		if err != nil {
			result = err
			a.Quit()
			return
		}
		m.reportWritten(root, w)
		if *noOpen || ctx.Err() != nil {
			a.Quit()
			return
		}
		v, err := ui.OpenGuide(m.viewerConfig(root), w.ID, "")
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
		if err := m.openEditor(w.File); err != nil {
			m.log.Warn("open the guide in an editor", "err", err)
		}
	}
	a.Lifecycle().SetOnStarted(func() {
		rec.show(a)
		fmt.Fprintf(m.Stderr, "Recording %q: every click in another window is a step. Stop with %s or the Stop button.\n", title, rec.keyLabel())
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
	return result
}

// checkRecordTitle refuses a title that lint would warn about or that
// another guide of the library already has.
func (m *Main) checkRecordTitle(ctx context.Context, root, title string, cfg config.Config) error {
	if !guide.TaskOrQuestion(title) {
		return fmt.Errorf("%q is not phrased as a task or question: name it after what the reader wants to do, e.g. \"How to create a deal\"", title)
	}
	res, err := library.Scan(ctx, root, library.Options{Ignore: cfg.Ignore})
	if err != nil {
		return err
	}
	key := strings.ToLower(title)
	for _, g := range res.Guides {
		if strings.ToLower(strings.Join(strings.Fields(g.Title), " ")) == key {
			return fmt.Errorf("%s already has the title %q: pick another title or edit that guide", g.ID, g.Title)
		}
	}
	return nil
}

// recordHide is the recorder's exclude list: password managers and private
// browsing windows, the apps never watched (exclude), and record_exclude
// (matched against the executable, the class or the title).
func recordHide(cfg config.Config, log func(msg string, args ...any)) func(guide.Window) bool {
	rules := focus.DefaultExclude()
	add := func(r guide.Rule) {
		if cr, err := r.Compile(); err == nil {
			rules = append(rules, cr)
		} else {
			log("exclude rule ignored", "err", err)
		}
	}
	for _, e := range cfg.Exclude {
		add(guide.Rule{Exe: e})
		add(guide.Rule{Class: e})
	}
	for _, e := range cfg.RecordExclude {
		add(guide.Rule{Exe: e})
		add(guide.Rule{Class: e})
		add(guide.Rule{Title: e})
	}
	return func(w guide.Window) bool {
		for _, r := range rules {
			if r.Match(w) {
				return true
			}
		}
		return false
	}
}

// recorder is one recording: the capture feeding a session, the stop
// hotkey, and the control window. The command and the tray share it.
type recorder struct {
	m     *Main
	root  string
	guide record.Guide
	sess  *record.Session
	cap   *capture.Capture
	hk    *hotkey.Hotkey
	key   hotkey.Key
	ctl   *ui.RecordControl
	win   fyne.Window
	// onDone is called on the UI goroutine with the written guide.
	onDone func(record.Written, error)

	fed      chan struct{} // closed when every captured event is in the session
	stopOnce sync.Once
	done     chan struct{}
}

func (m *Main) startRecorder(ctx context.Context, root, title string, cfg config.Config, blur bool, owner string) (*recorder, error) {
	c, err := capture.Start(capture.Options{Hide: recordHide(cfg, m.log.Warn), Logger: m.log})
	if err != nil {
		return nil, fmt.Errorf("record: %w", err)
	}
	r := &recorder{m: m, root: root, sess: record.NewSession(title), cap: c, key: defaultRecordHotkey,
		guide: record.Guide{Title: title, Owner: owner, Today: m.Now(), Tags: keywords(title), Images: record.ImageOptions{Blur: blur}},
		fed:   make(chan struct{}), done: make(chan struct{})}
	if cfg.RecordHotkey != "" {
		if k, err := hotkey.Parse(cfg.RecordHotkey); err != nil {
			m.log.Warn("record_hotkey setting ignored", "file", cfg.Path, "err", err)
		} else {
			r.key = k
		}
	}
	if hk, err := hotkey.Register(ctx, r.key, hotkey.Options{Logger: m.log}); err != nil {
		m.log.Warn("no hotkey to stop the recording: use the Stop button", "err", err)
	} else {
		r.hk = hk
		go func() {
			for range hk.Events() {
				r.Stop()
				return
			}
		}()
	}
	go func() {
		defer close(r.fed)
		for e := range c.Events() {
			a := record.Action{Kind: record.Kind(e.Kind), Window: e.Window, Hidden: e.Hidden, Point: e.Point, HasPoint: e.HasPoint, At: e.At}
			if e.Image != nil {
				a.Image = image.Image(e.Image)
			}
			if r.sess.Add(a) {
				m.log.Debug("record: step", "n", r.sess.Len(), "app", record.AppName(e.Window), "hidden", e.Hidden)
			}
		}
		if err := c.Err(); err != nil {
			go r.Stop() // the X connection was lost: keep what was recorded
		}
	}()
	return r, nil
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
	r.win = ui.ShowRecordControl(a, r.ctl, r.m.log)
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

// Stop ends the recording and writes the guide (once; any goroutine), then
// closes the control window and calls onDone on the UI goroutine.
func (r *recorder) Stop() {
	r.stopOnce.Do(func() {
		r.cap.Close()
		<-r.fed
		if r.hk != nil {
			r.hk.Close()
		}
		steps, _ := r.sess.Stop()
		w, err := record.Write(r.root, r.guide, steps)
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

// reportWritten says where the guide is and lints it.
func (m *Main) reportWritten(root string, w record.Written) {
	largest := 0
	for _, im := range w.Images {
		largest = max(largest, im.Bytes)
	}
	fmt.Fprintf(m.Stdout, "Created %s (%d images, largest %d KB)\n", w.File, len(w.Images), (largest+1023)/1024)
	g, probs := library.ParseFile(w.ID, w.File)
	if g != nil {
		probs = append(probs, library.Check(root, []*guide.Guide{g}, m.Now())...)
	}
	for _, p := range probs {
		fmt.Fprintf(m.Stderr, "%s\n", p)
	}
}

func (m *Main) viewerConfig(root string) ui.ViewerConfig {
	return ui.ViewerConfig{Library: os.DirFS(root), LibraryDir: root, Guides: guideSource{root: root},
		Opener: &opener{root: root}, Now: m.Now}
}

// openEditor opens a new guide for editing: in $VISUAL or $EDITOR when
// cuecard runs in a terminal (the editor gets the terminal), else with the
// desktop's default program for the file.
func (m *Main) openEditor(path string) error {
	ed := os.Getenv("VISUAL")
	if ed == "" {
		ed = os.Getenv("EDITOR")
	}
	if ed != "" && m.IsTerminal(m.Stdin) && m.IsTerminal(m.Stdout) {
		cmd := exec.Command("sh", "-c", ed+` "$1"`, "sh", path)
		cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
		if err := cmd.Start(); err != nil {
			return fmt.Errorf("start %s: %w", ed, err)
		}
		go cmd.Wait()
		return nil
	}
	return openPath(path)
}

// recordTitleCheck is what the tray's prompt checks a title with.
func (m *Main) recordTitleCheck(ctx context.Context, root string) func(string) error {
	return func(title string) error {
		cfg, _ := m.settings()
		return m.checkRecordTitle(ctx, root, title, cfg)
	}
}
