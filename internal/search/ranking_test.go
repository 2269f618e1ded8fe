package search

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cuecard/cuecard/internal/guide"
)

// openFolder indexes the guides of a testdata folder in a new index on
// disk.
func openFolder(t *testing.T, folder string) *Index {
	t.Helper()
	var gs []*guide.Guide
	err := filepath.WalkDir(folder, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || !guide.IsGuideFile(e.Name()) {
			return err
		}
		md, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(folder, p)
		gs = append(gs, parse(t, filepath.ToSlash(rel), string(md)))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ix, err := Open(filepath.Join(t.TempDir(), "index"), libRoot)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if err := ix.Apply(context.Background(), gs, nil); err != nil {
		t.Fatal(err)
	}
	return ix
}

func TestRankingDegradesGracefully(t *testing.T) {
	ix := openFolder(t, "testdata/ranking")
	for _, c := range []struct {
		name, text string
		order      []string // these ids, in this order, before any other
	}{
		// "site" is still being typed: "Sitemap" completes it (and its
		// text has both words), but the whole word "Multilingual" in a
		// title counts for more.
		{"a whole title word beats a completed prefix", "multilingual site", []string{"multilingual.md", "sitemap.md"}},
		// No guide has both words: the guides with one of them still come.
		{"most of the words", "public holidays", nil},
		{"every word before most of them", "printer toner coffee ", []string{"all-words-in-body.md", "two-words-in-title.md"}},
		// While "coffee" is being typed it only ranks: the title with both
		// whole words comes first.
		{"the word being typed only ranks", "printer toner coffee", []string{"two-words-in-title.md", "all-words-in-body.md"}},
		{"a title hit on the word being typed", "xyzzy weekly che", []string{"all-words-in-body.md"}},
		{"two of three words before one", "sync not working ", []string{"troubleshoot-sync.md", "sync-devices.md"}},
		{"the description is searched", "directory that keeps a page together", []string{"hugo-page.md"}},
		// The description says the query word for word; the other page
		// has the words in its title and many times in its text.
		{"the query word for word in the summary", "sass to css", []string{"tocss.md", "css-sass.md"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			rs := search(t, ix, Query{Text: c.text})
			got := ids(rs)
			if len(got) < len(c.order) {
				t.Fatalf("%q: got %v, want %v first", c.text, got, c.order)
			}
			for i, id := range c.order {
				if got[i] != id {
					t.Fatalf("%q: got %v, want %v first", c.text, got, c.order)
				}
			}
			for i := 1; i < len(rs); i++ {
				if rs[i].Score > rs[i-1].Score {
					t.Errorf("%q: scores not in order: %v", c.text, rs)
				}
			}
		})
	}
	rs := search(t, ix, Query{Text: "public holidays"})
	got := strings.Join(ids(rs), " ")
	if !strings.Contains(got, "holidays.md") || !strings.Contains(got, "public-transport.md") {
		t.Errorf("public holidays: got %v, want both the Holidays and the Public transport guide", got)
	}
	rs = search(t, ix, Query{Text: "leaf bundles"})
	if len(rs) == 0 || rs[0].Summary != "A leaf bundle is a directory that keeps a page together with its images." {
		t.Errorf("leaf bundles: the description is not the summary: %+v", rs)
	}
}

func TestOverlongWordIsShortened(t *testing.T) {
	ix := openFolder(t, "testdata/ranking")
	long := strings.Repeat("abcdefghij", 300) // 3,000 letters
	for _, text := range []string{long, long + " ", "printer " + long, strings.Repeat("é", 2000)} {
		if _, err := ix.Search(context.Background(), Query{Text: text}); err != nil {
			t.Errorf("%d bytes: %v", len(text), err)
		}
	}
	// A long word in a guide is still found when pasted whole.
	word := strings.Repeat("x1y2z3", 30)
	g := parse(t, "token.md", "---\ntitle: API token\n---\nThe token is "+word+" today.\n")
	if err := ix.Apply(context.Background(), []*guide.Guide{g}, nil); err != nil {
		t.Fatal(err)
	}
	rs := search(t, ix, Query{Text: word + " "})
	if len(rs) == 0 || rs[0].ID != "token.md" {
		t.Errorf("got %v", ids(rs))
	}
}

func TestNumberForms(t *testing.T) {
	for w, want := range map[string]string{
		"taxonomy": "taxonomies", "taxonomies": "taxonomy", "bundles": "bundl bundle", "bundle": "bundles",
		"boxes": "box boxe", "box": "boxes", "class": "classes", "day": "days", "go": "", "café": "",
	} {
		if got := strings.Join(numberForms(w), " "); got != want {
			t.Errorf("numberForms(%q) = %q, want %q", w, got, want)
		}
	}
	ix := openFolder(t, "testdata/ranking")
	rs := search(t, ix, Query{Text: "holiday "})
	if len(rs) == 0 || rs[0].ID != "holidays.md" || !strings.Contains(rs[0].Title, "Holidays") {
		t.Errorf("holiday: got %v", ids(rs))
	}
}
