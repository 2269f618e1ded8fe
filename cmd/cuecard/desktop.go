package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"

	"github.com/cuecard/cuecard/internal/coach"
	"github.com/cuecard/cuecard/internal/config"
	"github.com/cuecard/cuecard/internal/focus"
	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/hotkey"
	"github.com/cuecard/cuecard/internal/library"
	"github.com/cuecard/cuecard/internal/paths"
	"github.com/cuecard/cuecard/internal/record"
	"github.com/cuecard/cuecard/internal/search"
	"github.com/cuecard/cuecard/internal/store"
	"github.com/cuecard/cuecard/internal/ui"
)

// cmdApp starts the desktop app: tray, floating panel, search and viewer
// windows, the search hotkey and settings, with the library kept live and
// suggestions from the focused window.
func (m *Main) cmdApp(ctx context.Context, args []string) error {
	fs := m.flags("app")
	pos, err := m.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("app takes no arguments")
	}
	if !graphical() {
		return errors.New("no display: the Cuecard desktop app needs a graphical session (the other cuecard commands work without one)")
	}
	_, sampleErr := os.Stat(paths.SampleLibrary())
	firstRun := m.library == "" && os.Getenv("CUECARD_LIBRARY") == "" && errors.Is(sampleErr, os.ErrNotExist)
	root, err := m.libraryRoot()
	if err != nil {
		return err
	}
	// Single instance: a second launch opens the running app's search.
	if o := dialOwner(root); o != nil {
		if _, err := o.ask(ctx, ipcRequest{Cmd: "show-search"}); err != nil {
			return fmt.Errorf("cuecard is already running for %s: %w", root, err)
		}
		fmt.Fprintln(m.Stdout, "Cuecard is already running: opened its search window.")
		return nil
	}
	cfg, _ := m.settings()
	ix, _, err := m.openIndex(ctx, root, false, nil)
	if errors.Is(err, search.ErrLocked) {
		return fmt.Errorf("cuecard is already running for %s", root)
	}
	if err != nil {
		return err
	}
	defer ix.Close()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	// The library, live (and pulled, for a git library).
	l, err := m.startLive(ctx, root, ix)
	if err != nil {
		return err
	}
	forCoach := l.lib.Subscribe(64)
	forUI := l.lib.Subscribe(64)
	var showSearch atomic.Pointer[func()] // set once the shell exists
	var idleWaits atomic.Pointer[func() int64]
	gitEvery := cfg.GitEvery
	if gitEvery == 0 {
		gitEvery = library.DefaultGitInterval
	}
	in := &insights{root: root, git: m.git != nil, now: time.Now, log: m.log, open: openPath}
	in.setSharing(cfg.ShareUsage, cfg.ShareSearches, cfg.Identity)
	// Per-user state and the coach.
	var st coach.Store
	if s, err := store.Open(paths.State(), store.Options{Logger: m.log}); err != nil {
		m.log.Warn("state is not saved this session", "err", err)
	} else {
		defer s.Close()
		st, in.st = s, s
	}
	c := coach.New(coach.Options{Store: st, Logger: m.log, Config: coach.Config{Disabled: cfg.NoSuggestions}})
	defer c.Close()
	in.c = c
	go in.run(ctx)
	l.run(ctx, m, gitEvery, nil, &ipcServer{showSearch: func() {
		if f := showSearch.Load(); f != nil {
			(*f)()
		}
	}, idleWaits: func() int64 {
		if f := idleWaits.Load(); f != nil {
			return (*f)()
		}
		return 0
	}, usage: in.usage})
	go func() {
		if err := <-l.done; err != nil && ctx.Err() == nil {
			m.log.Error("keeping the index live failed: restart cuecard", "err", err)
		}
	}()
	lib := l.lib

	// The coach matches windows against the index's catalogue: no copy.
	c.SetLibrary(ix, nil)
	go c.FollowLibrary(ctx, forCoach, ix)

	// Focus.
	exclude := focus.DefaultExclude()
	for _, e := range cfg.Exclude {
		for _, r := range []guide.Rule{{Exe: e}, {Class: e}} {
			if cr, err := r.Compile(); err == nil {
				exclude = append(exclude, cr)
			}
		}
	}
	tr := focus.New(focus.Options{OwnPIDs: []int{os.Getpid()}, Logger: m.log, Exclude: exclude})
	defer tr.Close()
	go func() {
		for ev := range tr.Events() {
			if ev.IsStatus() {
				c.FocusStatus(ev.Available, ev.Status)
			} else {
				c.Focus(ev.Window)
			}
		}
	}()

	// The search hotkey: a key another program holds gives a notice, and
	// the tray still opens the search.
	key := hotkey.Default
	if cfg.Hotkey != "" {
		if k, err := hotkey.Parse(cfg.Hotkey); err != nil {
			m.log.Warn("hotkey setting ignored", "file", cfg.Path, "err", err)
		} else {
			key = k
		}
	}
	hotkeyLabel, notice := key.String(), ""
	sk := &searchKey{opts: hotkey.Options{Logger: m.log}}
	defer sk.close()
	if err := sk.change(ctx, key); err != nil {
		hotkeyLabel, notice = "", err.Error()
		m.log.Warn("no search hotkey", "err", err)
	}

	// The viewer reads images inside the library only: a symbolic link
	// that leads outside is refused, not followed.
	libFS := library.FS(root)
	// Remote images only from hosts the library's own settings name.
	var remote ui.RemoteImages
	if ls, err := library.LoadSettings(root); err != nil {
		m.log.Warn("library settings ignored", "err", err)
	} else if len(ls.RemoteImages) > 0 {
		remote = newRemoteImages(ls, nil)
	}

	var shell *ui.Shell
	var recording *recorder // the tray's recording; UI goroutine only
	shell = ui.NewShell(ui.ShellConfig{
		CheckRecordTitle: m.recordTitleCheck(ctx, root),
		OnRecord: func(title string) error {
			if recording != nil {
				return errors.New("a recording is already running: stop it first")
			}
			cfg, _ := m.settings()
			if err := m.checkRecordTitle(ctx, root, title, cfg); err != nil {
				return err
			}
			r, err := m.startRecorder(ctx, root, title, cfg, cfg.RecordBlur, defaultOwner(root))
			if err != nil {
				return err
			}
			r.onDone = func(w record.Written, err error) {
				recording = nil
				if err != nil {
					m.log.Error("recording", "err", err)
					shell.App().SendNotification(fyne.NewNotification("Cuecard", err.Error()))
					return
				}
				m.reportWritten(root, w)
				shell.OpenGuide(w.ID, "")
				if err := openPath(w.File); err != nil {
					m.log.Warn("open the guide in an editor", "err", err)
				}
			}
			r.show(shell.App())
			recording = r
			return nil
		},
		HotkeyLabel: hotkeyLabel,
		OnSearchDone: func(q string, hits int) {
			if err := c.RecordSearch(q, hits); err != nil {
				m.log.Debug("record search", "err", err)
			}
		},
		Notice:    notice,
		Corner:    cfg.Corner,
		KeepPanel: cfg.KeepPanel,
		Corners:   config.Corners,
		Settings:  func() ui.SettingsValues { return m.settingsValues(key) },
		SaveSettings: func(v ui.SettingsValues) error {
			// A new search hotkey takes effect at once; one another
			// program holds is refused before anything is saved.
			newKey := hotkey.Default
			if v.Hotkey != "" {
				k, err := hotkey.Parse(v.Hotkey)
				if err != nil {
					return err
				}
				newKey = k
			}
			if err := sk.change(ctx, newKey); err != nil {
				return err
			}
			if err := m.saveSettings(v); err != nil {
				return err
			}
			shell.SetHotkeyLabel(newKey.String())
			cc := c.Config()
			cc.Disabled = !v.Suggestions
			c.SetConfig(cc)
			in.setSharing(v.ShareUsage, v.ShareSearches, v.Identity)
			shell.SetCorner(v.Corner)
			shell.SetKeepPanel(v.KeepPanel)
			return nil
		},
		Version:    version,
		LibraryDir: root,
		Searcher:   searcher{ix: ix, c: c},
		Viewer: ui.ViewerConfig{
			Library: libFS, LibraryDir: root,
			Guides:   guideSource{root: root},
			Progress: progress{c}, Feedback: feedback{c},
			Opener:   &opener{root: root},
			Remote:   remote,
			Now:      m.Now,
			Identity: in.Identity,
			Stats:    in,
		},
		Actions:    c,
		OpenFolder: func() error { return openPath(root) },
		Insights: func() error {
			_, err := in.openReport(ctx)
			return err
		},
		Welcome: firstRun,
		NoTray:  noTrayOnce(m),
		Logger:  m.log,
	})
	show := func() { shell.Do(shell.ShowSearch) }
	showSearch.Store(&show)
	waits := shell.IdleWaits
	idleWaits.Store(&waits)
	shell.SetProblems(lib.Problems())
	sk.setAction(show)
	go func() {
		for u := range c.Updates() {
			shell.Apply(u)
		}
	}()
	tidy := time.AfterFunc(tidyAfter, func() {
		tidyMemory()
		ix.ReleasePages()
	})
	defer tidy.Stop()
	go func() {
		for ev := range forUI {
			if ev.ProblemsChanged {
				shell.SetProblems(ev.Problems)
			}
			tidy.Reset(tidyAfter)
		}
	}()
	shell.Run(ctx)
	// Quitting: today's usage so far, when shared.
	if err := in.export(); err != nil {
		m.log.Warn("could not share usage", "err", err)
	}
	if r := recording; r != nil { // quit while recording: keep the guide
		go r.Stop()
		r.wait()
	}
	return nil
}

// searchKey is the search hotkey, which Settings can change while the app
// runs: the new key is grabbed before the old one is let go.
type searchKey struct {
	opts hotkey.Options

	mu     sync.Mutex
	hk     *hotkey.Hotkey
	action func()
}

// change makes k the search hotkey; an error (the key is held by another
// program) leaves the current one in place.
func (s *searchKey) change(ctx context.Context, k hotkey.Key) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hk != nil && s.hk.Key() == k {
		return nil
	}
	h, err := hotkey.Register(ctx, k, s.opts)
	if err != nil {
		return err
	}
	old := s.hk
	s.hk = h
	if s.action != nil {
		go listenKey(h, s.action)
	}
	if old != nil {
		old.Close()
	}
	return nil
}

// setAction starts calling action on each press.
func (s *searchKey) setAction(action func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.action = action
	if s.hk != nil {
		go listenKey(s.hk, action)
	}
}

// current is the registered key, or fallback when none is.
func (s *searchKey) current(fallback hotkey.Key) hotkey.Key {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hk == nil {
		return fallback
	}
	return s.hk.Key()
}

func (s *searchKey) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hk != nil {
		s.hk.Close()
		s.hk = nil
	}
}

// listenKey calls action for each press until h is closed.
func listenKey(h *hotkey.Hotkey, action func()) {
	for range h.Events() {
		action()
	}
}

// tidyAfter is the quiet time after start-up or a library change after
// which the app hands the memory it no longer uses back to the system:
// free heap, and the index's file pages that start-up read.
const tidyAfter = 10 * time.Second

// tidyMemory collects garbage and returns free memory to the system. The
// app idles for hours after a burst of work (start-up parses every guide
// once); without this, the garbage of that burst stays resident until the
// heap grows to twice its live size, which an idle app never does.
func tidyMemory() { debug.FreeOSMemory() }

// graphical reports whether there is a graphical session to show windows
// in (always on Windows and macOS).
func graphical() bool {
	if runtime.GOOS != "linux" && runtime.GOOS != "freebsd" && runtime.GOOS != "openbsd" && runtime.GOOS != "netbsd" {
		return true
	}
	return os.Getenv("DISPLAY") != "" || os.Getenv("WAYLAND_DISPLAY") != ""
}

// noTrayOnce remembers, with a marker file in the data folder, that the
// "no tray icon" notice was shown, so that it is said once, not at every
// login; the marker goes when a tray host is seen again.
func noTrayOnce(m *Main) func(missing bool) bool {
	marker := filepath.Join(paths.Data(), "no-tray-notice")
	return func(missing bool) bool {
		if !missing {
			if err := os.Remove(marker); err != nil && !errors.Is(err, os.ErrNotExist) {
				m.log.Debug("no-tray marker", "err", err)
			}
			return false
		}
		if _, err := os.Stat(marker); err == nil {
			return false
		}
		err := os.MkdirAll(filepath.Dir(marker), 0o700)
		if err == nil {
			err = os.WriteFile(marker, []byte("the no-tray notice was shown\n"), 0o600)
		}
		if err != nil {
			m.log.Debug("no-tray marker", "err", err)
		}
		return true
	}
}

// searcher runs the search window's queries, ranked toward the focused app.
type searcher struct {
	ix *search.Index
	c  *coach.Coach
}

func (s searcher) Search(ctx context.Context, text string, limit int) ([]ui.Hit, error) {
	res, err := s.ix.Search(ctx, search.Query{Text: text, Window: s.c.Current().Window, Limit: limit})
	if err != nil {
		return nil, err
	}
	hits := make([]ui.Hit, 0, len(res))
	for _, r := range res {
		hits = append(hits, ui.Hit{ID: r.ID, Title: r.Title, Summary: r.Summary, Format: r.Format, Duration: r.Duration,
			Stale: r.Stale, Snippet: r.Snippet, Section: r.Section, Anchor: r.Anchor, AppMatch: r.AppMatch})
	}
	return hits, nil
}

type guideSource struct{ root string }

func (g guideSource) Guide(id string) (*guide.Guide, error) {
	gd, ps := library.ParseFile(id, filepath.Join(g.root, filepath.FromSlash(id)))
	if gd == nil {
		if len(ps) > 0 {
			return nil, errors.New(ps[0].String())
		}
		return nil, fmt.Errorf("%s: cannot be read", id)
	}
	return gd, nil
}

type progress struct{ c *coach.Coach }

func (p progress) Steps(id string) map[string]bool {
	pr, err := p.c.Progress(id)
	if err != nil {
		return nil
	}
	return pr.Checked
}
func (p progress) SetStep(id, step string, checked bool) error { return p.c.SetStep(id, step, checked) }
func (p progress) Reset(id string) error                       { return p.c.ResetChecklist(id) }

type feedback struct{ c *coach.Coach }

func (f feedback) Vote(id string, helpful bool) error { return f.c.Vote(id, helpful) }
func (f feedback) Viewed(id string)                   { _ = f.c.MarkViewed(id) }

// opener opens links with the desktop's default programs: web and mail
// links, and files inside the library (never anything outside it).
type opener struct{ root string }

func (o *opener) OpenURL(u string) error {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https" && p.Scheme != "mailto") {
		return fmt.Errorf("not opened: only web and mail links are: %q", u)
	}
	return fyne.CurrentApp().OpenURL(p)
}

// OpenFile opens a document or media file of the library; programs,
// scripts, launchers and anything outside the library (a ".." path or a
// link that leads out) are refused (library.OpenablePath, docs/SECURITY.md).
func (o *opener) OpenFile(rel string) error {
	p, err := library.OpenablePath(o.root, rel)
	if err != nil {
		return err
	}
	return openPath(p)
}

func (o *opener) CopyText(s string) { fyne.CurrentApp().Clipboard().SetContent(s) }

// openPath opens a file or folder with the desktop's default program.
func openPath(p string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "windows":
		cmd = exec.Command("explorer", p)
	case "darwin":
		cmd = exec.Command("open", p)
	default:
		cmd = exec.Command("xdg-open", p)
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("open %s: %w", p, err)
	}
	go cmd.Wait()
	return nil
}

// settingsValues is what the settings window shows.
func (m *Main) settingsValues(active hotkey.Key) ui.SettingsValues {
	cfg, _ := m.settings()
	v := ui.SettingsValues{Library: cfg.Library, Hotkey: cfg.Hotkey, Corner: cfg.Corner, Suggestions: !cfg.NoSuggestions, KeepPanel: cfg.KeepPanel, Exclude: cfg.Exclude,
		ShareUsage: cfg.ShareUsage, ShareSearches: cfg.ShareUsage && cfg.ShareSearches, Identity: cfg.Identity,
		RecordHotkey: cfg.RecordHotkey, RecordBlur: cfg.RecordBlur, RecordExclude: cfg.RecordExclude}
	if v.Hotkey == "" {
		v.Hotkey = active.String()
	}
	if v.Corner == "" {
		v.Corner = config.Corners[0]
	}
	if v.RecordHotkey == "" {
		v.RecordHotkey = defaultRecordHotkey.String()
	}
	_, err := os.Stat(paths.Autostart())
	v.StartAtLogin = err == nil
	return v
}

// saveSettings checks and writes the settings file and the autostart entry.
func (m *Main) saveSettings(v ui.SettingsValues) error {
	if v.Hotkey != "" {
		if _, err := hotkey.Parse(v.Hotkey); err != nil {
			return err
		}
	}
	if !config.ValidCorner(v.Corner) {
		return fmt.Errorf("panel corner %q: choose one of %s", v.Corner, strings.Join(config.Corners, ", "))
	}
	if v.RecordHotkey != "" {
		if _, err := hotkey.Parse(v.RecordHotkey); err != nil {
			return fmt.Errorf("stop recording: %w", err)
		}
	}
	for _, e := range v.RecordExclude {
		if _, err := regexp.Compile(e); err != nil {
			return fmt.Errorf("never record %q: not a regular expression: %v", e, err)
		}
	}
	for _, e := range v.Exclude {
		if _, err := regexp.Compile(e); err != nil {
			return fmt.Errorf("never watch %q: not a regular expression: %v", e, err)
		}
	}
	if v.Library != "" && !library.IsGitSource(v.Library) {
		if st, err := os.Stat(v.Library); err != nil || !st.IsDir() {
			return fmt.Errorf("library %s is not a folder", v.Library)
		}
	}
	cfg, err := m.settings()
	if err != nil {
		cfg = config.Config{} // a broken file is replaced by what the user chose
	}
	cfg.Library, cfg.Hotkey, cfg.Corner, cfg.NoSuggestions, cfg.KeepPanel, cfg.Exclude = v.Library, v.Hotkey, v.Corner, !v.Suggestions, v.KeepPanel, v.Exclude
	cfg.ShareUsage, cfg.ShareSearches, cfg.Identity = v.ShareUsage, v.ShareUsage && v.ShareSearches, strings.TrimSpace(v.Identity)
	cfg.RecordHotkey, cfg.RecordBlur, cfg.RecordExclude = v.RecordHotkey, v.RecordBlur, v.RecordExclude
	if err := config.Save(config.File(), cfg); err != nil {
		return err
	}
	m.cfg = &cfg
	return setAutostart(v.StartAtLogin)
}

// setAutostart writes or removes the XDG autostart entry.
func setAutostart(on bool) error {
	p := paths.Autostart()
	if !on {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("start at login: %w", err)
		}
		return nil
	}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("start at login: %w", err)
	}
	entry := "[Desktop Entry]\nType=Application\nName=Cuecard\nComment=Short guides for the app you are using\n" +
		"Exec=\"" + exe + "\" app\nIcon=io.github.cuecard\nTerminal=false\nX-GNOME-Autostart-enabled=true\n"
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("start at login: %w", err)
	}
	if err := os.WriteFile(p, []byte(entry), 0o644); err != nil {
		return fmt.Errorf("start at login: %w", err)
	}
	return nil
}
