package search

import (
	"testing"
)

func TestShortQueryPrefersTheUsersLanguage(t *testing.T) {
	ix := openFolder(t, "testdata/lang")
	for _, c := range []struct{ text, lang, first, last string }{
		// Czech "Graf" is the whole title, but the user reads English.
		{"gra", "en", "en/graph-view.md", ""},
		{"gra", "cs", "cs/graf.md", ""},
		{"gr", "de-DE", "de/grafik.md", ""},
		// Front matter lang counts too.
		{"gra", "en", "en/graph-view.md", "misc/grand.md"},
		{"gra", "fr", "misc/grand.md", ""},
	} {
		rs := search(t, ix, Query{Text: c.text, Lang: c.lang})
		got := ids(rs)
		if len(got) == 0 || got[0] != c.first || (c.last != "" && got[len(got)-1] != c.last) {
			t.Errorf("%q in %s: got %v, want %s first", c.text, c.lang, got, c.first)
		}
	}
	// Four letters and more: relevance alone.
	rs := search(t, ix, Query{Text: "graf", Lang: "en"})
	if len(rs) == 0 || rs[0].ID != "cs/graf.md" {
		t.Errorf("graf: got %v", ids(rs))
	}
}

func TestFolderNamedLikeALanguage(t *testing.T) {
	// "it" and "hr" are department folders here, not Italian and
	// Croatian: too few to make a library sorted by language.
	ix := openFolder(t, "testdata/lang-it")
	rs := search(t, ix, Query{Text: "gra", Lang: "en"})
	if len(rs) != 2 || rs[0].ID != "hr/grades.md" {
		t.Errorf("got %v, want both, the shorter title first", ids(rs))
	}
}

func TestUserLang(t *testing.T) {
	for _, c := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"LANG": "de_DE.UTF-8"}, "de"},
		{map[string]string{"LANG": "C.UTF-8"}, "en"},
		{map[string]string{"LANGUAGE": "pt_BR:en", "LANG": "de_DE.UTF-8"}, "pt"},
		{map[string]string{"LC_ALL": "sr_RS@latin", "LANG": "en_US.UTF-8"}, "sr"},
		{map[string]string{}, ""},
	} {
		got := userLang(func(k string) string { return c.env[k] })
		if got != c.want {
			t.Errorf("%v: %q, want %q", c.env, got, c.want)
		}
	}
}
