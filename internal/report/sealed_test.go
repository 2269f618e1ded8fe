package report_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/coach"
	"github.com/cuecard/cuecard/internal/report"
	"github.com/cuecard/cuecard/internal/seal"
	"github.com/cuecard/cuecard/internal/store"
)

// sealedFiles checks that every file under the library's insights folder
// is ciphertext (not JSON, an age file) and returns how many there are.
func sealedFiles(t testing.TB, lib string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(filepath.Join(lib, report.Folder), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		n++
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if json.Valid(data) || !seal.IsSealed(data) || !strings.HasSuffix(p, seal.Ext) {
			t.Errorf("%s is not a sealed file:\n%.120s", p, data)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// renderAll renders r in every format.
func renderAll(t testing.TB, r *report.Report) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, f := range report.Formats {
		var b bytes.Buffer
		if err := report.Render(&b, r, f); err != nil {
			t.Fatal(err)
		}
		out[f] = b.String()
	}
	return out
}

// Three installations share a month through the library folder, as the app
// shares it (monthly ids, app time only for apps a guide names, search
// texts lower-cased): the folder holds only ciphertext; the reader's key
// opens every file, and the report equals the one of the same usage in
// clear-text files (as earlier versions wrote them) in every format; a
// key that is not a reader's opens none and says which.
func TestSealedTeamFolder(t *testing.T) {
	guides := libraryGuides(t)
	lib := t.TempDir()
	apps := report.AppSharing(guides, coach.DefaultBrowsers())
	var shared []report.Aggregate
	for i := range 3 {
		st := openStore(t)
		simulate(t, st, guides, uint64(40+i))
		secret := fmt.Appendf(nil, "installation %d's sharing secret", i)
		aggs, err := report.Local(st, monthStart, now, report.LocalOptions{Install: seal.MonthID(secret, "2027-03"), Steps: stepsOf(guides),
			Searches: i%2 == 0, Share: true, Apps: apps})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := report.WriteMonth(lib, aggs[0].Install, "2027-03", aggs, testReaders); err != nil {
			t.Fatal(err)
		}
		for _, a := range aggs {
			for _, k := range a.AppsSeen {
				if _, ok := a.Apps[k]; ok || apps(k, "") != report.AppSeen {
					t.Errorf("%s: shared with its time", k)
				}
			}
		}
		shared = append(shared, aggs...)
	}
	if n := sealedFiles(t, lib); n != 3 || len(shared) < 60 {
		t.Fatalf("%d sealed files for three installations' %d days", n, len(shared))
	}

	// The same usage in clear text, as earlier versions wrote it.
	clear := t.TempDir()
	for _, a := range shared {
		data, _ := json.Marshal(a)
		writeFile(t, filepath.Join(clear, report.Folder, a.Install, a.Date+".json"), string(data))
	}
	unsealed, err := report.ReadTeam(clear, report.TeamOptions{})
	if err != nil || len(unsealed.Warnings) > 0 || len(unsealed.Aggregates) != len(shared) {
		t.Fatalf("clear text: %v %v", err, unsealed.Warnings)
	}

	opened, err := report.ReadTeam(lib, report.TeamOptions{Key: testKey})
	if err != nil || len(opened.Warnings) > 0 || len(opened.Unopened) > 0 || opened.Opened != 3 || len(opened.Aggregates) != len(shared) {
		t.Fatalf("opened %d of %d: %v %v %v", opened.Opened, len(shared), err, opened.Warnings, opened.Unopened)
	}
	o := options()
	o.Scope, o.MinInstalls = report.ScopeTeam, report.DefaultMinInstalls
	want := renderAll(t, report.Build(guides, unsealed.Aggregates, o))
	got := renderAll(t, report.Build(guides, opened.Aggregates, o))
	for f := range want {
		if got[f] != want[f] {
			t.Errorf("%s: the report of the sealed folder differs from the clear-text one", f)
		}
	}
	if !strings.Contains(want["text"], "usage shared by 3 installations") || !strings.Contains(want["text"], "Most viewed") {
		t.Errorf("not a team report of the month:\n%s", want["text"])
	}

	// A colleague with read access to the folder and a key of their own.
	private, _, _ := seal.NewKey()
	stranger, _ := seal.ParseKey(private)
	theirs, err := report.ReadTeam(lib, report.TeamOptions{Key: stranger})
	if err != nil || theirs.Opened != 0 || len(theirs.Aggregates) != 0 || len(theirs.Unopened) != 3 || !strings.HasPrefix(theirs.Unopened[0], report.Folder+"/") {
		t.Errorf("a stranger's key: %v opened %d, %d unopened", err, theirs.Opened, len(theirs.Unopened))
	}
	// Without a key: nothing opened either.
	if none, err := report.ReadTeam(lib, report.TeamOptions{}); err != nil || len(none.Aggregates) != 0 || len(none.Unopened) != 3 {
		t.Errorf("no key: %v %d", err, len(none.Aggregates))
	}
}

// kAggregates: three installations view guide a, one views guide b (and
// votes), one searched for "parental leave", all three for "expense
// claim"; a game seen on one, zoom on three; two had failed searches.
func kAggregates() []report.Aggregate {
	ids := []string{"a0000000000000000000000000000000", "b0000000000000000000000000000000", "c0000000000000000000000000000000"}
	var out []report.Aggregate
	for i, id := range ids {
		a := report.Aggregate{Version: 1, Install: id, Date: "2027-03-30",
			Guides:   map[string]report.GuideDay{"sales/monthly-sales-report.md": {Views: 10 + i}},
			AppsSeen: []string{"exe:zoom"}, Searches: map[string]int{"expense claim": 1}}
		if i == 0 {
			a.Guides["it/connect-to-the-vpn.md"] = report.GuideDay{Views: 7, Vote: report.VoteHelpful}
			a.AppsSeen = append(a.AppsSeen, "exe:secretgame")
			a.Searches["parental leave"] = 2
		}
		if i < 2 {
			a.FailedSearches = 3
		}
		out = append(out, a)
	}
	return out
}

// Every figure from fewer than 3 installations is "fewer than 3" in text,
// Markdown, CSV, JSON and HTML; search texts and apps seen on fewer are
// left out; k is configurable upward.
func TestKAnonymousReport(t *testing.T) {
	guides := libraryGuides(t)
	o := options()
	o.Scope, o.MinInstalls = report.ScopeTeam, 3
	r := report.Build(guides, kAggregates(), o)
	out := renderAll(t, r)
	for f, s := range out {
		if !strings.Contains(s, "fewer than 3") {
			t.Errorf("%s: no masked figure:\n%s", f, s)
		}
		for _, gone := range []string{"parental leave", "secretgame"} {
			if strings.Contains(s, gone) {
				t.Errorf("%s: holds %q, from one installation", f, gone)
			}
		}
		for _, kept := range []string{"expense claim", "zoom"} {
			if !strings.Contains(s, kept) {
				t.Errorf("%s: lacks %q, from three installations", f, kept)
			}
		}
	}
	// The VPN guide's row: every figure masked, in each format.
	var vpn map[string]any
	var rep struct {
		Usage struct {
			Guides []map[string]any `json:"guides"`
			Daily  []map[string]any `json:"daily"`
		} `json:"usage"`
		Gaps map[string]any `json:"gaps"`
	}
	if err := json.Unmarshal([]byte(out["json"]), &rep); err != nil {
		t.Fatal(err)
	}
	for _, g := range rep.Usage.Guides {
		if g["id"] == "it/connect-to-the-vpn.md" {
			vpn = g
		} else if g["views"] != 33.0 || g["people"] != 3.0 {
			t.Errorf("a guide of three installations masked: %v", g)
		}
	}
	if vpn == nil || vpn["views"] != "fewer than 3" || vpn["helpful"] != "fewer than 3" || vpn["people"] != "fewer than 3" {
		t.Errorf("json: the one installation's guide: %v", vpn)
	}
	if rep.Gaps["failed_searches"] != "fewer than 3" {
		t.Errorf("json: failed searches from two installations: %v", rep.Gaps["failed_searches"])
	}
	rows, err := csv.NewReader(strings.NewReader(out["csv"])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range rows {
		if row[1] == "it/connect-to-the-vpn.md" && (row[7] != "fewer than 3" || row[8] != "fewer than 3" || row[14] != "fewer than 3") {
			t.Errorf("csv: %v", row)
		}
	}
	for _, f := range []string{"text", "md", "html"} {
		line := ""
		for _, l := range strings.Split(out[f], "\n") {
			if strings.Contains(l, "How to connect to the office VPN") && strings.Contains(l, "fewer than 3") {
				line = l
			}
		}
		if line == "" || strings.Contains(line, " 7 ") || strings.Contains(line, ">7<") {
			t.Errorf("%s: the VPN guide's row is not masked: %q", f, line)
		}
	}
	// k configurable upward: with 5, the three installations' figures go too.
	o.MinInstalls = 5
	r5 := report.Build(guides, kAggregates(), o)
	if g := r5.Usage.Guides; len(g) == 0 || !g[0].Masked("views") || !r5.Usage.Masked("views") || len(r5.Gaps.Searches) != 0 || len(r5.Gaps.Apps) != 0 {
		t.Errorf("k=5: %+v", r5.Usage)
	}
	if s := renderAll(t, r5)["text"]; !strings.Contains(s, "fewer than 5") {
		t.Errorf("k=5 text:\n%s", s)
	}
	// This computer's own report is not masked.
	o.MinInstalls, o.Scope = 0, report.ScopeLocal
	if s := renderAll(t, report.Build(guides, kAggregates()[:1], o))["text"]; strings.Contains(s, "fewer than") {
		t.Errorf("a local report is masked:\n%s", s)
	}
}

// yearOfInstalls writes installs installations' sealed months, as the app
// writes them, from from's month to to: each installation has its own
// secret and so a new id every month, and is used on about 4 of 5
// weekdays. It returns how many files it wrote.
func yearOfInstalls(tb testing.TB, lib string, installs int, from, to time.Time) int {
	tb.Helper()
	guideIDs := []string{"sales/monthly-sales-report.md", "it/connect-to-the-vpn.md", "it/security-basics.md", "people/code-of-conduct.md", "finance/expenses.md", "sales/pricing-tiers.md"}
	apps := []string{"exe:gimp", "exe:zoom", "class:xpdf", "web:old intranet"}
	type job struct {
		i int
	}
	work := make(chan job)
	var wg sync.WaitGroup
	var mu sync.Mutex
	total := 0
	var failed error
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range work {
				rng := rand.New(rand.NewPCG(uint64(j.i), 7))
				secret := fmt.Appendf(nil, "secret of installation %d", j.i)
				n := 0
				var month []report.Aggregate
				flush := func() error {
					if len(month) == 0 {
						return nil
					}
					a := month[0]
					sealed, err := report.SealMonth(report.Rollup{Version: report.FormatVersion, Month: a.Date[:7], Days: month}, testReaders)
					p := report.MonthPath(lib, a.Install, a.Date[:7])
					if err == nil {
						err = os.MkdirAll(filepath.Dir(p), 0o755)
					}
					if err == nil {
						err = os.WriteFile(p, sealed, 0o644)
					}
					month = nil
					n++
					return err
				}
				for d := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, time.UTC); !d.After(to); d = d.AddDate(0, 0, 1) {
					if d.Weekday() == time.Saturday || d.Weekday() == time.Sunday || rng.IntN(5) == 0 {
						continue
					}
					date := d.Format(store.DateFormat)
					if len(month) > 0 && month[0].Date[:7] != date[:7] {
						if err := flush(); err != nil {
							mu.Lock()
							failed = err
							mu.Unlock()
							return
						}
					}
					a := report.Aggregate{Version: report.FormatVersion, Install: seal.MonthID(secret, date[:7]), Date: date,
						Guides: map[string]report.GuideDay{}, AppsSeen: []string{apps[rng.IntN(len(apps))]}}
					for range 1 + rng.IntN(3) {
						g := a.Guides[guideIDs[rng.IntN(len(guideIDs))]]
						g.Views++
						a.Guides[guideIDs[rng.IntN(len(guideIDs))]] = g
					}
					if rng.IntN(4) == 0 {
						a.FailedSearches = 1
						a.Searches = map[string]int{"expense claim": 1}
					}
					month = append(month, a)
				}
				if err := flush(); err != nil {
					mu.Lock()
					failed = err
					mu.Unlock()
					return
				}
				mu.Lock()
				total += n
				mu.Unlock()
			}
		}()
	}
	for i := range installs {
		work <- job{i}
	}
	close(work)
	wg.Wait()
	if failed != nil {
		tb.Fatal(failed)
	}
	return total
}

func countFiles(tb testing.TB, dir string) int {
	n := 0
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return nil
	})
	return n
}

// A reader's report tidies the folder: the installations' files of past
// months (and day files before today) are compacted into one sealed
// roll-up per month, what is older than the
// retention is removed, clear-text files of earlier versions are sealed;
// the report of the usage kept is the same before and after, and a day
// file written late into a compacted month is merged on the next run.
func TestCompactAndRetention(t *testing.T) {
	guides := libraryGuides(t)
	lib := t.TempDir()
	written := yearOfInstalls(t, lib, 4, time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC), now)
	// A clear-text file of an earlier version, this month and last.
	legacy := func(date string) {
		a := report.Aggregate{Version: 1, Install: installA, Date: date, Guides: map[string]report.GuideDay{"a.md": {Views: 1}}}
		data, _ := json.Marshal(a)
		writeFile(t, filepath.Join(lib, report.Folder, installA, date+".json"), string(data))
	}
	legacy("2027-02-10")
	legacy("2027-03-10")
	o := report.TeamOptions{Key: testKey, Readers: testReaders, Now: now, Retention: 13}
	before, err := report.ReadTeam(lib, report.TeamOptions{Key: testKey})
	if err != nil || len(before.Warnings) > 0 {
		t.Fatal(err, before.Warnings)
	}
	first, err := report.ReadTeam(lib, o)
	if err != nil || len(first.Warnings) > 0 {
		t.Fatal(err, first.Warnings)
	}
	// 13 months back from March 2027 is March 2026: the months of
	// December 2025 to February 2026 are past the retention.
	oldMonths := map[string]bool{}
	for _, a := range before.Aggregates {
		if a.Date < "2026-03" {
			oldMonths[a.Install] = true
		}
	}
	old := len(oldMonths)
	if first.Removed != old || old == 0 || first.Resealed != 2 || first.Compacted < written/2 {
		t.Errorf("removed %d (want %d), resealed %d, compacted %d of %d", first.Removed, old, first.Resealed, first.Compacted, written)
	}
	after := sealedFiles(t, lib)
	// 12 roll-ups (March 2026 to February 2027), March's for the clear-text
	// day of 10 March, and the four installations' files of this month.
	if rollups := countFiles(t, filepath.Join(lib, report.Folder, report.MonthsFolder)); rollups != 13 || after != rollups+4 {
		t.Errorf("%d files after compaction: %d roll-ups", after, rollups)
	}
	second, err := report.ReadTeam(lib, o)
	if err != nil || len(second.Warnings) > 0 || second.Compacted+second.Removed+second.Resealed != 0 {
		t.Fatalf("second run: %v %v %+v", err, second.Warnings, second)
	}
	ro := options()
	ro.From, ro.Scope, ro.MinInstalls = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), report.ScopeTeam, 3
	kept := []report.Aggregate{}
	for _, a := range before.Aggregates {
		if a.Date >= "2026-03" {
			kept = append(kept, a)
		}
	}
	want := renderAll(t, report.Build(guides, kept, ro))
	got := renderAll(t, report.Build(guides, second.Aggregates, ro))
	for f := range want {
		if got[f] != want[f] {
			t.Errorf("%s: the report after compaction differs", f)
		}
	}
	// A day of February written late (the app was off at the month's end).
	late := report.Aggregate{Install: "e0000000000000000000000000000000", Date: "2027-02-27", Guides: map[string]report.GuideDay{"a.md": {Views: 2}}}
	if _, err := report.Write(lib, late, testReaders); err != nil {
		t.Fatal(err)
	}
	third, err := report.ReadTeam(lib, o)
	if err != nil || third.Compacted != 1 || len(third.Aggregates) != len(second.Aggregates)+1 {
		t.Errorf("late day: %v compacted %d, %d aggregates after %d", err, third.Compacted, len(third.Aggregates), len(second.Aggregates))
	}
	if _, err := os.Stat(filepath.Join(lib, report.Folder, late.Install)); !os.IsNotExist(err) {
		t.Errorf("the late day's folder is left: %v", err)
	}
	// A reader whose key does not open a month's roll-up leaves it alone.
	private, _, _ := seal.NewKey()
	stranger, _ := seal.ParseKey(private)
	if _, err := report.ReadTeam(lib, report.TeamOptions{Key: stranger, Readers: testReaders, Now: now}); err != nil {
		t.Fatal(err)
	}
	if again, _ := report.ReadTeam(lib, report.TeamOptions{Key: testKey}); len(again.Aggregates) != len(third.Aggregates) {
		t.Errorf("a stranger's run lost usage: %d aggregates, want %d", len(again.Aggregates), len(third.Aggregates))
	}
}

var yearInstalls = flag.Int("year-installs", 500, "installations in BenchmarkTeamYear")

// BenchmarkTeamYear: a year of 500 installations' sealed months (6,000
// files, about 104,000 days), compacted by a reader's first report, then
// reported again from the roll-ups. Run with -benchtime=1x.
func BenchmarkTeamYear(b *testing.B) {
	guides := libraryGuides(b)
	from := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	for b.Loop() {
		b.StopTimer()
		lib := b.TempDir()
		setup := time.Now()
		files := yearOfInstalls(b, lib, *yearInstalls, from, now)
		b.ReportMetric(float64(files), "files")
		b.ReportMetric(time.Since(setup).Seconds(), "setup-s")
		b.StartTimer()
		o := report.TeamOptions{Key: testKey, Readers: testReaders, Now: now}
		ro := options()
		ro.From, ro.Scope, ro.MinInstalls = from, report.ScopeTeam, 3
		start := time.Now()
		t, err := report.ReadTeam(lib, o)
		if err != nil || len(t.Warnings) > 0 {
			b.Fatal(err, t.Warnings)
		}
		var out bytes.Buffer
		if err := report.Text(&out, report.Build(guides, t.Aggregates, ro)); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(time.Since(start).Seconds(), "compact+report-s")
		start = time.Now()
		t2, err := report.ReadTeam(lib, o)
		if err != nil || len(t2.Aggregates) != len(t.Aggregates) {
			b.Fatal(err, len(t2.Aggregates), len(t.Aggregates))
		}
		r := report.Build(guides, t2.Aggregates, ro)
		out.Reset()
		if err := report.Text(&out, r); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(time.Since(start).Seconds(), "report-s")
		b.ReportMetric(float64(countFiles(b, filepath.Join(lib, report.Folder))), "files-after")
		b.ReportMetric(float64(r.Installs), "installs")
	}
}
