package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/report"
	"github.com/cuecard/cuecard/internal/seal"
	"github.com/cuecard/cuecard/internal/store"
)

// copyLibrary copies the sample library into a writable folder.
func copyLibrary(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(sample, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(sample, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func TestReportUsageErrors(t *testing.T) {
	e := env(t)
	r := run(t, e, "report", "--help")
	if r.code != 0 || strings.Count(r.stdout, "Usage: cuecard report [--since 30d] [--owner EMAIL] [--team]") != 1 || !strings.Contains(r.stdout, "-format") {
		t.Errorf("report --help: exit %d\n%s", r.code, r.stdout)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"report", "--since", "yesterday"}, `--since "yesterday": write a period such as 30d`},
		{[]string{"report", "--since", "2099-01-01"}, "in the future"},
		{[]string{"report", "--format", "pdf"}, `unknown --format "pdf": use one of text, md, csv, json, html`},
		{[]string{"report", "extra"}, "report takes no arguments"},
	} {
		r := run(t, e, append([]string{"--library", sample}, c.args...)...)
		if r.code != 2 || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", c.args, r.code, r.stderr, c.want)
		}
	}
	out := filepath.Join(t.TempDir(), "no", "such", "folder", "report.html")
	r = run(t, e, "--library", sample, "report", "--format", "html", "--out", out)
	if r.code != 1 || !strings.Contains(r.stderr, "cannot write the report to "+out) || !strings.Contains(r.stderr, "choose another --out") {
		t.Errorf("unwritable --out: exit %d %q", r.code, r.stderr)
	}
}

// A report from this computer's state, then a team report that merges two
// installations' shared files and reports a colleague's corrupt file
// without failing.
func TestReportLocalAndTeam(t *testing.T) {
	e := env(t)
	lib := copyLibrary(t)
	// Nothing used yet: freshness only.
	r := run(t, e, "--library", lib, "report")
	if r.code != 0 || !strings.Contains(r.stdout, "FRESHNESS") || !strings.Contains(r.stdout, "0 views") {
		t.Fatalf("empty report: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(envValue(e, "CUECARD_DATA"), "state.db")); err == nil {
		t.Error("report created a state file")
	}

	// Some use on 20 and 25 November (CUECARD_TODAY is 26 November).
	st, err := store.Open(filepath.Join(envValue(e, "CUECARD_DATA"), "state.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	day := func(d, h int) time.Time { return time.Date(2026, 11, d, h, 0, 0, 0, time.Local) }
	const list = "sales/monthly-sales-report.md"
	for i := range 3 {
		must(t, st.RecordView(list, day(20, 9+i)))
	}
	must(t, st.RecordView("it/connect-to-the-vpn.md", day(25, 10)))
	must(t, st.SetVote(list, true, day(20, 12)))
	must(t, st.RecordMiss("Expense claim form", day(25, 11)))
	must(t, st.AddFocus("exe:gimp", "Gimp", 95*time.Minute, day(25, 16)))
	must(t, st.SetStep(list, "first-step", true, day(20, 13)))
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	r = run(t, e, "--library", lib, "report", "--format", "json", "--since", "7d")
	var rep report.Report
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil || r.code != 0 {
		t.Fatalf("report --format json: exit %d %v\n%s%s", r.code, err, r.stdout, r.stderr)
	}
	if rep.From != "2026-11-20" || rep.To != "2026-11-26" || rep.Usage.Views != 4 || rep.Usage.Helpful != 1 || rep.Usage.Started != 1 ||
		rep.Gaps.FailedSearches != 1 || len(rep.Gaps.Searches) != 1 || rep.Gaps.Searches[0].Text != "expense claim form" ||
		len(rep.Gaps.Apps) != 1 || rep.Gaps.Apps[0].Key != "exe:gimp" || rep.Gaps.Apps[0].Minutes != 95 {
		t.Errorf("report: %+v\n%s", rep, r.stdout)
	}
	if r := run(t, e, "--library", lib, "report", "--format", "json", "--since", "2026-11-21"); !strings.Contains(r.stdout, `"views": 1,`) {
		t.Errorf("--since a date: the 20th counted:\n%s", r.stdout)
	}
	// --owner: the owner's to-do list.
	r = run(t, e, "--library", lib, "report", "--owner", "maria.lopez@example.com")
	if r.code != 0 || !strings.Contains(r.stdout, "Cuecard insights for maria.lopez@example.com") || strings.Contains(r.stdout, "tom.becker") || strings.Contains(r.stdout, "CONTENT GAPS") {
		t.Errorf("owner report:\n%s", r.stdout)
	}
	// HTML to a file.
	out := filepath.Join(t.TempDir(), "insights.html")
	r = run(t, e, "--library", lib, "report", "--format", "html", "--out", out)
	page, err := os.ReadFile(out)
	if r.code != 0 || err != nil || !strings.Contains(string(page), `<svg id="chart-views"`) || strings.Contains(string(page), "http") {
		t.Errorf("html --out: exit %d %v %s", r.code, err, r.stderr)
	}

	// Team: a reader makes a key and the library names it; three
	// installations' sealed files, a fourth's, and a corrupt clear-text one.
	r = run(t, e, "keys", "new")
	recipient := regexp.MustCompile(`\bage1[02-9ac-hj-np-z]{58}\b`).FindString(r.stdout)
	keyFile := filepath.Join(envValue(e, "CUECARD_CONFIG"), "reader-key.txt")
	if st, err := os.Stat(keyFile); r.code != 0 || recipient == "" || err != nil || (runtime.GOOS != "windows" && st.Mode().Perm() != 0o600) || !strings.Contains(r.stdout, "readers:\n  - "+recipient) {
		t.Fatalf("keys new: exit %d %v\n%s%s", r.code, err, r.stdout, r.stderr)
	}
	if r := run(t, e, "keys", "new"); r.code == 0 || !strings.Contains(r.stderr, "never replaces a key") {
		t.Errorf("keys new over a key: exit %d %s", r.code, r.stderr)
	}
	f, err := os.OpenFile(filepath.Join(lib, "cuecard.yaml"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(f, "\nreaders:\n  - %s\n", recipient)
	f.Close()
	readers, err := seal.NewReaders([]string{recipient})
	if err != nil {
		t.Fatal(err)
	}
	for i, id := range []string{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "dddddddddddddddddddddddddddddddd"} {
		a := report.Aggregate{Install: id, Date: "2026-11-2" + string(rune('3'+i)), Guides: map[string]report.GuideDay{list: {Views: 2 + i, Vote: report.VoteHelpful}},
			FailedSearches: 1}
		if i == 0 {
			a.Guides["it/connect-to-the-vpn.md"] = report.GuideDay{Views: 7} // one installation's: masked
		}
		if _, err := report.Write(lib, a, readers); err != nil {
			t.Fatal(err)
		}
	}
	bad := filepath.Join(lib, "_insights", "cccccccccccccccccccccccccccccccc", "2026-11-25.json")
	os.MkdirAll(filepath.Dir(bad), 0o755)
	os.WriteFile(bad, []byte("{\"version\": 1, \"install\": \"ccc"), 0o644)
	r = run(t, e, "--library", lib, "report", "--team", "--format", "json")
	var team struct {
		Installs int `json:"installs"`
		Usage    struct {
			Views, Helpful int
			Guides         []map[string]any `json:"guides"`
		} `json:"usage"`
		Gaps struct {
			FailedSearches int `json:"failed_searches"`
		} `json:"gaps"`
		Warnings []string `json:"warnings"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &team); err != nil || r.code != 0 {
		t.Fatalf("team report: exit %d %v\n%s", r.code, err, r.stderr)
	}
	if team.Installs != 3 || team.Usage.Views != 16 || team.Usage.Helpful != 3 || team.Gaps.FailedSearches != 3 || len(team.Warnings) != 1 {
		t.Errorf("team report %+v", team)
	}
	masked := false
	for _, g := range team.Usage.Guides {
		if g["id"] == "it/connect-to-the-vpn.md" {
			masked = g["views"] == "fewer than 3" && g["people"] == "fewer than 3"
		}
	}
	if !masked {
		t.Errorf("one installation's figures are not masked:\n%s", r.stdout)
	}
	if !strings.Contains(r.stderr, bad+": skipped: not valid JSON") || !strings.Contains(r.stderr, "delete the file") {
		t.Errorf("the corrupt file is not reported on stderr: %q", r.stderr)
	}
	// The reader's run compacted the three days (before today) into
	// November's roll-up.
	if !strings.Contains(r.stderr, "3 files compacted into monthly roll-ups") {
		t.Errorf("no compaction: %s", r.stderr)
	}
	// A key that is not a reader's: a clear error, what to do.
	other := filepath.Join(t.TempDir(), "other.txt")
	if r := run(t, e, "keys", "new", "--out", other); r.code != 0 {
		t.Fatalf("keys new --out: %s", r.stderr)
	}
	r = run(t, e, "--library", lib, "report", "--team", "--key", other)
	if r.code == 0 || !strings.Contains(r.stderr, "opens none of the 1 sealed usage files") || !strings.Contains(r.stderr, "readers:") {
		t.Errorf("a non-reader's key: exit %d\n%s", r.code, r.stderr)
	}
	// The library's _insights folder is not read as guides.
	if r := run(t, e, "--library", lib, "lint"); strings.Contains(r.stdout+r.stderr, "_insights") {
		t.Errorf("lint reads _insights:\n%s", r.stdout)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
