package report_test

import (
	"context"
	"flag"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/coach"
	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/library"
	"github.com/cuecard/cuecard/internal/report"
	"github.com/cuecard/cuecard/internal/store"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// The simulated month: March 2027, reported on its last afternoon, with
// the default window of 30 days (2 March to 31 March). The library's
// reviews of autumn 2026 fall due around then.
var (
	monthStart = time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	now        = time.Date(2027, 3, 31, 17, 30, 0, 0, time.UTC)
	windowFrom = time.Date(2027, 3, 2, 0, 0, 0, 0, time.UTC)
)

// libraryGuides parses testdata/library (a frozen copy of the sample
// library, so that edits to the sample do not change the golden files).
func libraryGuides(t testing.TB) []*guide.Guide {
	t.Helper()
	res, err := library.Scan(context.Background(), "testdata/library", library.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Guides) < 30 {
		t.Fatalf("testdata library has %d guides", len(res.Guides))
	}
	sort.Slice(res.Guides, func(i, j int) bool { return res.Guides[i].ID < res.Guides[j].ID })
	return res.Guides
}

func stepsOf(guides []*guide.Guide) func(string) []string {
	by := map[string][]string{}
	for _, g := range guides {
		for _, s := range g.Steps {
			by[g.ID] = append(by[g.ID], s.ID)
		}
	}
	return func(id string) []string { return by[id] }
}

// tally is what the simulation did inside the report window, counted
// independently of the store and the report, to check them against.
type tally struct {
	views, helpful, unhelpful, started, completed, misses int
	guideViews                                            map[string]int
	vote                                                  map[string]bool // last vote per guide
	voteAt                                                map[string]time.Time
	missTexts                                             map[string]int
	focus                                                 map[string]int // seconds
}

// app is an app the simulated person works in: its usage key and name as
// coach.UsageKey gives them, and minutes a day.
type app struct {
	key, name string
	minutes   int
}

var apps = []app{
	{"exe:thunderbird", "thunderbird", 70},                       // has guides (class rule)
	{"exe:soffice.bin", "libreoffice-calc", 55},                  // has guides
	{"web:(report|dashboard).*\\| salesforce", "Salesforce", 40}, // a web app with guides
	{"exe:firefox", "firefox", 90},                               // a browser: never a gap
	{"exe:gimp", "Gimp", 35},                                     // no guide
	{"exe:zoom", "zoom", 25},                                     // no guide
	{"web:old intranet", "Old Intranet", 15},                     // its guide was deleted
	{"class:xpdf", "Xpdf", 6},                                    // no guide, no executable
	{"exe:gnome-calculator", "gnome-calculator", 0},              // only glances: never recorded
}

var queries = []string{
	"Expense Claim", "expense  claim", "mileage allowance", "parental leave", "vpn on phone",
	"printer on floor 3", "Parental Leave", "gimp export pdf", "zoom background", "expense claim",
}

// simulate fills st with a month of one person's use, seeded, on a fixed
// clock: views (popular guides more often), votes, checklist runs (some
// completed, some abandoned and reset), failed searches and app focus.
func simulate(t testing.TB, st *store.Store, guides []*guide.Guide, seed uint64) *tally {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 2027))
	tl := &tally{guideViews: map[string]int{}, vote: map[string]bool{}, voteAt: map[string]time.Time{},
		missTexts: map[string]int{}, focus: map[string]int{}}
	// Each person has favourite guides: a seeded order, viewed with
	// Zipf-like weights.
	order := append([]*guide.Guide(nil), guides...)
	rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	pick := func() *guide.Guide {
		for {
			i := int(float64(len(order)) * rng.Float64() * rng.Float64())
			if i < len(order) {
				return order[i]
			}
		}
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	inWindow := func(at time.Time) bool { return !at.Before(windowFrom) && !at.After(now) }
	for day := monthStart; day.Before(now); day = day.AddDate(0, 0, 1) {
		weekend := day.Weekday() == time.Saturday || day.Weekday() == time.Sunday
		if weekend && rng.IntN(4) > 0 {
			continue
		}
		at := day.Add(9*time.Hour + time.Duration(rng.IntN(60))*time.Minute)
		tick := func() time.Time {
			at = at.Add(time.Duration(1+rng.IntN(25)) * time.Minute)
			return at
		}
		for range 2 + rng.IntN(9) {
			g := pick()
			when := tick()
			must(st.RecordView(g.ID, when))
			if inWindow(when) {
				tl.views++
				tl.guideViews[g.ID]++
			}
			if rng.IntN(7) == 0 {
				helpful := rng.IntN(5) > 0
				when := tick()
				must(st.SetVote(g.ID, helpful, when))
				tl.vote[g.ID], tl.voteAt[g.ID] = helpful, when
			}
			if len(g.Steps) > 0 && rng.IntN(2) == 0 {
				if cl, _ := st.Checked(g.ID); len(cl) == 0 {
					// A fresh run: tick some or all steps.
					n := len(g.Steps)
					if rng.IntN(3) == 0 {
						n = 1 + rng.IntN(len(g.Steps))
					}
					var first, last time.Time
					for i, s := range g.Steps[:n] {
						when := tick()
						if i == 0 {
							first = when
						}
						last = when
						must(st.SetStep(g.ID, s.ID, true, when))
					}
					if inWindow(first) {
						tl.started++
					}
					if n == len(g.Steps) && inWindow(last) {
						tl.completed++
					}
				}
				if rng.IntN(2) == 0 {
					must(st.ResetChecklist(g.ID))
				}
			}
		}
		for range rng.IntN(4) {
			q := queries[int(float64(len(queries))*rng.Float64()*rng.Float64())]
			when := tick()
			must(st.RecordMiss(q, when))
			if inWindow(when) {
				tl.misses++
				tl.missTexts[store.NormalizeQuery(q)]++
			}
		}
		for _, a := range apps {
			if a.minutes == 0 {
				continue
			}
			secs := (a.minutes/2 + rng.IntN(a.minutes+1)) * 60
			when := tick()
			must(st.AddFocus(a.key, a.name, time.Duration(secs)*time.Second, when))
			if inWindow(when) {
				tl.focus[a.key] += secs
			}
		}
	}
	for id, at := range tl.voteAt {
		if inWindow(at) {
			if tl.vote[id] {
				tl.helpful++
			} else {
				tl.unhelpful++
			}
		}
	}
	return tl
}

// openStore opens a store on t.TempDir.
func openStore(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "state.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st
}

func options() report.Options {
	return report.Options{Now: now, From: windowFrom, Browsers: coach.DefaultBrowsers()}
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/report -update to create it)", err)
	}
	if string(want) != string(got) {
		diff := filepath.Join(t.TempDir(), name)
		_ = os.WriteFile(diff, got, 0o644)
		t.Errorf("%s differs from the golden file; the new output is in %s (go test -update rewrites it)", name, diff)
	}
}
