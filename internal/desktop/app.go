// Package desktop is the Cuecard desktop app: it wires the focus tracker,
// the coach, the live library (librarian, git pulls and the owner socket),
// the search hotkey, per-user state and the fyne shell together, and owns
// what the app does on the user's behalf: saving settings, recording a
// guide, sharing usage with guide owners.
//
// It is the one package that knows all the others; cmd/cuecard resolves
// the library, opens its index and hands over to App.
package desktop

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"
	"time"

	"fyne.io/fyne/v2"

	"github.com/cuecard/cuecard/internal/coach"
	"github.com/cuecard/cuecard/internal/config"
	"github.com/cuecard/cuecard/internal/focus"
	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/hotkey"
	"github.com/cuecard/cuecard/internal/library"
	"github.com/cuecard/cuecard/internal/owner"
	"github.com/cuecard/cuecard/internal/pageout"
	"github.com/cuecard/cuecard/internal/paths"
	"github.com/cuecard/cuecard/internal/search"
	"github.com/cuecard/cuecard/internal/store"
	"github.com/cuecard/cuecard/internal/track"
	"github.com/cuecard/cuecard/internal/ui"
)

// Deps is what the app is made of. Root, Config and Index are required;
// the seams at the end default to the real tracker, hotkey and shell.
type Deps struct {
	Root   string             // the library folder
	Config config.Config      // the settings as loaded (Config.Path is where they are saved)
	Index  *search.Index      // the library's index, opened and reconciled
	Git    *library.GitSource // the library's git source; nil for a plain folder
	// Welcome shows the first-run welcome.
	Welcome bool
	Version string
	Log     *slog.Logger
	Now     func() time.Time
	// Out receives what the user is told on the terminal (a recorded
	// guide's file and lint problems).
	Out, Err io.Writer

	// Tracker starts focus tracking (default focus.New).
	Tracker func(focus.Options) focus.Tracker
	// Register grabs a global hotkey (default hotkey.Register).
	Register func(context.Context, hotkey.Key, hotkey.Options) (Hotkey, error)
	// NewShell makes the UI (default ui.NewShell).
	NewShell func(ui.ShellConfig) Shell
	// URLHandler, when set, makes this program the handler of cuecard://
	// links at start, when it is not (urlhandler.RegisterSelf; the cuecard
	// binary sets it, tests of this package do not).
	URLHandler func() (bool, error)
}

// Hotkey is a registered global hotkey.
type Hotkey interface {
	Key() hotkey.Key
	Events() <-chan struct{}
	Close() error
}

// Shell is the UI as the app drives it (ui.Shell). Apply and SetProblems
// may be called from any goroutine; the rest on the UI goroutine or
// through Do.
type Shell interface {
	Run(ctx context.Context)
	Do(func())
	App() fyne.App
	Apply(coach.Update)
	SetProblems([]guide.Problem)
	ShowSearch()
	SearchFor(text string)
	ToggleSearch()
	ShowAppGuides()
	RefreshTrack()
	ShowReminder(track.Reminder)
	OpenGuide(id, anchor string)
	ShowGuideMe(*ui.GuideMe) *ui.GuideMeWindow
	SetHotkeyLabel(string)
	SetCorner(string)
	SetKeepPanel(bool)
	IdleWaits() int64
}

var (
	_ Shell  = (*ui.Shell)(nil)
	_ Hotkey = (*hotkey.Hotkey)(nil)
)

// App is the running desktop app.
type App struct {
	d    Deps
	log  *slog.Logger
	root string
	ix   *search.Index

	cfgMu sync.Mutex
	cfg   config.Config

	coach *coach.Coach
	in    *insights
	keys  *searchKey
	// guides is the "show this app's guides" hotkey.
	guides *searchKey
	shell  Shell
	// recording is the tray's recording; UI goroutine only.
	recording recording
	// guiding is the running Guide me walkthrough, or nil.
	guidingMu sync.Mutex
	guiding   *guideMe
}

// New makes the app; Run starts it.
func New(d Deps) *App {
	if d.Log == nil {
		d.Log = slog.Default()
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Out == nil {
		d.Out = io.Discard
	}
	if d.Err == nil {
		d.Err = io.Discard
	}
	if d.Tracker == nil {
		d.Tracker = focus.New
	}
	if d.Register == nil {
		d.Register = func(ctx context.Context, k hotkey.Key, o hotkey.Options) (Hotkey, error) {
			h, err := hotkey.Register(ctx, k, o)
			if err != nil {
				return nil, err
			}
			return h, nil
		}
	}
	if d.NewShell == nil {
		d.NewShell = func(c ui.ShellConfig) Shell { return ui.NewShell(c) }
	}
	return &App{d: d, log: d.Log, root: d.Root, ix: d.Index, cfg: d.Config}
}

// settings is the current settings (any goroutine).
func (a *App) settings() config.Config {
	a.cfgMu.Lock()
	defer a.cfgMu.Unlock()
	return a.cfg
}

// Run runs the app until ctx is done or the user quits.
func (a *App) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	cfg := a.settings()

	// The library, live (and pulled, for a git library).
	live, err := owner.Start(ctx, a.root, a.ix, owner.Options{Git: a.d.Git, GitEvery: cfg.GitEvery, Ignore: cfg.Ignore, Now: a.d.Now, Log: a.log})
	if err != nil {
		return err
	}
	forCoach := live.Librarian().Subscribe(64)
	forUI := live.Librarian().Subscribe(64)

	// Per-user state, the coach, and usage for the guide owners.
	var st coach.Store
	s, err := store.Open(paths.State(), store.Options{Logger: a.log})
	if err != nil {
		a.log.Warn("state is not saved this session", "err", err)
		s = nil
	} else {
		defer s.Close()
		st = s
	}
	a.coach = coach.New(coach.Options{Store: st, Logger: a.log, Config: coach.Config{Disabled: cfg.NoSuggestions}})
	defer a.coach.Close()
	a.in = newInsights(a.root, s, a.coach, a.d.Git != nil, a.log)
	a.in.guides = a.ix.Guides
	a.in.setSharing(cfg.ShareUsage, cfg.ShareSearches, cfg.Identity)
	go a.in.run(ctx)
	// The coach matches windows against the index's catalogue: no copy.
	a.coach.SetLibrary(a.ix, nil)
	a.applyProfile()
	go a.coach.FollowLibrary(ctx, forCoach, a.ix)

	// The search hotkey: a key another program holds gives a notice, and
	// the tray still opens the search.
	key := startKey(cfg.Hotkey, hotkey.Default, "hotkey", cfg, a.log)
	a.keys = &searchKey{register: a.d.Register, opts: hotkey.Options{Logger: a.log, ID: "search", Description: "Open Cuecard's search"}}
	defer a.keys.close()
	label, notice := key.String(), ""
	gnome := newGnomeSetup(a.log.Debug)
	err = a.keys.change(ctx, key)
	if err != nil {
		label, notice = "", err.Error()
		a.log.Warn("no search hotkey", "err", err)
	}
	gnome.hotkey(key, err, err == nil && viaX11(a.keys.registered()))

	// The second hotkey: this app's guides now, and why none popped up. A
	// key held by another program is logged; the tray still lists them.
	// Registered before the shell exists: Settings may change it.
	a.guides = &searchKey{register: a.d.Register, opts: hotkey.Options{Logger: a.log, ID: "guides", Description: "Show Cuecard's guides for the focused app"}}
	defer a.guides.close()
	if err := a.guides.change(ctx, startKey(cfg.GuidesHotkey, DefaultGuidesKey, "guides_hotkey", cfg, a.log)); err != nil {
		a.log.Warn("no hotkey for this app's guides", "err", err)
	}

	a.shell = a.d.NewShell(a.shellConfig(ctx, label, notice))
	if s, ok := a.shell.(gnomeShell); ok {
		gnome.show = func(info ui.GnomeSetupInfo) { a.shell.Do(func() { s.ShowGnomeSetup(info) }) }
		gnome.settings = func(info ui.GnomeSetupInfo) { a.shell.Do(func() { s.SetGnomeSetup(info) }) }
	}
	a.keys.setAction(a.toggleSearch)
	a.guides.setAction(func() { a.shell.Do(a.shell.ShowAppGuides) })
	live.Run(ctx, &owner.Server{ShowSearch: a.showSearch, IdleWaits: a.shell.IdleWaits, OpenGuide: a.openGuide, GuideMe: a.guideMeFromSocket, Walkthrough: a.Walkthrough, Usage: a.in.usage, Muted: a.coach.Muted, Unmute: a.coach.Unmute, Track: a.coach.Track, Log: a.log})
	go a.remind(ctx)
	if a.d.URLHandler != nil {
		go func() {
			if changed, err := a.d.URLHandler(); err != nil {
				a.log.Warn("cuecard:// links will not open Cuecard", "err", err)
			} else if changed {
				a.log.Info("registered as the handler of cuecard:// links")
			}
		}()
	}
	go func() {
		if err := <-live.Done(); err != nil && ctx.Err() == nil {
			a.log.Error("keeping the index live failed: restart cuecard", "err", err)
		}
	}()
	a.shell.SetProblems(live.Librarian().Problems())
	go func() {
		for u := range a.coach.Updates() {
			a.shell.Apply(u)
		}
	}()

	// Focus, once the shell takes the coach's updates: the tracker reports
	// the focused window at once, and that first suggestion reaches the
	// panel.
	tr := a.d.Tracker(focus.Options{OwnPIDs: []int{os.Getpid()}, Logger: a.log, Exclude: excludeRules(cfg.Exclude, nil, a.log)})
	defer tr.Close()
	go func() {
		for ev := range tr.Events() {
			if ev.IsStatus() {
				a.coach.FocusStatus(ev.Available, ev.Status)
				gnome.focusStatus(ev.Status)
			} else {
				a.coach.Focus(ev.Window)
			}
		}
	}()
	tidy := time.AfterFunc(TidyAfter, a.tidy)
	defer tidy.Stop()
	go func() {
		for ev := range forUI {
			if ev.ProblemsChanged {
				a.shell.SetProblems(ev.Problems)
			}
			tidy.Reset(TidyAfter)
		}
	}()

	a.shell.Run(ctx)

	// Quitting: today's usage so far, when shared; a recording is kept.
	if err := a.in.export(); err != nil {
		a.log.Warn("could not share usage", "err", err)
	}
	a.StopRecording()
	a.StopGuideMe()
	stopPlayers()
	return nil
}

// showSearch opens the search window with text typed in (any goroutine):
// a second launch, or a cuecard://search link.
func (a *App) showSearch(text string) {
	a.shell.Do(func() {
		if text == "" {
			a.shell.ShowSearch()
		} else {
			a.shell.SearchFor(text)
		}
	})
}

// openGuide shows guide id at anchor in a viewer window, for another
// process (any goroutine): cuecard record hands over the guide it just
// wrote (on disk, maybe not indexed yet), cuecard open (link) a guide of
// the index, which then counts as assigned: its apps do not pop their
// first-open suggestion (coach.MarkAssigned).
func (a *App) openGuide(id, anchor string, link bool) error {
	if p, ok := guide.LibraryPath("", id); !ok || p != id {
		return fmt.Errorf("%q is not a guide of the library %s", id, a.root)
	}
	st, statErr := os.Stat(filepath.Join(a.root, filepath.FromSlash(id)))
	if !link {
		if statErr != nil || st.IsDir() {
			return fmt.Errorf("%s is not a guide of the library %s", id, a.root)
		}
		a.shell.Do(func() { a.shell.OpenGuide(id, anchor) })
		return nil
	}
	if a.ix.Guide(id) == nil {
		// Said on the desktop too: a link clicked in a browser or a chat
		// has no terminal to print the error in.
		if statErr == nil && !st.IsDir() && guide.IsGuideFile(id) {
			a.linkFailed("The guide " + id + " has errors and cannot be shown: 'cuecard lint' says why.")
			return fmt.Errorf("the guide %s could not be read: 'cuecard lint %s' says why", id, a.root)
		}
		a.linkFailed("No guide " + id + " in your library: it may have moved or been renamed. Search for it instead.")
		return fmt.Errorf("no guide %s in the library %s", id, a.root)
	}
	if err := a.coach.MarkAssigned(id); err != nil {
		a.log.Warn("guide opened from a link not marked as assigned", "id", id, "err", err)
	}
	a.shell.Do(func() { a.shell.OpenGuide(id, anchor) })
	return nil
}

// toggleSearch opens the search window, or closes it when it is open: the
// search hotkey (any goroutine).
func (a *App) toggleSearch() { a.shell.Do(a.shell.ToggleSearch) }

// linkFailed says on the desktop why a link did not open.
func (a *App) linkFailed(msg string) {
	if a.shell.App() != nil { // nil: a test's shell
		a.notify(msg)
	}
}

// DefaultGuidesKey shows the focused app's guides: Ctrl+Alt+G.
var DefaultGuidesKey = hotkey.Key{Mods: hotkey.Ctrl | hotkey.Alt, Name: "G"}

// keySetting is the hotkey a setting names; "" is fallback.
func keySetting(s string, fallback hotkey.Key) (hotkey.Key, error) {
	if s == "" {
		return fallback, nil
	}
	return hotkey.Parse(s)
}

// startKey is keySetting for a setting read at start: a bad one is logged,
// naming the settings file, and fallback is used.
func startKey(s string, fallback hotkey.Key, name string, cfg config.Config, log *slog.Logger) hotkey.Key {
	k, err := keySetting(s, fallback)
	if err != nil {
		log.Warn(name+" setting ignored", "file", cfg.Path, "err", err)
		return fallback
	}
	return k
}

// excludeRules are the windows never watched (and, with record, never
// recorded): the built-in list (password managers, private browsing), then
// each pattern of exclude against the executable and the class, and each of
// record against the executable, the class and the title.
func excludeRules(exclude, record []string, log *slog.Logger) []guide.Rule {
	rules := focus.DefaultExclude()
	add := func(r guide.Rule) {
		if cr, err := r.Compile(); err == nil {
			rules = append(rules, cr)
		} else {
			log.Warn("exclude rule ignored", "err", err)
		}
	}
	for _, e := range exclude {
		add(guide.Rule{Exe: e})
		add(guide.Rule{Class: e})
	}
	for _, e := range record {
		add(guide.Rule{Exe: e})
		add(guide.Rule{Class: e})
		add(guide.Rule{Title: e})
	}
	return rules
}

// TidyAfter is the quiet time after start-up or a library change after
// which the app compacts its index and hands the memory it no longer uses
// back to the system.
const TidyAfter = 10 * time.Second

// IdleGCPercent is the garbage collector's GOGC from the first tidy on.
// Go's default, 100, lets garbage grow to the size of the live heap before
// it collects, and all of it stays resident (at 10,000 guides the live
// heap is some 45 MB, most of it fonts and the catalogue, which stay). The
// app after start-up allocates little, so collecting ten times as often
// costs next to no CPU, and garbage stays within a tenth of the live heap.
const IdleGCPercent = 10

// tidy merges the index into one segment when it has several, collects
// garbage, returns free memory to the system and pages out the index files
// that start-up read and the binary's read-only pages (start-up code, the
// fonts fyne copied, the embedded sample library; what the idle app runs
// comes back at once). The app idles for hours after a
// burst of work (start-up parses every guide once); without this, the
// garbage of that burst stays resident until the heap grows to twice its
// live size, which an idle app never does. It also lowers the collector's
// GOGC (IdleGCPercent) unless the user set one: start-up ran at Go's
// default.
func (a *App) tidy() {
	// The index first: start-up's indexing or a large sync leaves several
	// segments, which slow every keystroke's search (search.Index.Compact).
	if did, err := a.ix.Compact(context.Background()); err != nil {
		a.log.Debug("index not compacted", "err", err)
	} else if did {
		a.log.Debug("index compacted")
	}
	if os.Getenv("GOGC") == "" { // a GOGC the user set stays
		debug.SetGCPercent(IdleGCPercent)
	}
	debug.FreeOSMemory()
	a.ix.ReleasePages()
	if os.Getenv(NoBinaryPageoutEnv) != "1" {
		pageout.Executable()
	}
}

// NoBinaryPageoutEnv, set to 1, makes the tidy leave the binary's
// read-only pages resident (everything else it does stays): the idle
// memory benchmark measures the app both ways, the second like for like
// with a bare fyne app, which pages nothing out.
const NoBinaryPageoutEnv = "CUECARD_NO_BINARY_PAGEOUT"
