package report_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/report"
	"github.com/cuecard/cuecard/internal/store"
)

const installA = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"

// localReport is the report of one simulated month on one computer.
func localReport(t *testing.T) (*report.Report, *tally, []*guide.Guide) {
	t.Helper()
	guides := libraryGuides(t)
	st := openStore(t)
	tl := simulate(t, st, guides, 1)
	aggs, err := report.Local(st, windowFrom, now, report.LocalOptions{Install: installA, Steps: stepsOf(guides), Searches: true})
	if err != nil {
		t.Fatal(err)
	}
	return report.Build(guides, aggs, options()), tl, guides
}

// The report's numbers are the simulation's own tally of what happened in
// the window.
func TestLocalReportMatchesTheMonth(t *testing.T) {
	r, tl, guides := localReport(t)
	u := r.Usage
	if u.Views != tl.views || u.Helpful != tl.helpful || u.Unhelpful != tl.unhelpful || u.Started != tl.started || u.Completed != tl.completed {
		t.Errorf("usage views %d helpful %d unhelpful %d started %d completed %d; the month had %d %d %d %d %d",
			u.Views, u.Helpful, u.Unhelpful, u.Started, u.Completed, tl.views, tl.helpful, tl.unhelpful, tl.started, tl.completed)
	}
	if tl.views < 100 || tl.started == 0 || tl.completed == 0 || tl.completed >= tl.started || tl.helpful == 0 || tl.unhelpful == 0 {
		t.Fatalf("the simulated month is not a realistic one: %+v", tl)
	}
	for _, g := range u.Guides {
		if g.Views != tl.guideViews[g.ID] {
			t.Errorf("%s: %d views, the month had %d", g.ID, g.Views, tl.guideViews[g.ID])
		}
	}
	for i := 1; i < len(u.Guides); i++ {
		if u.Guides[i].Views > u.Guides[i-1].Views {
			t.Errorf("most viewed is not sorted at %d", i)
		}
	}
	if r.Days != 30 || len(u.Daily) != 30 || u.Daily[0].Date != "2027-03-02" || u.Daily[29].Date != "2027-03-31" {
		t.Errorf("window: %d days, %+v ... ", r.Days, u.Daily[:1])
	}
	sum := 0
	for _, d := range u.Daily {
		sum += d.Views
	}
	if sum != tl.views {
		t.Errorf("views over time sum to %d, want %d", sum, tl.views)
	}

	// Freshness: every guide is counted once.
	f := r.Freshness
	if f.Guides != len(guides) || f.InWindow+f.Overdue+f.NoDate != f.Guides || f.Overdue == 0 || f.DueSoon == 0 {
		t.Errorf("freshness %+v of %d guides", f, len(guides))
	}
	listed := 0
	for _, o := range f.Owners {
		for _, g := range o.Guides {
			listed++
			gd := find(guides, g.ID)
			st, days := report.Status(gd, now, 14*24*time.Hour)
			if st != g.Status || days != g.Days {
				t.Errorf("%s: %s %d, want %s %d", g.ID, g.Status, g.Days, st, days)
			}
			if g.Status == report.StatusOverdue && !gd.Stale(now) {
				t.Errorf("%s listed overdue but not stale", g.ID)
			}
			if o.Owner != gd.Owner && !(gd.Owner == "" && o.Owner == "(no owner)") {
				t.Errorf("%s listed under %s, owner %s", g.ID, o.Owner, gd.Owner)
			}
		}
	}
	if listed != f.Overdue+f.DueSoon+f.NoDate {
		t.Errorf("listed %d guides to review, want %d", listed, f.Overdue+f.DueSoon+f.NoDate)
	}

	// Gaps: failed searches normalised and counted; apps without guides.
	if r.Gaps.FailedSearches != tl.misses {
		t.Errorf("failed searches %d, want %d", r.Gaps.FailedSearches, tl.misses)
	}
	for _, s := range r.Gaps.Searches {
		if s.Count != tl.missTexts[s.Text] {
			t.Errorf("search %q counted %d, want %d", s.Text, s.Count, tl.missTexts[s.Text])
		}
		if s.Text != store.NormalizeQuery(s.Text) {
			t.Errorf("search %q is not normalised", s.Text)
		}
	}
	gapKeys := map[string]int{}
	for _, a := range r.Gaps.Apps {
		gapKeys[a.Key] = a.Minutes
	}
	for _, want := range []string{"exe:gimp", "exe:zoom", "web:old intranet", "class:xpdf"} {
		if gapKeys[want] != tl.focus[want]/60 {
			t.Errorf("app gap %s: %d min, want %d (gaps %v)", want, gapKeys[want], tl.focus[want]/60, gapKeys)
		}
	}
	for _, covered := range []string{"exe:thunderbird", "exe:soffice.bin", "web:(report|dashboard).*\\| salesforce", "exe:firefox", "exe:gnome-calculator"} {
		if _, ok := gapKeys[covered]; ok {
			t.Errorf("%s is listed as an app without a guide", covered)
		}
	}
}

func find(gs []*guide.Guide, id string) *guide.Guide {
	for _, g := range gs {
		if g.ID == id {
			return g
		}
	}
	return nil
}

func TestGoldenLocal(t *testing.T) {
	r, _, _ := localReport(t)
	for _, f := range []struct{ format, file string }{{"text", "local.txt.golden"}, {"csv", "local.csv.golden"}, {"json", "local.json.golden"}, {"md", "local.md.golden"}} {
		var b bytes.Buffer
		if err := report.Render(&b, r, f.format); err != nil {
			t.Fatal(err)
		}
		golden(t, f.file, b.Bytes())
	}
	// The CSV parses, every row has every column, and its guide rows
	// agree with the report.
	var b bytes.Buffer
	_ = report.CSV(&b, r)
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	views := 0
	for _, row := range rows[1:] {
		if row[0] == "guide" {
			var n int
			fmt.Sscan(row[7], &n)
			views += n
		}
	}
	if views != r.Usage.Views {
		t.Errorf("CSV guide rows sum to %d views, want %d", views, r.Usage.Views)
	}
	var back report.Report
	b.Reset()
	_ = report.JSON(&b, r)
	if err := json.Unmarshal(b.Bytes(), &back); err != nil || back.Usage.Views != r.Usage.Views {
		t.Errorf("JSON round trip: %v", err)
	}
}

// --owner is one owner's to-do list: only their guides, no gaps.
func TestOwnerReport(t *testing.T) {
	guides := libraryGuides(t)
	st := openStore(t)
	simulate(t, st, guides, 1)
	aggs, err := report.Local(st, windowFrom, now, report.LocalOptions{Install: installA, Steps: stepsOf(guides)})
	if err != nil {
		t.Fatal(err)
	}
	o := options()
	o.Owner = "Maria.Lopez@example.com" // case does not matter
	r := report.Build(guides, aggs, o)
	if r.Gaps != nil {
		t.Error("an owner's report lists content gaps")
	}
	mine := 0
	for _, g := range guides {
		if g.Owner == "maria.lopez@example.com" {
			mine++
		}
	}
	if r.Freshness.Guides != mine || len(r.Freshness.Owners) > 1 {
		t.Errorf("owner report covers %d guides (%d owners), want %d of one owner", r.Freshness.Guides, len(r.Freshness.Owners), mine)
	}
	for _, g := range r.Usage.Guides {
		if g.Owner != "maria.lopez@example.com" {
			t.Errorf("owner report lists %s of %s", g.ID, g.Owner)
		}
	}
	var b bytes.Buffer
	if err := report.Text(&b, r); err != nil {
		t.Fatal(err)
	}
	golden(t, "owner.txt.golden", b.Bytes())
}

// Four people share their (sealed) usage; one colleague's folder holds clear-text files of an earlier version: a corrupt
// file, one from a newer version and one with a path outside the library:
// each is reported and skipped, the rest merged.
func TestTeamReport(t *testing.T) {
	guides := libraryGuides(t)
	lib := t.TempDir()
	installs := []string{installA, "11111111111111111111111111111111", "22222222222222222222222222222222", "33333333333333333333333333333333"}
	var total tally
	total.missTexts = map[string]int{}
	for i, id := range installs {
		st := openStore(t)
		tl := simulate(t, st, guides, uint64(10+i))
		total.views += tl.views
		total.misses += tl.misses
		aggs, err := report.Local(st, monthStart, now, report.LocalOptions{Install: id, Steps: stepsOf(guides), Searches: i%2 == 0})
		if err != nil {
			t.Fatal(err)
		}
		if i%2 == 0 {
			for q, n := range tl.missTexts {
				total.missTexts[q] += n
			}
		}
		for _, a := range aggs {
			if _, err := report.Write(lib, a, testReaders); err != nil {
				t.Fatal(err)
			}
		}
	}
	bad := filepath.Join(lib, report.Folder, installs[1])
	writeFile(t, filepath.Join(bad, "2027-03-30.json"), `{"version": 1, "install": "`+installs[1]+`", "date": "2027-03-30", "guides": {`) // cut off by a sync conflict
	writeFile(t, filepath.Join(bad, "2027-04-01.json"), `{"version": 9, "install": "`+installs[1]+`", "date": "2027-04-01"}`)
	writeFile(t, filepath.Join(bad, "2027-03-29.json"), `{"version": 1, "install": "`+installs[1]+`", "date": "2027-03-29", "guides": {"../../etc/passwd": {"views": 1}}}`)
	writeFile(t, filepath.Join(bad, ".2027-03-31-123.tmp"), `half`) // a writer's temporary file: ignored
	writeFile(t, filepath.Join(lib, report.Folder, "notes", "x.json"), `{}`)

	aggs, warnings, err := report.Team(lib, testKey, "")
	if err != nil {
		t.Fatal(err)
	}
	joined := strings.Join(warnings, "\n")
	for _, want := range []string{
		"2027-03-30.json: skipped: not valid JSON", "2027-04-01.json: skipped: written by a newer Cuecard", "2027-03-29.json: skipped: guide id \"../../etc/passwd\"",
		filepath.Join(lib, report.Folder, "notes") + ": skipped: not a Cuecard install folder",
	} {
		if !strings.Contains(joined, want) {
			t.Errorf("no warning %q in:\n%s", want, joined)
		}
	}
	if len(warnings) != 4 {
		t.Errorf("%d warnings, want 4:\n%s", len(warnings), joined)
	}
	o := options()
	o.Scope, o.Warnings = report.ScopeTeam, warnings
	r := report.Build(guides, aggs, o)
	if r.Installs != 4 {
		t.Errorf("installs %d", r.Installs)
	}
	// The skipped clear-text files sit beside the sealed ones: count what was read.
	want := 0
	for _, a := range aggs {
		if a.Date >= r.From {
			for _, g := range a.Guides {
				want += g.Views
			}
		}
	}
	if r.Usage.Views != want || want > total.views || want < total.views*8/10 {
		t.Errorf("team views %d, files hold %d, the month had %d", r.Usage.Views, want, total.views)
	}
	people := map[string]int{}
	for _, g := range r.Usage.Guides {
		if g.People > 4 || g.People < 1 {
			t.Errorf("%s: %d people", g.ID, g.People)
		}
		people[g.ID] = g.People
	}
	for _, s := range r.Gaps.Searches {
		if s.People > 2 {
			t.Errorf("search %q from %d people, but only 2 share their texts", s.Text, s.People)
		}
	}
	var b bytes.Buffer
	if err := report.Text(&b, r); err != nil {
		t.Fatal(err)
	}
	// Warnings name files with the system's separator (\ on Windows).
	golden(t, "team.txt.golden", []byte(filepath.ToSlash(strings.ReplaceAll(b.String(), lib, "LIBRARY"))))

	// Excluding an install (the viewer's own, counted from its state).
	rest, _, _ := report.Team(lib, testKey, installs[0])
	for _, a := range rest {
		if a.Install == installs[0] {
			t.Fatal("excluded install read")
		}
	}
}

func writeFile(t *testing.T, p, s string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Writing the same day again replaces its file: hourly writes are
// idempotent, and no temporary file is left behind.
func TestWriteIsAtomicAndIdempotent(t *testing.T) {
	lib := t.TempDir()
	a := report.Aggregate{Install: installA, Date: "2027-05-31", Guides: map[string]report.GuideDay{"a.md": {Views: 1}}}
	p, err := report.Write(lib, a, testReaders)
	if err != nil {
		t.Fatal(err)
	}
	a.Guides["a.md"] = report.GuideDay{Views: 3}
	if _, err := report.Write(lib, a, testReaders); err != nil {
		t.Fatal(err)
	}
	aggs, warnings, err := report.Team(lib, testKey, "")
	if err != nil || len(warnings) != 0 || len(aggs) != 1 || aggs[0].Guides["a.md"].Views != 3 {
		t.Fatalf("after two writes: %+v %v %v", aggs, warnings, err)
	}
	entries, _ := os.ReadDir(filepath.Dir(p))
	if len(entries) != 1 {
		t.Errorf("files left: %v", entries)
	}
	if _, err := report.Write(lib, report.Aggregate{Install: "../x", Date: "2027-05-31"}, testReaders); err == nil {
		t.Error("an invalid install id was written")
	}
	ro := filepath.Join(t.TempDir(), "ro")
	if err := os.MkdirAll(filepath.Join(ro, report.Folder), 0o555); err != nil {
		t.Fatal(err)
	}
	// Root writes anywhere; Windows ignores the read-only attribute (all
	// that 0o555 sets there) on folders.
	if os.Geteuid() != 0 && runtime.GOOS != "windows" {
		if _, err := report.Write(ro, a, testReaders); err == nil || !strings.Contains(err.Error(), ro) {
			t.Errorf("unwritable library: %v", err)
		}
	}
}

func TestGuideTotals(t *testing.T) {
	aggs := []report.Aggregate{
		{Install: "b", Date: "2027-05-02", Guides: map[string]report.GuideDay{"g.md": {Views: 2, Vote: report.VoteUnhelpful}}},
		{Install: "a", Date: "2027-05-01", Guides: map[string]report.GuideDay{"g.md": {Views: 1, Vote: report.VoteUnhelpful}}},
		{Install: "a", Date: "2027-05-03", Guides: map[string]report.GuideDay{"g.md": {Views: 4, Vote: report.VoteHelpful}}},
	}
	got := report.GuideTotals(aggs)["g.md"]
	if got != (report.Totals{Views: 7, Helpful: 1, Unhelpful: 1}) {
		t.Errorf("totals %+v: a's later vote replaces its earlier one", got)
	}
}

// TestWalkthroughsInUsage: Guide me walkthroughs done to the end (the
// store's day records) are counted per guide and in the totals, and the
// text report says so.
func TestWalkthroughsInUsage(t *testing.T) {
	guides := libraryGuides(t)
	st := openStore(t)
	id := guides[0].ID
	for i := range 3 {
		if err := st.RecordWalk(id, now.AddDate(0, 0, -i-1)); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.RecordWalk(id, windowFrom.AddDate(0, 0, -5)); err != nil { // before the window
		t.Fatal(err)
	}
	aggs, err := report.Local(st, windowFrom, now, report.LocalOptions{Install: installA})
	if err != nil {
		t.Fatal(err)
	}
	r := report.Build(guides, aggs, options())
	if r.Usage.Walked != 3 || len(r.Usage.Guides) != 1 || r.Usage.Guides[0].Walked != 3 {
		t.Fatalf("usage %+v", r.Usage)
	}
	var b bytes.Buffer
	if err := report.Render(&b, r, "text"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "Guide me: 3 walkthroughs done to the end") {
		t.Errorf("the text report does not say it:\n%s", b.String())
	}
}
