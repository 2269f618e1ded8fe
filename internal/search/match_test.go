package search_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cuecard/cuecard/internal/bench"
	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/library"
	"github.com/cuecard/cuecard/internal/search"
)

func showMatches(ms []guide.Match) string {
	var b strings.Builder
	for _, m := range ms {
		fmt.Fprintf(&b, "%s [%s|%s|%s line %d] %d\n", m.Guide.ID, m.Rule.Exe, m.Rule.Class, m.Rule.Title, m.Rule.Line, m.Specificity)
	}
	return b.String()
}

// Index.Match, which reads the catalogue's distinct rules, gives exactly
// what a guide.Matcher over Guides gives: the coach relies on it instead
// of a matcher of its own.
func TestIndexMatchEqualsMatcher(t *testing.T) {
	root := filepath.Join(t.TempDir(), "library")
	if err := bench.Generate(root, 1500, 3); err != nil {
		t.Fatal(err)
	}
	// Ties and rule choice: equal titles, two matching rules of equal and
	// of different specificity.
	write := func(rel, fm string) {
		t.Helper()
		if err := writeFile(filepath.Join(root, filepath.FromSlash(rel)), "---\n"+fm+"---\nbody\n"); err != nil {
			t.Fatal(err)
		}
	}
	write("tie/b.md", "title: Same title\napps:\n  - exe: zebra\n")
	write("tie/a.md", "title: same TITLE\napps:\n  - exe: zebra\n")
	write("tie/c.md", "title: Two rules\napps:\n  - title: stripes\n  - exe: zeb\n  - exe: ebra\n  - exe: zebra\n    title: stripes\n  - exe: zebra\n    title: str\n")
	write("tie/d.md", "title: Class only\napps:\n  - class: zoo\n")
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "index")
	ix, err := search.Open(dir, root)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if _, err := library.ScanApply(ctx, root, library.Options{}, 500, func(gs []*guide.Guide) error {
		return ix.Apply(ctx, gs, nil)
	}); err != nil {
		t.Fatal(err)
	}
	windows := []guide.Window{
		{Exe: "zebra", Class: "Zoo", Title: "black and white stripes"},
		{Exe: "zebra"}, {Class: "zoo"}, {Title: "stripes"}, {},
	}
	for _, qs := range bench.Queries(ix.Guides(), 40, 1) {
		for _, q := range qs {
			if !q.Window.IsZero() {
				w := q.Window
				windows = append(windows, w, guide.Window{Exe: w.Exe}, guide.Window{Class: w.Class, Instance: w.Instance},
					guide.Window{Exe: w.Exe, Class: w.Class, Title: "Untitled"})
			}
		}
	}
	compare := func(what string) {
		t.Helper()
		m := guide.NewMatcher(ix.Guides())
		nonEmpty := 0
		for _, w := range windows {
			want, got := showMatches(m.Match(w)), showMatches(ix.Match(w))
			if got != want {
				t.Fatalf("%s: window %v:\nindex:\n%s\nmatcher:\n%s", what, w, got, want)
			}
			if want != "" {
				nonEmpty++
			}
		}
		if nonEmpty < len(windows)/2 {
			t.Fatalf("%s: only %d of %d windows match anything", what, nonEmpty, len(windows))
		}
	}
	compare("indexed")
	if got := ix.Guide("tie/c.md"); got == nil || got.Title != "Two rules" || len(got.Apps) != 5 {
		t.Errorf("Guide(tie/c.md) = %+v", got)
	}
	if ix.Guide("nope.md") != nil {
		t.Error("Guide of an unknown id is not nil")
	}
	// After changes: a guide's rules change, one goes.
	write("tie/a.md", "title: same TITLE\napps:\n  - class: zoo\n    exe: zebra\n")
	res, err := library.Scan(ctx, root, library.Options{Sub: "tie"})
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Apply(ctx, res.Guides, []string{"tie/b.md"}); err != nil {
		t.Fatal(err)
	}
	compare("after changes")
	if ms := ix.Match(guide.Window{Exe: "zebra", Class: "zoo"}); len(ms) == 0 || ms[0].Guide.ID != "tie/a.md" {
		t.Errorf("after changes: %s", showMatches(ms))
	}
	// Half the guides go (each rule loses guides from its list), then the
	// index is opened again: the catalogue made from the stored records
	// matches the same.
	var gone []string
	for i, g := range ix.Guides() {
		if i%2 == 1 && !strings.HasPrefix(g.ID, "tie/") {
			gone = append(gone, g.ID)
		}
	}
	if err := ix.Apply(ctx, nil, gone); err != nil {
		t.Fatal(err)
	}
	compare("after half the guides went")
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if ix, err = search.Open(dir, root); err != nil {
		t.Fatal(err)
	}
	compare("opened again")
}

func writeFile(path, text string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(text), 0o644)
}
