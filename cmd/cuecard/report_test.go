package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/report"
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

	// Team: two installations' files and a corrupt one.
	for i, id := range []string{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"} {
		a := report.Aggregate{Install: id, Date: "2026-11-2" + string(rune('3'+i)), Guides: map[string]report.GuideDay{list: {Views: 2 + i, Vote: report.VoteHelpful}},
			FailedSearches: 1}
		if _, err := report.Write(lib, a); err != nil {
			t.Fatal(err)
		}
	}
	bad := filepath.Join(lib, "_insights", "cccccccccccccccccccccccccccccccc", "2026-11-25.json")
	os.MkdirAll(filepath.Dir(bad), 0o755)
	os.WriteFile(bad, []byte("{\"version\": 1, \"install\": \"ccc"), 0o644)
	r = run(t, e, "--library", lib, "report", "--team", "--format", "json")
	rep = report.Report{}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil || r.code != 0 {
		t.Fatalf("team report: exit %d %v\n%s", r.code, err, r.stderr)
	}
	if rep.Installs != 2 || rep.Usage.Views != 5 || rep.Usage.Helpful != 2 || rep.Gaps.FailedSearches != 2 || len(rep.Warnings) != 1 {
		t.Errorf("team report %+v", rep)
	}
	if !strings.Contains(r.stderr, bad+": skipped: not valid JSON") || !strings.Contains(r.stderr, "delete the file") {
		t.Errorf("the corrupt file is not reported on stderr: %q", r.stderr)
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
