// Package report gives content owners what Cuecard knows: which guides are
// overdue for review or due soon (by owner), which are used (views, helpful
// votes, checklists started versus completed, views over time), and the
// content gaps: searches that found nothing and apps people work in for
// which no guide exists.
//
// Usage comes as daily Aggregates: from this installation's state (Local),
// or from every installation that shares its usage through the library's
// _insights folder (Team, written by Write). Build turns guides and
// aggregates into a Report; Text, Markdown, CSV, JSON and HTML render it.
// The HTML report is one self-contained file: inline CSS and inline SVG
// charts, no scripts, nothing fetched from the network.
package report

import (
	"sort"
	"strings"
	"time"

	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/store"
)

// Options shape a report.
type Options struct {
	// Now is the report's time; its calendar day is the last of the window.
	Now time.Time
	// From is the first calendar day of the window.
	From time.Time
	// Owner limits the report to one owner's guides (their to-do list);
	// content gaps are left out.
	Owner string
	// DueSoon is how far ahead "due soon" looks; default 14 days.
	DueSoon time.Duration
	// Top caps the lists of most viewed guides and gaps; default 10.
	Top int
	// Scope says whose usage it is: ScopeLocal (the default) or ScopeTeam.
	Scope string
	// Browsers are the rules that tell web browsers: their time is not an
	// app without a guide (web apps are keyed by their own rules).
	Browsers []guide.Rule
	// Warnings are carried into the report (skipped team files).
	Warnings []string
	// MinInstalls is the k of k-anonymity: every figure that comes from
	// fewer installations is shown as "fewer than k", and search texts
	// and apps without a guide seen on fewer are left out. 0: nothing is
	// masked (this computer's own report).
	MinInstalls int
}

// Scopes of a report.
const (
	ScopeLocal = "local" // this installation's own state
	ScopeTeam  = "team"  // every installation's shared aggregates
)

// Report is what Build found. Its JSON form is `cuecard report --format json`.
type Report struct {
	Generated string `json:"generated"`
	From      string `json:"from"`
	To        string `json:"to"`
	Days      int    `json:"days"`
	Scope     string `json:"scope"`
	// Installs is how many installations' usage is counted.
	Installs int    `json:"installs"`
	Owner    string `json:"owner,omitempty"`
	// MinInstalls is the k of a team report: figures from fewer
	// installations are shown as "fewer than k".
	MinInstalls int       `json:"min_installs,omitempty"`
	Freshness   Freshness `json:"freshness"`
	Usage       Usage     `json:"usage"`
	// Gaps is nil in an owner's report.
	Gaps     *Gaps    `json:"gaps,omitempty"`
	Warnings []string `json:"warnings,omitempty"`
}

// Freshness is the state of the guides' reviews.
type Freshness struct {
	Guides int `json:"guides"`
	// InWindow guides have a review date and are not overdue; Percent is
	// their share of all guides (0-100, one decimal).
	InWindow int     `json:"in_window"`
	Percent  float64 `json:"percent_in_window"`
	Overdue  int     `json:"overdue"`
	DueSoon  int     `json:"due_soon"`
	NoDate   int     `json:"no_review_date"`
	// Owners lists, per owner, the guides overdue, due soon or without a
	// review date, most overdue first.
	Owners []OwnerList `json:"owners"`
}

// OwnerList is one owner's guides to review.
type OwnerList struct {
	Owner  string     `json:"owner"`
	Guides []DueGuide `json:"guides"`
}

// DueGuide is a guide to review.
type DueGuide struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	// Status is "overdue", "due-soon" or "no-review-date".
	Status string `json:"status"`
	Due    string `json:"due,omitempty"`
	// Days is how many days overdue (Status overdue) or until due.
	Days int `json:"days"`
}

// Statuses of a DueGuide.
const (
	StatusOverdue = "overdue"
	StatusDueSoon = "due-soon"
	StatusNoDate  = "no-review-date"
	StatusOK      = "ok"
)

// Usage is how the guides were used in the window.
type Usage struct {
	Views     int `json:"views"`
	Helpful   int `json:"helpful"`
	Unhelpful int `json:"unhelpful"`
	// Started and Completed count checklist runs.
	Started   int `json:"checklists_started"`
	Completed int `json:"checklists_completed"`
	// Walked counts Guide me walkthroughs done to the end.
	Walked int `json:"walkthroughs_done"`
	// Daily is the views of each day of the window.
	Daily []DayCount `json:"daily"`
	// Guides lists every guide used, most viewed first.
	Guides []GuideUsage `json:"guides"`

	mask *masking
}

// DayCount is one day's views.
type DayCount struct {
	Date  string `json:"date"`
	Views int    `json:"views"`

	mask *masking
}

// GuideUsage is one guide's use in the window.
type GuideUsage struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Owner     string `json:"owner,omitempty"`
	Views     int    `json:"views"`
	Helpful   int    `json:"helpful"`
	Unhelpful int    `json:"unhelpful"`
	Started   int    `json:"checklists_started,omitempty"`
	Completed int    `json:"checklists_completed,omitempty"`
	Walked    int    `json:"walkthroughs_done,omitempty"`
	// People is how many installations used it.
	People int `json:"people"`
	// Missing is true for a guide no longer in the library.
	Missing bool `json:"missing,omitempty"`

	mask *masking
}

// Gaps are the topics to write next.
type Gaps struct {
	// FailedSearches counts every search that found nothing; Searches
	// lists the texts (where shared), most frequent first.
	FailedSearches int         `json:"failed_searches"`
	Searches       []SearchGap `json:"searches"`
	// Apps are apps focused for a meaningful time (or, as installations
	// share them, seen) that no guide covers, by people then time.
	Apps []AppGap `json:"apps"`

	mask *masking
}

// SearchGap is a normalised search text that found nothing.
type SearchGap struct {
	Text   string `json:"text"`
	Count  int    `json:"count"`
	People int    `json:"people"`
}

// AppGap is an app without a guide.
type AppGap struct {
	Key  string `json:"key"`
	Name string `json:"name"`
	// Minutes is 0 for apps shared as seen (installations share no time
	// for apps without a guide).
	Minutes int `json:"minutes"`
	People  int `json:"people"`
}

// Build computes the report of guides and the usage aggregates (only the
// days from o.From to o.Now count).
func Build(guides []*guide.Guide, aggs []Aggregate, o Options) *Report {
	if o.DueSoon <= 0 {
		o.DueSoon = 14 * 24 * time.Hour
	}
	if o.Top <= 0 {
		o.Top = 10
	}
	if o.Scope == "" {
		o.Scope = ScopeLocal
	}
	from := dayStart(o.From)
	to := dayStart(o.Now)
	if from.After(to) {
		from = to
	}
	r := &Report{
		Generated: o.Now.Format("2006-01-02 15:04"),
		From:      from.Format(store.DateFormat),
		To:        to.Format(store.DateFormat),
		Scope:     o.Scope,
		Owner:     o.Owner,
		Warnings:  o.Warnings,
	}
	k := max(o.MinInstalls, 0)
	r.MinInstalls = k
	byID := map[string]*guide.Guide{}
	var mine []*guide.Guide
	for _, g := range guides {
		byID[g.ID] = g
		if o.Owner == "" || strings.EqualFold(g.Owner, o.Owner) {
			mine = append(mine, g)
		}
	}
	r.Freshness = freshness(mine, o.Now, o.DueSoon)

	// Usage.
	var window []Aggregate
	installs := installSet{}
	for _, a := range aggs {
		if a.Date >= r.From && a.Date <= r.To {
			window = append(window, a)
			installs.add(a.Install, a.Date)
		}
	}
	r.Installs = installs.n()
	owned := func(id string) bool {
		if o.Owner == "" {
			return true
		}
		g := byID[id]
		return g != nil && strings.EqualFold(g.Owner, o.Owner)
	}
	type acc struct {
		GuideUsage
		people                             installSet
		viewed, started, completed, walked installSet
	}
	use := map[string]*acc{}
	at := func(id string) *acc {
		u := use[id]
		if u == nil {
			u = &acc{GuideUsage: GuideUsage{ID: id}, people: installSet{},
				viewed: installSet{}, started: installSet{}, completed: installSet{}, walked: installSet{}}
			if g := byID[id]; g != nil {
				u.Title, u.Owner = g.Title, g.Owner
			} else {
				u.Title, u.Missing = id, true
			}
			use[id] = u
		}
		return u
	}
	daily := map[string]int{}
	dailyBy := map[string]installSet{}
	totals := map[string]installSet{"views": {}, "checklists_started": {}, "checklists_completed": {}, "walkthroughs_done": {}, "helpful": {}, "unhelpful": {}}
	mark := func(set installSet, n int, a Aggregate) {
		if n > 0 {
			set.add(a.Install, a.Date)
		}
	}
	votes := map[[2]string]dated{} // install, guide -> latest vote in the window (aggs are by date)
	sortByDate(window)
	for _, a := range window {
		for id, g := range a.Guides {
			if !owned(id) {
				continue
			}
			u := at(id)
			u.Views += g.Views
			u.Started += g.Started
			u.Completed += g.Completed
			u.Walked += g.Walked
			u.people.add(a.Install, a.Date)
			mark(u.viewed, g.Views, a)
			mark(u.started, g.Started, a)
			mark(u.completed, g.Completed, a)
			mark(u.walked, g.Walked, a)
			mark(totals["views"], g.Views, a)
			mark(totals["checklists_started"], g.Started, a)
			mark(totals["checklists_completed"], g.Completed, a)
			mark(totals["walkthroughs_done"], g.Walked, a)
			daily[a.Date] += g.Views
			if g.Views > 0 {
				if dailyBy[a.Date] == nil {
					dailyBy[a.Date] = installSet{}
				}
				dailyBy[a.Date].add(a.Install, a.Date)
			}
			if g.Vote != "" {
				votes[[2]string{a.Install, id}] = dated{g.Vote, a.Date}
			}
		}
	}
	for k, v := range votes {
		u := at(k[1])
		if v.vote == VoteHelpful {
			u.Helpful++
			totals["helpful"].add(k[0], v.date)
		} else {
			u.Unhelpful++
			totals["unhelpful"].add(k[0], v.date)
		}
	}
	for _, u := range use {
		u.People = u.people.n()
		maskIf(&u.mask, k, "views", u.viewed.n())
		maskIf(&u.mask, k, "helpful", u.Helpful)
		maskIf(&u.mask, k, "unhelpful", u.Unhelpful)
		maskIf(&u.mask, k, "checklists_started", u.started.n())
		maskIf(&u.mask, k, "checklists_completed", u.completed.n())
		maskIf(&u.mask, k, "walkthroughs_done", u.walked.n())
		maskIf(&u.mask, k, "people", u.People)
		r.Usage.Views += u.Views
		r.Usage.Helpful += u.Helpful
		r.Usage.Unhelpful += u.Unhelpful
		r.Usage.Started += u.Started
		r.Usage.Completed += u.Completed
		r.Usage.Walked += u.Walked
		r.Usage.Guides = append(r.Usage.Guides, u.GuideUsage)
	}
	for f, set := range totals {
		maskIf(&r.Usage.mask, k, f, set.n())
	}
	sort.Slice(r.Usage.Guides, func(i, j int) bool {
		a, b := r.Usage.Guides[i], r.Usage.Guides[j]
		if a.Masked("views") != b.Masked("views") {
			return b.Masked("views") // masked rows last, in id order: their order would tell
		}
		if a.Masked("views") {
			return a.ID < b.ID
		}
		if a.Views != b.Views {
			return a.Views > b.Views
		}
		if a.Helpful != b.Helpful {
			return a.Helpful > b.Helpful
		}
		return a.ID < b.ID
	})
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		date := d.Format(store.DateFormat)
		dc := DayCount{Date: date, Views: daily[date]}
		maskIf(&dc.mask, k, "views", dailyBy[date].n())
		r.Usage.Daily = append(r.Usage.Daily, dc)
		r.Days++
	}
	if o.Owner == "" {
		r.Gaps = gaps(guides, window, o)
	}
	return r
}

// installSet counts installations. An installation's id changes every
// calendar month, so ids of different months may be the same
// installation: the count is the most ids seen in any one month, never
// more than the installations there were (and k-anonymity counts no one
// twice).
type installSet map[string]map[string]bool // month -> install ids

func (s installSet) add(install, date string) {
	month := date[:min(len(date), 7)]
	if s[month] == nil {
		s[month] = map[string]bool{}
	}
	s[month][install] = true
}

func (s installSet) n() int {
	n := 0
	for _, ids := range s {
		n = max(n, len(ids))
	}
	return n
}

// dated is a vote and the day it was cast.
type dated struct{ vote, date string }

func sortByDate(aggs []Aggregate) {
	sort.SliceStable(aggs, func(i, j int) bool { return aggs[i].Date < aggs[j].Date })
}

func dayStart(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

// Status is a guide's review state at now: overdue, due within dueSoon,
// no review date, or ok; days is how many days overdue or until due.
func Status(g *guide.Guide, now time.Time, dueSoon time.Duration) (status string, days int) {
	due := g.Due()
	switch {
	case due.IsZero():
		return StatusNoDate, 0
	case g.Stale(now):
		return StatusOverdue, g.DaysOverdue(now)
	case due.Sub(now) <= dueSoon:
		return StatusDueSoon, int(dayStart(due).Sub(dayStart(now)).Hours()+12) / 24
	}
	return StatusOK, int(dayStart(due).Sub(dayStart(now)).Hours()+12) / 24
}

func freshness(guides []*guide.Guide, now time.Time, dueSoon time.Duration) Freshness {
	f := Freshness{Guides: len(guides), Owners: []OwnerList{}}
	lists := map[string][]DueGuide{}
	for _, g := range guides {
		st, days := Status(g, now, dueSoon)
		switch st {
		case StatusOverdue:
			f.Overdue++
		case StatusDueSoon:
			f.DueSoon++
			f.InWindow++
		case StatusNoDate:
			f.NoDate++
		default:
			f.InWindow++
			continue
		}
		dg := DueGuide{ID: g.ID, Title: g.Title, Status: st, Days: days}
		if d := g.Due(); !d.IsZero() {
			dg.Due = d.Format(store.DateFormat)
		}
		owner := g.Owner
		if owner == "" {
			owner = "(no owner)"
		}
		lists[owner] = append(lists[owner], dg)
	}
	if f.Guides > 0 {
		f.Percent = float64(int(float64(f.InWindow)*1000/float64(f.Guides)+0.5)) / 10
	}
	rank := map[string]int{StatusOverdue: 0, StatusDueSoon: 1, StatusNoDate: 2}
	for owner, gs := range lists {
		sort.Slice(gs, func(i, j int) bool {
			a, b := gs[i], gs[j]
			if rank[a.Status] != rank[b.Status] {
				return rank[a.Status] < rank[b.Status]
			}
			if a.Status == StatusOverdue && a.Days != b.Days {
				return a.Days > b.Days
			}
			if a.Status == StatusDueSoon && a.Days != b.Days {
				return a.Days < b.Days
			}
			return a.ID < b.ID
		})
		f.Owners = append(f.Owners, OwnerList{Owner: owner, Guides: gs})
	}
	sort.Slice(f.Owners, func(i, j int) bool {
		a, b := f.Owners[i], f.Owners[j]
		if a.overdue() != b.overdue() {
			return a.overdue() > b.overdue()
		}
		return a.Owner < b.Owner
	})
	return f
}

func (l OwnerList) overdue() int {
	n := 0
	for _, g := range l.Guides {
		if g.Status == StatusOverdue {
			n++
		}
	}
	return n
}

func gaps(guides []*guide.Guide, window []Aggregate, o Options) *Gaps {
	g := &Gaps{Searches: []SearchGap{}, Apps: []AppGap{}}
	k := max(o.MinInstalls, 0)
	failed := installSet{}
	type sacc struct {
		n      int
		people installSet
	}
	searches := map[string]*sacc{}
	type aacc struct {
		name   string
		secs   int
		seen   bool
		people installSet
	}
	apps := map[string]*aacc{}
	for _, a := range window {
		g.FailedSearches += a.FailedSearches
		if a.FailedSearches > 0 {
			failed.add(a.Install, a.Date)
		}
		for q, n := range a.Searches {
			s := searches[q]
			if s == nil {
				s = &sacc{people: installSet{}}
				searches[q] = s
			}
			s.n += n
			s.people.add(a.Install, a.Date)
		}
		for k, ad := range a.Apps {
			x := apps[k]
			if x == nil {
				x = &aacc{people: installSet{}}
				apps[k] = x
			}
			if ad.Name != "" {
				x.name = ad.Name
			}
			x.secs += ad.Seconds
			x.people.add(a.Install, a.Date)
		}
		for _, key := range a.AppsSeen {
			x := apps[key]
			if x == nil {
				x = &aacc{people: installSet{}, seen: true}
				apps[key] = x
			}
			x.people.add(a.Install, a.Date)
		}
	}
	maskIf(&g.mask, k, "failed_searches", failed.n())
	for q, s := range searches {
		if s.people.n() < k {
			continue // a search text from fewer than k installations is left out
		}
		g.Searches = append(g.Searches, SearchGap{Text: q, Count: s.n, People: s.people.n()})
	}
	sort.Slice(g.Searches, func(i, j int) bool {
		a, b := g.Searches[i], g.Searches[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		return a.Text < b.Text
	})
	cov := newCoverage(guides, o.Browsers)
	for key, x := range apps {
		if (x.secs < 60 && !x.seen) || x.people.n() < k || cov.covered(key, x.name) {
			continue
		}
		name := x.name
		if name == "" {
			_, name, _ = strings.Cut(key, ":")
		}
		g.Apps = append(g.Apps, AppGap{Key: key, Name: name, Minutes: x.secs / 60, People: x.people.n()})
	}
	sort.Slice(g.Apps, func(i, j int) bool {
		a, b := g.Apps[i], g.Apps[j]
		if k > 0 && a.People != b.People {
			return a.People > b.People
		}
		if a.Minutes != b.Minutes {
			return a.Minutes > b.Minutes
		}
		return a.Key < b.Key
	})
	return g
}

// coverage tells whether an app key has a guide.
type coverage struct {
	apps     []guide.Rule // the exe and class parts of every rule that has one
	titles   map[string]bool
	browsers []guide.Rule
}

func newCoverage(guides []*guide.Guide, browsers []guide.Rule) *coverage {
	c := &coverage{titles: map[string]bool{}, browsers: browsers}
	for _, g := range guides {
		for _, r := range g.Apps {
			if t := strings.ToLower(strings.TrimSpace(r.Title)); t != "" {
				c.titles[t] = true
			}
			if r.Exe == "" && r.Class == "" {
				continue
			}
			if app, err := guide.CompileRule(r.Exe, r.Class, ""); err == nil {
				c.apps = append(c.apps, app)
			}
		}
	}
	return c
}

// covered: a web app is covered while a guide has its rule; an executable
// or class while the exe and class parts of a guide's rule match it (a
// guide for some of its windows is a guide for the app); a web browser is
// never a gap (its web apps are counted by their own rules).
func (c *coverage) covered(key, name string) bool {
	kind, v, _ := strings.Cut(key, ":")
	var w guide.Window
	switch kind {
	case "web":
		return c.titles[v]
	case "exe":
		w = guide.Window{Exe: v, Class: name}
	case "class":
		w = guide.Window{Class: v}
	default:
		return false
	}
	for _, b := range c.browsers {
		if b.Match(w) {
			return true
		}
	}
	for _, r := range c.apps {
		if r.Match(w) {
			return true
		}
	}
	return false
}

// Totals are a guide's all-time numbers, for "N views, M found it helpful".
type Totals struct {
	Views, Helpful, Unhelpful int
}

// GuideTotals sums aggregates per guide: views, and the latest vote of
// each installation.
func GuideTotals(aggs []Aggregate) map[string]Totals {
	sorted := append([]Aggregate(nil), aggs...)
	sortByDate(sorted)
	out := map[string]Totals{}
	votes := map[[2]string]string{}
	for _, a := range sorted {
		for id, g := range a.Guides {
			t := out[id]
			t.Views += g.Views
			out[id] = t
			if g.Vote != "" {
				votes[[2]string{a.Install, id}] = g.Vote
			}
		}
	}
	for k, v := range votes {
		t := out[k[1]]
		if v == VoteHelpful {
			t.Helpful++
		} else {
			t.Unhelpful++
		}
		out[k[1]] = t
	}
	return out
}

// AppSharing tells what an installation shares of each app: its time when
// a guide's rule names it, nothing for a web browser (its web apps are
// keyed by their own rules), and otherwise only that it was seen.
func AppSharing(guides []*guide.Guide, browsers []guide.Rule) func(key, name string) AppShare {
	c := newCoverage(guides, nil)
	b := &coverage{titles: map[string]bool{}, browsers: browsers}
	return func(key, name string) AppShare {
		switch {
		case c.covered(key, name):
			return AppSeconds
		case b.covered(key, name):
			return AppNone
		}
		return AppSeen
	}
}
