package ui

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/cuecard/cuecard/internal/coach"
	"github.com/cuecard/cuecard/internal/guide"
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
	// (the tray's "Record a guide..."); an error is shown in the prompt.
	// CheckRecordTitle says what is wrong with a title before that. Nil
	// OnRecord hides the menu item.
	OnRecord         func(title string) error
	CheckRecordTitle func(title string) error
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
}

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
	s.panelWin.SetContent(s.panel)
	s.panelWin.Resize(PanelSize)
	s.panelSize = PanelSize
	s.panel.OnClose = func() { s.hidePanel(); s.cfg.Actions.Dismiss() }
	s.panel.OnSearch = s.ShowSearch
	s.panel.OnOpen = func(id string) { s.OpenGuide(id, "") }
	s.panel.OnMute = func() {
		if err := s.cfg.Actions.Mute(""); err != nil {
			s.log.Warn("mute", "err", err)
		}
		s.hidePanel()
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
	s.refreshTray()
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

// Quit ends the app. Any goroutine.
func (s *Shell) Quit() {
	s.idle.stop()
	fyne.Do(s.app.Quit)
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
		go s.idle.run()
		if s.idle.enabled {
			go watchTray(s.idle, s.log)
		}
	})
	s.app.Run()
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
	info := NoTrayInfo{Hotkey: s.cfg.HotkeyLabel, OnClose: w.Close, OnQuit: s.Quit,
		OnSearch: func() { w.Close(); s.ShowSearch() }}
	if s.cfg.Settings != nil {
		info.OnSettings = func() { w.Close(); s.ShowSettings() }
	}
	w.SetContent(NewNoTray(info))
	w.Resize(NoTraySize)
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
				Duration: g.Duration, Stale: g.Stale(time.Now())})
		}
		status := ""
		if u.Unavailable != "" {
			status = u.Unavailable
		}
		s.panel.Set(PanelState{App: u.App.Name, Guides: hits, Status: status})
		// The title names the app for window lists and screen readers.
		if u.App.Name != "" {
			s.panelWin.SetTitle("Cuecard: " + u.App.Name)
		} else {
			s.panelWin.SetTitle("Cuecard")
		}
		switch {
		case u.Pop:
			s.showPanel()
		case s.panelUp && len(hits) == 0 && status == "" && !s.keepPanel:
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
	st.OnClose = w.Close
	w.SetContent(st)
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
		s.probWin.SetOnClosed(func() { s.probWin, s.problems = nil, nil })
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
		search.OnClose = w.Hide
		search.OnOpen = func(id, anchor string) {
			w.Hide()
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
	s.searchWin.CenterOnScreen()
	s.searchWin.Show()
	s.searchWin.RequestFocus()
	s.searchWin.Canvas().Focus(s.search.Entry())
}

// OpenGuide opens a guide in a viewer window.
func (s *Shell) OpenGuide(id, anchor string) {
	v, err := OpenGuide(s.cfg.Viewer, id, anchor)
	if err != nil {
		s.log.Warn("open guide", "id", id, "err", err)
		return
	}
	w := s.newWindow(v.Guide().Title + " - Cuecard")
	w.SetContent(v)
	w.Resize(ViewerSize)
	w.Show()
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
	p.OnCancel = w.Close
	p.OnRecord = func(title string) {
		if err := s.cfg.OnRecord(title); err != nil {
			p.errText.SetText(err.Error())
			p.errText.Show()
			return
		}
		w.Close()
	}
	w.SetContent(p)
	w.Resize(RecordPromptSize)
	w.CenterOnScreen()
	w.Show()
	w.Canvas().Focus(p.Entry())
}

func (s *Shell) showAbout(welcome bool) {
	w := s.newWindow("About Cuecard")
	if welcome {
		s.welcomeOpen = true
		w.SetOnClosed(func() {
			s.welcomeOpen = false
			if s.noTrayPending {
				s.noTrayPending = false
				s.showNoTray()
			}
		})
	}
	w.SetContent(NewAbout(AboutInfo{Version: s.cfg.Version, LibraryDir: s.cfg.LibraryDir, Hotkey: s.cfg.HotkeyLabel,
		Welcome: welcome, OnOpenFolder: func() { _ = s.cfg.OpenFolder() }, OnSearch: s.ShowSearch, OnClose: w.Close}))
	w.Resize(AboutSize)
	w.CenterOnScreen()
	w.Show()
}

// refreshTray rebuilds the tray menu from the current state.
func (s *Shell) refreshTray() {
	da, ok := s.app.(desktop.App)
	if !ok || !trayAvailable() {
		return
	}
	var items []*fyne.MenuItem
	if s.current.Unavailable != "" {
		// Focus tracking does not work: say so where the user looks.
		it := fyne.NewMenuItem(s.current.Unavailable, nil)
		it.Disabled = true
		items = append(items, it, fyne.NewMenuItemSeparator())
	}
	if n := len(s.current.Guides); n > 0 {
		sub := fyne.NewMenu("")
		for _, sg := range s.current.Guides {
			id := sg.Guide.ID
			sub.Items = append(sub.Items, fyne.NewMenuItem(sg.Guide.Title, onMain(func() { s.OpenGuide(id, "") })))
		}
		it := fyne.NewMenuItem(fmt.Sprintf("Guides for %s", s.current.App.Name), nil)
		it.ChildMenu = sub
		items = append(items, it)
	} else {
		it := fyne.NewMenuItem("No guides for this app", nil)
		it.Disabled = true
		items = append(items, it)
	}
	label := "Search guides..."
	if s.cfg.HotkeyLabel != "" {
		label = fmt.Sprintf("Search guides... (%s)", s.cfg.HotkeyLabel)
	}
	items = append(items, fyne.NewMenuItem(label, onMain(s.ShowSearch)))
	if s.cfg.OnRecord != nil {
		items = append(items, fyne.NewMenuItem("Record a guide...", onMain(s.ShowRecordPrompt)))
	}
	pause := fyne.NewMenuItem("Pause suggestions", nil)
	pause.ChildMenu = fyne.NewMenu("",
		fyne.NewMenuItem("For 1 hour", onMain(func() { _, _ = s.cfg.Actions.Pause(coach.ForAnHour) })),
		fyne.NewMenuItem("Until tomorrow", onMain(func() { _, _ = s.cfg.Actions.Pause(coach.UntilTomorrow) })),
		fyne.NewMenuItem("Resume", onMain(func() { _ = s.cfg.Actions.Resume() })),
	)
	items = append(items, pause)
	if s.probCount > 0 {
		items = append(items, fyne.NewMenuItem(fmt.Sprintf("Library problems (%d)", s.probCount), onMain(s.ShowProblems)))
	} else if len(s.probList) > 0 {
		items = append(items, fyne.NewMenuItem("Library problems", onMain(s.ShowProblems)))
	}
	items = append(items,
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Open library folder", onMain(func() { _ = s.cfg.OpenFolder() })),
	)
	if s.cfg.Insights != nil {
		items = append(items, fyne.NewMenuItem("Insights...", s.openInsights))
	}
	items = append(items,
		fyne.NewMenuItem("Settings...", onMain(s.ShowSettings)),
		fyne.NewMenuItem("About", onMain(func() { s.showAbout(false) })),
		fyne.NewMenuItemSeparator(),
	)
	quit := fyne.NewMenuItem("Quit", s.Quit)
	quit.IsQuit = true
	items = append(items, quit)
	da.SetSystemTrayMenu(fyne.NewMenu("Cuecard", items...))
	// A PNG: on Windows fyne decodes it to make an ICO, and an SVG (its
	// default icon) fails there with "image: unknown format".
	da.SetSystemTrayIcon(AppIcon())
}

// openInsights builds the report in the background (it reads the library
// and the team's usage files) and says so when it fails.
func (s *Shell) openInsights() {
	go func() {
		if err := s.cfg.Insights(); err != nil {
			s.log.Warn("insights", "err", err)
			s.app.SendNotification(fyne.NewNotification("Cuecard insights", err.Error()))
		}
	}()
}

// onMain runs a tray callback on fyne's goroutine: the tray calls back
// from its D-Bus goroutine, and windows must be created on the UI one.
func onMain(f func()) func() { return func() { fyne.Do(f) } }
