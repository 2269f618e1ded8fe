package coach_test

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/coach"
	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/library"
	"github.com/cuecard/cuecard/internal/seal"
	"github.com/cuecard/cuecard/internal/search"
	"github.com/cuecard/cuecard/internal/store"
	"github.com/cuecard/cuecard/internal/track"
)

// setClock is a clock the test sets; the track's tests start no timers
// (the dwell is off).
type setClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *setClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *setClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

func (c *setClock) AfterFunc(time.Duration, func()) func() bool { return func() bool { return true } }

// A new hire's library: code of conduct (ack), security basics (a
// checklist), expenses (marked done), a sales-only and a support-only item,
// and a support guide for Zendesk that is not in the track.
var trackLibrary = map[string]string{
	"people/code-of-conduct.md": "---\ntitle: Read the code of conduct\nowner: hr@example.com\nrequired: true\nack: true\ndue: 7d\norder: 1\ntags: [conduct]\n---\n# Read the code of conduct\n",
	"it/security-basics.md":     "---\ntitle: Security basics\nowner: it@example.com\nformat: checklist\nrequired: true\ndue: 30d\norder: 2\ntags: [security]\n---\n- [ ] Lock your screen\n- [ ] Turn on 2FA\n",
	"finance/expenses.md":       "---\ntitle: Expenses policy\nowner: fin@example.com\nrequired: true\ndue: 30d\nroles: [everyone]\ntags: [expenses]\n---\n# Expenses\n",
	"sales/crm-basics.md":       "---\ntitle: CRM basics\nowner: sales@example.com\nrequired: true\ndue: 30d\nroles: [sales]\ntags: [crm]\n---\n# CRM\n",
	"support/zendesk-basics.md": "---\ntitle: Zendesk basics\nowner: sup@example.com\nrequired: true\ndue: 10d\nroles: [support]\ntags: [zendesk]\n---\n# Zendesk\n",
	"support/macros.md":         "---\ntitle: How to use Zendesk macros\nowner: sup@example.com\nroles: [support]\napps:\n  - title: 'Zendesk'\n---\n# Macros in Zendesk\n",
	"sales/deal.md":             "---\ntitle: How to create a deal\nowner: sales@example.com\nroles: [sales]\napps:\n  - title: 'Zendesk|Acme CRM'\n---\n# Deals\n",
}

type trackRig struct {
	root  string
	ix    *search.Index
	clock *setClock
	state string
}

func newTrackRig(t *testing.T) *trackRig {
	t.Helper()
	root := t.TempDir()
	for id, text := range trackLibrary {
		p := filepath.Join(root, filepath.FromSlash(id))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res, err := library.Scan(context.Background(), root, library.Options{})
	if err != nil || len(res.Guides) != len(trackLibrary) {
		t.Fatalf("scan: %v %v", err, res.Problems)
	}
	ix, err := search.Open(filepath.Join(t.TempDir(), "index"), root)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if err := ix.Apply(context.Background(), res.Guides, nil); err != nil {
		t.Fatal(err)
	}
	return &trackRig{root: root, ix: ix, clock: &setClock{now: start.AddDate(0, 0, 20).Add(10 * time.Hour)}, state: filepath.Join(t.TempDir(), "state.db")}
}

var start = time.Date(2026, 11, 17, 0, 0, 0, 0, time.UTC)

// run opens the state file and a coach on the index, as the app does at
// start, and closes both after fn.
func (r *trackRig) run(t *testing.T, p track.Profile, rec track.Recorder, fn func(c *coach.Coach)) {
	t.Helper()
	st, err := store.Open(r.state, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := coach.New(coach.Options{Store: st, Clock: r.clock, Config: coach.Config{Dwell: -1}, Buffer: 64})
	c.SetProfile(p)
	c.SetRecorder(rec)
	c.SetLibrary(r.ix, nil)
	fn(c)
	c.Close()
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
}

func statuses(t *testing.T, c *coach.Coach) string {
	t.Helper()
	tr, err := c.Track()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, it := range tr.Items {
		out = append(out, it.ID+":"+string(it.Status))
	}
	return strings.Join(out, " ")
}

// tree is every file under root with a hash of its content.
func tree(t *testing.T, root string) string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if d.IsDir() {
			out = append(out, rel+"/")
			return nil
		}
		data, err := os.ReadFile(p)
		out = append(out, fmt.Sprintf("%s %x", rel, sha256.Sum256(data)))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}

func stepsOf(t *testing.T, root, id string) []guide.Step {
	t.Helper()
	g, err := library.ParseFile(id, filepath.Join(root, filepath.FromSlash(id)))
	if g == nil {
		t.Fatalf("parse %s: %v", id, err)
	}
	return g.Steps
}

// TestTrackEndToEnd: a sales person 20 days after their start date sees the
// sales and everyone items, one overdue; a completed checklist, an
// acknowledgement and a mark make them done, each writing its record when
// the library asks for records; a reminder shows at most once a day, also
// across restarts.
func TestTrackEndToEnd(t *testing.T) {
	r := newTrackRig(t)
	sales := track.Profile{Identity: "kim@example.com", Roles: []string{"sales"}, Start: start}
	rec := track.NewRecorder(r.root, true, sales.Identity, recReaders, []byte("a test sharing secret"))
	steps := stepsOf(t, r.root, "it/security-basics.md")

	r.run(t, sales, rec, func(c *coach.Coach) {
		want := "people/code-of-conduct.md:overdue it/security-basics.md:not-started sales/crm-basics.md:not-started finance/expenses.md:not-started"
		if got := statuses(t, c); got != want {
			t.Fatalf("track\n%s\nwant\n%s", got, want)
		}
		if err := c.SetStep("it/security-basics.md", steps[0].ID, true); err != nil {
			t.Fatal(err)
		}
		tr, _ := c.Track()
		if it := tr.Items[1]; it.Status != track.InProgress || it.StepsDone != 1 || it.StepsTotal != 2 {
			t.Errorf("half a checklist: %+v", it)
		}
		if _, err := os.Stat(filepath.Join(r.root, "_training")); err == nil {
			t.Error("a record was written before anything was done")
		}
		if err := c.SetStep("it/security-basics.md", steps[1].ID, true); err != nil {
			t.Fatal(err)
		}
		if err := c.Ack("people/code-of-conduct.md"); err != nil {
			t.Fatal(err)
		}
		want = "people/code-of-conduct.md:done it/security-basics.md:done sales/crm-basics.md:not-started finance/expenses.md:not-started"
		if got := statuses(t, c); got != want {
			t.Errorf("track\n%s\nwant\n%s", got, want)
		}
		rem, ok, err := c.Reminder()
		if err != nil || !ok || len(rem.Items) != 2 || rem.Overdue != 0 || rem.Items[0].ID != "sales/crm-basics.md" {
			t.Errorf("first reminder %+v %v %v", rem, ok, err)
		}
		if _, ok, _ := c.Reminder(); ok {
			t.Error("a second reminder the same day")
		}
	})
	r.clock.set(r.clock.Now().Add(3 * time.Hour))
	r.run(t, sales, rec, func(c *coach.Coach) {
		if _, ok, _ := c.Reminder(); ok {
			t.Error("a second reminder the same day, after a restart")
		}
		// A Guide me walkthrough done to its end marks it done.
		if err := c.CompleteWalk("finance/expenses.md"); err != nil {
			t.Fatal(err)
		}
	})
	r.clock.set(r.clock.Now().AddDate(0, 0, 1))
	r.run(t, sales, rec, func(c *coach.Coach) {
		if _, ok, err := c.Reminder(); !ok || err != nil {
			t.Errorf("no reminder the next day: %v", err)
		}
		if err := c.MarkDone("sales/crm-basics.md", true); err != nil {
			t.Fatal(err)
		}
		r.clock.set(r.clock.Now().AddDate(0, 0, 1))
		if _, ok, _ := c.Reminder(); ok {
			t.Error("a reminder after the track is done")
		}
		if tr, _ := c.Track(); !tr.Complete() {
			t.Errorf("track not complete: %+v", tr)
		}
	})

	recs, problems, err := track.ReadRecords(r.root, recKey)
	if err != nil || len(problems) != 0 {
		t.Fatal(err, problems)
	}
	var got []string
	for _, rc := range recs {
		g := r.ix.Guide(rc.Guide)
		if rc.Identity != "kim@example.com" || g == nil || rc.Hash != g.Hash || rc.At.IsZero() {
			t.Errorf("record %+v", rc)
		}
		got = append(got, fmt.Sprintf("%s %s %s %v", rc.Guide, rc.Path, rc.How, rc.Ack))
	}
	secret := []byte("a test sharing secret")
	path := func(id string) string { return track.SealedPath(secret, "kim@example.com", id) }
	want := "finance/expenses.md " + path("finance/expenses.md") + " marked false|" +
		"it/security-basics.md " + path("it/security-basics.md") + " checklist false|" +
		"people/code-of-conduct.md " + path("people/code-of-conduct.md") + " ack true|" +
		"sales/crm-basics.md " + path("sales/crm-basics.md") + " marked false"
	if strings.Join(got, "|") != want {
		t.Errorf("records\n%s\nwant\n%s", strings.Join(got, "|"), want)
	}
	// The file is sealed: no JSON in the folder; the reader's key opens it.
	sealed, _ := os.ReadFile(filepath.Join(r.root, filepath.FromSlash(path("people/code-of-conduct.md"))))
	if json.Valid(sealed) || !seal.IsSealed(sealed) {
		t.Fatalf("the record is not sealed: %.100s", sealed)
	}
	data, err := seal.Open(recKey, sealed, 1<<16)
	var raw map[string]any
	if err == nil {
		err = json.Unmarshal(data, &raw)
	}
	if err != nil || raw["identity"] != "kim@example.com" || raw["guide"] != "people/code-of-conduct.md" || raw["ack"] != true || raw["hash"] == "" || raw["at"] == nil {
		t.Errorf("record file %s: %v", data, err)
	}
}

// TestTrackWritesNothingUnasked: without track_records: named, or without
// an identity, completions leave the library folder exactly as it was.
func TestTrackWritesNothingUnasked(t *testing.T) {
	for _, tc := range []struct {
		name     string
		records  bool
		identity string
	}{
		{"records off", false, "kim@example.com"},
		{"no identity", true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newTrackRig(t)
			before := tree(t, r.root)
			p := track.Profile{Identity: tc.identity, Roles: []string{"sales"}, Start: start}
			steps := stepsOf(t, r.root, "it/security-basics.md")
			r.run(t, p, track.NewRecorder(r.root, tc.records, tc.identity, recReaders, []byte("a test sharing secret")), func(c *coach.Coach) {
				for _, s := range steps {
					if err := c.SetStep("it/security-basics.md", s.ID, true); err != nil {
						t.Fatal(err)
					}
				}
				if err := c.Ack("people/code-of-conduct.md"); err != nil {
					t.Fatal(err)
				}
				if err := c.MarkDone("finance/expenses.md", true); err != nil {
					t.Fatal(err)
				}
				if tr, _ := c.Track(); tr.Done != 3 {
					t.Errorf("%d done, want 3", tr.Done)
				}
			})
			if after := tree(t, r.root); after != before {
				t.Errorf("the library changed:\nbefore\n%s\nafter\n%s", before, after)
			}
		})
	}
}

// TestRolesFilterSuggestions: a guide for other roles is never suggested
// to the person, and search still finds it.
func TestRolesFilterSuggestions(t *testing.T) {
	zendesk := guide.Window{Exe: "firefox", Class: "firefox", Title: "Ticket #1 - Zendesk — Mozilla Firefox"}
	for _, tc := range []struct {
		name  string
		roles []string
		want  string
	}{
		{"sales", []string{"sales"}, "sales/deal.md"},
		{"support", []string{"support"}, "support/macros.md"},
		{"no roles: everything", nil, "sales/deal.md support/macros.md"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newTrackRig(t)
			r.run(t, track.Profile{Roles: tc.roles}, nil, func(c *coach.Coach) {
				c.Focus(zendesk)
				u := c.Current()
				var ids []string
				for _, s := range u.Guides {
					ids = append(ids, s.Guide.ID)
				}
				sort.Strings(ids)
				if strings.Join(ids, " ") != tc.want {
					t.Errorf("suggested %v, want %s", ids, tc.want)
				}
			})
			res, err := r.ix.Search(context.Background(), search.Query{Text: "zendesk macros"})
			if err != nil || len(res) == 0 || res[0].ID != "support/macros.md" {
				t.Errorf("search: %+v %v", res, err)
			}
		})
	}
}

// testSealing is a reader's key and the readers (its recipient) that
// records are sealed to.
func testSealing() (*seal.Key, seal.Readers) {
	private, recipient, err := seal.NewKey()
	if err != nil {
		panic(err)
	}
	k, _ := seal.ParseKey(private)
	r, _ := seal.NewReaders([]string{recipient})
	return k, r
}

var recKey, recReaders = testSealing()
