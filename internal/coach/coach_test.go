package coach

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/guide"
)

func TestFirstUsePopsAfterDwell(t *testing.T) {
	h := newHarness(t, Config{}, gimpBasics, gimpLayers, calcTips)
	u := h.focus(gimpWin)
	expect(t, u, false, ReasonWaiting)
	if u.App != (App{Key: "exe:gimp", Name: "Gimp"}) || len(u.Guides) != 2 || u.Total != 2 || u.Window != gimpWin {
		t.Errorf("first update %s window %v", show(u), u.Window)
	}
	h.clock.Advance(999 * time.Millisecond)
	h.none()
	if first, _, _ := h.store.Seen("exe:gimp"); !first.IsZero() {
		t.Error("marked seen before it popped")
	}
	h.clock.Advance(time.Millisecond)
	u = h.next()
	expect(t, u, true, ReasonFirstUse)
	if u.Why != "first time you use Gimp" {
		t.Errorf("why %q", u.Why)
	}
	if first, _, _ := h.store.Seen("exe:gimp"); !first.Equal(t0.Add(time.Second)) {
		t.Errorf("seen at %v, want the pop time", first)
	}
	if n, _ := h.store.PopsSince(t0); n != 1 {
		t.Errorf("%d pops recorded, want 1", n)
	}
}

func TestAltTabPassDoesNotPop(t *testing.T) {
	h := newHarness(t, Config{}, gimpBasics)
	h.focus(gimpWin)
	h.clock.Advance(500 * time.Millisecond)
	expect(t, h.focus(termWin), false, ReasonNoGuides)
	h.clock.Advance(10 * time.Second)
	h.none() // the timer of the gimp focus did not pop
	// Back to GIMP: the dwell starts again.
	expect(t, h.focus(gimpWin), false, ReasonWaiting)
	h.clock.Advance(999 * time.Millisecond)
	h.none()
	h.clock.Advance(time.Millisecond)
	expect(t, h.next(), true, ReasonFirstUse)
}

func TestTitleChangeWithinAnAppKeepsTheDwell(t *testing.T) {
	h := newHarness(t, Config{}, crmDeals, crmAny, mailHelp)
	u := h.focus(dealsTab)
	if u.App != (App{Key: "web:acme crm", Name: "Acme CRM"}) {
		t.Fatalf("app of the deals tab: %+v", u.App)
	}
	h.clock.Advance(600 * time.Millisecond)
	if u := h.focus(leadsTab); u.App.Key != "web:acme crm" || u.Reason != ReasonWaiting {
		t.Fatalf("leads tab: %s", show(u))
	}
	h.clock.Advance(400 * time.Millisecond) // 1 s since the first CRM tab
	u = h.next()
	expect(t, u, true, ReasonFirstUse)
	if u.Why != "first time you use Acme CRM" || u.Window != leadsTab {
		t.Errorf("pop %s for window %v", show(u), u.Window.Title)
	}
}

// Two pages of one web app, each with its own guide and no rule for the
// whole site, pop once between them: the first open is the site's.
func TestPagesOfAWebAppShareTheFirstOpen(t *testing.T) {
	leads := mkGuide("crm/leads.md", "Qualifying a lead", true, guide.Rule{Title: `Leads \| Acme CRM`})
	h := newHarness(t, Config{}, crmDeals, leads)
	h.focus(dealsTab)
	expect(t, h.dwell(), true, ReasonFirstUse)
	u := h.focus(leadsTab)
	h.clock.Advance(2 * time.Second)
	h.none()
	if u.App.Key != "web:acme crm" || len(u.Guides) != 1 || u.Guides[0].Guide.ID != "crm/leads.md" {
		t.Fatalf("leads tab: %s", show(u))
	}
	expect(t, u, false, ReasonSeen)
}

func TestOncePerAppAcrossRestarts(t *testing.T) {
	h := newHarness(t, Config{}, gimpBasics)
	h.focus(gimpWin)
	expect(t, h.dwell(), true, ReasonFirstUse)
	h.focus(termWin)
	u := h.focus(gimpWin)
	expect(t, u, false, ReasonSeen)
	if u.Why != "already suggested for Gimp" || len(u.Guides) != 1 {
		t.Errorf("refocus: %s", show(u))
	}
	if h.clock.pending() != 0 {
		t.Error("a timer waits although nothing can pop")
	}
	// A new coach on the same store (a restart) remembers.
	c2 := New(Options{Store: h.store, Clock: h.clock, Logger: testLogger(t)})
	defer c2.Close()
	c2.SetGuides([]*guide.Guide{gimpBasics}, nil)
	c2.Focus(gimpWin)
	h.clock.Advance(time.Minute)
	if u := <-c2.Updates(); u.Pop || u.Reason != ReasonSeen {
		t.Errorf("after restart: %s", show(u))
	}
}

func TestRateLimit(t *testing.T) {
	var guides []*guide.Guide
	var wins []guide.Window
	for i := range 5 {
		exe := fmt.Sprintf("app%d", i)
		guides = append(guides, mkGuide(exe+".md", "About "+exe, true, guide.Rule{Exe: "^" + exe + "$"}))
		wins = append(wins, guide.Window{Exe: exe})
	}
	h := newHarness(t, Config{}, guides...)
	for i := range 3 { // pops at t0+1s, +2s, +3s
		h.focus(wins[i])
		expect(t, h.dwell(), true, ReasonFirstUse)
	}
	u := h.focus(wins[3]) // at t0+3s: known at once, no dwell needed
	expect(t, u, false, ReasonRateLimit)
	if u.Why != "suppressed: rate limit (3 automatic suggestions in the last hour)" {
		t.Errorf("why %q", u.Why)
	}
	h.clock.Advance(time.Second)
	h.none() // no timer: nothing was due
	h.focus(termWin)
	// At t0+1h+1s the first pop (t0+1s) is exactly an hour old: still in.
	h.clock.Advance(time.Hour - 3*time.Second)
	expect(t, h.focus(wins[3]), false, ReasonRateLimit)
	h.focus(termWin)
	// A moment later it has left the hour.
	h.clock.Advance(time.Millisecond)
	expect(t, h.focus(wins[3]), false, ReasonWaiting)
	expect(t, h.dwell(), true, ReasonFirstUse)
	// The app that was held back is not lost: it was never marked seen.
	if first, _, _ := h.store.Seen("exe:app3"); first.IsZero() {
		t.Error("the app that finally popped is not marked seen")
	}
}

func TestRateLimitIsConfigurable(t *testing.T) {
	for _, c := range []struct {
		max  int
		pops int
	}{{1, 1}, {2, 2}, {-1, 4}} {
		var guides []*guide.Guide
		h := newHarness(t, Config{MaxPops: c.max, PopWindow: 10 * time.Minute})
		for i := range 4 {
			guides = append(guides, mkGuide(fmt.Sprint(i), "g", true, guide.Rule{Exe: fmt.Sprintf("^x%d$", i)}))
		}
		h.c.SetGuides(guides, nil)
		h.next()
		pops := 0
		for i := range 4 {
			u := h.focus(guide.Window{Exe: fmt.Sprintf("x%d", i)})
			if u.Reason == ReasonWaiting {
				u = h.dwell()
			}
			if u.Pop {
				pops++
			} else if u.Reason != ReasonRateLimit {
				t.Errorf("MaxPops %d: %s", c.max, show(u))
			}
		}
		if pops != c.pops {
			t.Errorf("MaxPops %d: %d pops, want %d", c.max, pops, c.pops)
		}
	}
}

func TestNeverOverAFullscreenWindow(t *testing.T) {
	h := newHarness(t, Config{}, gimpBasics)
	full := gimpWin
	full.Fullscreen = true
	u := h.focus(full)
	expect(t, u, false, ReasonFullscreen)
	if u.Why != "suppressed: a fullscreen window is focused" {
		t.Errorf("why %q", u.Why)
	}
	h.clock.Advance(time.Minute)
	h.none()
	// Leaving fullscreen (same app, dwell long done) pops at once.
	expect(t, h.focus(gimpWin), true, ReasonFirstUse)
}

func TestPauseAndResume(t *testing.T) {
	h := newHarness(t, Config{}, gimpBasics, calcTips)
	until, err := h.c.Pause(ForAnHour)
	if err != nil || !until.Equal(t0.Add(time.Hour)) {
		t.Fatalf("pause: %v %v", until, err)
	}
	u := h.next()
	if !u.PausedUntil.Equal(until) {
		t.Errorf("update after pause: %+v", u.PausedUntil)
	}
	u = h.focus(gimpWin)
	expect(t, u, false, ReasonPaused)
	h.clock.Advance(time.Second)
	h.none()
	if u.Why != "suppressed: paused until 10:30" {
		t.Errorf("why %q", u.Why)
	}
	if p, _ := h.c.PausedUntil(); !p.Equal(until) {
		t.Errorf("PausedUntil %v", p)
	}
	if err := h.c.Resume(); err != nil {
		t.Fatal(err)
	}
	expect(t, h.next(), true, ReasonFirstUse) // focused long enough: pops on resume
	if p, _ := h.c.PausedUntil(); !p.IsZero() {
		t.Errorf("PausedUntil after resume: %v", p)
	}

	// A pause ends by itself.
	if _, err := h.c.Pause(Span{For: 10 * time.Minute}); err != nil {
		t.Fatal(err)
	}
	h.next()
	expect(t, h.focus(calcWin), false, ReasonPaused)
	h.focus(termWin)
	h.clock.Advance(10 * time.Minute)
	if p, _ := h.c.PausedUntil(); !p.IsZero() {
		t.Errorf("PausedUntil after it ended: %v", p)
	}
	h.focus(calcWin)
	expect(t, h.dwell(), true, ReasonFirstUse)
}

func TestSnooze(t *testing.T) {
	h := newHarness(t, Config{}, gimpBasics)
	h.focus(gimpWin)
	until, err := h.c.Snooze("", ForAnHour) // "": the focused app
	if err != nil || !until.Equal(t0.Add(time.Hour)) {
		t.Fatalf("snooze: %v %v", until, err)
	}
	u := h.next()
	expect(t, u, false, ReasonSnoozed)
	if u.Why != "suppressed: Gimp snoozed until 10:30" || !u.SnoozedUntil.Equal(until) {
		t.Errorf("after snooze: %s until %v", show(u), u.SnoozedUntil)
	}
	expect(t, h.dwell(), false, ReasonSnoozed)
	h.focus(termWin)
	h.clock.Advance(time.Hour)
	h.focus(gimpWin)
	expect(t, h.dwell(), true, ReasonFirstUse)

	// Until tomorrow morning, for an app by key; and unsnooze.
	until, err = h.c.Snooze("exe:calc", UntilTomorrow)
	if want := time.Date(2026, 3, 3, 8, 0, 0, 0, time.UTC); err != nil || !until.Equal(want) {
		t.Errorf("snooze until tomorrow: %v %v, want %v", until, err, want)
	}
	if got, _ := h.store.SnoozedUntil("exe:calc"); !got.Equal(until) {
		t.Errorf("stored snooze %v", got)
	}
	if err := h.c.Unsnooze("exe:calc"); err != nil {
		t.Fatal(err)
	}
	if got, _ := h.store.SnoozedUntil("exe:calc"); !got.IsZero() {
		t.Errorf("snooze after unsnooze %v", got)
	}
	if _, err := h.c.Snooze("exe:calc", Span{}); err == nil {
		t.Error("an empty span was accepted")
	}
	if _, err := h.c.Snooze("exe:calc", Span{Until: t0}); err == nil {
		t.Error("a span ending in the past was accepted")
	}
	h.focus(termWin)
	if _, err := h.c.Snooze("", ForAnHour); err == nil {
		t.Error("snoozing the focused app with no app focused succeeded")
	}
}

func TestMute(t *testing.T) {
	h := newHarness(t, Config{}, gimpBasics)
	h.focus(gimpWin)
	if err := h.c.Mute(""); err != nil {
		t.Fatal(err)
	}
	u := h.next()
	expect(t, u, false, ReasonMuted)
	if !u.Muted || u.Why != "suppressed: Gimp is muted" || len(u.Guides) != 1 {
		t.Errorf("after mute: %s muted=%v", show(u), u.Muted)
	}
	expect(t, h.dwell(), false, ReasonMuted)
	if err := h.c.Mute("exe:zz"); err != nil {
		t.Fatal(err)
	}
	h.next()
	muted, err := h.c.Muted()
	if want := []App{{"exe:gimp", "Gimp"}, {"exe:zz", "zz"}}; err != nil || fmt.Sprint(muted) != fmt.Sprint(want) {
		t.Errorf("muted apps %v %v, want %v", muted, err, want)
	}
	if err := h.c.Unmute("exe:gimp"); err != nil {
		t.Fatal(err)
	}
	expect(t, h.next(), true, ReasonFirstUse)
}

func TestSuggestFalseIsListedButNeverPops(t *testing.T) {
	h := newHarness(t, Config{}, gimpNotes, mailHelp)
	u := h.focus(gimpWin)
	expect(t, u, false, ReasonNotSuggested)
	if len(u.Guides) != 1 || u.Guides[0].Guide != gimpNotes || u.Why != "guides for Gimp are not suggested automatically" {
		t.Errorf("%s", show(u))
	}
	h.clock.Advance(time.Minute)
	h.none()
	if h.clock.pending() != 0 {
		t.Error("a dwell timer for guides that never pop")
	}
	// With a suggestable guide too, it pops and lists both.
	h.c.SetGuides([]*guide.Guide{gimpNotes, gimpBasics}, nil)
	u = h.next()
	expect(t, u, true, ReasonFirstUse)
	if len(u.Guides) != 2 {
		t.Errorf("guides %s", show(u))
	}
}

func TestNewGuideForASeenApp(t *testing.T) {
	h := newHarness(t, Config{MaxPops: -1}, gimpBasics, calcTips)
	h.focus(gimpWin)
	expect(t, h.dwell(), true, ReasonFirstUse)
	h.focus(termWin)
	h.clock.Advance(time.Minute)

	// Added while another app is focused: no pop now...
	h.c.SetGuides([]*guide.Guide{gimpBasics, calcTips, gimpLayers}, []string{gimpLayers.ID})
	expect(t, h.next(), false, ReasonNoGuides)
	// ...one when GIMP is next focused, the new guide first.
	h.focus(gimpWin)
	u := h.dwell()
	expect(t, u, true, ReasonNewGuide)
	if u.Why != "new guide for Gimp: Layers" || len(u.Guides) != 2 || u.Guides[0].Guide != gimpLayers || !u.Guides[0].New || u.Guides[1].New {
		t.Errorf("new guide pop: %s", show(u))
	}
	// Once.
	h.focus(termWin)
	expect(t, h.focus(gimpWin), false, ReasonSeen)

	// Added while GIMP is focused (and has been for long): pops at once,
	// one pop for all that were added.
	h.clock.Advance(time.Minute)
	g3 := mkGuide("gimp/filters.md", "Filters", true, guide.Rule{Exe: "gimp"})
	g4 := mkGuide("gimp/export.md", "Export", true, guide.Rule{Exe: "gimp"})
	h.c.SetGuides([]*guide.Guide{gimpBasics, calcTips, gimpLayers, g3, g4}, []string{g3.ID, g4.ID})
	u = h.next()
	expect(t, u, true, ReasonNewGuide)
	if u.Why != "2 new guides for Gimp" || !u.Guides[0].New || !u.Guides[1].New || u.Guides[2].New {
		t.Errorf("two new guides: %s", show(u))
	}

	// A guide added for an app never seen: the first-use pop lists it.
	h.focus(calcWin)
	expect(t, h.dwell(), true, ReasonFirstUse)
}

func TestNewGuidesThatDoNotPop(t *testing.T) {
	g := func(id string, suggest bool) *guide.Guide {
		return mkGuide(id, id, suggest, guide.Rule{Exe: "gimp"})
	}
	cases := []struct {
		name  string
		cfg   Config
		added []*guide.Guide
		wait  time.Duration
	}{
		{"suggest false", Config{}, []*guide.Guide{g("quiet.md", false)}, 0},
		{"bulk import", Config{BulkAdd: 2}, []*guide.Guide{g("a.md", true), g("b.md", true), g("c.md", true)}, 0},
		{"no longer new", Config{NewGuideFor: 24 * time.Hour}, []*guide.Guide{g("old.md", true)}, 25 * time.Hour},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, c.cfg, gimpBasics)
			h.focus(gimpWin)
			expect(t, h.dwell(), true, ReasonFirstUse)
			h.focus(termWin)
			h.clock.Advance(time.Minute) // added after the first pop
			all := append([]*guide.Guide{gimpBasics}, c.added...)
			var ids []string
			for _, a := range c.added {
				ids = append(ids, a.ID)
			}
			h.c.SetGuides(all, ids)
			h.next()
			h.clock.Advance(c.wait)
			u := h.focus(gimpWin)
			expect(t, u, false, ReasonSeen)
			if u.Total != len(all) {
				t.Errorf("the added guides are not listed: %s", show(u))
			}
		})
	}
	// A guide added before the app's first pop is part of that pop, not news.
	h := newHarness(t, Config{}, gimpBasics)
	h.c.SetGuides([]*guide.Guide{gimpBasics, gimpLayers}, []string{gimpLayers.ID})
	h.next()
	h.clock.Advance(time.Minute)
	h.focus(gimpWin)
	expect(t, h.dwell(), true, ReasonFirstUse)
	h.focus(termWin)
	expect(t, h.focus(gimpWin), false, ReasonSeen)
}

func TestGuidesAreRankedAndCapped(t *testing.T) {
	exeTitle := mkGuide("1.md", "Zeta", true, guide.Rule{Exe: "gimp", Title: "GNU"})
	exeOnly := mkGuide("2.md", "Alpha", true, guide.Rule{Exe: "gimp"})
	exeOnly2 := mkGuide("3.md", "Beta", true, guide.Rule{Exe: "gimp"})
	titleOnly := mkGuide("4.md", "Aardvark", true, guide.Rule{Title: "Manipulation"})
	h := newHarness(t, Config{MaxGuides: 3}, titleOnly, exeOnly2, exeOnly, exeTitle)
	u := h.focus(gimpWin)
	var got []string
	for _, s := range u.Guides {
		got = append(got, s.Guide.Title)
	}
	if strings.Join(got, ",") != "Zeta,Alpha,Beta" || u.Total != 4 {
		t.Errorf("ranked guides %v of %d; want the most specific first, 3 of 4", got, u.Total)
	}
	h.c.SetConfig(Config{MaxGuides: -1})
	if u := h.next(); len(u.Guides) != 4 {
		t.Errorf("no cap: %d guides", len(u.Guides))
	}
}

func TestAppKey(t *testing.T) {
	browsers := DefaultConfig().Browsers
	m := func(rules ...guide.Rule) []guide.Match {
		var out []guide.Match
		for _, r := range rules {
			out = append(out, guide.Match{Rule: r})
		}
		return out
	}
	cases := []struct {
		name    string
		w       guide.Window
		matches []guide.Match
		want    App
	}{
		{"no match", gimpWin, nil, App{}},
		{"exe", gimpWin, m(guide.Rule{Exe: "gimp"}), App{"exe:gimp", "Gimp"}},
		{"exe path and .exe", guide.Window{Exe: `C:\Program Files\GIMP\GIMP.EXE`}, m(guide.Rule{Exe: "gimp"}), App{"exe:gimp", "GIMP"}},
		{"exe path", guide.Window{Exe: "/usr/bin/gimp-2.10", Class: "Gimp-2.10"}, m(guide.Rule{Exe: "gimp"}), App{"exe:gimp-2.10", "Gimp-2.10"}},
		{"title rule outside a browser is not a web app", calcWin, m(guide.Rule{Title: `\.ods`}), App{"exe:soffice.bin", "LibreOffice Calc"}},
		// Pages of one web app are one app: the site after the separator.
		{"web app", dealsTab, m(guide.Rule{Exe: "firefox", Title: `Deals \| Acme CRM`}), App{"web:acme crm", "Acme CRM"}},
		{"another page of the web app", dealsTab, m(guide.Rule{Title: `(Deals|Quotes?) \| Acme CRM$`}), App{"web:acme crm", "Acme CRM"}},
		{"site after a pattern", dealsTab, m(guide.Rule{Title: `(Report|Dashboard).*\| Salesforce`}), App{"web:salesforce", "Salesforce"}},
		{"a site beats an expression", dealsTab, m(guide.Rule{Title: "Acme"}, guide.Rule{Title: `Deals \| Acme CRM`}), App{"web:acme crm", "Acme CRM"}},
		{"no site: shortest title expression wins", dealsTab, m(guide.Rule{Exe: "firefox", Title: `Deals.*Acme CRM`}, guide.Rule{Title: "Acme CRM$"}), App{"web:acme crm$", "Acme CRM"}},
		{"equal length: alphabetical", dealsTab, m(guide.Rule{Title: "Deals"}, guide.Rule{Title: "Acme "}), App{"web:acme", "Acme"}},
		{"browser without a title rule", mailTab, m(guide.Rule{Exe: "firefox"}), App{"exe:firefox", "Mozilla Firefox"}},
		{"chromium web app by class", guide.Window{Class: "Chromium", Title: "Jira"}, m(guide.Rule{Title: "(?:Jira|Confluence)"}), App{"web:(?:jira|confluence)", "Confluence"}},
		{"no exe: class", guide.Window{Class: "Remote-App", Title: "x"}, m(guide.Rule{Class: "remote"}), App{"class:remote-app", "Remote-App"}},
		{"nothing to key", guide.Window{Title: "x"}, m(guide.Rule{Title: "x"}), App{}},
		// The app's own name from the end of the title, never a document's.
		{"name from the title", guide.Window{Exe: "soffice.bin", Class: "libreoffice-calc", Title: "Q4 budget.ods - LibreOffice Calc"},
			m(guide.Rule{Class: "libreoffice-calc"}), App{"exe:soffice.bin", "LibreOffice Calc"}},
		{"vendor word", guide.Window{Exe: "thunderbird", Class: "thunderbird", Title: "Inbox - jane@example.com — Mozilla Thunderbird"},
			m(guide.Rule{Class: "thunderbird"}), App{"exe:thunderbird", "Mozilla Thunderbird"}},
		{"class only", guide.Window{Class: "libreoffice-writer", Title: "Offer.odt - LibreOffice Writer"},
			m(guide.Rule{Class: "writer"}), App{"class:libreoffice-writer", "LibreOffice Writer"}},
		{"a document name is not taken", guide.Window{Exe: "gimp", Class: "Gimp", Title: "Gimp tutorial for the payroll team.xcf - 1 layer"},
			m(guide.Rule{Exe: "gimp"}), App{"exe:gimp", "Gimp"}},
		{"too long to be the name", guide.Window{Exe: "gedit", Class: "Gedit", Title: "x - salary review notes for gedit users"},
			m(guide.Rule{Exe: "gedit"}), App{"exe:gedit", "Gedit"}},
	}
	for _, c := range cases {
		if got := AppKey(c.w, c.matches, browsers); got != c.want {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
}

func TestUnknownAppNeverPops(t *testing.T) {
	h := newHarness(t, Config{}, mkGuide("x.md", "X", true, guide.Rule{Title: "secret"}))
	expect(t, h.focus(guide.Window{Title: "secret"}), false, ReasonUnknownApp)
	h.clock.Advance(time.Minute)
	h.none()
}

func TestNextMorning(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	day := func(d, h, m int, loc *time.Location) time.Time { return time.Date(2026, 3, d, h, m, 0, 0, loc) }
	cases := []struct {
		now     time.Time
		morning time.Duration
		want    time.Time
	}{
		{day(2, 14, 0, time.UTC), 8 * time.Hour, day(3, 8, 0, time.UTC)},
		{day(2, 23, 59, time.UTC), 8 * time.Hour, day(3, 8, 0, time.UTC)},
		{day(2, 2, 0, time.UTC), 8 * time.Hour, day(2, 8, 0, time.UTC)}, // early hours: this morning
		{day(2, 3, 59, time.UTC), 8 * time.Hour, day(2, 8, 0, time.UTC)},
		{day(2, 4, 0, time.UTC), 8 * time.Hour, day(3, 8, 0, time.UTC)},
		{day(2, 2, 0, time.UTC), 3 * time.Hour, day(2, 3, 0, time.UTC)},
		{day(2, 3, 30, time.UTC), 3 * time.Hour, day(3, 3, 0, time.UTC)}, // this morning's is past
		{day(31, 22, 0, time.UTC), 9*time.Hour + 30*time.Minute, time.Date(2026, 4, 1, 9, 30, 0, 0, time.UTC)},
		// Clocks go forward in Berlin on 29 March: 08:00 local is still 08:00.
		{day(28, 22, 0, berlin), 8 * time.Hour, day(29, 8, 0, berlin)},
	}
	for _, c := range cases {
		got := nextMorning(c.now, c.morning)
		if !got.Equal(c.want) || got.Location() != c.now.Location() {
			t.Errorf("nextMorning(%v, %v) = %v, want %v", c.now, c.morning, got, c.want)
		}
	}
	if got := day(29, 8, 0, berlin).Sub(day(28, 22, 0, berlin)); got != 9*time.Hour {
		t.Errorf("the DST case does not cross a DST change (%v)", got)
	}
}

func TestUpdatesNeverBlockAndLatestWins(t *testing.T) {
	h := newHarness(t, Config{}, gimpBasics)
	for i := range 1000 { // nobody reads
		h.c.Focus(guide.Window{Exe: "gimp", Title: fmt.Sprint(i)})
	}
	u := h.next()
	if u.Window.Title != "999" || u.Seq != h.c.Current().Seq {
		t.Errorf("kept %q (seq %d), want the latest", u.Window.Title, u.Seq)
	}
	h.none()
}

func TestUnreadPopIsNotLostToATitleChange(t *testing.T) {
	h := newHarness(t, Config{}, crmDeals, crmAny, gimpBasics)
	h.c.Focus(dealsTab)
	h.clock.Advance(time.Second) // pops; nobody reads yet
	h.c.Focus(leadsTab)          // same app: no pop of its own
	u := h.next()
	expect(t, u, true, ReasonFirstUse)
	if u.Window != leadsTab {
		t.Errorf("the carried pop shows window %q, want the latest", u.Window.Title)
	}
	if c := h.c.Current(); c.Pop || c.Reason != ReasonSeen {
		t.Errorf("Current: %s", show(c))
	}
	// A pop for an app no longer focused is dropped.
	h.c.Focus(gimpWin)
	h.clock.Advance(time.Second)
	h.c.Focus(termWin)
	expect(t, h.next(), false, ReasonNoGuides)
}

func TestStoreFailuresNeverPop(t *testing.T) {
	boom := errors.New("disk on fire")
	cases := []struct {
		name   string
		break_ func(*fakeStore)
		reason Reason
	}{
		{"seen", func(f *fakeStore) {
			f.seen = func(string) (time.Time, time.Time, error) { return time.Time{}, time.Time{}, boom }
		}, ReasonStateError},
		{"paused", func(f *fakeStore) { f.pausedUntil = func() (time.Time, error) { return time.Time{}, boom } }, ReasonStateError},
		{"pops", func(f *fakeStore) { f.popsSince = func(time.Time) (int, error) { return 0, boom } }, ReasonStateError},
		{"mark seen", func(f *fakeStore) { f.markSeen = func(string, string, time.Time) error { return boom } }, ReasonStateError},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, Config{}, gimpBasics)
			c.break_(h.store)
			h.c.Focus(gimpWin)
			h.next()
			h.clock.Advance(time.Minute)
			var last Update
			for {
				select {
				case u := <-h.c.Updates():
					last = u
					continue
				default:
				}
				break
			}
			if last.Pop {
				t.Errorf("popped with a failing store: %s", show(last))
			}
			if cur := h.c.Current(); cur.Reason != c.reason || len(cur.Guides) != 1 {
				t.Errorf("current %s, want reason %s with the guides listed", show(cur), c.reason)
			}
		})
	}
	// A failing write is an error for the UI.
	h := newHarness(t, Config{}, gimpBasics)
	h.store.setStep = func(string, string, bool, time.Time) error { return boom }
	if err := h.c.SetStep("a.md", "s1", true); !errors.Is(err, boom) || !strings.Contains(err.Error(), "a.md") {
		t.Errorf("SetStep error %v", err)
	}
}

func TestDismiss(t *testing.T) {
	h := newHarness(t, Config{}, gimpBasics)
	h.focus(gimpWin)
	h.c.Dismiss()
	expect(t, h.next(), false, ReasonDismissed)
	h.clock.Advance(time.Minute)
	h.none()
	h.focus(termWin)
	h.focus(gimpWin)
	expect(t, h.dwell(), true, ReasonFirstUse)
}

func TestDisabledAndSetConfig(t *testing.T) {
	h := newHarness(t, Config{Disabled: true, Dwell: 5 * time.Second}, gimpBasics)
	h.focus(gimpWin)
	h.clock.Advance(time.Minute)
	h.none()
	if c := h.c.Current(); c.Reason != ReasonDisabled || c.Why != "suppressed: automatic suggestions are off" {
		t.Errorf("disabled: %s", show(c))
	}
	if got := h.c.Config(); got.Dwell != 5*time.Second || got.MaxPops != 3 || got.MaxGuides != 5 {
		t.Errorf("config with defaults: %+v", got)
	}
	h.c.SetConfig(Config{})
	expect(t, h.next(), true, ReasonFirstUse)
}

func TestDwellIsConfigurable(t *testing.T) {
	h := newHarness(t, Config{Dwell: 3 * time.Second}, gimpBasics, calcTips)
	h.focus(gimpWin)
	h.clock.Advance(2999 * time.Millisecond)
	h.none()
	h.clock.Advance(time.Millisecond)
	expect(t, h.next(), true, ReasonFirstUse)
	h.c.SetConfig(Config{Dwell: -1}) // none
	h.next()
	expect(t, h.focus(calcWin), true, ReasonFirstUse)
}

func TestFocusUnavailable(t *testing.T) {
	h := newHarness(t, Config{}, gimpBasics)
	h.focus(gimpWin)
	const msg = "focus tracking unavailable: no DISPLAY"
	h.c.FocusStatus(false, msg)
	u := h.next()
	expect(t, u, false, ReasonUnavailable)
	if u.Unavailable != msg || u.Why != msg || !u.Window.IsZero() || len(u.Guides) != 0 {
		t.Errorf("unavailable: %s %+v", show(u), u)
	}
	h.clock.Advance(time.Minute)
	h.none() // the pending dwell was cancelled
	h.c.FocusStatus(true, "tracking focus with X11")
	expect(t, h.next(), false, ReasonNoWindow)
	expect(t, h.focus(gimpWin), false, ReasonWaiting)
}

func TestExcludedWindowClearsTheList(t *testing.T) {
	h := newHarness(t, Config{}, gimpBasics)
	h.focus(gimpWin)
	u := h.focus(guide.Window{}) // the tracker's "excluded" (or nothing focused)
	expect(t, u, false, ReasonNoWindow)
	if len(u.Guides) != 0 || u.App.Key != "" {
		t.Errorf("excluded: %s", show(u))
	}
	h.clock.Advance(time.Minute)
	h.none()
}

func TestChecklistProgress(t *testing.T) {
	list := &guide.Guide{
		ID: "ops/deploy.md", Title: "Deploy", Format: guide.FormatChecklist,
		Steps: []guide.Step{{ID: "a"}, {ID: "b"}, {ID: "c"}},
	}
	h := newHarness(t, Config{}, list)
	for _, s := range []struct {
		id string
		on bool
	}{{"a", true}, {"b", true}, {"gone", true}, {"c", true}, {"c", false}} {
		if err := h.c.SetStep(list.ID, s.id, s.on); err != nil {
			t.Fatal(err)
		}
	}
	p, err := h.c.Progress(list.ID)
	if err != nil || p.Done != 2 || p.Total != 3 || !p.Checked["a"] || !p.Checked["b"] || p.Checked["gone"] {
		t.Errorf("progress %+v %v", p, err)
	}
	if err := h.c.ResetChecklist(list.ID); err != nil {
		t.Fatal(err)
	}
	if p, _ := h.c.Progress(list.ID); p.Done != 0 || p.Total != 3 {
		t.Errorf("after reset %+v", p)
	}
	// A guide not in the library: what was saved.
	_ = h.c.SetStep("old.md", "x", true)
	if p, _ := h.c.Progress("old.md"); p.Done != 1 || p.Total != 0 || !p.Checked["x"] {
		t.Errorf("unknown guide %+v", p)
	}
}

func TestUsageIsRecorded(t *testing.T) {
	h := newHarness(t, Config{})
	var calls []string
	h.store.recordMiss = func(q string, at time.Time) error {
		calls = append(calls, fmt.Sprintf("miss %q %v", q, at.Sub(t0)))
		return nil
	}
	h.store.recordView = func(id string, at time.Time) error {
		calls = append(calls, "view "+id)
		return nil
	}
	h.store.setVote = func(id string, helpful bool, at time.Time) error {
		calls = append(calls, fmt.Sprintf("vote %s %v", id, helpful))
		return nil
	}
	_ = h.c.RecordSearch("expense report", 3) // found something: not kept
	_ = h.c.RecordSearch(" vp ", 0)           // too short
	h.clock.Advance(time.Second)
	_ = h.c.RecordSearch("VPN setup", 0)
	_ = h.c.MarkViewed("a.md")
	_ = h.c.Vote("a.md", false)
	want := `miss "VPN setup" 1s|view a.md|vote a.md false`
	if got := strings.Join(calls, "|"); got != want {
		t.Errorf("calls %s, want %s", got, want)
	}
}

func TestFollowLibrary(t *testing.T) {
	h := newHarness(t, Config{})
	expect(t, h.focus(gimpWin), false, ReasonNoGuides)
	events := make(chan LibraryEvent, 3)
	library := []*guide.Guide{gimpBasics}
	events <- LibraryEvent{Status: "watching"} // nothing changed: ignored
	events <- LibraryEvent{Added: []string{gimpLayers.ID}, Err: errors.New("index failed")}
	events <- LibraryEvent{Added: []string{gimpBasics.ID}}
	close(events)
	lib := &countingLibrary{Library: Guides(library)}
	err := h.c.FollowLibrary(context.Background(), events, lib)
	if err != nil || lib.matches != 1 {
		t.Fatalf("follow: %v, %d library matches, want 1", err, lib.matches)
	}
	u := h.next()
	expect(t, u, false, ReasonWaiting)
	if len(u.Guides) != 1 {
		t.Errorf("after the library change: %s", show(u))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := h.c.FollowLibrary(ctx, make(chan LibraryEvent), nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

// countingLibrary counts the windows matched against a Library.
type countingLibrary struct {
	Library
	matches int
}

func (l *countingLibrary) Match(w guide.Window) []guide.Match {
	l.matches++
	return l.Library.Match(w)
}

func TestClose(t *testing.T) {
	clock := newFakeClock()
	c := New(Options{Clock: clock, Logger: testLogger(t)})
	c.SetGuides([]*guide.Guide{gimpBasics}, nil)
	c.Focus(gimpWin) // a dwell timer is pending
	c.Close()
	c.Close()
	clock.Advance(time.Minute)
	c.Focus(calcWin)
	n := 0
	for range c.Updates() {
		n++
	}
	if n != 1 {
		t.Errorf("%d updates after close, want only the one sent before", n)
	}
}

// The real clock, concurrent callers and a reader: for the race detector.
func TestConcurrentUse(t *testing.T) {
	c := New(Options{Config: Config{Dwell: time.Microsecond}, Logger: slog.New(slog.DiscardHandler)})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range c.Updates() {
		}
	}()
	c.SetGuides([]*guide.Guide{gimpBasics, calcTips}, nil)
	errs := make(chan error, 3)
	go func() {
		for i := range 200 {
			c.Focus([]guide.Window{gimpWin, calcWin, termWin}[i%3])
		}
		errs <- nil
	}()
	go func() {
		for range 50 {
			if _, err := c.Snooze("exe:gimp", ForAnHour); err != nil {
				errs <- err
				return
			}
			_ = c.Unmute("exe:gimp")
			_ = c.SetStep("a.md", "s", true)
			_, _ = c.Progress("a.md")
		}
		errs <- nil
	}()
	go func() {
		for range 50 {
			c.SetGuides([]*guide.Guide{gimpBasics, calcTips, gimpLayers}, []string{gimpLayers.ID})
			_ = c.Current()
		}
		errs <- nil
	}()
	for range 3 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	c.Close()
	<-done
}

// TestProgressOfIndexedGuide: guides from the index carry no steps; the
// saved steps must not be filtered away (the viewer showed 0 of 15 after a
// restart before this was fixed).
func TestProgressOfIndexedGuide(t *testing.T) {
	light := &guide.Guide{ID: "sales/report.md", Title: "Report", Format: guide.FormatChecklist}
	h := newHarness(t, Config{}, light)
	if err := h.c.SetStep(light.ID, "e64d40796b", true); err != nil {
		t.Fatal(err)
	}
	p, err := h.c.Progress(light.ID)
	if err != nil || !p.Checked["e64d40796b"] || p.Done != 1 {
		t.Errorf("progress %+v %v", p, err)
	}
}
