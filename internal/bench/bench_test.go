package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/library"
)

func TestGenerateDeterministicAndParses(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	if err := Generate(a, 200, 7); err != nil {
		t.Fatal(err)
	}
	if err := Generate(b, 200, 7); err != nil {
		t.Fatal(err)
	}
	files := 0
	err := filepath.WalkDir(a, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files++
		rel, _ := filepath.Rel(a, p)
		x, _ := os.ReadFile(p)
		y, err := os.ReadFile(filepath.Join(b, rel))
		if err != nil || !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs with the same seed", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	res, err := library.Scan(context.Background(), a, library.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Guides) != 200 {
		for _, p := range res.Problems {
			if p.Level == guide.LevelError {
				t.Error(p)
			}
		}
		t.Fatalf("parsed %d guides of 200", len(res.Guides))
	}
	formats := map[guide.Format]int{}
	nested, withApps := 0, 0
	for _, g := range res.Guides {
		formats[g.Format]++
		if strings.Count(g.ID, "/") >= 2 {
			nested++
		}
		if len(g.Apps) > 0 {
			withApps++
		}
		if g.WordCount < 150 || g.WordCount > 1100 {
			t.Errorf("%s: %d words, want roughly 200-800", g.ID, g.WordCount)
		}
	}
	if formats[guide.FormatChecklist] == 0 || formats[guide.FormatFAQ] == 0 || nested == 0 || withApps < 150 {
		t.Errorf("library lacks variety: formats %v, nested %d, with app rules %d", formats, nested, withApps)
	}
}

func TestQueriesFromEmptyLibrary(t *testing.T) {
	if sets := Queries(nil, 10, 1); len(sets) != 0 {
		t.Fatalf("queries from an empty library: %v", sets)
	}
}

func TestRunSmall(t *testing.T) {
	dir := t.TempDir()
	var progress bytes.Buffer
	res, err := Run(context.Background(), Options{Guides: 300, Dir: dir, Seed: 3, Out: &progress, Queries: 20, RipgrepQueries: 2})
	if err != nil {
		t.Fatal(err)
	}
	if res.Guides != 300 || res.IndexSeconds <= 0 || res.IndexBytes <= 0 || res.ReconcileSeconds <= 0 {
		t.Errorf("result %+v", res)
	}
	if len(res.Queries) != len(Kinds) {
		t.Fatalf("query kinds %v", res.Queries)
	}
	for i, q := range res.Queries {
		if q.Kind != Kinds[i] || q.N != 20 || q.P50ms <= 0 || q.P99ms < q.P50ms {
			t.Errorf("query stat %+v", q)
		}
		if !res.RipgrepMissing && (q.RipgrepMs <= 0 || q.RipgrepRatio <= 0) {
			t.Errorf("ripgrep figures missing: %+v", q)
		}
	}
	if _, err := os.Stat("/proc/self/status"); err == nil && res.RSSBytes <= 0 {
		t.Errorf("rss %d", res.RSSBytes)
	}
	var table bytes.Buffer
	res.WriteTable(&table)
	for _, want := range append([]string{"full index", "reconcile"}, Kinds...) {
		if !strings.Contains(table.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, table.String())
		}
	}
	if _, err := json.Marshal(res); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(progress.String(), "indexing") {
		t.Errorf("progress: %q", progress.String())
	}
}

// TestRunReal runs the full benchmark when CUECARD_BENCH_GUIDES is set, e.g.
// CUECARD_BENCH_GUIDES=10000 go test ./internal/bench -run TestRunReal -v -timeout 30m
func TestRunReal(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("CUECARD_BENCH_GUIDES"))
	if n == 0 {
		t.Skip("set CUECARD_BENCH_GUIDES to run")
	}
	res, err := Run(context.Background(), Options{Guides: n, Seed: 1, Dir: os.Getenv("CUECARD_BENCH_DIR"), Out: os.Stderr})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	res.WriteTable(&b)
	t.Log("\n" + b.String())
	j, _ := json.MarshalIndent(res, "", "  ")
	t.Log(string(j))
}

// TestRunMixed: a mixed library has Word and PDF items among its guides,
// every one indexed and searchable, and each format's parse time.
func TestRunMixed(t *testing.T) {
	res, err := Run(context.Background(), Options{Guides: 60, Queries: 20, RipgrepQueries: 1, Mixed: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Guides != 60 {
		t.Errorf("indexed %d guides, want 60 (documents included)", res.Guides)
	}
	files := map[string]int{}
	for _, f := range res.Formats {
		files[f.Format] = f.Files
		if f.Files > 0 && (f.ParseSeconds <= 0 || f.PerFileMs <= 0) {
			t.Errorf("format %s: no parse time: %+v", f.Format, f)
		}
	}
	if files["md"] != 48 || files["docx"] != 6 || files["pdf"] != 6 {
		t.Errorf("formats %v, want 48 md, 6 docx, 6 pdf", files)
	}
}
