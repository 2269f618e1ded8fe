package coach

import (
	"log/slog"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/guide"
)

// t0 is a Monday morning, UTC.
var t0 = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

// fakeClock is a manual clock: time moves only in Advance, which runs the
// due AfterFunc callbacks in time order, synchronously.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*fakeTimer
}

type fakeTimer struct {
	at   time.Time
	f    func()
	done bool
}

func newFakeClock() *fakeClock { return &fakeClock{now: t0} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) AfterFunc(d time.Duration, f func()) func() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{at: c.now.Add(d), f: f}
	c.timers = append(c.timers, t)
	return func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		if t.done {
			return false
		}
		t.done = true
		return true
	}
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	target := c.now.Add(d)
	c.mu.Unlock()
	for {
		c.mu.Lock()
		sort.SliceStable(c.timers, func(i, j int) bool { return c.timers[i].at.Before(c.timers[j].at) })
		var due *fakeTimer
		for _, t := range c.timers {
			if !t.done && !t.at.After(target) {
				due = t
				break
			}
		}
		if due == nil {
			c.now = target
			c.mu.Unlock()
			return
		}
		due.done = true
		c.now = due.at
		c.mu.Unlock()
		due.f() // outside the lock: it calls Now
	}
}

// pending counts timers not yet run or stopped.
func (c *fakeClock) pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, t := range c.timers {
		if !t.done {
			n++
		}
	}
	return n
}

// fakeStore is a Store of function fields. newFakeStore fills them with an
// in-memory store; tests replace the ones they need to observe or break.
type fakeStore struct {
	seen           func(app string) (time.Time, time.Time, error)
	markSeen       func(app, name string, at time.Time) error
	snoozedUntil   func(app string) (time.Time, error)
	snooze         func(app string, until time.Time) error
	muted          func(app string) (bool, error)
	setMuted       func(app, name string, muted bool, at time.Time) error
	mutedApps      func() (map[string]string, error)
	pausedUntil    func() (time.Time, error)
	pause          func(until time.Time) error
	recordPop      func(app string, at time.Time) error
	popsSince      func(t time.Time) (int, error)
	addNewGuides   func(ids []string, at time.Time) error
	newGuides      func(ids []string) (map[string]time.Time, error)
	setStep        func(id, step string, checked bool, at time.Time) error
	checked        func(id string) ([]string, error)
	resetChecklist func(id string) error
	recordView     func(id string, at time.Time) error
	setVote        func(id string, helpful bool, at time.Time) error
	recordMiss     func(query string, at time.Time) error
}

var _ Store = (*fakeStore)(nil)

func newFakeStore() *fakeStore {
	m := newMemStore()
	return &fakeStore{
		seen: m.Seen, markSeen: m.MarkSeen, snoozedUntil: m.SnoozedUntil, snooze: m.Snooze,
		muted: m.Muted, setMuted: m.SetMuted, mutedApps: m.MutedApps, pausedUntil: m.PausedUntil,
		pause: m.Pause, recordPop: m.RecordPop, popsSince: m.PopsSince, addNewGuides: m.AddNewGuides,
		newGuides: m.NewGuides, setStep: m.SetStep, checked: m.Checked, resetChecklist: m.ResetChecklist,
		recordView: m.RecordView, setVote: m.SetVote, recordMiss: m.RecordMiss,
	}
}

func (f *fakeStore) Seen(app string) (time.Time, time.Time, error) {
	return f.seen(app)
}

func (f *fakeStore) MarkSeen(app, name string, at time.Time) error {
	return f.markSeen(app, name, at)
}

func (f *fakeStore) SnoozedUntil(app string) (time.Time, error) {
	return f.snoozedUntil(app)
}

func (f *fakeStore) Snooze(app string, until time.Time) error {
	return f.snooze(app, until)
}

func (f *fakeStore) Muted(app string) (bool, error) {
	return f.muted(app)
}

func (f *fakeStore) SetMuted(app, name string, muted bool, at time.Time) error {
	return f.setMuted(app, name, muted, at)
}

func (f *fakeStore) MutedApps() (map[string]string, error) {
	return f.mutedApps()
}

func (f *fakeStore) PausedUntil() (time.Time, error) {
	return f.pausedUntil()
}

func (f *fakeStore) Pause(until time.Time) error {
	return f.pause(until)
}

func (f *fakeStore) RecordPop(app string, at time.Time) error {
	return f.recordPop(app, at)
}

func (f *fakeStore) PopsSince(t time.Time) (int, error) {
	return f.popsSince(t)
}

func (f *fakeStore) AddNewGuides(ids []string, at time.Time) error {
	return f.addNewGuides(ids, at)
}

func (f *fakeStore) NewGuides(ids []string) (map[string]time.Time, error) {
	return f.newGuides(ids)
}

func (f *fakeStore) SetStep(id, step string, checked bool, at time.Time) error {
	return f.setStep(id, step, checked, at)
}

func (f *fakeStore) Checked(id string) ([]string, error) {
	return f.checked(id)
}

func (f *fakeStore) ResetChecklist(id string) error {
	return f.resetChecklist(id)
}

func (f *fakeStore) RecordView(id string, at time.Time) error {
	return f.recordView(id, at)
}

func (f *fakeStore) SetVote(id string, helpful bool, at time.Time) error {
	return f.setVote(id, helpful, at)
}

func (f *fakeStore) RecordMiss(query string, at time.Time) error {
	return f.recordMiss(query, at)
}

// harness is a Coach on a fake clock and a fake store.
type harness struct {
	t     *testing.T
	c     *Coach
	clock *fakeClock
	store *fakeStore
}

func newHarness(t *testing.T, cfg Config, guides ...*guide.Guide) *harness {
	t.Helper()
	h := &harness{t: t, clock: newFakeClock(), store: newFakeStore()}
	h.c = New(Options{Config: cfg, Store: h.store, Clock: h.clock, Logger: testLogger(t)})
	t.Cleanup(h.c.Close)
	if guides != nil {
		h.c.SetGuides(guides, nil)
		h.next()
	}
	return h
}

// testLogger logs through t, so logs show with failures only.
func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type tWriter struct{ t *testing.T }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// next returns the pending update; it fails when there is none.
func (h *harness) next() Update {
	h.t.Helper()
	select {
	case u := <-h.c.Updates():
		return u
	default:
		h.t.Fatal("no update was published")
		return Update{}
	}
}

// none fails when an update is pending.
func (h *harness) none() {
	h.t.Helper()
	select {
	case u := <-h.c.Updates():
		h.t.Fatalf("unexpected update: %s", show(u))
	default:
	}
}

// focus focuses w and returns the update it published.
func (h *harness) focus(w guide.Window) Update {
	h.t.Helper()
	h.c.Focus(w)
	return h.next()
}

// dwell advances past the dwell and returns the update the timer published.
func (h *harness) dwell() Update {
	h.t.Helper()
	h.clock.Advance(time.Second)
	return h.next()
}

func show(u Update) string {
	ids := ""
	for _, s := range u.Guides {
		ids += " " + s.Guide.ID
		if s.New {
			ids += "(new)"
		}
	}
	return "pop=" + map[bool]string{true: "yes", false: "no"}[u.Pop] + " reason=" + string(u.Reason) + " why=" + u.Why + " app=" + u.App.Key + " guides=[" + ids + " ]"
}

// expect checks the reason and pop of an update.
func expect(t *testing.T, u Update, pop bool, r Reason) {
	t.Helper()
	if u.Pop != pop || u.Reason != r {
		t.Errorf("got %s; want pop=%v reason=%s", show(u), pop, r)
	}
}

func mkGuide(id, title string, suggest bool, rules ...guide.Rule) *guide.Guide {
	return &guide.Guide{ID: id, Title: title, Suggest: suggest, Apps: rules}
}

// Windows and guides of the tests.
var (
	gimpWin  = guide.Window{Exe: "gimp", Class: "Gimp", Title: "GNU Image Manipulation Program"}
	calcWin  = guide.Window{Exe: "soffice.bin", Class: "libreoffice-calc", Title: "Budget.ods - LibreOffice Calc"}
	dealsTab = guide.Window{Exe: "firefox", Class: "firefox", Title: "Deals | Acme CRM — Mozilla Firefox"}
	leadsTab = guide.Window{Exe: "firefox", Class: "firefox", Title: "Leads | Acme CRM — Mozilla Firefox"}
	mailTab  = guide.Window{Exe: "firefox", Class: "firefox", Title: "Inbox - Gmail — Mozilla Firefox"}
	termWin  = guide.Window{Exe: "xterm", Class: "XTerm", Title: "bash"}

	gimpBasics = mkGuide("gimp/basics.md", "GIMP basics", true, guide.Rule{Exe: "^gimp$"})
	gimpLayers = mkGuide("gimp/layers.md", "Layers", true, guide.Rule{Exe: "gimp"})
	gimpNotes  = mkGuide("gimp/notes.md", "Internal GIMP notes", false, guide.Rule{Exe: "^gimp$"})
	calcTips   = mkGuide("office/calc.md", "Calc tips", true, guide.Rule{Exe: "soffice", Class: "calc"})
	crmDeals   = mkGuide("crm/deals.md", "Closing a deal", true, guide.Rule{Exe: "firefox|chrom", Title: `Deals \| Acme CRM`})
	crmAny     = mkGuide("crm/start.md", "Acme CRM in 5 minutes", true, guide.Rule{Title: `Acme CRM`})
	mailHelp   = mkGuide("mail/gmail.md", "Gmail filters", false, guide.Rule{Title: `Gmail`})
)
