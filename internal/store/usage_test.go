package store

import (
	"path/filepath"
	"reflect"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func TestDaysCountViewsFocusAndMisses(t *testing.T) {
	s := mustOpen(t, filepath.Join(t.TempDir(), "state.db"))
	day2 := t0.AddDate(0, 0, 1)
	for _, at := range []time.Time{t0, t0.Add(time.Hour), day2} {
		if err := s.RecordView("sales/a.md", at); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.RecordView("it/b.md", day2); err != nil {
		t.Fatal(err)
	}
	if err := s.AddFocus("exe:gimp", "Gimp", 90*time.Second, t0); err != nil {
		t.Fatal(err)
	}
	if err := s.AddFocus("exe:gimp", "", 30*time.Second+999*time.Millisecond, day2); err != nil {
		t.Fatal(err)
	}
	if err := s.AddFocus("web:acme crm", "Acme CRM", 20*time.Minute, day2); err != nil {
		t.Fatal(err)
	}
	if err := s.AddFocus("exe:zero", "", 0, day2); err != nil { // nothing to add
		t.Fatal(err)
	}
	for _, q := range []string{"Expense  Claim", "expense claim", "vpn token"} {
		if err := s.RecordMiss(q, day2); err != nil {
			t.Fatal(err)
		}
	}

	days, err := s.Days(t0.AddDate(0, 0, -3), day2)
	if err != nil {
		t.Fatal(err)
	}
	want := []Day{
		{Date: "2026-03-02", Views: map[string]int{"sales/a.md": 2}, Focus: map[string]int{"exe:gimp": 90}},
		{Date: "2026-03-03", Views: map[string]int{"sales/a.md": 1, "it/b.md": 1},
			Focus:  map[string]int{"exe:gimp": 30, "web:acme crm": 1200},
			Misses: map[string]int{"expense claim": 2, "vpn token": 1}, MissCount: 3},
	}
	if !reflect.DeepEqual(days, want) {
		t.Errorf("days\n got %+v\nwant %+v", days, want)
	}
	if only, _ := s.Days(day2, day2); len(only) != 1 || only[0].Date != "2026-03-03" {
		t.Errorf("one day: %+v", only)
	}
	apps, err := s.FocusApps()
	if err != nil {
		t.Fatal(err)
	}
	if len(apps) != 2 || apps[0].Key != "web:acme crm" || apps[1].Key != "exe:gimp" || apps[1].Seconds != 120 ||
		apps[1].Spans != 2 || apps[1].Name != "Gimp" || !apps[1].First.Equal(t0.Add(-90*time.Second)) || !apps[1].Last.Equal(day2) {
		t.Errorf("focus apps %+v", apps)
	}

	// Clearing the misses drops their texts from the days too, not the count.
	if err := s.ClearMisses(); err != nil {
		t.Fatal(err)
	}
	days, _ = s.Days(day2, day2)
	if len(days) != 1 || days[0].Misses != nil || days[0].MissCount != 3 || days[0].Views["it/b.md"] != 1 {
		t.Errorf("after ClearMisses: %+v", days)
	}
}

func TestDaysAreBounded(t *testing.T) {
	defer func(d, m int) { MaxDays, MaxDayMisses = d, m }(MaxDays, MaxDayMisses)
	MaxDays, MaxDayMisses = 10, 2
	s := mustOpen(t, filepath.Join(t.TempDir(), "state.db"))
	for i := range 30 {
		if err := s.RecordView("a.md", t0.AddDate(0, 0, i)); err != nil {
			t.Fatal(err)
		}
	}
	days, err := s.Days(t0.AddDate(-1, 0, 0), t0.AddDate(1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	if len(days) != 11 || days[0].Date != t0.AddDate(0, 0, 19).Format(DateFormat) {
		t.Errorf("kept %d days from %s, want 11 from the 20th", len(days), days[0].Date)
	}
	for _, q := range []string{"one", "two", "three", "one"} {
		if err := s.RecordMiss(q, t0); err != nil {
			t.Fatal(err)
		}
	}
	d, _ := s.Days(t0, t0)
	if len(d) != 1 || !reflect.DeepEqual(d[0].Misses, map[string]int{"one": 2, "two": 1}) || d[0].MissCount != 4 {
		t.Errorf("bounded misses of a day: %+v", d)
	}
}

func TestChecklistRuns(t *testing.T) {
	defer func(n int) { MaxRuns = n }(MaxRuns)
	MaxRuns = 3
	s := mustOpen(t, filepath.Join(t.TempDir(), "state.db"))
	at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	steps := []string{"s1", "s2", "s3"}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	// Run 1: s1, s2, untick s2, s3, tick s2 again: every step was checked
	// at some time, so it is complete when s3 is.
	must(s.SetStep("c.md", "s1", true, at(1)))
	must(s.SetStep("c.md", "s2", true, at(2)))
	must(s.SetStep("c.md", "s2", false, at(3)))
	must(s.SetStep("c.md", "s3", true, at(4)))
	cl, err := s.Checklists()
	must(err)
	r := cl["c.md"]
	if r.Started != 1 || len(r.Runs) != 1 {
		t.Fatalf("after one run: %+v", r)
	}
	if done, when := r.Runs[0].Completed(steps); !done || !when.Equal(at(4)) {
		t.Errorf("run 1 completed %v at %v, want at %v", done, when, at(4))
	}
	if done, _ := r.Runs[0].Completed(append(steps, "s4")); done {
		t.Error("a run missing a step counts as completed")
	}
	// Reset closes the run; the next tick starts run 2.
	must(s.ResetChecklist("c.md"))
	must(s.SetStep("c.md", "s1", true, at(10)))
	cl, _ = s.Checklists()
	if r := cl["c.md"]; r.Started != 2 || len(r.Runs) != 2 || !r.Runs[0].Closed || r.Runs[1].Closed || !r.Runs[1].Start.Equal(at(10)) {
		t.Errorf("after reset and a tick: %+v", r)
	} else if done, _ := r.Runs[1].Completed(steps); done {
		t.Error("run 2 with one step counts as completed")
	}
	// Reset without an open run changes nothing; runs are bounded.
	must(s.ResetChecklist("c.md"))
	must(s.ResetChecklist("c.md"))
	for i := range 4 {
		must(s.SetStep("c.md", "s1", true, at(20+i)))
		must(s.ResetChecklist("c.md"))
	}
	cl, _ = s.Checklists()
	if r := cl["c.md"]; r.Started != 6 || len(r.Runs) != 3 || !r.Runs[2].Start.Equal(at(23)) {
		t.Errorf("bounded runs: started %d, %d runs, last %v", r.Started, len(r.Runs), r.Runs[len(r.Runs)-1].Start)
	}
}

func TestInstallIDIsRandomAndKept(t *testing.T) {
	dir := t.TempDir()
	a := mustOpen(t, filepath.Join(dir, "a.db"))
	id, err := a.InstallID()
	if err != nil || !ValidInstallID(id) {
		t.Fatalf("install id %q %v", id, err)
	}
	if again, _ := a.InstallID(); again != id {
		t.Errorf("install id changed: %q then %q", id, again)
	}
	b := mustOpen(t, filepath.Join(dir, "b.db"))
	if other, _ := b.InstallID(); other == id {
		t.Errorf("two stores share the install id %q", id)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	reopened := mustOpen(t, filepath.Join(dir, "a.db"))
	if kept, _ := reopened.InstallID(); kept != id {
		t.Errorf("install id after reopening %q, want %q", kept, id)
	}
	for _, bad := range []string{"", "ABCDEF0123456789abcdef0123456789", "abc", "../../etc/passwd0123456789abcdef0"} {
		if ValidInstallID(bad) {
			t.Errorf("ValidInstallID(%q) = true", bad)
		}
	}
}

// A state file written before the usage buckets existed opens, keeps its
// records, and gains the new buckets.
func TestOldFileGainsUsageBuckets(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bMeta, bApps, bSnooze, bMutes, bPops, bAdded, bSteps, bViews, bVotes, bMisses} {
			if _, err := tx.CreateBucket(name); err != nil {
				return err
			}
		}
		if err := put(tx.Bucket(bMeta), kVersion, 1); err != nil {
			return err
		}
		return put(tx.Bucket(bViews), []byte("old.md"), Views{Count: 7, First: t0, Last: t0})
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	s := mustOpen(t, path)
	if v, err := s.View("old.md"); err != nil || v.Count != 7 {
		t.Errorf("old views %+v %v", v, err)
	}
	if err := s.RecordView("old.md", t0); err != nil {
		t.Fatal(err)
	}
	if err := s.AddFocus("exe:a", "A", time.Minute, t0); err != nil {
		t.Fatal(err)
	}
	if d, err := s.Days(t0, t0); err != nil || len(d) != 1 || d[0].Views["old.md"] != 1 {
		t.Errorf("days in an old file: %+v %v", d, err)
	}
}
