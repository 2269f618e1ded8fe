package coach_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/bench"
	"github.com/cuecard/cuecard/internal/library"
	"github.com/cuecard/cuecard/internal/percentile"
)

// Benchmarks of the live library with the production debounce settings:
//
//	go test -run '^$' -bench . -benchtime 40x ./internal/coach
//	CUECARD_IDLE_SECONDS=60 go test -run '^$' -bench IdleWatcher -benchtime 1x ./internal/coach

func production(b *testing.B) {
	q, m, r := library.Quiet, library.MaxDelay, library.RootPoll
	library.Quiet, library.MaxDelay, library.RootPoll = prodQuiet, prodMaxDelay, prodRootPoll
	b.Cleanup(func() { library.Quiet, library.MaxDelay, library.RootPoll = q, m, r })
}

// BenchmarkEditToSearchable: a guide is edited; how long until a query
// through the search API returns the new text (debounce included).
func BenchmarkEditToSearchable(b *testing.B) {
	production(b)
	root := b.TempDir()
	if err := bench.Generate(root, 1000, 1); err != nil {
		b.Fatal(err)
	}
	p := startPipeline(b, root)
	p.waitCount(b, 1000)
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		word := "zqx" + strconv.Itoa(i) + "edit"
		start := time.Now()
		write2(b, root, "edited.md", guideText("How to find the edit", "The new word is "+word+"."))
		for {
			// Typo tolerance finds the previous edit's word too: wait
			// for the new text itself.
			if hits := p.search(b, word); len(hits) > 0 && strings.Contains(hits[0].Snippet, word) {
				break
			}
			if time.Since(start) > 10*time.Second {
				b.Fatalf("edit %d never became searchable", i)
			}
			time.Sleep(2 * time.Millisecond)
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	b.ReportMetric(percentile.Millis(percentile.Of(lat, 0.5)), "p50-ms")
	b.ReportMetric(percentile.Millis(percentile.Of(lat, 0.95)), "p95-ms")
}

// BenchmarkDrop1000: 1,000 new files dropped into the library at once; how
// long until all are indexed and the last one is searchable.
func BenchmarkDrop1000(b *testing.B) {
	production(b)
	root := b.TempDir()
	p := startPipeline(b, root)
	var lat []time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		stage := b.TempDir()
		for j := 0; j < 1000; j++ {
			write2(b, stage, fmt.Sprintf("drop/d%d/g%d.md", j%25, j), guideText(fmt.Sprintf("How to handle drop %d case %d", i, j), fmt.Sprintf("mark%dx%d", i, j)))
		}
		b.StartTimer()
		start := time.Now()
		if err := os.Rename(filepath.Join(stage, "drop"), filepath.Join(root, fmt.Sprintf("drop%d", i))); err != nil {
			b.Fatal(err)
		}
		p.waitCount(b, 1000*(i+1))
		for len(p.search(b, fmt.Sprintf("mark%dx999", i))) == 0 {
			time.Sleep(2 * time.Millisecond)
		}
		lat = append(lat, time.Since(start))
	}
	b.ReportMetric(float64(percentile.Of(lat, 0.5).Milliseconds()), "p50-ms")
	b.ReportMetric(float64(percentile.Of(lat, 1).Milliseconds()), "max-ms")
}

// BenchmarkIdleWatcher: CPU used by the process while a watcher follows a
// 10,000-guide library in which nothing changes (60 s with
// CUECARD_IDLE_SECONDS=60; 10 s by default).
func BenchmarkIdleWatcher(b *testing.B) {
	production(b)
	secs := 10
	if v, err := strconv.Atoi(os.Getenv("CUECARD_IDLE_SECONDS")); err == nil && v > 0 {
		secs = v
	}
	root := b.TempDir()
	if err := bench.Generate(root, 10000, 1); err != nil {
		b.Fatal(err)
	}
	p := startPipeline(b, root)
	p.waitCount(b, 10000)
	time.Sleep(2 * time.Second) // let start-up work finish
	for i := 0; i < b.N; i++ {
		before := cpu()
		time.Sleep(time.Duration(secs) * time.Second)
		used := cpu() - before
		b.ReportMetric(float64(used.Microseconds())/1000, "cpu-ms")
		b.ReportMetric(100*used.Seconds()/float64(secs), "cpu-%")
	}
}

func (p *pipeline) waitCount(b *testing.B, n int) {
	deadline := time.Now().Add(60 * time.Second)
	for p.ix.Count() < n {
		if time.Now().After(deadline) {
			b.Fatalf("index has %d guides, want %d", p.ix.Count(), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func write2(b *testing.B, root, rel, body string) {
	path := filepath.Join(root, filepath.FromSlash(rel))
	os.MkdirAll(filepath.Dir(path), 0o755)
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		b.Fatal(err)
	}
}
