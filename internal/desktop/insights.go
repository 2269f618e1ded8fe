package desktop

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cuecard/cuecard/internal/atomicfile"
	"github.com/cuecard/cuecard/internal/coach"
	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/library"
	"github.com/cuecard/cuecard/internal/paths"
	"github.com/cuecard/cuecard/internal/report"
	"github.com/cuecard/cuecard/internal/seal"
	"github.com/cuecard/cuecard/internal/store"
)

// exportEvery is how often the app writes today's usage aggregate when
// sharing is on (and once more at quit). CUECARD_EXPORT_EVERY overrides it
// (for tests).
var exportEvery = time.Hour

// insights is the desktop app's side of the content owners' reports: it
// writes this installation's daily aggregates into the library when the
// user shares usage, answers `cuecard report` while the app holds the state
// file, builds the HTML report for the tray's "Insights...", and gives
// owners their guides' numbers in the viewer.
type insights struct {
	root string
	st   *store.Store // nil: state unavailable this session
	c    *coach.Coach
	git  bool // a git library: Cuecard does not commit, so nothing is written
	now  func() time.Time
	log  *slog.Logger
	open func(path string) error
	// guides are the library's guides (their rules tell which apps' time
	// is shared); nil: none.
	guides func() []*guide.Guide

	share, searches atomic.Bool
	identity        atomic.Pointer[string]

	mu      sync.Mutex
	lastDay string // the last day exported
	secret  []byte // this installation's sharing secret (loaded once)
	offSaid string // the last reason logged for not sharing
	team    struct {
		at     time.Time
		totals map[string]report.Totals
	}
}

func newInsights(root string, st *store.Store, c *coach.Coach, git bool, log *slog.Logger) *insights {
	return &insights{root: root, st: st, c: c, git: git, now: time.Now, log: log, open: OpenPath}
}

// setSharing applies the settings (any goroutine).
func (in *insights) setSharing(share, searches bool, identity string) {
	in.share.Store(share)
	in.searches.Store(share && searches)
	in.identity.Store(&identity)
}

func (in *insights) Identity() string {
	if p := in.identity.Load(); p != nil {
		return *p
	}
	return ""
}

// steps reads a checklist guide's step ids from its file.
func (in *insights) steps(id string) []string {
	g, _ := library.ParseFile(id, filepath.Join(in.root, filepath.FromSlash(id)))
	if g == nil {
		return nil
	}
	ids := make([]string, len(g.Steps))
	for i, s := range g.Steps {
		ids[i] = s.ID
	}
	return ids
}

// sharingSecret is this installation's sharing secret (in.mu held).
func (in *insights) sharingSecret() ([]byte, error) {
	if in.secret == nil {
		s, err := seal.Secret(paths.SharingSecret())
		if err != nil {
			return nil, err
		}
		in.secret = s
	}
	return in.secret, nil
}

// monthID is this installation's id in the month of date (YYYY-MM-DD):
// a new one every calendar month (in.mu held).
func (in *insights) monthID(date string) (string, error) {
	s, err := in.sharingSecret()
	if err != nil {
		return "", err
	}
	return seal.MonthID(s, date[:7]), nil
}

// readers are the library's readers, or why nothing is shared.
func (in *insights) readers() (seal.Readers, string) {
	ls, err := library.LoadSettings(in.root)
	if err != nil {
		return seal.Readers{}, "nothing is shared: " + err.Error()
	}
	if off := ls.SharingOff(); off != "" {
		return seal.Readers{}, off
	}
	r, err := ls.SharingReaders()
	if err != nil {
		return seal.Readers{}, "nothing is shared: " + err.Error()
	}
	return r, ""
}

// SharingStatus says what sharing usage does now, for Settings and
// cuecard status ("" when the user does not share).
func (in *insights) SharingStatus() string {
	if !in.share.Load() {
		return ""
	}
	if in.git {
		return "Usage is not shared: the library is a git repository, which Cuecard does not commit to."
	}
	if _, off := in.readers(); off != "" {
		return "Usage is not shared: " + strings.TrimPrefix(off, "nothing is shared: ") + "."
	}
	return "Usage is shared sealed: only the library's readers can open it."
}

// export writes this month's days (and the last exported day's month,
// once the month has changed) sealed to the library's readers into
// <library>/_insights/<this month's id>/<YYYY-MM>.age, when the user
// shares usage and the library names readers. Writing a month again
// replaces its file.
func (in *insights) export() error {
	if !in.share.Load() || in.st == nil {
		return nil
	}
	if in.git {
		in.log.Info("usage is not shared: the library is a git repository, which Cuecard does not commit to")
		return nil
	}
	readers, off := in.readers()
	in.mu.Lock()
	defer in.mu.Unlock()
	if off != "" {
		if off != in.offSaid {
			in.log.Info("usage is not shared", "why", off)
			in.offSaid = off
		}
		return nil
	}
	in.offSaid = ""
	in.c.FlushFocus()
	var guides []*guide.Guide
	if in.guides != nil {
		guides = in.guides()
	}
	apps := report.AppSharing(guides, coach.DefaultBrowsers())
	now := in.now()
	today := now.Format(store.DateFormat)
	// This month, and the last exported day's month once more when the
	// month has changed since: one file per month, all its days.
	months := []time.Time{now}
	if in.lastDay != "" && in.lastDay[:7] != today[:7] {
		if d, err := time.ParseInLocation(store.DateFormat, in.lastDay, now.Location()); err == nil {
			months = append([]time.Time{d}, months...)
		}
	}
	for _, d := range months {
		first := time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, d.Location())
		last := first.AddDate(0, 1, -1)
		if last.After(now) {
			last = now
		}
		month := first.Format("2006-01")
		id, err := in.monthID(month + "-01")
		if err != nil {
			return fmt.Errorf("share usage: %w", err)
		}
		aggs, err := report.Local(in.st, first, last, report.LocalOptions{Install: id, Steps: in.steps, Searches: in.searches.Load(), Share: true, Apps: apps})
		if err != nil {
			return fmt.Errorf("share usage: %w", err)
		}
		if len(aggs) == 0 {
			continue
		}
		p, err := report.WriteMonth(in.root, id, month, aggs, readers)
		if err != nil {
			return fmt.Errorf("share usage: %w", err)
		}
		in.log.Debug("shared usage", "file", p)
	}
	in.lastDay = today
	return nil
}

// run exports every exportEvery until ctx is done.
func (in *insights) run(ctx context.Context) {
	every := exportEvery
	if v, err := time.ParseDuration(os.Getenv("CUECARD_EXPORT_EVERY")); err == nil && v > 0 {
		every = v
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := in.export(); err != nil {
				in.log.Warn("could not share usage", "err", err)
			}
		}
	}
}

// usage is this computer's usage from from to to, for `cuecard report`.
func (in *insights) usage(from, to time.Time) ([]report.Aggregate, error) {
	if in.st == nil {
		return nil, fmt.Errorf("the running Cuecard has no state file open")
	}
	in.c.FlushFocus()
	return report.Local(in.st, from, to, report.LocalOptions{Steps: in.steps, Searches: true})
}

// GuideStats is a guide's all-time views and helpful votes: this computer's
// plus every other installation's shared ones (read at most once a minute).
func (in *insights) GuideStats(id string) (views, helpful int, err error) {
	var aggs []report.Aggregate
	if in.st != nil {
		if aggs, err = report.Local(in.st, time.Time{}, in.now(), report.LocalOptions{}); err != nil {
			return 0, 0, err
		}
	}
	own := report.GuideTotals(aggs)[id]
	in.mu.Lock()
	if in.team.totals == nil || in.now().Sub(in.team.at) > time.Minute {
		// Only a reader opens the team's sealed usage.
		var team []report.Aggregate
		var warnings []string
		var err error
		if key, kerr := seal.LoadKey(paths.ReaderKey()); kerr == nil {
			legacy := "" // the id earlier versions shared, the same every month
			if in.st != nil {
				legacy, _ = in.st.InstallID()
			}
			self := func(install, date string) bool {
				me, err := in.monthID(date)
				return install == legacy || (err == nil && install == me)
			}
			var t *report.TeamUsage
			if t, err = report.ReadTeam(in.root, report.TeamOptions{Key: key, Exclude: self}); err == nil {
				team, warnings = t.Aggregates, t.Warnings
			}
		}
		if err != nil {
			in.log.Warn("could not read the team's usage", "err", err)
		}
		for _, w := range warnings {
			in.log.Warn("team usage", "skipped", w)
		}
		in.team.totals, in.team.at = report.GuideTotals(team), in.now()
	}
	other := in.team.totals[id]
	in.mu.Unlock()
	return own.Views + other.Views, own.Helpful + other.Helpful, nil
}

// report builds the HTML report for "Insights...": the team's shared usage
// when there is any (or this installation shares), else this computer's;
// it is written to the cache folder and opened in the browser.
func (in *insights) openReport(ctx context.Context) (string, error) {
	res, err := library.Scan(ctx, in.root, library.Options{})
	if err != nil {
		return "", err
	}
	now := in.now()
	from := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location()).AddDate(0, 0, -29)
	o := report.Options{Now: now, From: from, Browsers: coach.DefaultBrowsers()}
	if err := in.export(); err != nil {
		in.log.Warn("could not share usage", "err", err)
	}
	var aggs []report.Aggregate
	if key, kerr := seal.LoadKey(paths.ReaderKey()); kerr == nil { // a reader sees the team's
		ls, _ := library.LoadSettings(in.root)
		t, err := report.ReadTeam(in.root, report.TeamOptions{Key: key})
		if err != nil {
			return "", err
		}
		aggs = t.Aggregates
		if len(aggs) > 0 {
			o.Scope, o.Warnings, o.MinInstalls = report.ScopeTeam, t.Warnings, report.DefaultMinInstalls
			if ls.MinInstalls > 0 {
				o.MinInstalls = ls.MinInstalls
			}
		}
	}
	if len(aggs) == 0 { // not a reader, or nothing shared yet: this computer's usage
		var err error
		if aggs, err = in.usage(from, now); err != nil {
			return "", err
		}
	}
	var b bytes.Buffer
	if err := report.HTML(&b, report.Build(res.Guides, aggs, o)); err != nil {
		return "", err
	}
	p := filepath.Join(paths.Cache(), "insights.html")
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return "", fmt.Errorf("write the insights report: %w", err)
	}
	if err := atomicfile.Write(p, b.Bytes(), 0o644); err != nil {
		return "", fmt.Errorf("write the insights report: %w", err)
	}
	in.log.Info("wrote the insights report", "file", p)
	return p, in.open(p)
}
