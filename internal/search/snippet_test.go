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
