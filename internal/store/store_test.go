package store

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/testlog"
)

var t0 = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

// newLogger is a logger whose lines the test can read.
func newLogger() (*slog.Logger, *testlog.Buffer) {
	b := &testlog.Buffer{}
	return slog.New(slog.NewTextHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug})), b
}

// mustOpen opens a store at path and closes it at the end of the test.
func mustOpen(tb testing.TB, path string) *Store {
	tb.Helper()
	log, _ := newLogger()
	s, err := Open(path, Options{Logger: log, Timeout: 50 * time.Millisecond})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = s.Close() })
	return s
}

func TestAppsSnoozesMutesPause(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "state.db") // the folder is created
	s := mustOpen(t, path)

	if f, n, err := s.Seen("exe:gimp"); err != nil || !f.IsZero() || !n.IsZero() {
		t.Fatalf("unseen app: %v %v %v", f, n, err)
	}
	if err := s.MarkSeen("exe:gimp", "GIMP", t0); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkSeen("exe:gimp", "", t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	f, n, err := s.Seen("exe:gimp")
	if err != nil || !f.Equal(t0) || !n.Equal(t0.Add(time.Hour)) {
		t.Errorf("seen: first %v notified %v err %v; want first kept, notified moved", f, n, err)
	}
	if err := s.MarkSeen("web:salesforce", "Salesforce", t0.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	apps, err := s.Apps()
	if err != nil || len(apps) != 2 || apps[0].Key != "web:salesforce" || apps[1].Name != "GIMP" {
		t.Errorf("apps %+v %v", apps, err)
	}

	if err := s.Snooze("exe:gimp", t0.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if u, err := s.SnoozedUntil("exe:gimp"); err != nil || !u.Equal(t0.Add(2*time.Hour)) {
		t.Errorf("snoozed until %v %v", u, err)
	}
	if err := s.Snooze("exe:gimp", time.Time{}); err != nil {
		t.Fatal(err)
	}
	if u, _ := s.SnoozedUntil("exe:gimp"); !u.IsZero() {
		t.Errorf("snooze not cleared: %v", u)
	}

	if err := s.SetMuted("exe:gimp", "", true, t0); err != nil {
		t.Fatal(err)
	}
	if err := s.SetMuted("exe:calc", "Calculator", true, t0); err != nil {
		t.Fatal(err)
	}
	if m, err := s.Muted("exe:gimp"); err != nil || !m {
		t.Errorf("muted %v %v", m, err)
	}
	muted, err := s.MutedApps()
	if want := map[string]string{"exe:gimp": "GIMP", "exe:calc": "Calculator"}; err != nil || !reflect.DeepEqual(muted, want) {
		t.Errorf("muted apps %v %v, want %v (name from the seen record when the mute has none)", muted, err, want)
	}
	if err := s.SetMuted("exe:gimp", "", false, t0); err != nil {
		t.Fatal(err)
	}
	if m, _ := s.Muted("exe:gimp"); m {
		t.Error("still muted after unmute")
	}

	if err := s.Pause(t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if u, err := s.PausedUntil(); err != nil || !u.Equal(t0.Add(time.Hour)) {
		t.Errorf("paused until %v %v", u, err)
	}
	if err := s.Pause(time.Time{}); err != nil {
		t.Fatal(err)
	}
	if u, _ := s.PausedUntil(); !u.IsZero() {
		t.Errorf("pause not cleared: %v", u)
	}

	for _, bad := range []string{"", "a\x00b", strings.Repeat("x", 20000)} {
		if err := s.MarkSeen(bad, "", t0); err == nil {
			t.Errorf("MarkSeen(%.10q) accepted a bad key", bad)
		}
	}
}

func TestPersistsAcrossReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetStep("ops/deploy.md", "a1b2", true, t0); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkSeen("exe:gimp", "GIMP", t0); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = mustOpen(t, path)
	if got, _ := s.Checked("ops/deploy.md"); !reflect.DeepEqual(got, []string{"a1b2"}) {
		t.Errorf("checked after reopen: %v", got)
	}
	if f, _, _ := s.Seen("exe:gimp"); !f.Equal(t0) {
		t.Errorf("seen after reopen: %v", f)
	}
	if s.MovedAside() != "" {
		t.Errorf("a healthy file was moved aside to %s", s.MovedAside())
	}
}

func TestChecklist(t *testing.T) {
	s := mustOpen(t, filepath.Join(t.TempDir(), "state.db"))
	for _, st := range []struct {
		id, step string
		on       bool
	}{
		{"a.md", "s2", true},
		{"a.md", "s1", true},
		{"a.md", "s3", true},
		{"a.md", "s3", false},
		{"a.md/x", "s9", true}, // a longer id with the same prefix stays apart
		{"b.md", "s1", true},
	} {
		if err := s.SetStep(st.id, st.step, st.on, t0); err != nil {
			t.Fatal(err)
		}
	}
	if got, _ := s.Checked("a.md"); !reflect.DeepEqual(got, []string{"s1", "s2"}) {
		t.Errorf("a.md checked %v", got)
	}
	if err := s.ResetChecklist("a.md"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Checked("a.md"); len(got) != 0 {
		t.Errorf("after reset: %v", got)
	}
	if got, _ := s.Checked("a.md/x"); !reflect.DeepEqual(got, []string{"s9"}) {
		t.Errorf("reset of a.md touched a.md/x: %v", got)
	}
	if got, _ := s.Checked("b.md"); !reflect.DeepEqual(got, []string{"s1"}) {
		t.Errorf("reset of a.md touched b.md: %v", got)
	}
	if err := s.SetStep("a.md", "", true, t0); err == nil {
		t.Error("empty step id accepted")
	}
}

func TestViewsAreBounded(t *testing.T) {
	defer func(n int) { MaxRecentViews = n }(MaxRecentViews)
	MaxRecentViews = 3
	s := mustOpen(t, filepath.Join(t.TempDir(), "state.db"))
	for i := range 5 {
		if err := s.RecordView("a.md", t0.Add(time.Duration(i)*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	v, err := s.View("a.md")
	if err != nil || v.Count != 5 || !v.First.Equal(t0) || !v.Last.Equal(t0.Add(4*time.Minute)) || len(v.Recent) != 3 || !v.Recent[0].Equal(t0.Add(2*time.Minute)) {
		t.Errorf("views %+v %v", v, err)
	}
	all, _ := s.Views()
	if len(all) != 1 || all["a.md"].Count != 5 {
		t.Errorf("all views %+v", all)
	}
}

// TestRecordWalk: Guide me walkthroughs done to the end are counted with
// the guide's views, and survive a reopen.
func TestRecordWalk(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	s := mustOpen(t, path)
	_ = s.RecordView("a.md", t0)
	for i := range 2 {
		if err := s.RecordWalk("a.md", t0.Add(time.Duration(i+1)*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.RecordWalk("", t0); err == nil {
		t.Error("an empty guide id accepted")
	}
	s.Close()
	s = mustOpen(t, path)
	v, err := s.View("a.md")
	if err != nil || v.Count != 1 || v.Walked != 2 || !v.LastWalked.Equal(t0.Add(2*time.Minute)) {
		t.Errorf("views %+v %v", v, err)
	}
}

func TestVotesLastWins(t *testing.T) {
	s := mustOpen(t, filepath.Join(t.TempDir(), "state.db"))
	_ = s.SetVote("a.md", true, t0)
	_ = s.SetVote("a.md", false, t0.Add(time.Minute))
	_ = s.SetVote("b.md", true, t0)
	votes, err := s.Votes()
	if err != nil || len(votes) != 2 || votes["a.md"].Helpful || !votes["b.md"].Helpful || !votes["a.md"].At.Equal(t0.Add(time.Minute)) {
		t.Fatalf("votes %+v %v", votes, err)
	}
	if y, n := votes["a.md"].Counts(); y != 0 || n != 1 {
		t.Errorf("counts of a no vote: %d %d", y, n)
	}
}

func TestPopsAndNewGuides(t *testing.T) {
	s := mustOpen(t, filepath.Join(t.TempDir(), "state.db"))
	for i, app := range []string{"exe:a", "exe:b", "exe:a"} {
		if err := s.RecordPop(app, t0.Add(time.Duration(i)*20*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	// Two pops at the same instant are both counted.
	_ = s.RecordPop("exe:c", t0.Add(40*time.Minute))
	for _, c := range []struct {
		since time.Time
		want  int
	}{{t0, 4}, {t0.Add(time.Minute), 3}, {t0.Add(40 * time.Minute), 2}, {t0.Add(41 * time.Minute), 0}} {
		if n, err := s.PopsSince(c.since); err != nil || n != c.want {
			t.Errorf("pops since +%v: %d %v, want %d", c.since.Sub(t0), n, err, c.want)
		}
	}
	// A pop a week later prunes the old ones.
	_ = s.RecordPop("exe:d", t0.Add(PopHistory+30*time.Minute))
	if n, _ := s.PopsSince(time.Time{}); n != 3 {
		t.Errorf("pops kept after a week: %d, want 3 (the two at +40m and the new one)", n)
	}

	if err := s.AddNewGuides([]string{"a.md", "b.md"}, t0); err != nil {
		t.Fatal(err)
	}
	if err := s.AddNewGuides([]string{"c.md"}, t0.Add(NewGuideHistory+time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, err := s.NewGuides([]string{"a.md", "c.md", "zzz.md"})
	if err != nil || len(got) != 1 || !got["c.md"].Equal(t0.Add(NewGuideHistory+time.Hour)) {
		t.Errorf("new guides %v %v (a.md should have been pruned)", got, err)
	}
}

func TestMisses(t *testing.T) {
	defer func(n int) { MaxMisses = n }(MaxMisses)
	MaxMisses = 3
	s := mustOpen(t, filepath.Join(t.TempDir(), "state.db"))
	for i, q := range []string{"vpn", "Expense  Report", "expense report ", "\tEXPENSE\nreport", "printer", "  ", "badge"} {
		if err := s.RecordMiss(q, t0.Add(time.Duration(i)*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	misses, err := s.Misses()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range misses {
		got = append(got, fmt.Sprintf("%s=%d", m.Query, m.Count))
	}
	// vpn (the least recently searched) was dropped to keep 3; the blank one never counted.
	if want := "expense report=3 badge=1 printer=1"; strings.Join(got, " ") != want {
		t.Errorf("misses %q, want %q", strings.Join(got, " "), want)
	}
	if err := s.ClearMisses(); err != nil {
		t.Fatal(err)
	}
	if m, _ := s.Misses(); len(m) != 0 {
		t.Errorf("after clear: %v", m)
	}
}

func TestNormalizeQuery(t *testing.T) {
	long := strings.Repeat("é", 150) // 300 bytes
	for _, c := range []struct{ in, want string }{
		{"  Hello   World ", "hello world"},
		{"TAB\tand\nnewline\x00nul", "tab and newline nul"},
		{"", ""},
		{long, strings.Repeat("é", 100)},
	} {
		if got := NormalizeQuery(c.in); got != c.want {
			t.Errorf("NormalizeQuery(%.20q) = %.20q (%d bytes), want %.20q", c.in, got, len(got), c.want)
		}
	}
}

func TestLocked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	s := mustOpen(t, path)
	_, err := Open(path, Options{Timeout: 20 * time.Millisecond})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second open: %v, want ErrLocked", err)
	}
	if !strings.Contains(err.Error(), path) {
		t.Errorf("error does not name the file: %v", err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Errorf("a locked file must not be moved aside: %v", entries)
	}
	if err := s.MarkSeen("exe:a", "", t0); err != nil {
		t.Errorf("first store broken by the second open: %v", err)
	}
}

func TestSystemErrorsAreNotCorruption(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.db")
	if err := os.Mkdir(path, 0o700); err != nil { // a folder where the file should be
		t.Fatal(err)
	}
	_, err := Open(path, Options{})
	if err == nil || errors.Is(err, ErrCorrupt) {
		t.Fatalf("open of a folder: %v, want a plain error", err)
	}
	if fi, err := os.Stat(path); err != nil || !fi.IsDir() {
		t.Errorf("the folder was moved: %v", err)
	}
}
