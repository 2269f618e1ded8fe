package coach

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/latest"
	"github.com/cuecard/cuecard/internal/track"
)

// Clock is the Coach's time source. Tests drive a fake one.
type Clock interface {
	Now() time.Time
	// AfterFunc calls f (in its own goroutine) once d has passed; stop
	// cancels it and reports whether it did so before f ran.
	AfterFunc(d time.Duration, f func()) (stop func() bool)
}

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }
func (systemClock) AfterFunc(d time.Duration, f func()) func() bool {
	return time.AfterFunc(d, f).Stop
}

// Store is the per-user state the Coach reads and writes; internal/store's
// *Store implements it on disk. Times are the Coach's clock readings; an
// app is an App.Key; a zero time means "none".
type Store interface {
	// Apps whose suggestions popped: when first, and when last (first use
	// or a new guide).
	Seen(app string) (first, notified time.Time, err error)
	MarkSeen(app, name string, at time.Time) error

	SnoozedUntil(app string) (time.Time, error)
	Snooze(app string, until time.Time) error // zero until: unsnooze
	Muted(app string) (bool, error)
	SetMuted(app, name string, muted bool, at time.Time) error
	MutedApps() (map[string]string, error) // key -> name
	PausedUntil() (time.Time, error)
	Pause(until time.Time) error // zero until: resume

	// Automatic pops, for the rate limit.
	RecordPop(app string, at time.Time) error
	PopsSince(t time.Time) (int, error)

	// When guides were added to the library, for "new guide" pops.
	AddNewGuides(ids []string, at time.Time) error
	NewGuides(ids []string) (map[string]time.Time, error)

	SetStep(id, step string, checked bool, at time.Time) error
	Checked(id string) ([]string, error)
	ResetChecklist(id string) error
	RecordView(id string, at time.Time) error
	SetVote(id string, helpful bool, at time.Time) error
	// RecordMiss counts a search that found nothing; the store normalises it.
	RecordMiss(query string, at time.Time) error
}

// Options configure New. The zero value works: default policy, state in
// memory only, the system clock.
type Options struct {
	Config Config
	// Store keeps state across runs; nil keeps it in memory only (for
	// when the state file is unavailable, and for UI tests).
	Store  Store
	Clock  Clock
	Logger *slog.Logger
	// Buffer is the capacity of the Updates channel; default 1. Whatever
	// the capacity, sends never block: the oldest unread update is dropped.
	Buffer int
}

// Suggestion is one guide listed in an Update.
type Suggestion struct {
	guide.Match
	// New is true for a guide announced by a "new guide" pop.
	New bool
}

// Update is the Coach's complete statement of what to show; each one
// replaces the previous one.
//
// The UI lists Guides (the panel follows focus, hiding when the list is
// empty if so configured) and shows the panel when Pop is true. Pop false
// means "do not show it on our account": it never hides a panel the user
// opened.
type Update struct {
	// Seq increases with every update.
	Seq uint64
	At  time.Time
	// Window is the focused window; zero when none is known, or it is
	// excluded (focus.Options.Exclude).
	Window guide.Window
	// Unavailable, when not empty, says why focus tracking does not work.
	Unavailable string
	// App is the app of Window (see AppKey); zero when no guide matches.
	App App
	// Guides are the matching guides, most specific rule first (the guides
	// a "new guide" pop announces come first), at most Config.MaxGuides.
	Guides []Suggestion
	// Total is how many guides match, listed or not.
	Total int
	// Pop asks the UI to show the panel now.
	Pop bool
	// Reason and Why say why the panel pops or not; Why is a short
	// sentence for people, e.g. "first time you use GIMP" or "suppressed:
	// rate limit (3 automatic suggestions in the last hour)".
	Reason Reason
	Why    string
	// State of App and of suggestions as a whole, for the panel's and the
	// tray's buttons. Times in the past are reported as zero.
	Muted        bool
	SnoozedUntil time.Time
	PausedUntil  time.Time
}

// Progress is the user's progress through a checklist guide.
type Progress struct {
	// Checked holds the checked step ids (only steps the guide still has,
	// when the guide is in the library).
	Checked map[string]bool
	// Done of Total steps are checked; Total is 0 for a guide not in the
	// library.
	Done, Total int
}

// Coach turns focused windows into suggestions. It consumes focus events
// (Focus, FocusStatus) and library changes (SetLibrary, SetGuides,
// FollowLibrary), decides by its Config whether to pop the panel, and
// publishes an Update on Updates after every event and every user action
// that changes what the UI shows. The UI renders Updates and forwards user actions (Snooze,
// Mute, Pause, Dismiss, MarkViewed, Vote, SetStep, RecordSearch, and the
// Start-here track's Ack and MarkDone, ...).
//
// # Policy
//
// The panel pops with an app's guides (App, see AppKey):
//   - the first time the app stays focused for Config.Dwell (1 s): once
//     per app and user (Store.MarkSeen);
//   - once more when guides for an app already seen are added to the
//     library: the next time it stays focused (at once if it is focused),
//     one pop lists all the new guides first. Additions stay new for
//     Config.NewGuideFor; a change adding more than Config.BulkAdd guides
//     announces none;
//
// and only when at least one matching guide has suggest: true (the others
// are still listed), and never while: suggestions are disabled or paused,
// the app is muted or snoozed, the window is fullscreen, the user dismissed
// the panel for this app since focusing it, or Config.MaxPops pops already
// happened in the last Config.PopWindow (3 an hour). A suppressed pop is
// not lost: the app stays unseen (or its guides new) and pops on a later
// focus, once allowed. Pops are rechecked on every event: focus changes,
// the dwell timer, library changes and user actions. When the store fails,
// nothing pops (ReasonStateError) and the failure is logged.
//
// All methods are safe for concurrent use.
type Coach struct {
	store Store
	clock Clock
	log   *slog.Logger

	mu          sync.Mutex
	cfg         Config
	lib         Library // nil: no guides yet
	window      guide.Window
	unavailable string
	matches     []guide.Match
	app         App
	since       time.Time // when app became focused
	gen         uint64    // focus generation: changes with the app
	timerGen    uint64    // generation of the pending dwell timer; 0 none
	stop        func() bool
	dismissed   bool
	seq         uint64
	last        Update
	closed      bool
	focusRec    FocusRecorder // nil: the store keeps no focus time
	span        focusSpan
	profile     track.Profile  // roles filter suggestions; the track's person
	recorder    track.Recorder // nil: completions are not recorded
	lastPop     time.Time      // when the panel last popped, for reminders

	out chan Update
}

// New returns a Coach with no guides and no window.
func New(o Options) *Coach {
	if o.Store == nil {
		o.Store = newMemStore()
	}
	if o.Clock == nil {
		o.Clock = systemClock{}
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Buffer < 1 {
		o.Buffer = 1
	}
	c := &Coach{
		store: o.Store,
		clock: o.Clock,
		log:   o.Logger.With("component", "coach"),
		gen:   1,
		out:   make(chan Update, o.Buffer),
	}
	c.focusRec, _ = o.Store.(FocusRecorder)
	c.cfg = c.compile(o.Config)
	c.last = Update{At: c.clock.Now(), Reason: ReasonNoWindow, Why: "no window is focused"}
	return c
}

// compile fills in defaults and compiles the browser rules once.
func (c *Coach) compile(cfg Config) Config {
	cfg = cfg.withDefaults()
	browsers := make([]guide.Rule, 0, len(cfg.Browsers))
	for _, r := range cfg.Browsers {
		if cr, err := r.Compile(); err == nil && !cr.Empty() {
			browsers = append(browsers, cr)
		} else {
			c.log.Warn("ignoring a browser rule that does not compile", "rule", r.String(), "err", err)
		}
	}
	cfg.Browsers = browsers
	return cfg
}

// Updates is the channel of updates. Sends never block the Coach: when the
// reader falls behind, the oldest unread update is dropped (each update is
// complete, so the latest wins), except that an unread pop carries over
// into the newer update while it is for the same app, so a pop is never
// lost to a title change. Close closes the channel.
func (c *Coach) Updates() <-chan Update { return c.out }

// Current is the latest update (without a pop): what to show when the UI
// asks rather than listens, e.g. to build the tray menu.
func (c *Coach) Current() Update {
	c.mu.Lock()
	defer c.mu.Unlock()
	u := c.last
	u.Pop = false
	return u
}

// Config is the policy in force, defaults filled in.
func (c *Coach) Config() Config {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cfg
}

// SetConfig changes the policy (e.g. from the settings window) and
// publishes an update.
func (c *Coach) SetConfig(cfg Config) {
	cfg = c.compile(cfg)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cfg = cfg
	now := c.clock.Now()
	c.rematch(now) // the browser list may have changed the app
	c.retime(now)
	c.publish(c.decide(now))
}

// Close stops the dwell timer and closes Updates. Later events are ignored.
func (c *Coach) Close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return
	}
	c.closed = true
	c.stopTimer()
	c.endSpan(c.clock.Now())
	close(c.out)
}

// Focus tells the coach which window is focused (focus.Event.Window); a
// zero window means none, or an excluded one.
func (c *Coach) Focus(w guide.Window) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return
	}
	now := c.clock.Now()
	c.unavailable = ""
	c.window = w
	c.rematch(now)
	c.retime(now)
	c.publish(c.decide(now))
}

// FocusStatus passes on a focus tracker status event. Unavailable means no
// window is known until the next Focus.
func (c *Coach) FocusStatus(available bool, status string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return
	}
	now := c.clock.Now()
	if available {
		c.unavailable = ""
	} else {
		if status == "" {
			status = "focus tracking unavailable"
		}
		c.unavailable = status
		c.window = guide.Window{}
	}
	c.rematch(now)
	c.retime(now)
	c.publish(c.decide(now))
}

// Library is what the coach needs of the guides: those whose app rules
// match a window (as guide.Matcher.Match orders them) and a guide by id
// (nil when unknown). The search index is one: the coach reads the rules
// from its catalogue rather than keeping a copy of every guide. Guides
// makes one of a list of guides.
type Library interface {
	Match(w guide.Window) []guide.Match
	Guide(id string) *guide.Guide
}

// guideList is the Library of a fixed list of guides.
type guideList struct {
	m    *guide.Matcher
	byID map[string]*guide.Guide
}

// Guides is a Library of guides, with a guide.Matcher built once.
func Guides(guides []*guide.Guide) Library {
	l := &guideList{m: guide.NewMatcher(guides), byID: make(map[string]*guide.Guide, len(guides))}
	for _, g := range guides {
		l.byID[g.ID] = g
	}
	return l
}

func (l *guideList) Match(w guide.Window) []guide.Match { return l.m.Match(w) }
func (l *guideList) Guide(id string) *guide.Guide       { return l.byID[id] }

// SetGuides is SetLibrary(Guides(guides), added).
func (c *Coach) SetGuides(guides []*guide.Guide, added []string) {
	c.SetLibrary(Guides(guides), added) // outside the lock: it compiles rules
}

// SetLibrary sets the library the coach matches windows against, or tells
// it that lib changed, and publishes an update. added lists the ids of
// guides new to the library in this change (LibraryEvent.Added): they can
// pop as "new guide for this app" (see Coach).
func (c *Coach) SetLibrary(lib Library, added []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return
	}
	now := c.clock.Now()
	c.lib = lib
	var fresh []string
	for _, id := range added {
		if lib != nil && lib.Guide(id) != nil {
			fresh = append(fresh, id)
		}
	}
	switch {
	case len(fresh) == 0:
	case c.cfg.BulkAdd >= 0 && len(fresh) > c.cfg.BulkAdd:
		c.log.Info("not announcing added guides: too many at once", "added", len(fresh), "limit", c.cfg.BulkAdd)
	default:
		if err := c.store.AddNewGuides(fresh, now); err != nil {
			c.log.Error("could not record new guides", "err", err)
		}
	}
	c.rematch(now)
	c.retime(now)
	c.publish(c.decide(now))
}

// FollowLibrary feeds the coach from a librarian subscription until events
// closes or ctx is done: after each event that changed guides, it calls
// SetLibrary(lib, ev.Added). lib is the whole library as the librarian
// keeps it (the search index).
func (c *Coach) FollowLibrary(ctx context.Context, events <-chan LibraryEvent, lib Library) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case ev, ok := <-events:
			if !ok {
				return nil
			}
			if ev.Err != nil || len(ev.Added)+len(ev.Updated)+len(ev.Removed) == 0 {
				continue
			}
			c.SetLibrary(lib, ev.Added)
		}
	}
}

// rematch matches the window again and derives its app; a new app restarts
// the dwell and forgets a dismissal.
func (c *Coach) rematch(now time.Time) {
	c.matches = nil
	if c.lib != nil {
		c.matches = forRoles(c.lib.Match(c.window), c.profile.Roles)
	}
	app := AppKey(c.window, c.matches, c.cfg.Browsers)
	if app.Key == "" || app.Key != c.app.Key {
		c.gen++
		c.stopTimer()
		c.since = now
		c.dismissed = false
	}
	c.app = app
}

func (c *Coach) stopTimer() {
	if c.stop != nil {
		c.stop()
	}
	c.stop, c.timerGen = nil, 0
}

// fire is the dwell timer of generation gen.
func (c *Coach) fire(gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed || gen != c.gen || c.timerGen != gen {
		return
	}
	c.stop, c.timerGen = nil, 0
	c.publish(c.decide(c.clock.Now()))
}

// decide applies the policy to the current window at now. It schedules the
// dwell timer when a pop waits for it, and records a pop in the store.
func (c *Coach) decide(now time.Time) Update {
	u := c.judge(now)
	if n := c.cfg.MaxGuides; n >= 0 && len(u.Guides) > n {
		u.Guides = u.Guides[:n]
	}
	return u
}

func (c *Coach) judge(now time.Time) Update {
	cfg := c.cfg
	u := Update{At: now, Window: c.window, Unavailable: c.unavailable}
	var stateErr error
	keep := func(err error) {
		if err != nil && stateErr == nil {
			stateErr = err
		}
	}
	paused, err := c.store.PausedUntil()
	keep(err)
	if paused.After(now) {
		u.PausedUntil = paused
	}
	switch {
	case c.unavailable != "":
		return u.because(ReasonUnavailable, c.unavailable)
	case c.window.IsZero():
		return u.because(ReasonNoWindow, "no window is focused")
	case len(c.matches) == 0:
		return u.because(ReasonNoGuides, "no guides for this window")
	}
	u.App, u.Total = c.app, len(c.matches)
	u.Guides = make([]Suggestion, len(c.matches))
	for i, m := range c.matches {
		u.Guides[i] = Suggestion{Match: m}
	}
	if c.app.Key == "" {
		return u.because(ReasonUnknownApp, "guides match, but this window names no app")
	}
	name := c.app.Name
	muted, err := c.store.Muted(c.app.Key)
	keep(err)
	u.Muted = muted
	snoozed, err := c.store.SnoozedUntil(c.app.Key)
	keep(err)
	if snoozed.After(now) {
		u.SnoozedUntil = snoozed
	}
	first, notified, err := c.store.Seen(c.app.Key)
	keep(err)

	// What would pop, if anything.
	var ids []string
	for _, s := range u.Guides {
		if s.Guide.Suggest {
			ids = append(ids, s.Guide.ID)
		}
	}
	var reason Reason
	var why string
	switch {
	case stateErr != nil:
	case len(ids) == 0:
		return u.because(ReasonNotSuggested, "guides for "+name+" are not suggested automatically")
	case first.IsZero() && c.anyAssigned(ids):
		// A guide of this app was opened from a link: no first-open pop
		// (MarkAssigned).
		if err := c.store.MarkSeen(c.app.Key, name, now); err != nil {
			c.log.Error("could not save a suggestion", "app", c.app.Key, "err", err)
		}
		return u.because(ReasonSeen, "a guide for "+name+" was opened from a link")
	case first.IsZero():
		reason, why = ReasonFirstUse, "first time you use "+name
	default:
		added, err := c.store.NewGuides(ids)
		keep(err)
		var fresh []Suggestion
		rest := u.Guides[:0:0]
		for _, s := range u.Guides {
			if at, ok := added[s.Guide.ID]; ok && s.Guide.Suggest && at.After(notified) && now.Sub(at) < cfg.NewGuideFor && !c.assigned(s.Guide.ID) {
				s.New = true
				fresh = append(fresh, s)
			} else {
				rest = append(rest, s)
			}
		}
		if len(fresh) == 0 {
			if stateErr == nil {
				return u.because(ReasonSeen, "already suggested for "+name)
			}
			break
		}
		u.Guides = append(fresh, rest...)
		reason, why = ReasonNewGuide, fmt.Sprintf("%d new guides for %s", len(fresh), name)
		if len(fresh) == 1 {
			reason, why = ReasonNewGuide, fmt.Sprintf("new guide for %s: %s", name, fresh[0].Guide.Title)
		}
	}
	if stateErr != nil {
		c.log.Error("could not read suggestion state", "app", c.app.Key, "err", stateErr)
		return u.because(ReasonStateError, "suppressed: saved state could not be read")
	}

	// Whether it may pop now.
	switch {
	case cfg.Disabled:
		return u.because(ReasonDisabled, "suppressed: automatic suggestions are off")
	case !u.PausedUntil.IsZero():
		return u.because(ReasonPaused, "suppressed: paused until "+clockTime(u.PausedUntil, now))
	case muted:
		return u.because(ReasonMuted, "suppressed: "+name+" is muted")
	case !u.SnoozedUntil.IsZero():
		return u.because(ReasonSnoozed, "suppressed: "+name+" snoozed until "+clockTime(u.SnoozedUntil, now))
	case c.window.Fullscreen:
		return u.because(ReasonFullscreen, "suppressed: a fullscreen window is focused")
	case c.dismissed:
		return u.because(ReasonDismissed, "suppressed: dismissed")
	}
	if cfg.MaxPops >= 0 {
		n, err := c.store.PopsSince(now.Add(-cfg.PopWindow))
		if err != nil {
			c.log.Error("could not read the pop history", "err", err)
			return u.because(ReasonStateError, "suppressed: saved state could not be read")
		}
		if n >= cfg.MaxPops {
			return u.because(ReasonRateLimit, fmt.Sprintf("suppressed: rate limit (%d automatic suggestions in the last %s)", n, span(cfg.PopWindow)))
		}
	}
	if due := c.since.Add(cfg.Dwell); now.Before(due) {
		if c.timerGen != c.gen {
			gen := c.gen
			c.stop = c.clock.AfterFunc(due.Sub(now), func() { c.fire(gen) })
			c.timerGen = gen
		}
		return u.because(ReasonWaiting, why+": waiting for it to stay focused")
	}

	// Pop: remember it first, so that a store that cannot remember never
	// pops the same app again and again.
	if err := c.store.MarkSeen(c.app.Key, name, now); err != nil {
		c.log.Error("could not save a suggestion", "app", c.app.Key, "err", err)
		return u.because(ReasonStateError, "suppressed: saved state could not be written")
	}
	if err := c.store.RecordPop(c.app.Key, now); err != nil {
		c.log.Error("could not save a suggestion", "app", c.app.Key, "err", err)
	}
	c.log.Info("suggesting guides", "app", c.app.Key, "reason", string(reason), "guides", len(u.Guides))
	u.Pop = true
	return u.because(reason, why)
}

func (u Update) because(r Reason, why string) Update {
	u.Reason, u.Why = r, why
	return u
}

// publish sends u without blocking; see Updates.
func (c *Coach) publish(u Update) {
	c.seq++
	u.Seq = c.seq
	if u.Pop {
		c.lastPop = u.At
	}
	c.last = u
	latest.SendMerge(c.out, u, keepPop)
}

// keepPop carries an unread pop from a dropped update into the newer one
// while both are for the same app (see Updates).
func keepPop(old, u Update) Update {
	if old.Pop && !u.Pop && old.App.Key != "" && old.App.Key == u.App.Key {
		u.Pop, u.Reason, u.Why = true, old.Reason, old.Why
	}
	return u
}

// refresh publishes the current state after a user action.
func (c *Coach) refresh() {
	if c.closed {
		return
	}
	c.publish(c.decide(c.clock.Now()))
}

// resolve names the app of an action: app, or the focused app when empty.
func (c *Coach) resolve(app string) (App, error) {
	if app == "" {
		if c.app.Key == "" {
			return App{}, errors.New("no app is focused")
		}
		return c.app, nil
	}
	if app == c.app.Key {
		return c.app, nil
	}
	return App{Key: app}, nil
}

// Tomorrow is when a snooze or pause "until tomorrow" made now would end.
func (c *Coach) Tomorrow() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return nextMorning(c.clock.Now(), c.cfg.Morning)
}

// Snooze stops automatic pops for app (an App.Key; "" means the focused
// app) for the span, and returns when the snooze ends.
func (c *Coach) Snooze(app string, s Span) (time.Time, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	a, err := c.resolve(app)
	if err != nil {
		return time.Time{}, fmt.Errorf("snooze: %w", err)
	}
	until, err := s.until(c.clock.Now(), c.cfg.Morning)
	if err != nil {
		return time.Time{}, fmt.Errorf("snooze %s: %w", a.Key, err)
	}
	if err := c.store.Snooze(a.Key, until); err != nil {
		return time.Time{}, fmt.Errorf("snooze %s: %w", a.Key, err)
	}
	c.refresh()
	return until, nil
}

// Unsnooze ends app's snooze ("" means the focused app).
func (c *Coach) Unsnooze(app string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	a, err := c.resolve(app)
	if err != nil {
		return fmt.Errorf("unsnooze: %w", err)
	}
	if err := c.store.Snooze(a.Key, time.Time{}); err != nil {
		return fmt.Errorf("unsnooze %s: %w", a.Key, err)
	}
	c.refresh()
	return nil
}

// Mute stops automatic pops for app ("" means the focused app) until
// Unmute. Its guides are still listed.
func (c *Coach) Mute(app string) error { return c.setMuted(app, true) }

// Unmute undoes Mute.
func (c *Coach) Unmute(app string) error { return c.setMuted(app, false) }

func (c *Coach) setMuted(app string, muted bool) error {
	op := map[bool]string{true: "mute", false: "unmute"}[muted]
	c.mu.Lock()
	defer c.mu.Unlock()
	a, err := c.resolve(app)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if err := c.store.SetMuted(a.Key, a.Name, muted, c.clock.Now()); err != nil {
		return fmt.Errorf("%s %s: %w", op, a.Key, err)
	}
	c.refresh()
	return nil
}

// Muted lists the muted apps, by name.
func (c *Coach) Muted() ([]App, error) {
	m, err := c.store.MutedApps()
	if err != nil {
		return nil, fmt.Errorf("list muted apps: %w", err)
	}
	out := make([]App, 0, len(m))
	for key, name := range m {
		if name == "" {
			name = keyName(key)
		}
		out = append(out, App{Key: key, Name: name})
	}
	sortApps(out)
	return out, nil
}

func sortApps(a []App) {
	for i := 1; i < len(a); i++ { // few apps: insertion sort by name, then key
		for j := i; j > 0 && (strings.ToLower(a[j].Name) < strings.ToLower(a[j-1].Name) ||
			(strings.EqualFold(a[j].Name, a[j-1].Name) && a[j].Key < a[j-1].Key)); j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}

// Pause stops all automatic pops for the span and returns when it ends.
func (c *Coach) Pause(s Span) (time.Time, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	until, err := s.until(c.clock.Now(), c.cfg.Morning)
	if err != nil {
		return time.Time{}, fmt.Errorf("pause suggestions: %w", err)
	}
	if err := c.store.Pause(until); err != nil {
		return time.Time{}, fmt.Errorf("pause suggestions: %w", err)
	}
	c.refresh()
	return until, nil
}

// Resume ends a pause.
func (c *Coach) Resume() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.store.Pause(time.Time{}); err != nil {
		return fmt.Errorf("resume suggestions: %w", err)
	}
	c.refresh()
	return nil
}

// PausedUntil is when the pause ends; zero when suggestions are not paused.
func (c *Coach) PausedUntil() (time.Time, error) {
	until, err := c.store.PausedUntil()
	if err != nil {
		return time.Time{}, fmt.Errorf("read pause: %w", err)
	}
	if !until.After(c.clock.Now()) {
		return time.Time{}, nil
	}
	return until, nil
}

// Dismiss says the user closed the panel: nothing more pops for the
// focused app until another app is focused.
func (c *Coach) Dismiss() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.dismissed = true
	c.stopTimer()
	c.refresh()
}

// MarkViewed counts a view of a guide.
func (c *Coach) MarkViewed(id string) error {
	if err := c.store.RecordView(id, c.clock.Now()); err != nil {
		return fmt.Errorf("record view of %s: %w", id, err)
	}
	return nil
}

// CompleteWalk counts a Guide me walkthrough of a guide done to its last
// step: in usage (when the store keeps it) and, for a guide of the
// Start-here track, as done.
func (c *Coach) CompleteWalk(id string) error {
	if w, ok := c.store.(interface {
		RecordWalk(id string, at time.Time) error
	}); ok {
		if err := w.RecordWalk(id, c.clock.Now()); err != nil {
			return fmt.Errorf("record walkthrough of %s: %w", id, err)
		}
	}
	if g, _, _ := c.snapshot(id); g != nil && g.Required {
		return c.MarkDone(id, true)
	}
	return nil
}

// Vote records whether a guide was helpful; a new vote replaces the last.
func (c *Coach) Vote(id string, helpful bool) error {
	if err := c.store.SetVote(id, helpful, c.clock.Now()); err != nil {
		return fmt.Errorf("record vote on %s: %w", id, err)
	}
	return nil
}

// SetStep checks or unchecks a step (guide.Step.ID) of a checklist guide.
// A tick that completes the checklist of a Start-here item writes its
// record when completions are recorded (SetRecorder).
func (c *Coach) SetStep(id, step string, checked bool) error {
	var before []string
	if checked {
		var err error
		if before, err = c.store.Checked(id); err != nil {
			return fmt.Errorf("read checklist %s: %w", id, err)
		}
	}
	if err := c.store.SetStep(id, step, checked, c.clock.Now()); err != nil {
		return fmt.Errorf("save step of %s: %w", id, err)
	}
	if checked {
		return c.completedChecklist(id, before)
	}
	return nil
}

// forRoles leaves out the matches for other roles than the person's: they
// are never suggested (search still finds them).
func forRoles(ms []guide.Match, roles []string) []guide.Match {
	if len(roles) == 0 {
		return ms
	}
	out := ms[:0:0]
	for _, m := range ms {
		if m.Guide == nil || m.Guide.ForRoles(roles) {
			out = append(out, m)
		}
	}
	return out
}

// ResetChecklist unchecks every step of a guide.
func (c *Coach) ResetChecklist(id string) error {
	if err := c.store.ResetChecklist(id); err != nil {
		return fmt.Errorf("reset checklist %s: %w", id, err)
	}
	return nil
}

// Progress is the user's progress through a checklist guide. Saved checks
// of steps the guide no longer has are left out.
func (c *Coach) Progress(id string) (Progress, error) {
	ids, err := c.store.Checked(id)
	if err != nil {
		return Progress{}, fmt.Errorf("read checklist %s: %w", id, err)
	}
	c.mu.Lock()
	lib := c.lib
	c.mu.Unlock()
	var g *guide.Guide
	if lib != nil {
		g = lib.Guide(id)
	}
	p := Progress{Checked: map[string]bool{}}
	// Guides from the index carry no steps (only the parsed file does),
	// except the step ids of required guides: without steps nothing can
	// be filtered, and the saved steps stand.
	if g == nil || len(g.Steps) == 0 {
		for _, s := range ids {
			p.Checked[s] = true
		}
		p.Done = len(p.Checked)
		return p, nil
	}
	saved := map[string]bool{}
	for _, s := range ids {
		saved[s] = true
	}
	for _, s := range g.Steps {
		if saved[s.ID] {
			p.Checked[s.ID] = true
		}
	}
	p.Done, p.Total = len(p.Checked), len(g.Steps)
	return p, nil
}

// InProgress lists the guides whose checklists have checked steps, the
// most recently ticked first (finished ones too: Progress tells them
// apart). Only stores that can list ticks (the real one and the in-memory
// one) give any.
func (c *Coach) InProgress() ([]string, error) {
	tl, ok := c.store.(interface {
		Ticked() (map[string]time.Time, error)
	})
	if !ok {
		return nil, nil
	}
	ticked, err := tl.Ticked()
	if err != nil {
		return nil, fmt.Errorf("list checklists in progress: %w", err)
	}
	ids := make([]string, 0, len(ticked))
	for id := range ticked {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		if a, b := ticked[ids[i]], ticked[ids[j]]; !a.Equal(b) {
			return a.After(b)
		}
		return ids[i] < ids[j]
	})
	return ids, nil
}

// RecordSearch reports a search the user made (call it when a search is
// done, not on every keystroke): one that found nothing (results == 0) and
// has at least Config.MinMissRunes characters is kept, on this machine
// only, for content owners' "what are people missing" report.
func (c *Coach) RecordSearch(query string, results int) error {
	if results > 0 {
		return nil
	}
	c.mu.Lock()
	minRunes := c.cfg.MinMissRunes
	c.mu.Unlock()
	if utf8.RuneCountInString(strings.TrimSpace(query)) < minRunes {
		return nil
	}
	if err := c.store.RecordMiss(query, c.clock.Now()); err != nil {
		return fmt.Errorf("record search: %w", err)
	}
	return nil
}
