package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCorpusHitRate measures how often a right page is the first result,
// and in the first three, for the questions in testdata/corpus on real
// third-party folders. It is a measurement, not a pass/fail test, and runs
// only when CUECARD_CORPORA names a folder holding the extracted corpora
// (hugo-docs/, obsidian-help/ from the project's shared corpora):
//
//	CUECARD_CORPORA=/tmp/corpora go test ./cmd/cuecard -run TestCorpusHitRate -v
//
// CUECARD_CORPUS_BINARY runs another cuecard binary (an older build, to
// compare) instead of the one built for the tests.
func TestCorpusHitRate(t *testing.T) {
	dir := os.Getenv("CUECARD_CORPORA")
	if dir == "" {
		t.Skip("set CUECARD_CORPORA to the folder of the extracted corpora")
	}
	bin := binary
	if b := os.Getenv("CUECARD_CORPUS_BINARY"); b != "" {
		bin = b
	}
	for _, name := range []string{"hugo-docs", "obsidian-help"} {
		t.Run(name, func(t *testing.T) {
			lib := filepath.Join(dir, name)
			if _, err := os.Stat(lib); err != nil {
				t.Skipf("no corpus: %v", err)
			}
			qs := readQuestions(t, filepath.Join("testdata", "corpus", name+".tsv"))
			e := env(t)
			saved := binary
			binary = bin
			defer func() { binary = saved }()
			if r := run(t, e, "--library", lib, "index"); r.code != 0 {
				t.Fatalf("index: exit %d\n%s", r.code, r.stderr)
			}
			top1, top3 := 0, 0
			for _, q := range qs {
				r := run(t, e, "--library", lib, "search", "--json", "--limit", "10", q.text)
				if r.code != 0 {
					t.Errorf("search %q: exit %d\n%s", q.text, r.code, r.stderr)
					continue
				}
				var res []struct{ Path, Title string }
				if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
					t.Fatalf("search %q: %v\n%s", q.text, err, r.stdout)
				}
				rank := 0
				for i, h := range res {
					if q.right[filepath.ToSlash(h.Path)] {
						rank = i + 1
						break
					}
				}
				if rank == 1 {
					top1++
				}
				if rank >= 1 && rank <= 3 {
					top3++
				}
				first := ""
				if len(res) > 0 {
					first = res[0].Title
				}
				t.Logf("%-34q rank %-2d (first: %s)", q.text, rank, first)
			}
			t.Logf("%s: top-1 %d/%d, top-3 %d/%d", name, top1, len(qs), top3, len(qs))
		})
	}
}

type question struct {
	text  string
	right map[string]bool
}

// readQuestions reads query<TAB>path|path lines; # starts a comment.
func readQuestions(t *testing.T, file string) []question {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var qs []question
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		text, paths, ok := strings.Cut(line, "\t")
		if !ok {
			t.Fatalf("%s: no tab in %q", file, line)
		}
		q := question{text: text, right: map[string]bool{}}
		for p := range strings.SplitSeq(paths, "|") {
			q.right[p] = true
		}
		qs = append(qs, q)
	}
	return qs
}
