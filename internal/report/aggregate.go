package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/cuecard/cuecard/internal/store"
)

// Folder is the library folder that holds the shared daily aggregates, one
// sub-folder per installation. The library watcher and scanner ignore it.
const Folder = "_insights"

// FormatVersion is the version of the aggregate files this package writes.
const FormatVersion = 1

// MaxFileBytes bounds an aggregate file read from the team folder.
var MaxFileBytes int64 = 4 << 20

// Aggregate is one installation's usage on one day: the content of
// <library>/_insights/<install>/<date>.json. It holds counts keyed by guide
// id (library-relative) and app key (exe:, class: or web: rule), and the
// texts of failed searches only when the user allowed it. Never window
// titles, paths outside the library, user or host names.
type Aggregate struct {
	Version int    `json:"version"`
	Install string `json:"install"`
	Date    string `json:"date"`
	// Guides are the guides used that day.
	Guides map[string]GuideDay `json:"guides,omitempty"`
	// Apps are the apps focused that day (spans of at least the coach's
	// MinFocus), in seconds.
	// Shared aggregates hold only the apps a guide's rule names.
	Apps map[string]AppDay `json:"apps,omitempty"`
	// AppsSeen are the keys of the other apps focused that day (not web
	// browsers), without their time: the "apps without a guide" gap.
	AppsSeen []string `json:"apps_seen,omitempty"`
	// FailedSearches counts the day's searches that found nothing.
	FailedSearches int `json:"failed_searches,omitempty"`
	// Searches are their normalised texts and counts: only with the second
	// opt-in ("also share the texts of searches that found nothing").
	Searches map[string]int `json:"searches,omitempty"`
}

// GuideDay is one guide's use on one day.
type GuideDay struct {
	Views int `json:"views,omitempty"`
	// Vote is the helpful vote cast that day, "helpful" or "unhelpful"; a
	// later day's vote of the same installation replaces it.
	Vote string `json:"vote,omitempty"`
	// Started and Completed count checklist runs begun that day and runs
	// that had every step checked that day.
	Started   int `json:"started,omitempty"`
	Completed int `json:"completed,omitempty"`
	// Walked counts Guide me walkthroughs done to the end that day.
	Walked int `json:"walked,omitempty"`
}

// AppDay is one app's focused time on one day.
type AppDay struct {
	Name    string `json:"name,omitempty"`
	Seconds int    `json:"seconds"`
}

// Votes.
const (
	VoteHelpful   = "helpful"
	VoteUnhelpful = "unhelpful"
)

// Empty reports whether the aggregate holds no usage.
func (a *Aggregate) Empty() bool {
	return len(a.Guides) == 0 && len(a.Apps) == 0 && len(a.AppsSeen) == 0 && a.FailedSearches == 0
}

// Source is the per-user state a report reads; internal/store's *Store
// implements it.
type Source interface {
	Days(from, to time.Time) ([]store.Day, error)
	Votes() (map[string]store.Vote, error)
	Checklists() (map[string]store.Checklist, error)
	FocusApps() ([]store.AppFocus, error)
}

var _ Source = (*store.Store)(nil)

// LocalOptions say what Local reads.
type LocalOptions struct {
	// Install is the installation id written into the aggregates.
	Install string
	// Steps gives the step ids of a checklist guide (nil or an empty
	// result: not a checklist, or not in the library), to tell completed
	// runs.
	Steps func(id string) []string
	// Searches includes the texts of failed searches.
	Searches bool
	// Share makes aggregates to share: search texts lower-cased, and app
	// time only as Apps says (nil: every app's time is kept, as this
	// computer's own report shows it).
	Share bool
	Apps  func(key, name string) AppShare
}

// AppShare is what a shared aggregate holds of an app.
type AppShare int

// What is shared of an app.
const (
	// AppSeconds: its focused time (a guide's rule names it).
	AppSeconds AppShare = iota
	// AppSeen: only that it was seen (no guide names it: a content gap).
	AppSeen
	// AppNone: nothing (a web browser: its web apps have their own keys).
	AppNone
)

// Local turns the store's usage from from to to (calendar days, both
// included) into one Aggregate per day with any usage, oldest first.
func Local(src Source, from, to time.Time, o LocalOptions) ([]Aggregate, error) {
	days, err := src.Days(from, to)
	if err != nil {
		return nil, fmt.Errorf("read usage: %w", err)
	}
	votes, err := src.Votes()
	if err != nil {
		return nil, fmt.Errorf("read votes: %w", err)
	}
	lists, err := src.Checklists()
	if err != nil {
		return nil, fmt.Errorf("read checklists: %w", err)
	}
	apps, err := src.FocusApps()
	if err != nil {
		return nil, fmt.Errorf("read app focus time: %w", err)
	}
	names := map[string]string{}
	for _, a := range apps {
		names[a.Key] = a.Name
	}
	lo, hi := from.Format(store.DateFormat), to.Format(store.DateFormat)
	in := func(t time.Time) (string, bool) {
		d := t.In(to.Location()).Format(store.DateFormat)
		return d, d >= lo && d <= hi
	}
	byDate := map[string]*Aggregate{}
	get := func(date string) *Aggregate {
		a := byDate[date]
		if a == nil {
			a = &Aggregate{Version: FormatVersion, Install: o.Install, Date: date}
			byDate[date] = a
		}
		return a
	}
	guide := func(a *Aggregate, id string, f func(*GuideDay)) {
		if a.Guides == nil {
			a.Guides = map[string]GuideDay{}
		}
		g := a.Guides[id]
		f(&g)
		a.Guides[id] = g
	}
	for _, d := range days {
		a := get(d.Date)
		for id, n := range d.Views {
			guide(a, id, func(g *GuideDay) { g.Views += n })
		}
		for id, n := range d.Walks {
			guide(a, id, func(g *GuideDay) { g.Walked += n })
		}
		for key, secs := range d.Focus {
			if o.Apps != nil {
				switch o.Apps(key, names[key]) {
				case AppNone:
					continue
				case AppSeen:
					if !slices.Contains(a.AppsSeen, key) {
						a.AppsSeen = append(a.AppsSeen, key)
						sort.Strings(a.AppsSeen)
					}
					continue
				}
			}
			if a.Apps == nil {
				a.Apps = map[string]AppDay{}
			}
			ad := a.Apps[key]
			ad.Name, ad.Seconds = names[key], ad.Seconds+secs
			a.Apps[key] = ad
		}
		a.FailedSearches += d.MissCount
		if o.Searches && len(d.Misses) > 0 {
			a.Searches = map[string]int{}
			for q, n := range d.Misses {
				if o.Share {
					q = strings.ToLower(q)
				}
				a.Searches[q] += n
			}
		}
	}
	for id, v := range votes {
		if date, ok := in(v.At); ok {
			vote := VoteUnhelpful
			if v.Helpful {
				vote = VoteHelpful
			}
			guide(get(date), id, func(g *GuideDay) { g.Vote = vote })
		}
	}
	for id, cl := range lists {
		var steps []string
		if o.Steps != nil {
			steps = o.Steps(id)
		}
		for _, r := range cl.Runs {
			if date, ok := in(r.Start); ok {
				guide(get(date), id, func(g *GuideDay) { g.Started++ })
			}
			if done, at := r.Completed(steps); done {
				if date, ok := in(at); ok {
					guide(get(date), id, func(g *GuideDay) { g.Completed++ })
				}
			}
		}
	}
	out := make([]Aggregate, 0, len(byDate))
	for _, a := range byDate {
		if !a.Empty() {
			out = append(out, *a)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Date < out[j].Date })
	return out, nil
}

var errNewer = errors.New("written by a newer Cuecard")

// parseAggregate decodes one day's aggregate (a file's JSON, clear or
// once opened) and checks it against the folder (install) and file name
// (date) it came from.
func parseAggregate(data []byte, install, date string) (Aggregate, error) {
	var a Aggregate
	if _, err := time.Parse(store.DateFormat, date); err != nil {
		return a, errors.New("not an aggregate file: its name is not a date (<YYYY-MM-DD>.age)")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&a); err != nil {
		return Aggregate{}, fmt.Errorf("not valid JSON (%v)", err)
	}
	if a.Install != install {
		return Aggregate{}, fmt.Errorf("its install id %q is not its folder's", a.Install)
	}
	if a.Date != date {
		return Aggregate{}, fmt.Errorf("its date %q is not its file name's", a.Date)
	}
	return a, checkAggregate(a)
}

// checkAggregate checks an aggregate's version, ids and counts.
func checkAggregate(a Aggregate) error {
	switch {
	case a.Version > FormatVersion:
		return fmt.Errorf("%w (format %d): update Cuecard to read it", errNewer, a.Version)
	case a.Version < 1:
		return errors.New("no format version")
	case !store.ValidInstallID(a.Install):
		return fmt.Errorf("invalid install id %q", a.Install)
	case a.FailedSearches < 0:
		return errors.New("a negative count")
	}
	if _, err := time.Parse(store.DateFormat, a.Date); err != nil {
		return fmt.Errorf("invalid date %q", a.Date)
	}
	for id, g := range a.Guides {
		if !validGuideID(id) {
			return fmt.Errorf("guide id %q is not a path inside the library", id)
		}
		if g.Views < 0 || g.Started < 0 || g.Completed < 0 || g.Walked < 0 || (g.Vote != "" && g.Vote != VoteHelpful && g.Vote != VoteUnhelpful) {
			return fmt.Errorf("invalid counts for %q", id)
		}
	}
	for k, ad := range a.Apps {
		if k == "" || ad.Seconds < 0 {
			return fmt.Errorf("invalid app %q", k)
		}
	}
	for _, k := range a.AppsSeen {
		if k == "" || len(k) > 512 {
			return fmt.Errorf("invalid app %q", k)
		}
	}
	for q, n := range a.Searches {
		if q == "" || n < 0 {
			return errors.New("an invalid search count")
		}
	}
	return nil
}

func validGuideID(id string) bool {
	return id != "" && !strings.HasPrefix(id, "/") && !strings.Contains(id, "\\") &&
		path.Clean(id) == id && id != ".." && !strings.HasPrefix(id, "../")
}
