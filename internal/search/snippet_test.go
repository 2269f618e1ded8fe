package search

import (
	"context"
	"fmt"
	"strings"
	"testing"

	index "github.com/blevesearch/bleve_index_api"

	"github.com/cuecard/cuecard/internal/guide"
)

func TestSnippetFromTheBestPassage(t *testing.T) {
	ix := openFolder(t, "testdata/snippets")
	rs := search(t, ix, Query{Text: "refund receipt"})
	if len(rs) == 0 || rs[0].ID != "long-page.md" {
		t.Fatalf("got %v", ids(rs))
	}
	// The passage with both words, over 3,000 bytes into the page, not
	// the first "refund".
	s := rs[0].Snippet
	if !strings.Contains(s, "«refund» form needs the «receipt»") {
		t.Errorf("snippet %q", s)
	}
	for _, bad := range []string{"[[", "]]", "[!tip]", "^c0ffee", "early"} {
		if strings.Contains(s, bad) {
			t.Errorf("snippet %q contains %q", s, bad)
		}
	}

	rs = search(t, ix, Query{Text: "walk every page"})
	if len(rs) == 0 || rs[0].ID != "hugo-page.md" {
		t.Fatalf("got %v", ids(rs))
	}
	s = rs[0].Snippet
	for _, bad := range []string{"{{", "}}", "code-toggle", "range .Pages", "&lt;", "&nbsp;"} {
		if strings.Contains(s, bad) {
			t.Errorf("snippet %q contains %q", s, bad)
		}
	}
	if !strings.Contains(s, "«walk» <«every»> «page»") {
		t.Errorf("snippet %q", s)
	}
}

func TestBestPassage(t *testing.T) {
	// query words 0 and 1: a lone 0 first, then 0 and 1 together.
	sp := []span{{0, 5, 0}, {500, 505, 0}, {520, 525, 1}, {900, 905, 0}}
	if got := best(sp); got != 1 {
		t.Errorf("best = %d, want 1", got)
	}
	// Equal variety: the window with more matches.
	sp = []span{{0, 5, 0}, {500, 505, 0}, {510, 515, 0}}
	if got := best(sp); got != 1 {
		t.Errorf("best = %d, want 1", got)
	}
	if got := best(nil); got != 0 {
		t.Errorf("best(nil) = %d", got)
	}
}

func TestIndexFold(t *testing.T) {
	for _, c := range []struct {
		text, t string
		want    int
	}{
		{"Click Refund now", "refund", 6},
		{"REFUND", "refund", 0},
		{"refun", "refund", -1},
		{"a b", "", -1},
	} {
		if got := indexFold([]byte(c.text), c.t); got != c.want {
			t.Errorf("indexFold(%q, %q) = %d, want %d", c.text, c.t, got, c.want)
		}
	}
	// Accented text is scanned word by word: "Réfund" matches "refund".
	h := &highlighter{words: []qword{{text: "refund"}}}
	if s := h.snippet([]byte("Un Réfund ici."), ""); s != "Un «Réfund» ici." {
		t.Errorf("snippet %q", s)
	}
	if s := h.snippet([]byte("Plain text, then the REFUND."), ""); s != "Plain text, then the «REFUND»." {
		t.Errorf("snippet %q", s)
	}
}

// TestSnippetAcrossSegments: the stored text is read straight from the
// segment that holds the live document, whatever segments and deleted
// documents come before it.
func TestSnippetAcrossSegments(t *testing.T) {
	ix := openFolder(t, "testdata/snippets")
	ctx := context.Background()
	for i, word := range []string{"alpha", "bravo", "charlie", "delta"} {
		g := parse(t, "seg.md", "---\ntitle: Segment test\n---\nVersion "+word+" of the zulu text.\n")
		other := parse(t, fmt.Sprintf("other-%d.md", i), "---\ntitle: Other "+word+"\n---\nThe "+word+" zulu page.\n")
		if err := ix.Apply(ctx, []*guide.Guide{g, other}, nil); err != nil {
			t.Fatal(err)
		}
	}
	rs := search(t, ix, Query{Text: "zulu", Limit: 20})
	found := 0
	for _, r := range rs {
		want := map[string]string{"seg.md": "Version delta of the «zulu» text.", "other-0.md": "The alpha «zulu» page.", "other-3.md": "The delta «zulu» page."}[r.ID]
		if want == "" {
			continue
		}
		found++
		if r.Snippet != want {
			t.Errorf("%s: snippet %q, want %q", r.ID, r.Snippet, want)
		}
	}
	if found != 3 {
		t.Errorf("got %v", ids(rs))
	}
}

// TestWithSnipMatchesDocument: the direct read of the stored text gives
// what bleve's Document gives, for every document, after every batch of
// updates (segments with deleted documents before the live ones).
func TestWithSnipMatchesDocument(t *testing.T) {
	ix := openFolder(t, "testdata/snippets")
	ctx := context.Background()
	for round := range 12 {
		var gs []*guide.Guide
		for i := range 4 {
			gs = append(gs, parse(t, fmt.Sprintf("g%d.md", i), fmt.Sprintf("---\ntitle: Guide %d\n---\nRound %d text of guide %d.\n", i, round, i)))
		}
		if err := ix.Apply(ctx, gs[round%4:round%4+1], nil); err != nil {
			t.Fatal(err)
		}
		if err := ix.Apply(ctx, gs, nil); err != nil {
			t.Fatal(err)
		}
		adv, err := ix.bi.Advanced()
		if err != nil {
			t.Fatal(err)
		}
		r, err := adv.Reader()
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{"g0.md", "g1.md", "g2.md", "g3.md", "long-page.md", "hugo-page.md"} {
			var want []byte
			doc, err := r.Document(id)
			if err != nil || doc == nil {
				t.Fatalf("%s: %v", id, err)
			}
			doc.VisitFields(func(f index.Field) {
				if f.Name() == fieldSnip {
					want = f.Value()
				}
			})
			withSnip(r, id, func(got []byte) {
				if string(got) != string(want) {
					t.Errorf("round %d, %s: %q, want %q", round, id, clip(string(got), 40), clip(string(want), 40))
				}
			})
		}
		r.Close()
	}
}
