package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/cuecard/cuecard/internal/atomicfile"
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
	Apps map[string]AppDay `json:"apps,omitempty"`
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
	return len(a.Guides) == 0 && len(a.Apps) == 0 && a.FailedSearches == 0
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
}

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
				a.Searches[q] = n
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

// Path is where an installation's aggregate of a day lives in a library.
func Path(library, install, date string) string {
	return filepath.Join(library, Folder, install, date+".json")
}

// Write writes a into the library's insights folder atomically (a
// temporary file renamed over the day's file): writing the same day again
// replaces it, so hourly writes of today's counts are idempotent.
func Write(library string, a Aggregate) (string, error) {
	if !store.ValidInstallID(a.Install) {
		return "", fmt.Errorf("write usage aggregate: invalid install id %q", a.Install)
	}
	if _, err := time.Parse(store.DateFormat, a.Date); err != nil {
		return "", fmt.Errorf("write usage aggregate: invalid date %q", a.Date)
	}
	a.Version = FormatVersion
	p := Path(library, a.Install, a.Date)
	data, err := json.MarshalIndent(a, "", "  ")
	if err != nil {
		return "", fmt.Errorf("write %s: %w", p, err)
	}
	data = append(data, '\n')
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return "", fmt.Errorf("write %s: %w", p, err)
	}
	if err := atomicfile.Write(p, data, 0o644); err != nil {
		return "", fmt.Errorf("write usage aggregate: %w", err)
	}
	return p, nil
}

// Team reads every installation's aggregates from the library's insights
// folder. A file that cannot be used is skipped and described in the
// returned warnings (naming the file and what to do); only an insights
// folder that exists but cannot be listed is an error. exclude, when not
// empty, is an install id left out (this installation, counted from its
// own state instead).
func Team(library, exclude string) ([]Aggregate, []string, error) {
	root := filepath.Join(library, Folder)
	installs, err := os.ReadDir(root)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("read the team's usage in %s: %w", root, err)
	}
	var out []Aggregate
	var warnings []string
	for _, inst := range installs {
		name := inst.Name()
		if strings.HasPrefix(name, ".") || !inst.IsDir() {
			continue
		}
		dir := filepath.Join(root, name)
		if !store.ValidInstallID(name) {
			warnings = append(warnings, fmt.Sprintf("%s: skipped: not a Cuecard install folder (its name is not an install id); move it out of %s", dir, Folder))
			continue
		}
		if name == exclude {
			continue
		}
		files, err := os.ReadDir(dir)
		if err != nil {
			warnings = append(warnings, fmt.Sprintf("%s: skipped: cannot be read (%v); check its permissions", dir, err))
			continue
		}
		for _, f := range files {
			fn := f.Name()
			if strings.HasPrefix(fn, ".") || f.IsDir() {
				continue // a writer's temporary file, or not ours
			}
			p := filepath.Join(dir, fn)
			a, err := readAggregate(p, name, strings.TrimSuffix(fn, ".json"))
			if err != nil {
				warnings = append(warnings, fmt.Sprintf("%s: skipped: %v", p, err))
				continue
			}
			out = append(out, a)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Date != out[j].Date {
			return out[i].Date < out[j].Date
		}
		return out[i].Install < out[j].Install
	})
	return out, warnings, nil
}

// readAggregate reads and checks one team file.
func readAggregate(p, install, date string) (Aggregate, error) {
	a, err := decodeAggregate(p, install, date)
	if err != nil && !errors.Is(err, errNewer) {
		err = fmt.Errorf("%w; delete the file (it is only counts, and its installation rewrites only today's file)", err)
	}
	return a, err
}

var errNewer = errors.New("written by a newer Cuecard")

func decodeAggregate(p, install, date string) (Aggregate, error) {
	var a Aggregate
	if !strings.HasSuffix(p, ".json") {
		return a, errors.New("not an aggregate file (<YYYY-MM-DD>.json)")
	}
	if _, err := time.Parse(store.DateFormat, date); err != nil {
		return a, errors.New("not an aggregate file: its name is not a date (<YYYY-MM-DD>.json)")
	}
	f, err := os.Open(p)
	if err != nil {
		return a, fmt.Errorf("cannot be read (%v)", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return a, fmt.Errorf("cannot be read (%v)", err)
	}
	if st.Size() > MaxFileBytes {
		return a, fmt.Errorf("too large (%d bytes, at most %d)", st.Size(), MaxFileBytes)
	}
	data := make([]byte, st.Size())
	if _, err := f.ReadAt(data, 0); err != nil && st.Size() > 0 {
		return a, fmt.Errorf("cannot be read (%v)", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&a); err != nil {
		return Aggregate{}, fmt.Errorf("not valid JSON (%v)", err)
	}
	switch {
	case a.Version > FormatVersion:
		return Aggregate{}, fmt.Errorf("%w (format %d): update Cuecard to read it", errNewer, a.Version)
	case a.Version < 1:
		return Aggregate{}, errors.New("no format version")
	case a.Install != install:
		return Aggregate{}, fmt.Errorf("its install id %q is not its folder's", a.Install)
	case a.Date != date:
		return Aggregate{}, fmt.Errorf("its date %q is not its file name's", a.Date)
	case a.FailedSearches < 0:
		return Aggregate{}, errors.New("a negative count")
	}
	for id, g := range a.Guides {
		if !validGuideID(id) {
			return Aggregate{}, fmt.Errorf("guide id %q is not a path inside the library", id)
		}
		if g.Views < 0 || g.Started < 0 || g.Completed < 0 || g.Walked < 0 || (g.Vote != "" && g.Vote != VoteHelpful && g.Vote != VoteUnhelpful) {
			return Aggregate{}, fmt.Errorf("invalid counts for %q", id)
		}
	}
	for k, ad := range a.Apps {
		if k == "" || ad.Seconds < 0 {
			return Aggregate{}, fmt.Errorf("invalid app %q", k)
		}
	}
	for q, n := range a.Searches {
		if q == "" || n < 0 {
			return Aggregate{}, errors.New("an invalid search count")
		}
	}
	return a, nil
}

func validGuideID(id string) bool {
	return id != "" && !strings.HasPrefix(id, "/") && !strings.Contains(id, "\\") &&
		path.Clean(id) == id && id != ".." && !strings.HasPrefix(id, "../")
}
