package track

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/guide"
)

// library parses guide files, so the tests see guides as the library does.
func library(t *testing.T, files map[string]string) []*guide.Guide {
	t.Helper()
	var out []*guide.Guide
	for id, text := range files {
		g, ps := guide.Parse(id, []byte(text))
		if g == nil {
			t.Fatalf("%s: %v", id, ps)
		}
		out = append(out, g)
	}
	return out
}

var start = time.Date(2026, 11, 17, 0, 0, 0, 0, time.UTC)

var newHire = map[string]string{
	"people/code-of-conduct.md": "---\ntitle: Read the code of conduct\nrequired: true\nack: true\ndue: 7d\norder: 1\n---\n# Read it\n",
	"it/security-basics.md":     "---\ntitle: Security basics\nformat: checklist\nrequired: true\ndue: 14d\norder: 2\n---\n- [ ] Lock your screen\n- [ ] Turn on 2FA\n- [ ] Report phishing\n",
	"finance/expenses.md":       "---\ntitle: Expenses policy\nrequired: true\ndue: 30d\nroles: [everyone]\n---\n# Expenses\n",
	"sales/crm-basics.md":       "---\ntitle: CRM basics\nrequired: true\ndue: 2026-12-01\nroles: [sales]\n---\n# CRM\n",
	"support/zendesk.md":        "---\ntitle: Zendesk basics\nrequired: true\ndue: 10d\nroles: [support]\n---\n# Zendesk\n",
	"sales/pricing.md":          "---\ntitle: Price list\nroles: [sales]\n---\n# Not required\n",
	"office/coffee.md":          "---\ntitle: Coffee machine\nrequired: false\ndue: 1d\n---\n# Not required\n",
}

func stepIDs(gs []*guide.Guide, id string, n int) []string {
	for _, g := range gs {
		if g.ID == id {
			var out []string
			for _, s := range g.Steps[:n] {
				out = append(out, s.ID)
			}
			return out
		}
	}
	return nil
}

func hashOf(gs []*guide.Guide, id string) string {
	for _, g := range gs {
		if g.ID == id {
			return g.Hash
		}
	}
	return ""
}

func TestBuild(t *testing.T) {
	gs := library(t, newHire)
	sales := Profile{Roles: []string{"sales"}, Start: start}
	ack := map[string]guide.Completion{"people/code-of-conduct.md": {At: start.Add(time.Hour), Hash: hashOf(gs, "people/code-of-conduct.md")}}
	for _, tc := range []struct {
		name    string
		profile Profile
		state   State
		now     time.Time
		want    string // id:status[:done/total] in order
		next    string
		done    int
	}{
		{name: "first day, sales", profile: sales, now: start.Add(9 * time.Hour),
			want: "people/code-of-conduct.md:not-started it/security-basics.md:not-started:0/3 sales/crm-basics.md:not-started finance/expenses.md:not-started",
			next: "people/code-of-conduct.md"},
		{name: "20 days in, one overdue after another", profile: sales, now: start.AddDate(0, 0, 20), state: State{Acks: ack,
			Checked: map[string][]string{"it/security-basics.md": stepIDs(gs, "it/security-basics.md", 1)}},
			want: "people/code-of-conduct.md:done it/security-basics.md:overdue:1/3 sales/crm-basics.md:overdue finance/expenses.md:not-started",
			next: "it/security-basics.md", done: 1},
		{name: "due day itself is not overdue", profile: sales, now: time.Date(2026, 12, 1, 23, 0, 0, 0, time.UTC),
			state: State{Acks: ack, Checked: map[string][]string{"it/security-basics.md": stepIDs(gs, "it/security-basics.md", 2)}},
			want:  "people/code-of-conduct.md:done it/security-basics.md:in-progress:2/3 sales/crm-basics.md:not-started finance/expenses.md:not-started",
			next:  "it/security-basics.md", done: 1},
		{name: "all done", profile: sales, now: start.AddDate(0, 2, 0), state: State{Acks: ack,
			Checked: map[string][]string{"it/security-basics.md": append(stepIDs(gs, "it/security-basics.md", 3), "gone-step")},
			Marked:  map[string]guide.Completion{"sales/crm-basics.md": {At: start}, "finance/expenses.md": {At: start, Hash: "old"}}},
			want: "people/code-of-conduct.md:done it/security-basics.md:done:3/3 sales/crm-basics.md:done finance/expenses.md:done",
			next: "", done: 4},
		{name: "support sees its own", profile: Profile{Roles: []string{"Support"}, Start: start}, now: start,
			want: "people/code-of-conduct.md:not-started it/security-basics.md:not-started:0/3 support/zendesk.md:not-started finance/expenses.md:not-started",
			next: "people/code-of-conduct.md"},
		{name: "no roles: everything, no start: only fixed dates due", profile: Profile{}, now: time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC),
			want: "people/code-of-conduct.md:not-started it/security-basics.md:not-started:0/3 sales/crm-basics.md:overdue finance/expenses.md:not-started support/zendesk.md:not-started",
			next: "sales/crm-basics.md"},
		{name: "acknowledging a plain guide does not do it", profile: sales, now: start,
			state: State{Acks: map[string]guide.Completion{"finance/expenses.md": {At: start}}, Marked: map[string]guide.Completion{"people/code-of-conduct.md": {At: start}}},
			want:  "people/code-of-conduct.md:not-started it/security-basics.md:not-started:0/3 sales/crm-basics.md:not-started finance/expenses.md:not-started",
			next:  "people/code-of-conduct.md"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := Build(gs, tc.profile, tc.state, tc.now)
			var got []string
			for _, it := range tr.Items {
				s := it.ID + ":" + string(it.Status)
				if it.How == ByChecklist {
					s += fmt.Sprintf(":%d/%d", it.StepsDone, it.StepsTotal)
				}
				got = append(got, s)
			}
			if strings.Join(got, " ") != tc.want {
				t.Errorf("items\n%s\nwant\n%s", strings.Join(got, " "), tc.want)
			}
			next := ""
			if it, ok := tr.NextItem(); ok {
				next = it.ID
			}
			if next != tc.next || tr.Done != tc.done || tr.Complete() != (tc.done == len(tr.Items)) {
				t.Errorf("next %q done %d complete %v, want %q %d", next, tr.Done, tr.Complete(), tc.next, tc.done)
			}
		})
	}
}

func TestBuildDetails(t *testing.T) {
	gs := library(t, newHire)
	tr := Build(gs, Profile{Roles: []string{"sales"}, Start: start}, State{
		Marked: map[string]guide.Completion{"finance/expenses.md": {At: start, Hash: "an older version"}},
	}, start)
	byID := map[string]Item{}
	for _, it := range tr.Items {
		byID[it.ID] = it
	}
	if it := byID["people/code-of-conduct.md"]; it.How != ByAck || !it.Due.Equal(start.AddDate(0, 0, 7)) || it.Title != "Read the code of conduct" {
		t.Errorf("code of conduct %+v", it)
	}
	if it := byID["finance/expenses.md"]; it.How != ByMark || it.Status != Done || !it.Changed || !it.DoneAt.Equal(start) {
		t.Errorf("expenses %+v", it)
	}
	if it := byID["sales/crm-basics.md"]; !it.Due.Equal(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("fixed date %+v", it)
	}
	if len(tr.Overdue()) != 0 {
		t.Errorf("overdue on day one: %+v", tr.Overdue())
	}
	if empty := Build(nil, Profile{}, State{}, start); empty.Complete() || empty.Next != -1 {
		t.Errorf("empty track %+v", empty)
	}
}

func TestOrder(t *testing.T) {
	gs := library(t, map[string]string{
		"a.md": "---\ntitle: Zeta\nrequired: true\norder: 2\n---\n",
		"b.md": "---\ntitle: Alpha\nrequired: true\n---\n",
		"c.md": "---\ntitle: Beta\nrequired: true\ndue: 3d\n---\n",
		"d.md": "---\ntitle: Gamma\nrequired: true\ndue: 2d\n---\n",
		"e.md": "---\ntitle: Omega\nrequired: true\norder: 1\ndue: 90d\n---\n",
		"f.md": "---\ntitle: alpha\nrequired: true\n---\n",
	})
	tr := Build(gs, Profile{Start: start}, State{}, start)
	var got []string
	for _, it := range tr.Items {
		got = append(got, it.ID)
	}
	if strings.Join(got, " ") != "e.md a.md d.md c.md b.md f.md" {
		t.Errorf("order %v", got)
	}
}

func TestMerge(t *testing.T) {
	preset := Profile{Identity: "kim@example.com", Roles: []string{"sales"}, Start: start}
	for _, tc := range []struct {
		local, want Profile
	}{
		{Profile{}, preset},
		{Profile{Roles: []string{"support"}}, Profile{Identity: "kim@example.com", Roles: []string{"support"}, Start: start}},
		{Profile{Identity: "k", Start: start.AddDate(0, 0, 3)}, Profile{Identity: "k", Roles: []string{"sales"}, Start: start.AddDate(0, 0, 3)}},
	} {
		got := tc.local.Merge(preset)
		if got.Identity != tc.want.Identity || strings.Join(got.Roles, ",") != strings.Join(tc.want.Roles, ",") || !got.Start.Equal(tc.want.Start) {
			t.Errorf("%+v merged %+v, want %+v", tc.local, got, tc.want)
		}
	}
}

func TestRemind(t *testing.T) {
	gs := library(t, newHire)
	sales := Profile{Roles: []string{"sales"}, Start: start}
	loc := time.FixedZone("CET", 3600)
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, loc) // 20 days in
	open := Build(gs, sales, State{}, now)
	all := State{Acks: map[string]guide.Completion{"people/code-of-conduct.md": {}},
		Checked: map[string][]string{"it/security-basics.md": stepIDs(gs, "it/security-basics.md", 3)},
		Marked:  map[string]guide.Completion{"sales/crm-basics.md": {}, "finance/expenses.md": {}}}
	for _, tc := range []struct {
		name  string
		track Track
		m     Moment
		why   Why
	}{
		{"never reminded", open, Moment{Now: now}, ""},
		{"yesterday evening", open, Moment{Now: now, LastReminder: time.Date(2026, 12, 6, 23, 30, 0, 0, loc)}, ""},
		{"earlier today", open, Moment{Now: now, LastReminder: now.Add(-9 * time.Hour)}, AlreadyToday},
		{"today in another zone", open, Moment{Now: now, LastReminder: time.Date(2026, 12, 6, 23, 30, 0, 0, time.UTC)}, AlreadyToday},
		{"fullscreen", open, Moment{Now: now, Fullscreen: true}, FullscreenNow},
		{"suggestion just popped", open, Moment{Now: now, LastSuggestion: now.Add(-time.Minute)}, SuggestionOpen},
		{"suggestion a while ago", open, Moment{Now: now, LastSuggestion: now.Add(-QuietAfterSuggestion)}, ""},
		{"track done", Build(gs, sales, all, now), Moment{Now: now}, TrackDone},
		{"no track", Build(gs[:0], sales, State{}, now), Moment{Now: now}, NoTrack},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, why := Remind(tc.track, tc.m)
			if why != tc.why {
				t.Fatalf("why %q, want %q", why, tc.why)
			}
			if why != "" {
				if len(r.Items) != 0 {
					t.Errorf("a reminder said no but has items: %+v", r)
				}
				return
			}
			var ids []string
			for _, it := range r.Items {
				ids = append(ids, it.ID)
			}
			// Overdue first (code of conduct, security basics, CRM basics), then the rest in order.
			if r.Overdue != 3 || strings.Join(ids, " ") != "people/code-of-conduct.md it/security-basics.md sales/crm-basics.md finance/expenses.md" {
				t.Errorf("reminder %d overdue %v", r.Overdue, ids)
			}
		})
	}
}
