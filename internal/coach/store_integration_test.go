package coach

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/store"
)

var _ Store = (*store.Store)(nil)

// The coach on the real bbolt store: what it decides survives a restart.
func TestWithTheRealStore(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	clock := newFakeClock()
	list := &guide.Guide{
		ID: "gimp/export.md", Title: "Export", Suggest: true, Format: guide.FormatChecklist,
		Apps: []guide.Rule{{Exe: "^gimp$"}}, Steps: []guide.Step{{ID: "s1"}, {ID: "s2"}},
	}
	library := []*guide.Guide{list, calcTips, crmAny}

	run := func(check func(h *harness)) {
		t.Helper()
		st, err := store.Open(path, store.Options{Logger: testLogger(t)})
		if err != nil {
			t.Fatal(err)
		}
		h := &harness{t: t, clock: clock}
		h.c = New(Options{Store: st, Clock: clock, Logger: testLogger(t)})
		h.c.SetGuides(library, nil)
		h.next()
		check(h)
		h.c.Close()
		if err := st.Close(); err != nil {
			t.Fatal(err)
		}
	}

	run(func(h *harness) {
		h.focus(gimpWin)
		expect(t, h.dwell(), true, ReasonFirstUse)
		if err := h.c.SetStep(list.ID, "s2", true); err != nil {
			t.Fatal(err)
		}
		if _, err := h.c.Snooze("exe:soffice.bin", UntilTomorrow); err != nil {
			t.Fatal(err)
		}
		h.next()
		h.focus(dealsTab)
		if err := h.c.Mute(""); err != nil { // the focused app, with its name
			t.Fatal(err)
		}
		h.next()
		if _, err := h.c.Pause(Span{For: 2 * time.Minute}); err != nil {
			t.Fatal(err)
		}
		h.next()
		_ = h.c.RecordSearch("payroll", 0)
		_ = h.c.MarkViewed(list.ID)
		_ = h.c.Vote(list.ID, true)
	})
	clock.Advance(time.Minute)
	run(func(h *harness) {
		expect(t, h.focus(gimpWin), false, ReasonSeen) // once per app, across restarts
		if p, err := h.c.Progress(list.ID); err != nil || p.Done != 1 || !p.Checked["s2"] {
			t.Errorf("progress after restart %+v %v", p, err)
		}
		if p, _ := h.c.PausedUntil(); !p.Equal(t0.Add(time.Second + 2*time.Minute)) {
			t.Errorf("paused until %v after restart", p)
		}
		if err := h.c.Resume(); err != nil {
			t.Fatal(err)
		}
		h.next()
		u := h.focus(calcWin)
		expect(t, u, false, ReasonSnoozed)
		if want := time.Date(2026, 3, 3, 8, 0, 0, 0, time.UTC); !u.SnoozedUntil.Equal(want) {
			t.Errorf("snoozed until %v", u.SnoozedUntil)
		}
		expect(t, h.focus(dealsTab), false, ReasonMuted)
		if m, _ := h.c.Muted(); len(m) != 1 || m[0] != (App{"web:acme crm", "Acme CRM"}) {
			t.Errorf("muted %v", m)
		}
		if err := h.c.ResetChecklist(list.ID); err != nil {
			t.Fatal(err)
		}
	})
	st, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if got, _ := st.Checked(list.ID); len(got) != 0 {
		t.Errorf("checklist after reset: %v", got)
	}
	misses, _ := st.Misses()
	views, _ := st.Views()
	votes, _ := st.Votes()
	if len(misses) != 1 || misses[0].Query != "payroll" || views[list.ID].Count != 1 || !votes[list.ID].Helpful {
		t.Errorf("usage: misses %v views %v votes %v", misses, views, votes)
	}
	if n, _ := st.PopsSince(t0); n != 1 {
		t.Errorf("%d pops stored, want 1", n)
	}
}
