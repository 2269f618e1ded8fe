package search_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/cuecard/cuecard/internal/bench"
	"github.com/cuecard/cuecard/internal/library"
	"github.com/cuecard/cuecard/internal/search"
)

// The benchmarks run on the synthetic library of internal/bench, 10,000
// guides unless -benchguides says otherwise. One iteration of FullIndex or
// Reconcile takes seconds, one Search a millisecond:
//
//	go test ./internal/search -run '^$' -bench Search -benchtime 1000x
//	go test ./internal/search -run '^$' -bench Search -benchtime 1000x -benchguides 50000
//	go test ./internal/search -run '^$' -bench 'FullIndex|Reconcile' -benchtime 3x
//
// ns/op is a mean; `cuecard bench` reports p50 and p99.
var benchGuides = flag.Int("benchguides", 10000, "guides in the synthetic library of the benchmarks")

// Shared across the benchmarks of one process: generating and indexing
// 50,000 guides takes a while.
var (
	benchLib string        // generated library
	benchIx  *search.Index // the library indexed
)

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if benchIx != nil {
		benchIx.Close()
	}
	if benchLib != "" {
		os.RemoveAll(filepath.Dir(benchLib))
	}
	os.Exit(code)
}

// generated generates the synthetic library once per process.
func generated(b *testing.B) string {
	b.Helper()
	if benchLib == "" {
		dir, err := os.MkdirTemp("", "cuecard-search-bench-")
		if err != nil {
			b.Fatal(err)
		}
		lib := filepath.Join(dir, "library")
		if err := bench.Generate(lib, *benchGuides, 1); err != nil {
			b.Fatal(err)
		}
		benchLib = lib
	}
	return benchLib
}

// indexed indexes the synthetic library once per process.
func indexed(b *testing.B) *search.Index {
	b.Helper()
	if benchIx == nil {
		lib := generated(b)
		res, err := library.Scan(context.Background(), lib, library.Options{})
		if err != nil {
			b.Fatal(err)
		}
		ix, err := search.Open(filepath.Join(filepath.Dir(lib), "index"), lib)
		if err != nil {
			b.Fatal(err)
		}
		if err := ix.Apply(context.Background(), res.Guides, nil); err != nil {
			b.Fatal(err)
		}
		benchIx = ix
	}
	return benchIx
}

// BenchmarkSearch is keystroke to results, per query kind.
func BenchmarkSearch(b *testing.B) {
	ix := indexed(b)
	sets := bench.Queries(ix.Guides(), 500, 1)
	for _, kind := range bench.Kinds {
		qs := sets[kind]
		b.Run(fmt.Sprintf("%s/%d", kind, *benchGuides), func(b *testing.B) {
			ctx := context.Background()
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, err := ix.Search(ctx, qs[i%len(qs)]); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

// BenchmarkFullIndex is a first start: scan and parse the library, create the
// index and apply every guide (target: 4 s for 10,000 guides).
func BenchmarkFullIndex(b *testing.B) {
	lib := generated(b)
	ctx := context.Background()
	for b.Loop() {
		dir := b.TempDir()
		res, err := library.Scan(ctx, lib, library.Options{})
		if err != nil {
			b.Fatal(err)
		}
		ix, err := search.Open(dir, lib)
		if err != nil {
			b.Fatal(err)
		}
		if err := ix.Apply(ctx, res.Guides, nil); err != nil {
			b.Fatal(err)
		}
		if err := ix.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReconcile is a start with an unchanged library: open the index,
// read Known and stat every file against it (target: 1 s for 10,000 guides).
func BenchmarkReconcile(b *testing.B) {
	ix := indexed(b)
	dir := filepath.Join(filepath.Dir(benchLib), "index")
	if err := ix.Close(); err != nil {
		b.Fatal(err)
	}
	benchIx = nil
	ctx := context.Background()
	for b.Loop() {
		ix, err := search.Open(dir, benchLib)
		if err != nil {
			b.Fatal(err)
		}
		known := ix.Known()
		res, err := library.Scan(ctx, benchLib, library.Options{Known: known})
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Guides) != 0 || len(res.Removed(known)) != 0 {
			b.Fatalf("unchanged library: %d changed, %d removed", len(res.Guides), len(res.Removed(known)))
		}
		if err := ix.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGuides lists every guide of the catalogue (what the Start-here
// track is built from).
func BenchmarkGuides(b *testing.B) {
	ix := indexed(b)
	b.ResetTimer()
	for range b.N {
		if len(ix.Guides()) == 0 {
			b.Fatal("no guides")
		}
	}
}
