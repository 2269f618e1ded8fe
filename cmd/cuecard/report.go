package main

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/cuecard/cuecard/internal/atomicfile"
	"github.com/cuecard/cuecard/internal/coach"
	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/library"
	"github.com/cuecard/cuecard/internal/owner"
	"github.com/cuecard/cuecard/internal/paths"
	"github.com/cuecard/cuecard/internal/report"
	"github.com/cuecard/cuecard/internal/seal"
	"github.com/cuecard/cuecard/internal/store"
	"github.com/cuecard/cuecard/internal/track"
)

// cmdReport prints the content owners' insights.
func (m *Main) cmdReport(ctx context.Context, args []string) error {
	fs := m.flags("report")
	since := fs.String("since", "30d", "the period to count usage over: 30d, 6w, 3m, 1y, or a first day YYYY-MM-DD")
	owner := fs.String("owner", "", "one owner's to-do list: only the guides whose owner is EMAIL")
	format := fs.String("format", "text", "output format: "+strings.Join(report.Formats, ", "))
	out := fs.String("out", "", "write the report to FILE instead of the standard output")
	team := fs.Bool("team", false, "the usage every installation shares in the library's _insights folder, instead of this computer's")
	training := fs.Bool("training", false, "the Start-here track of everyone whose Cuecard records completions in the library's _training folder: who has done what, what is overdue, records of an older version")
	keyFile := fs.String("key", "", "the reader's private key that opens the sealed --team and --training files (default: the one cuecard keys new wrote, "+paths.ReaderKey()+")")
	pos, err := m.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("report takes no arguments (got %q); see cuecard report --help", pos[0])
	}
	if !slices.Contains(report.Formats, *format) {
		return usagef("report: unknown --format %q: use one of %s", *format, strings.Join(report.Formats, ", "))
	}
	now := m.Now()
	from, err := parseSince(*since, now)
	if err != nil {
		return usagef("report: --since %q: %v", *since, err)
	}
	if *out != "" {
		if err := checkWritable(*out); err != nil {
			return err
		}
	}
	root, err := m.libraryRoot()
	if err != nil {
		return err
	}
	guides, err := m.scanGuides(ctx, root)
	if err != nil {
		return err
	}
	if *keyFile == "" {
		*keyFile = paths.ReaderKey()
	}
	ls, err := library.LoadSettings(root)
	if err != nil && (*team || *training) {
		return err // the readers and k are in it
	}
	if *training {
		t, err := m.trainingReport(root, guides, now, *keyFile, ls)
		if err != nil {
			return err
		}
		return writeReport(m, *out, func(w io.Writer) error { return report.RenderTraining(w, t, *format) })
	}
	o := report.Options{Now: now, From: from, Owner: strings.TrimSpace(*owner), Browsers: coach.DefaultBrowsers()}
	var aggs []report.Aggregate
	if *team {
		t, err := m.teamUsage(root, *keyFile, ls, now)
		if err != nil {
			return err
		}
		aggs = t.Aggregates
		o.Scope, o.Warnings, o.MinInstalls = report.ScopeTeam, t.Warnings, report.DefaultMinInstalls
		if ls.MinInstalls > 0 {
			o.MinInstalls = ls.MinInstalls
		}
	} else if aggs, err = m.localUsage(ctx, root, from, now, guides); err != nil {
		return err
	}
	r := report.Build(guides, aggs, o)
	return writeReport(m, *out, func(w io.Writer) error { return report.Render(w, r, *format) })
}

// writeReport renders a report to the standard output, or whole or not at
// all to the file out.
func writeReport(m *Main, out string, render func(io.Writer) error) error {
	if out == "" {
		return render(m.Stdout)
	}
	var b bytes.Buffer
	if err := render(&b); err != nil {
		return err
	}
	if err := atomicfile.Write(out, b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("save the report: %w", err)
	}
	fmt.Fprintf(m.Stderr, "Wrote the report to %s\n", out)
	return nil
}

// teamUsage opens the team's sealed usage with the reader's key (and,
// with the library's readers, tidies the folder: clear text of earlier
// versions sealed, past months compacted, old months removed). It says on
// the standard error which files the key could not open; a key that opens
// none of them is an error.
func (m *Main) teamUsage(root, keyFile string, ls library.Settings, now time.Time) (*report.TeamUsage, error) {
	key, err := seal.LoadKey(keyFile)
	if err != nil {
		return nil, err
	}
	readers, _ := ls.SharingReaders() // checked when the settings were read
	t, err := report.ReadTeam(root, report.TeamOptions{Key: key, Readers: readers, Now: now, Retention: ls.Retention})
	if err != nil {
		return nil, err
	}
	for _, w := range t.Warnings {
		fmt.Fprintf(m.Stderr, "cuecard: warning: %s\n", w)
	}
	if t.Resealed+t.Compacted+t.Removed > 0 {
		fmt.Fprintf(m.Stderr, "cuecard: tidied %s: %d clear-text files of an earlier version sealed, %d files compacted into monthly roll-ups, %d files past the %d-month retention removed\n",
			report.Folder, t.Resealed, t.Compacted, t.Removed, cmp.Or(ls.Retention, report.DefaultRetention))
	}
	if err := unopened(m, key, "usage", report.Folder, t.Opened, t.Unopened); err != nil {
		return nil, err
	}
	if readers.Empty() {
		fmt.Fprintf(m.Stderr, "cuecard: note: %s\n", ls.SharingOff())
	}
	return t, nil
}

// unopened lists the sealed files key could not open; when it opened none
// of them, that is an error that says what to do.
func unopened(m *Main, key *seal.Key, what, folder string, opened int, files []string) error {
	if len(files) == 0 {
		return nil
	}
	who := strings.Join(key.Recipients(), ", ")
	if opened == 0 {
		return fmt.Errorf("your key %s (recipient %s) opens none of the %d sealed %s files in %s: it is not one of the readers they were sealed to. Ask a reader to add your recipient under readers: in the library's cuecard.yaml (files written after that are readable), or use a reader's key with --key",
			key.Path, who, len(files), what, folder)
	}
	fmt.Fprintf(m.Stderr, "cuecard: %d of %d sealed %s files could not be opened with your key (recipient %s): they were sealed for other readers, and are not counted:\n", len(files), len(files)+opened, what, who)
	for _, f := range files {
		fmt.Fprintf(m.Stderr, "  %s\n", f)
	}
	return nil
}

// trainingReport reads the people's presets and the completion records of
// the library at root, opening them with the reader's key.
func (m *Main) trainingReport(root string, guides []*guide.Guide, now time.Time, keyFile string, ls library.Settings) (*report.Training, error) {
	presets, err := library.People(root)
	if err != nil {
		return nil, err
	}
	people := make([]track.Profile, 0, len(presets))
	for _, p := range presets {
		people = append(people, track.Profile{Identity: p.Identity, Roles: p.Roles, Start: p.StartDate})
	}
	key, err := seal.LoadKey(keyFile)
	if err != nil {
		return nil, err
	}
	readers, _ := ls.SharingReaders() // checked when the settings were read
	rs, err := track.Read(root, track.ReadOptions{Key: key, Readers: readers})
	if err != nil {
		return nil, err
	}
	if err := unopened(m, key, "training", track.TrainingFolder, rs.Opened, rs.Unopened); err != nil {
		return nil, err
	}
	warnings := rs.Problems
	for _, f := range rs.Unopened {
		warnings = append(warnings, f+": sealed for other readers: your key cannot open it")
	}
	if rs.Resealed > 0 {
		fmt.Fprintf(m.Stderr, "cuecard: sealed %d clear-text training records of an earlier version\n", rs.Resealed)
	}
	return report.BuildTraining(guides, people, rs.Records, warnings, now), nil
}

// parseSince turns --since into the first day of the report: a period
// (30d is the last 30 days, today included) or a date.
func parseSince(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	if d, err := time.ParseInLocation(store.DateFormat, s, now.Location()); err == nil {
		if d.After(today) {
			return time.Time{}, errors.New("the first day is in the future")
		}
		return d, nil
	}
	p, err := guide.ParsePeriod(s)
	if err != nil {
		return time.Time{}, errors.New("write a period such as 30d, 6w, 3m or 1y, or a first day as YYYY-MM-DD")
	}
	back := guide.Period{N: -p.N, Unit: p.Unit}
	return back.AddTo(today).AddDate(0, 0, 1), nil
}

// checkWritable fails early, before the library is read, when --out cannot
// be written.
func checkWritable(out string) error {
	dir := filepath.Dir(out)
	if st, err := os.Stat(out); err == nil && st.IsDir() {
		return fmt.Errorf("cannot write the report to %s: it is a folder; give a file name with --out", out)
	}
	f, err := os.CreateTemp(dir, ".cuecard-report-*")
	if err != nil {
		return fmt.Errorf("cannot write the report to %s: %v; choose another --out", out, errors.Unwrap(err))
	}
	f.Close()
	os.Remove(f.Name())
	return nil
}

// scanGuides parses every guide of the library (the index keeps no
// checklist steps, and the report needs them).
func (m *Main) scanGuides(ctx context.Context, root string) ([]*guide.Guide, error) {
	res, err := library.Scan(ctx, root, library.Options{Ignore: m.ignore()})
	if err != nil {
		return nil, err
	}
	return res.Guides, nil
}

// stepIDs gives the checklist step ids of each guide.
func stepIDs(guides []*guide.Guide) func(string) []string {
	by := map[string][]string{}
	for _, g := range guides {
		for _, s := range g.Steps {
			by[g.ID] = append(by[g.ID], s.ID)
		}
	}
	return func(id string) []string { return by[id] }
}

// localUsage is this computer's usage: read from the state file, or, when
// the running app holds it, asked from the app.
func (m *Main) localUsage(ctx context.Context, root string, from, to time.Time, guides []*guide.Guide) ([]report.Aggregate, error) {
	if _, err := os.Stat(paths.State()); errors.Is(err, os.ErrNotExist) {
		return nil, nil // never used on this computer
	}
	st, err := store.Open(paths.State(), store.Options{Logger: m.log, Timeout: 300 * time.Millisecond})
	if errors.Is(err, store.ErrLocked) {
		o := owner.Dial(root)
		if o == nil {
			return nil, fmt.Errorf("%w (a Cuecard app for another library?): use Insights... in its tray menu, quit it, or run cuecard report --team", err)
		}
		resp, err := o.Ask(ctx, owner.Request{Cmd: "usage", From: from, To: to})
		if err != nil {
			return nil, err
		}
		return resp.Usage, nil
	}
	if err != nil {
		return nil, err
	}
	defer st.Close()
	return report.Local(st, from, to, report.LocalOptions{Steps: stepIDs(guides), Searches: true})
}
