package coach_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/bench"
	"github.com/cuecard/cuecard/internal/coach"
	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/library"
	"github.com/cuecard/cuecard/internal/search"
)

// BenchmarkRetainedHeap: the Go heap the headless core keeps for a library
// at rest, wired as `cuecard app` wires it (index, watcher, librarian,
// coach, and a holder of the problem list standing in for the UI). It
// reports bytes per guide for each piece, measured after a full GC:
//
//	go test -run '^$' -bench RetainedHeap -benchtime 1x ./internal/coach
//	CUECARD_HEAP_PROFILE=/tmp/heap.pprof go test -run '^$' -bench RetainedHeap -benchtime 1x ./internal/coach
//	CUECARD_HEAP_GUIDES=50000 go test -run '^$' -bench RetainedHeap -benchtime 1x ./internal/coach
func BenchmarkRetainedHeap(b *testing.B) {
	n := 10000
	if v, err := strconv.Atoi(os.Getenv("CUECARD_HEAP_GUIDES")); err == nil && v > 0 {
		n = v
	}
	root := filepath.Join(b.TempDir(), "library")
	if err := bench.Generate(root, n, 1); err != nil {
		b.Fatal(err)
	}
	dir := filepath.Join(b.TempDir(), "index")
	ctx := context.Background()
	// Index the library first, as an earlier run of the app did.
	ix, err := search.Open(dir, root)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := library.ScanApply(ctx, root, library.Options{}, 500, func(gs []*guide.Guide) error {
		return ix.Apply(ctx, gs, nil)
	}); err != nil {
		b.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i++ {
		retained(b, ctx, root, dir, n)
	}
}

func heapNow() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

func retained(b *testing.B, ctx context.Context, root, dir string, n int) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	perGuide := func(from, to uint64) float64 { return (float64(to) - float64(from)) / float64(n) }

	if os.Getenv("CUECARD_HEAP_PROFILE") != "" {
		runtime.MemProfileRate = 512 // finer than the default, for the pieces below
	}
	h0 := heapNow()
	ix, err := search.Open(dir, root)
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	h1 := heapNow()

	known := ix.Known()
	ids := make([]string, 0, len(known))
	for id := range known {
		ids = append(ids, id)
	}
	w, err := library.Watch(ctx, root, library.WatchOptions{Known: known})
	if err != nil {
		b.Fatal(err)
	}
	known = nil
	lib := coach.NewLibrarian(ix, ids)
	ids = nil
	forCoach := lib.Subscribe(64)
	forUI := lib.Subscribe(64)
	done := make(chan error, 1)
	go func() { done <- lib.Run(ctx, w.Changes()) }()
	var problems []guide.Problem // what the UI keeps
	select {
	case ev := <-forUI:
		if ev.Err != nil {
			b.Fatal(ev.Err)
		}
		problems = ev.Problems
	case <-time.After(2 * time.Minute):
		b.Fatal("no first change from the watcher")
	}
	h2 := heapNow()

	c := coach.New(coach.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	defer c.Close()
	c.SetLibrary(ix, nil)
	go c.FollowLibrary(ctx, forCoach, ix)
	c.Focus(guide.Window{Exe: "soffice", Class: "libreoffice-calc", Title: "Untitled 1 - LibreOffice Calc"})
	h3 := heapNow()
	if path := os.Getenv("CUECARD_HEAP_PROFILE"); path != "" {
		// go tool pprof -sample_index=inuse_space -top <profile>
		f, err := os.Create(path)
		if err != nil {
			b.Fatal(err)
		}
		if err := pprof.WriteHeapProfile(f); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}

	b.ReportMetric(perGuide(h0, h1), "index-B/guide")
	b.ReportMetric(perGuide(h1, h2), "live-B/guide")
	b.ReportMetric(perGuide(h2, h3), "coach-B/guide")
	b.ReportMetric((float64(h3)-float64(h0))/(1<<20), "total-MB")
	// In-use spans hold the live heap and the holes between its objects:
	// objects that outlive a burst of garbage (start-up's parsing) are
	// scattered over spans that are resident for their sake.
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "inuse-MB")
	b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "alloc-MB")
	b.ReportMetric(float64(len(problems)), "problems")
	runtime.KeepAlive(problems)
	runtime.KeepAlive(c)
	runtime.KeepAlive(w)
	cancel()
	<-done
	<-w.Done()
}
