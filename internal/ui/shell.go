package ui

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/cuecard/cuecard/internal/coach"
	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/track"
	"github.com/cuecard/cuecard/internal/ui/kit"
)

// AppID is Cuecard's application id (FyneApp.toml).
const AppID = "io.github.cuecard"

// AppTheme is the app's theme made from base (see kit.AppTheme).
func AppTheme(base fyne.Theme) fyne.Theme { return kit.AppTheme(base) }

// Actions are the user actions the shell forwards to the core.
type Actions interface {
	Snooze(app string, s coach.Span) (time.Time, error)
	Mute(app string) error
	Unmute(app string) error
	Unsnooze(app string) error
	Pause(s coach.Span) (time.Time, error)
	Resume() error
	Dismiss()
}

// ShellConfig wires the shell to the rest of the app.
type ShellConfig struct {
	Version     string
	LibraryDir  string
	HotkeyLabel string // e.g. "Ctrl+Alt+Space"; "" when no hotkey is registered
	Searcher    Searcher
	Viewer      ViewerConfig
	Actions     Actions
	// OpenFolder opens the library folder in the file manager.
	OpenFolder func() error
	// Insights writes the insights report and opens it in the browser;
	// nil hides "Insights...". It runs off the UI goroutine.
	Insights func() error
	// Welcome shows the first-run welcome at start.
	Welcome bool
	// Track returns the person's Start-here track; nil hides "Start here".
	Track func() (track.Track, error)
	// Profile and SaveProfile are the person's role and first day (the
	// welcome asks for them once when Profile is set).
	Profile     func() ProfileValues
	SaveProfile func(ProfileValues) error
	// OnSearchDone records the final query of a search (see Search.OnDone).
	OnSearchDone func(query string, hits int)
	// Notice is said once at start as a desktop notification (e.g. the
	// hotkey is taken by another program).
	Notice string
	// NoTray is asked, a few seconds after start, whether to show the
	// "no tray icon" notice (missing true) and told when a tray host is
	// there (missing false). It returns true to show it: the caller
	// remembers that it was said, so it is said once. Nil: never shown.
	NoTray func(missing bool) bool
	// Corner is where the panel appears (bottom-right when empty).
	Corner string
	// KeepPanel keeps the panel open, saying so, when the focused app has
	// no guides; by default it hides.
	KeepPanel bool
	// Corners are the choices offered in Settings.
	Corners []string
	// Settings returns the current settings; SaveSettings saves new ones
	// (an error is shown in the settings window). Nil hides "Settings...".
	Settings     func() SettingsValues
	SaveSettings func(SettingsValues) error
	// OnRecord starts recording a guide with the title the user typed
	// (the tray's "Record a guide...") into the folder picked (see
	// RecordPrompt.OnRecord); an error is shown in the prompt.
	// CheckRecordTitle says what is wrong with a title before that. Nil
	// OnRecord hides the menu item. RecordFolders are the library's
	// folders the prompt offers ("" the root).
	OnRecord func(title, folder string) error
	// OnGuideMe starts a walkthrough of a guide with click targets (the
	// viewer's and the panel's "Guide me"); its error is shown in a
	// notice. Nil hides the buttons.
	OnGuideMe        func(id string) error
	CheckRecordTitle func(title string) error
	RecordFolders    func() []string
	Logger           *slog.Logger
}

// Shell is the desktop app: the tray icon and menu, the floating panel,
// the search window and the guide viewer windows. Updates from the coach
// and library problems are applied with Do.
type Shell struct {
	cfg ShellConfig
	app fyne.App
	log *slog.Logger

	panel     *Panel
	panelWin  fyne.Window
	panelUp   bool
	search    *Search
	searchWin fyne.Window
	problems  *Problems
	probWin   fyne.Window
	probList  []guide.Problem
	probCount int // errors among probList: the tray shows this number
	corner    string
	keepPanel bool
	panelSize fyne.Size
	// The "no tray icon" notice waits for the first-run welcome to close.
	welcomeOpen, noTrayPending bool
	current                    coach.Update
	paused                     bool
	idle                       *idler
	// note is the panel's line under the guides (see panelNote).
	note panelNote
	// searchUp: the search window is shown. panelAside: the panel was
	// hidden to make room for the search window, and comes back when it
	// closes without opening a guide. foreground: a Cuecard window has the
	// keyboard focus.
	searchUp, panelAside, foreground bool
	quit                             sync.Once
	// gnome is what Settings offers on GNOME (SetGnomeSetup), or nil.
	gnome *GnomeSetupInfo
	// besideWin is the "work beside it" window, or nil.
	besideWin fyne.Window
	// trackWin is the Start here window, or nil; lastTrack the track as
	// last read (the tray's label).
	trackWin  fyne.Window
	trackView *TrackView
	lastTrack track.Track
	trackGen  uint64    // RefreshTrack's newest request
	tray      *trayMenu // nil without a tray
}

// panelNote is a line in the panel for one app (its key), with an
// optional button: the undo after a mute, or why nothing popped. It
// lasts until expires (zero: until the app changes).
type panelNote struct {
	app, text, action string
	do                func()
	expires           time.Time
	gen               int
}

// noteUndo is how long the undo of a mute is offered.
var noteUndo = 8 * time.Second

// NewShell creates the fyne app and its windows (not shown yet).
func NewShell(cfg ShellConfig) *Shell {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	s := &Shell{cfg: cfg, log: cfg.Logger, corner: cfg.Corner, keepPanel: cfg.KeepPanel}
	s.app = app.NewWithID(AppID)
	s.app.Settings().SetTheme(AppTheme(s.app.Settings().Theme()))
	s.app.SetIcon(AppIcon())
	s.idle = newIdler(s.app)

	s.panel = NewPanel()
	if drv, ok := s.app.Driver().(desktop.Driver); ok {
		s.panelWin = s.idle.track(drv.CreateSplashWindow())
	} else {
		s.panelWin = s.newWindow("Cuecard")
	}
	s.panelWin.SetContent(kit.NewTipHost(s.panel))
	s.panel.SetHotkey(cfg.HotkeyLabel)
	s.panelWin.Resize(PanelSize)
	s.panelSize = PanelSize
	s.panel.OnClose = func() { s.hidePanel(); s.cfg.Actions.Dismiss() }
	s.panel.OnSearch = s.ShowSearch
	s.panel.OnOpen = func(id string) { s.OpenGuide(id, "") }
	if cfg.OnGuideMe != nil {
		s.panel.OnGuideMe = func(id string) {
			if err := cfg.OnGuideMe(id); err != nil {
				s.log.Warn("guide me", "id", id, "err", err)
				s.notice("Guide me", err.Error())
			}
		}
	}
	s.panel.OnMute = s.mute
	s.panel.OnResize = func() {
		if s.panelUp {
			s.placePanel()
		}
	}
	s.panel.OnSnooze = func(until time.Time) {
		if _, err := s.cfg.Actions.Snooze("", coach.Span{Until: until}); err != nil {
			s.log.Warn("snooze", "err", err)
		}
		s.hidePanel()
	}

	if cfg.Viewer.OnOpenGuide == nil {
		s.cfg.Viewer.OnOpenGuide = s.OpenGuide
	}
	if s.cfg.Track != nil {
		s.cfg.Viewer.OnTrackChanged = s.RefreshTrack
	}
	s.setupTray()
	return s
}

// App is the fyne app.
func (s *Shell) App() fyne.App { return s.app }

// Do runs f on the UI goroutine, at once even while the app idles (see
// idler). Any goroutine.
func (s *Shell) Do(f func()) { s.idle.do(f) }

// IdleWaits is how many times the UI goroutine has waited because every
// window was hidden (see idler): for tests and the debug request.
func (s *Shell) IdleWaits() int64 { return s.idle.waits.Load() }

// Quit ends the app, once: a second Quit (the session closing the tray's
// window, then the signal that stops the process), or one after the event
// loop ended, would reach GLFW after it was terminated and panic. Any
// goroutine.
func (s *Shell) Quit() {
	s.quit.Do(func() {
		s.idle.stop()
		fyne.Do(s.app.Quit)
	})
}

// newWindow makes a window the idler knows about. Every window of the
// shell is made here (the panel with track).
func (s *Shell) newWindow(title string) fyne.Window {
	return s.idle.track(s.app.NewWindow(title))
}

// Run shows the start-up windows and runs the event loop until Quit.
func (s *Shell) Run(ctx context.Context) {
	go func() {
		<-ctx.Done()
		s.Quit()
	}()
	s.app.Lifecycle().SetOnStarted(func() {
		setWindowClass()
		// The first Show of a window takes focus under openbox even with
		// the input hint off: show and hide the panel once now, before
		// the user works in another app.
		s.showPanelWindow()
		preparePanel(s.panelWin, s.corner, PanelSize, s.log)
		s.panelWin.Hide()
		if s.cfg.Welcome {
			s.showAbout(true)
		}
		if s.cfg.Notice != "" {
			s.app.SendNotification(fyne.NewNotification("Cuecard", s.cfg.Notice))
		}
		if s.cfg.NoTray != nil {
			go s.checkTray(ctx)
		}
		// fyne quits when the session closes its hidden tray window:
		// through Quit, so that the idler stops first.
		for _, w := range s.app.Driver().AllWindows() {
			if w.Title() == systrayMonitor {
				w.SetCloseIntercept(s.Quit)
			}
		}
		s.RefreshTrack() // the tray's Start here
		s.app.Lifecycle().SetOnEnteredForeground(func() { s.focusChanged(true) })
		s.app.Lifecycle().SetOnExitedForeground(func() { s.focusChanged(false) })
		go s.idle.run()
		if s.idle.enabled {
			go watchTray(s.idle, s.log)
		}
	})
	s.app.Run()
	s.quit.Do(func() {}) // ended: a later Quit has nothing to do
}

// trayWait is how long a tray host may take to appear at login (desktop
// panels often start after the apps that autostart).
var trayWait = 6 * time.Second

// checkTray says once, in a small window, that there is no tray host: the
// tray icon cannot be seen, and the notice says how to reach Cuecard.
func (s *Shell) checkTray(ctx context.Context) {
	deadline := time.Now().Add(trayWait)
	for !trayHostPresent() {
		if time.Now().After(deadline) {
			s.log.Warn("no system tray host: the panel and the search hotkey still work")
			if s.cfg.NoTray(true) {
				s.Do(func() {
					// Not on top of the first-run welcome: after it.
					if s.welcomeOpen {
						s.noTrayPending = true
						return
					}
					s.showNoTray()
				})
			}
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(500 * time.Millisecond):
		}
	}
	s.cfg.NoTray(false)
}

func (s *Shell) showNoTray() {
	w := s.newWindow("Cuecard")
	info := NoTrayInfo{Hotkey: s.cfg.HotkeyLabel, Gnome: IsGnome(nil), OnClose: w.Close, OnQuit: s.Quit,
		OnSearch: func() { w.Close(); s.ShowSearch() }}
	if s.cfg.Settings != nil {
		info.OnSettings = func() { w.Close(); s.ShowSettings() }
	}
	w.SetContent(NewNoTray(info))
	s.bindKeys(w, kit.Keys{Close: w.Close, Default: w.Close})
	size := NoTraySize
	if info.Gnome {
		size.Height += 100 // the AppIndicator paragraph
	}
	w.Resize(size)
	// A fixed size makes tiling window managers float the notice (sway
	// floats an XWayland window whose minimum and maximum sizes match)
	// instead of tiling it beside the user's work.
	w.SetFixedSize(true)
	w.CenterOnScreen()
	w.Show()
}

// Apply renders a coach update. Call it from any goroutine.
func (s *Shell) Apply(u coach.Update) {
	s.Do(func() {
		s.current = u
		hits := make([]Hit, 0, len(u.Guides))
		for _, sg := range u.Guides {
			g := sg.Guide
			hits = append(hits, Hit{ID: g.ID, Title: g.Title, Summary: g.Summary, Format: g.Format,
				Duration: g.Duration, Stale: g.Stale(time.Now()), GuideMe: g.HasClicks})
		}
		status := ""
		if u.Unavailable != "" {
			status = u.Unavailable
		}
		st := PanelState{App: u.App.Name, Guides: hits, Status: status}
		noted := s.applyNote(&st, u)
		s.panel.Set(st)
		// The title names the app for window lists and screen readers.
		if u.App.Name != "" {
			s.panelWin.SetTitle("Cuecard: " + u.App.Name)
		} else {
			s.panelWin.SetTitle("Cuecard")
		}
		switch {
		case u.Pop:
			s.showPanel()
		case s.panelUp && len(hits) == 0 && status == "" && !s.keepPanel && !noted:
			s.hidePanel()
		case s.panelUp:
			s.placePanel() // follows focus: sized to the new rows
		}
		s.paused = !u.PausedUntil.IsZero()
		s.refreshTray()
	})
}

// SetProblems updates the library problems (window and tray). Any goroutine.
func (s *Shell) SetProblems(ps []guide.Problem) {
	s.Do(func() {
		s.probList = ps
		// The tray counts errors (guides skipped, links broken); warnings
		// are listed in the window but do not make a number.
		s.probCount = 0
		for _, p := range ps {
			if p.Level == guide.LevelError {
				s.probCount++
			}
		}
		if s.problems != nil {
			s.problems.Set(ps)
		}
		s.refreshTray()
	})
}

func (s *Shell) showPanel() {
	if !s.panelUp {
		s.panelSize = s.panel.FitSize()
		s.panelWin.Resize(s.panelSize)
		s.showPanelWindow()
		s.panelUp = true
	}
	s.placePanel()
}

// placePanel sizes the panel to its rows and puts it in its corner. A
// shown window resized in place stays blank under fyne 2.7.1 (splash
// windows on X11): a new size is applied hidden, then shown again.
func (s *Shell) placePanel() {
	if size := s.panel.FitSize(); size != s.panelSize {
		s.panelSize = size
		s.panelWin.Hide()
		s.panelWin.Resize(size)
		s.showPanelWindow()
	}
	preparePanel(s.panelWin, s.corner, s.panelSize, s.log)
}

// SetCorner moves the panel to another corner (Settings). UI goroutine.
func (s *Shell) SetCorner(c string) {
	s.corner = c
	if s.panelUp {
		s.placePanel()
	}
}

// SetHotkeyLabel shows a new search hotkey in the tray menu and the About
// page (Settings changed it). UI goroutine.
func (s *Shell) SetHotkeyLabel(label string) {
	s.cfg.HotkeyLabel = label
	s.panel.SetHotkey(label)
	s.refreshTray()
}

// SetKeepPanel sets whether the panel stays open for an app without
// guides (Settings). UI goroutine.
func (s *Shell) SetKeepPanel(keep bool) {
	s.keepPanel = keep
	if !keep && s.panelUp && len(s.current.Guides) == 0 && s.current.Unavailable == "" {
		s.hidePanel()
	}
}

// ShowSettings opens the settings window.
func (s *Shell) ShowSettings() {
	if s.cfg.Settings == nil {
		return
	}
	w := s.newWindow("Settings - Cuecard")
	st := NewSettings(s.cfg.Settings(), s.cfg.Corners)
	st.OnSave = s.cfg.SaveSettings
	if s.cfg.Actions != nil {
		st.OnUnmute = s.cfg.Actions.Unmute
	}
	st.OnClose = w.Close
	if bar := s.gnomeBar(); bar != nil {
		w.SetContent(container.NewBorder(bar, nil, nil, nil, st))
	} else {
		w.SetContent(st)
	}
	s.bindKeys(w, kit.Keys{Close: w.Close, Default: st.Save})
	w.Resize(SettingsSize)
	w.CenterOnScreen()
	w.Show()
}

// showPanelWindow shows the panel window; preparePanel follows it.
func (s *Shell) showPanelWindow() {
	panelShowing()
	s.panelWin.Show()
}

func (s *Shell) hidePanel() {
	s.panelWin.Hide()
	s.panelUp = false
}

// The problems window is created when it is opened and closed (destroyed)
// when the user is done. The search window, opened many times a day, is
// made once and hidden between uses, its rows reused (see
// Search.apply). Hidden, it costs no CPU: the idler parks fyne's loop while
// every window is hidden.

// ShowProblems opens the library problems window.
func (s *Shell) ShowProblems() {
	if s.probWin == nil {
		s.problems = NewProblems()
		s.problems.Set(s.probList)
		s.probWin = s.newWindow("Library problems - Cuecard")
		s.probWin.SetContent(s.problems)
		s.probWin.Resize(ProblemsSize)
		w := s.probWin
		kit.BindKeys(w.Canvas(), kit.Keys{Close: w.Close})
		s.probWin.SetOnClosed(func() { kit.UnbindKeys(w.Canvas()); s.probWin, s.problems = nil, nil })
	}
	s.probWin.Show()
	s.probWin.RequestFocus()
}

// ShowSearch shows and focuses the search window (the hotkey's action).
func (s *Shell) ShowSearch() {
	if s.searchWin == nil {
		w := s.newWindow("Search guides - Cuecard")
		search := NewSearch(s.cfg.Searcher)
		search.OnDone = s.cfg.OnSearchDone
		search.OnClose = s.hideSearch
		search.OnOpen = func(id, anchor string) {
			s.panelAside = false // the guide opened: the panel stays aside
			s.hideSearch()
			s.OpenGuide(id, anchor)
		}
		w.SetContent(search)
		w.SetCloseIntercept(search.closeSearch) // the window's close button: as Escape
		w.Resize(SearchSize)
		w.SetOnClosed(func() {
			if s.searchWin == w {
				s.searchWin, s.search = nil, nil
			}
		})
		s.searchWin, s.search = w, search
	}
	s.search.Reset()
	if s.panelUp {
		// The panel steps aside for the search window (it sits on top of
		// everything and would cover results); back when search closes.
		s.hidePanel()
		s.panelAside = true
	}
	s.searchWin.CenterOnScreen()
	s.searchUp = true
	s.searchWin.Show()
	s.searchWin.RequestFocus()
	s.searchWin.Canvas().Focus(s.search.Entry())
}

// ToggleSearch is the search hotkey: it shows the search window, or
// closes it when it is shown.
func (s *Shell) ToggleSearch() {
	if s.searchUp && s.search != nil {
		s.search.closeSearch()
		return
	}
	s.ShowSearch()
}

// SearchFor shows the search window with text typed in and searched for
// (a cuecard://search link).
func (s *Shell) SearchFor(text string) {
	s.ShowSearch()
	s.search.SetQuery(text)
}

// SearchShown reports whether the search window is shown.
func (s *Shell) SearchShown() bool { return s.searchUp }

// hideSearch hides the search window, and brings back the panel it had
// put aside.
func (s *Shell) hideSearch() {
	if s.searchWin != nil {
		s.searchWin.Hide()
	}
	s.searchUp = false
	if s.panelAside {
		s.panelAside = false
		if len(s.current.Guides) > 0 || s.current.Unavailable != "" {
			s.showPanel()
		}
	}
}

// searchBlur is how long the search window waits, after Cuecard lost the
// keyboard focus, before it hides: focus moving between two Cuecard
// windows passes through "no Cuecard window" for a moment.
var searchBlur = 250 * time.Millisecond

// focusChanged follows whether a Cuecard window has the keyboard focus: a
// search window left for another app hides, like a launcher's.
func (s *Shell) focusChanged(in bool) {
	s.foreground = in
	if in || !s.searchUp {
		return
	}
	time.AfterFunc(searchBlur, func() {
		s.Do(func() {
			if !s.foreground && s.searchUp && s.search != nil {
				s.search.closeSearch()
			}
		})
	})
}

// OpenGuide opens a guide in a viewer window. The panel steps aside: it
// floats above every window and would cover the guide.
func (s *Shell) OpenGuide(id, anchor string) {
	cfg := s.cfg.Viewer
	var w fyne.Window
	cfg.OnWorkBeside = func(g *guide.Guide) {
		if w != nil {
			w.Close()
		}
		s.ShowBeside(g)
	}
	if s.cfg.OnGuideMe != nil {
		cfg.OnGuideMe = func(g *guide.Guide) {
			if err := s.cfg.OnGuideMe(g.ID); err != nil {
				s.log.Warn("guide me", "id", g.ID, "err", err)
				s.notice("Guide me", err.Error())
				return
			}
			if w != nil {
				w.Close()
			}
		}
	}
	v, err := OpenGuide(cfg, id, anchor)
	if err != nil {
		s.log.Warn("open guide", "id", id, "err", err)
		return
	}
	if s.panelUp {
		s.hidePanel()
	}
	w = s.newWindow(v.Guide().Title + " - Cuecard")
	w.SetContent(v)
	s.bindKeys(w, kit.Keys{Close: w.Close})
	w.Resize(ViewerSize)
	w.Show()
}

// ShowBeside shows g's steps one at a time in the "work beside it"
// window: above the app, never taking the focus, in the corner above or
// below the panel's. One guide at a time: a second replaces the first.
func (s *Shell) ShowBeside(g *guide.Guide) {
	if s.besideWin != nil {
		s.besideWin.Close()
		s.besideWin = nil
	}
	b := NewBeside(g, s.cfg.Viewer.Progress)
	var w fyne.Window
	if drv, ok := s.app.Driver().(desktop.Driver); ok {
		w = s.idle.track(drv.CreateSplashWindow())
	} else {
		w = s.newWindow("Cuecard")
	}
	w.SetTitle(g.Title + " - step by step - Cuecard")
	b.OnClose = func() { w.Close() }
	b.OnOpen = func(id, anchor string) {
		w.Close()
		s.OpenGuide(id, anchor)
	}
	w.SetOnClosed(func() {
		if s.besideWin == w {
			s.besideWin = nil
		}
	})
	w.SetContent(kit.NewTipHost(b))
	w.Resize(BesideSize)
	s.besideWin = w
	panelShowing()
	w.Show()
	preparePanel(w, besideCorner(s.corner), BesideSize, s.log)
}

// besideCorner is the corner of the "work beside it" window: on the
// panel's side of the screen, at the other end.
func besideCorner(panel string) string {
	switch panel {
	case "top-left":
		return "bottom-left"
	case "top-right":
		return "bottom-right"
	case "bottom-left":
		return "top-left"
	}
	return "top-right"
}

// ShowTrack opens the Start here window (or brings it to the front).
func (s *Shell) ShowTrack() {
	if s.cfg.Track == nil {
		return
	}
	if s.trackWin == nil {
		w := s.newWindow("Start here - Cuecard")
		v := NewTrackView()
		v.OnOpen = func(id string) { s.OpenGuide(id, "") }
		w.SetContent(v)
		w.Resize(TrackSize)
		w.CenterOnScreen()
		kit.BindKeys(w.Canvas(), kit.Keys{Close: w.Close})
		w.SetOnClosed(func() {
			kit.UnbindKeys(w.Canvas())
			s.trackWin, s.trackView = nil, nil
		})
		s.trackWin, s.trackView = w, v
	}
	s.trackView.Set(s.lastTrack, nil) // at once; RefreshTrack brings it up to date
	s.RefreshTrack()
	s.trackWin.Show()
	s.trackWin.RequestFocus()
}

// RefreshTrack reads the track again: the tray's "Start here" and the
// Start here window follow (after a tick, an acknowledgement, a mark, a
// library change or a new day). UI goroutine.
//
// The track is built off the UI goroutine (it reads every guide of the
// catalogue: about 25 ms at 10,000 guides), and only the newest of
// overlapping refreshes is shown.
func (s *Shell) RefreshTrack() {
	if s.cfg.Track == nil {
		return
	}
	s.trackGen++
	gen := s.trackGen
	go func() {
		t, err := s.cfg.Track()
		s.Do(func() {
			if gen != s.trackGen {
				return // a newer refresh is on its way
			}
			if err != nil {
				s.log.Warn("read the Start here track", "err", err)
			} else {
				s.lastTrack = t
			}
			if s.trackView != nil {
				s.trackView.Set(t, err)
			}
			s.refreshTray()
		})
	}()
}

// ShowReminder is the daily Start-here reminder: the panel lists the
// items to do (overdue first), with a line and a button to the track.
// It never takes the focus. UI goroutine.
func (s *Shell) ShowReminder(r track.Reminder) {
	if len(r.Items) == 0 {
		return
	}
	now := time.Now()
	var hits []Hit
	for _, it := range r.Items {
		f := guide.FormatGuide
		if it.How == track.ByChecklist {
			f = guide.FormatChecklist
		}
		hits = append(hits, Hit{ID: it.ID, Title: it.Title, Format: f, Meta: itemMeta(it, now)})
	}
	text := "Your Start here track has things to do."
	if n := r.Overdue; n == 1 {
		text = "1 item of your Start here track is overdue."
	} else if n > 1 {
		text = fmt.Sprintf("%d items of your Start here track are overdue.", n)
	}
	s.panel.Set(PanelState{App: "Start here", Guides: hits, Note: text, Action: "Open Start here", OnAction: s.ShowTrack})
	s.panelWin.SetTitle("Cuecard: Start here")
	s.showPanel()
	s.placePanel()
}

// bindKeys gives a window its keys (Escape and Ctrl+W close it) until it
// is closed.
func (s *Shell) bindKeys(w fyne.Window, k kit.Keys) {
	kit.BindKeys(w.Canvas(), k)
	w.SetOnClosed(func() { kit.UnbindKeys(w.Canvas()) })
}

// ShowAppGuides is the "show this app's guides" hotkey: the panel with
// the focused app's guides now, and a line that says why it did not pop
// up by itself, with the button that changes that.
func (s *Shell) ShowAppGuides() {
	u := s.current
	text, act := whyNote(u, time.Now())
	if text != "" {
		s.note = panelNote{app: u.App.Key, text: text, action: whyLabels[act], do: s.whyAction(act, u.App.Key), gen: s.note.gen + 1}
	}
	s.Apply(u)
	s.Do(s.showPanel)
}

func (s *Shell) whyAction(act whyAction, app string) func() {
	done := func() { s.note = panelNote{gen: s.note.gen + 1} }
	switch act {
	case actUnmute:
		return func() { done(); s.report("unmute", s.cfg.Actions.Unmute(app)) }
	case actUnsnooze:
		return func() { done(); s.report("unsnooze", s.cfg.Actions.Unsnooze(app)) }
	case actResume:
		return func() { done(); s.report("resume", s.cfg.Actions.Resume()) }
	case actSearch:
		return func() { done(); s.ShowSearch() }
	case actSettings:
		return func() { done(); s.ShowSettings() }
	}
	return nil
}

func (s *Shell) report(what string, err error) {
	if err != nil {
		s.log.Warn(what, "err", err)
	}
}

// applyNote adds the panel's note to st when it is for u's app and still
// current; it reports whether it did.
func (s *Shell) applyNote(st *PanelState, u coach.Update) bool {
	n := s.note
	if n.text == "" {
		return false
	}
	if n.app != u.App.Key || (!n.expires.IsZero() && time.Now().After(n.expires)) {
		s.note = panelNote{gen: n.gen + 1}
		return false
	}
	st.Note, st.Action, st.OnAction = n.text, n.action, n.do
	return true
}

// mute is the panel's mute button: the app is muted at once, and the
// panel offers to undo it for a few seconds before it hides.
func (s *Shell) mute() {
	u := s.current
	if err := s.cfg.Actions.Mute(u.App.Key); err != nil {
		s.log.Warn("mute", "err", err)
		s.hidePanel()
		return
	}
	name := u.App.Name
	if name == "" {
		name = "This app"
	}
	gen := s.note.gen + 1
	s.note = panelNote{app: u.App.Key, gen: gen, expires: time.Now().Add(noteUndo), action: "Undo",
		text: name + " is muted: no more pop-ups for it. Settings lists muted apps."}
	s.note.do = func() {
		s.note = panelNote{gen: gen + 1}
		s.report("unmute", s.cfg.Actions.Unmute(u.App.Key))
	}
	s.Apply(u)
	time.AfterFunc(noteUndo, func() {
		s.Do(func() {
			if s.note.gen == gen { // not undone, not replaced
				s.note = panelNote{gen: gen + 1}
				s.hidePanel()
			}
		})
	})
}

// ShowRecordPrompt asks for the title of a guide to record and starts the
// recording with OnRecord.
func (s *Shell) ShowRecordPrompt() {
	if s.cfg.OnRecord == nil {
		return
	}
	w := s.newWindow("Record a guide - Cuecard")
	p := NewRecordPrompt()
	p.Check = s.cfg.CheckRecordTitle
	if s.cfg.RecordFolders != nil {
		p.SetFolders(s.cfg.RecordFolders())
	}
	p.OnCancel = w.Close
	p.OnRecord = func(title, folder string) {
		if err := s.cfg.OnRecord(title, folder); err != nil {
			p.errText.SetText(err.Error())
			p.errText.Show()
			return
		}
		w.Close()
	}
	w.SetContent(p)
	s.bindKeys(w, kit.Keys{Close: w.Close, Default: p.submit})
	w.Resize(RecordPromptSize)
	w.CenterOnScreen()
	w.Show()
	w.Canvas().Focus(p.Entry())
}

func (s *Shell) showAbout(welcome bool) {
	w := s.newWindow("About Cuecard")
	kit.BindKeys(w.Canvas(), kit.Keys{Close: w.Close, Default: w.Close})
	w.SetOnClosed(func() { kit.UnbindKeys(w.Canvas()) })
	if welcome {
		s.welcomeOpen = true
		w.SetOnClosed(func() {
			kit.UnbindKeys(w.Canvas())
			s.welcomeOpen = false
			if s.noTrayPending {
				s.noTrayPending = false
				s.showNoTray()
			}
		})
	}
	var profile *ProfileForm
	if welcome && s.cfg.Profile != nil && s.cfg.SaveProfile != nil {
		profile = NewProfileForm(s.cfg.Profile(), true)
		profile.OnSave = func(v ProfileValues) error {
			err := s.cfg.SaveProfile(v)
			if err == nil {
				s.RefreshTrack()
			}
			return err
		}
	}
	w.SetContent(NewAbout(AboutInfo{Version: s.cfg.Version, Profile: profile, LibraryDir: s.cfg.LibraryDir, Hotkey: s.cfg.HotkeyLabel,
		Welcome: welcome, OnOpenFolder: s.openFolder, OnSearch: s.ShowSearch, OnClose: w.Close}))
	if profile != nil {
		w.Resize(WelcomeProfileSize)
	} else {
		w.Resize(AboutSize)
	}
	w.CenterOnScreen()
	w.Show()
}

// openInsights builds the report in the background (it reads the library
// and the team's usage files) and says so when it fails.
func (s *Shell) openInsights() {
	go func() {
		if err := s.cfg.Insights(); err != nil {
			s.log.Warn("insights", "err", err)
			var oe *OpenError
			if errors.As(err, &oe) {
				s.Do(func() { s.ShowOpenFailure("the insights report", oe) })
				return
			}
			s.app.SendNotification(fyne.NewNotification("Cuecard insights", err.Error()))
		}
	}()
}

// openFolder opens the library folder in the file manager; when the
// desktop cannot, it says so with the path to copy. UI goroutine.
func (s *Shell) openFolder() {
	go func() {
		err := s.cfg.OpenFolder()
		if err == nil {
			return
		}
		s.log.Warn("open the library folder", "err", err)
		oe, ok := err.(*OpenError)
		if !ok {
			oe = &OpenError{Target: s.cfg.LibraryDir, Err: err}
		}
		s.Do(func() { s.ShowOpenFailure("the library folder", oe) })
	}()
}

// ShowOpenFailure says that the desktop could not open what (e.g. "the
// insights report"), with its path or address to copy. UI goroutine.
func (s *Shell) ShowOpenFailure(what string, e *OpenError) {
	w := s.newWindow("Could not open " + what + " - Cuecard")
	w.SetContent(NewOpenFailure(what, e, func(t string) { s.app.Clipboard().SetContent(t) }, w.Close))
	s.bindKeys(w, kit.Keys{Close: w.Close, Default: w.Close})
	w.Resize(OpenFailureSize)
	w.CenterOnScreen()
	w.Show()
}

// SetWindowClass names every window created from now on in WM_CLASS
// (cuecard / Cuecard, X11), for a fyne app other than the shell's (the
// recorder's own process). Call it on the UI goroutine once the app has
// started.
func SetWindowClass() { setWindowClass() }
