package search

import (
	"strings"
	"testing"
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
