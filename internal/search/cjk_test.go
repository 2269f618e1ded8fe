package search

import (
	"reflect"
	"strings"
	"testing"
)

func TestCJKPhrasesAndBigrams(t *testing.T) {
	ix := openFolder(t, "testdata/cjk")
	for _, c := range []struct{ text, first string }{
		// zh-upgrade.md has every bigram of the phrase, apart; the page
		// that says the phrase comes first.
		{"端到端加密", "zh-security.md"},
		{"端到端加密 ", "zh-security.md"},
		{"エンドツーエンド暗号化", "ja-security.md"},
		{"同步笔记", "zh-sync.md"},
	} {
		rs := search(t, ix, Query{Text: c.text})
		if len(rs) == 0 || rs[0].ID != c.first {
			t.Errorf("%q: got %v, want %s first", c.text, ids(rs), c.first)
		}
	}
	// As typed, without a trailing space, a query finds what it finds with
	// one.
	for _, text := range []string{"同步", "加密", "暗号化", "端到端加密"} {
		a, b := ids(search(t, ix, Query{Text: text})), ids(search(t, ix, Query{Text: text + " "}))
		if len(a) == 0 || !reflect.DeepEqual(a, b) {
			t.Errorf("%q: %v, with a space %v", text, a, b)
		}
	}
	// Highlights cover the whole matched run, not single characters.
	rs := search(t, ix, Query{Text: "端到端加密"})
	if s := rs[0].Snippet; !strings.Contains(s, "«端到端加密»") || strings.Contains(s, "«端»") {
		t.Errorf("snippet %q", s)
	}
	// One character is the start of the words it begins: titles only.
	rs = search(t, ix, Query{Text: "同"})
	if len(rs) != 2 {
		t.Errorf("同: got %v, want the two titles with 同步", ids(rs))
	}
}

func TestCJKPhrases(t *testing.T) {
	got := cjkPhrases("Sync 端到端加密 and 同步 and エンドツーエンド")
	want := []string{"端到端加密", "エンドツーエンド"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
