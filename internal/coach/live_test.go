package coach_test

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand"
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
	"github.com/cuecard/cuecard/internal/search"
	"github.com/cuecard/cuecard/internal/testlog"
)

// These tests run the real pipeline: fsnotify on a temp folder, the watcher,
// the librarian and a bleve index on disk.

// The production debounce settings, kept for the benchmarks.
var prodQuiet, prodMaxDelay, prodRootPoll = library.Quiet, library.MaxDelay, library.RootPoll

func TestMain(m *testing.M) {
	library.Quiet = 30 * time.Millisecond
	library.MaxDelay = 300 * time.Millisecond
	library.RootPoll = 100 * time.Millisecond
	os.Exit(m.Run())
}

// recorder applies every batch to an in-memory model as well, to tell a
// watcher bug from an index bug when the two disagree.
type recorder struct {
	*search.Index
	mu      sync.Mutex
	model   map[string]string
	log     []string
	batches int
}

func (r *recorder) Apply(ctx context.Context, u []*guide.Guide, d []string) error {
	r.mu.Lock()
	r.batches++
	for _, id := range d {
		delete(r.model, id)
		r.log = append(r.log, fmt.Sprintf("-%s@%d", id, r.batches))
	}
	for _, g := range u {
		r.model[g.ID] = g.Hash
		r.log = append(r.log, fmt.Sprintf("+%s@%d", g.ID, r.batches))
	}
	r.mu.Unlock()
	return r.Index.Apply(ctx, u, d)
}

type pipeline struct {
	root string
	rec  *recorder
	ix   *search.Index
	lib  *coach.Librarian
	sub  <-chan coach.LibraryEvent
}

func startPipeline(t testing.TB, root string) *pipeline {
	t.Helper()
	ix, err := search.Open(filepath.Join(t.TempDir(), "index"), root)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	known := ix.Known()
	w, err := library.Watch(ctx, root, library.WatchOptions{Known: known})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for id := range known {
		ids = append(ids, id)
	}
	rec := &recorder{Index: ix, model: map[string]string{}}
	lib := coach.NewLibrarian(rec, ids)
	p := &pipeline{root: root, rec: rec, ix: ix, lib: lib, sub: lib.Subscribe(64)}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := lib.Run(ctx, w.Changes()); err != nil && ctx.Err() == nil {
			t.Errorf("librarian: %v", err)
		}
	}()
	t.Cleanup(func() {
		cancel()
		<-done
		<-w.Done()
		ix.Close()
	})
	return p
}

func write(t *testing.T, root, rel, body string) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func guideText(title, body string) string {
	return "---\ntitle: " + title + "\nowner: a@example.com\nreviewed: 2026-10-01\ntags: [x]\n---\n" + body + "\n"
}

// equalsFreshScan waits until the index holds exactly what a fresh scan of
// the library produces: same ids, same content hashes.
func (p *pipeline) equalsFreshScan(t *testing.T) {
	t.Helper()
	var diff []string
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		res, err := library.Scan(context.Background(), p.root, library.Options{})
		if err != nil {
			t.Fatal(err)
		}
		diff = diff[:0]
		want := map[string]string{}
		for _, g := range res.Guides {
			want[g.ID] = g.Hash
		}
		got := p.ix.Known()
		for id, h := range want {
			if st, ok := got[id]; !ok {
				diff = append(diff, "missing "+id)
			} else if st.Hash != h {
				diff = append(diff, "stale "+id)
			}
		}
		for id := range got {
			if _, ok := want[id]; !ok {
				diff = append(diff, "extra "+id)
			}
		}
		if len(diff) == 0 {
			return
		}
	}
	sort.Strings(diff)
	p.rec.mu.Lock()
	defer p.rec.mu.Unlock()
	var hist []string
	for _, d := range diff {
		id := strings.Fields(d)[1]
		_, inModel := p.rec.model[id]
		for _, l := range p.rec.log {
			if strings.HasPrefix(l[1:], id+"@") {
				hist = append(hist, l)
			}
		}
		data, err := os.ReadFile(filepath.Join(p.root, filepath.FromSlash(id)))
		t.Logf("%s: in the applied model: %v; history %v; on disk: %q %v", d, inModel, hist, data, err)
		hist = hist[:0]
	}
	t.Fatalf("index never equalled a fresh scan: %v", diff)
}

func (p *pipeline) search(t testing.TB, q string) []search.Result {
	t.Helper()
	res, err := p.ix.Search(context.Background(), search.Query{Text: q})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestLiveIndexFollowsEdits(t *testing.T) {
	root := t.TempDir()
	write(t, root, "a.md", guideText("How to ship a parcel", "Use the courier portal."))
	p := startPipeline(t, root)
	p.equalsFreshScan(t)
	write(t, root, "a.md", guideText("How to ship a parcel", "Use the zeppelin portal."))
	deadline := time.Now().Add(5 * time.Second)
	for len(p.search(t, "zeppelin")) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("edit never became searchable")
		}
		time.Sleep(10 * time.Millisecond)
	}
	os.Remove(filepath.Join(root, "a.md"))
	p.equalsFreshScan(t)
	if hits := p.search(t, "zeppelin"); len(hits) != 0 {
		t.Errorf("deleted guide still found: %+v", hits)
	}
	// The subscriber saw the add, the update and the removal.
	var seen []string
	for len(p.sub) > 0 {
		ev := <-p.sub
		for _, id := range ev.Added {
			seen = append(seen, "+"+id)
		}
		for _, id := range ev.Updated {
			seen = append(seen, "~"+id)
		}
		for _, id := range ev.Removed {
			seen = append(seen, "-"+id)
		}
	}
	if strings.Join(seen, " ") != "+a.md ~a.md -a.md" {
		t.Errorf("events %v", seen)
	}
}

// TestLiveChurnEqualsFreshScan is the guarantee with a real index: after a
// seeded random sequence of operations settles, the index equals a scan.
func TestLiveChurnEqualsFreshScan(t *testing.T) {
	var logs testlog.Buffer
	library.DebugEvents = true
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	defer func() { library.DebugEvents = false; slog.SetDefault(prev) }()
	defer func() {
		if t.Failed() {
			f := filepath.Join(os.TempDir(), "cuecard-live-churn.log")
			os.WriteFile(f, logs.Bytes(), 0o644)
			t.Logf("watcher log in %s", f)
		}
	}()
	root := t.TempDir()
	p := startPipeline(t, root)
	seed := time.Now().UnixNano()
	rng := rand.New(rand.NewSource(seed))
	t.Logf("seed %d", seed)
	dirs := []string{"", "a", "a/b", "c"}
	path := func() string {
		return filepath.Join(dirs[rng.Intn(len(dirs))], fmt.Sprintf("g%d.md", rng.Intn(30)))
	}
	for i := 0; i < 1500; i++ {
		switch rng.Intn(7) {
		case 0, 1:
			write(t, root, path(), guideText(fmt.Sprintf("How to do %d", i), "body"))
		case 2:
			tmp := filepath.Join(root, "tmp.md.part")
			os.WriteFile(tmp, []byte(guideText(fmt.Sprintf("How to save %d", i), "atomic")), 0o644)
			os.MkdirAll(filepath.Dir(filepath.Join(root, path())), 0o755)
			os.Rename(tmp, filepath.Join(root, path()))
		case 3:
			os.Remove(filepath.Join(root, path()))
		case 4:
			os.Rename(filepath.Join(root, path()), filepath.Join(root, path()))
		case 5:
			d := dirs[1+rng.Intn(len(dirs)-1)]
			os.Rename(filepath.Join(root, d), filepath.Join(root, d+"-moved"))
			os.Rename(filepath.Join(root, d+"-moved"), filepath.Join(root, d))
		case 6:
			write(t, root, path(), "---\ntitle: [broken\n")
		}
	}
	t.Logf("operations done at %s", time.Now().Format("15:04:05.000"))
	p.equalsFreshScan(t)
}

func TestLiveBigDrop(t *testing.T) {
	if testing.Short() {
		t.Skip("1,000 files")
	}
	root := t.TempDir()
	p := startPipeline(t, root)
	stage := t.TempDir()
	for i := 0; i < 1000; i++ {
		write(t, stage, fmt.Sprintf("drop/d%d/g%d.md", i%20, i), guideText(fmt.Sprintf("How to handle case %d", i), fmt.Sprintf("marker%d", i)))
	}
	if err := os.Rename(filepath.Join(stage, "drop"), filepath.Join(root, "drop")); err != nil {
		t.Fatal(err)
	}
	p.equalsFreshScan(t)
	if got := p.ix.Count(); got != 1000 {
		t.Errorf("count %d", got)
	}
	if hits := p.search(t, "marker999"); len(hits) != 1 {
		t.Errorf("marker999: %d hits", len(hits))
	}
}
