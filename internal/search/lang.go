package search

import (
	"os"
	"strings"
)

// DefaultLang is the user's language when Query.Lang is "": the first of
// LANGUAGE, LC_ALL, LC_MESSAGES and LANG that is set ("C" and "POSIX"
// count as English, as their messages are). "" when none says.
var DefaultLang = userLang(os.Getenv)

func userLang(getenv func(string) string) string {
	for _, k := range []string{"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"} {
		v := getenv(k)
		if k == "LANGUAGE" {
			v, _, _ = strings.Cut(v, ":")
		}
		if v == "" {
			continue
		}
		v, _, _ = strings.Cut(v, ".")
		v, _, _ = strings.Cut(v, "@")
		if v == "C" || v == "POSIX" {
			return "en"
		}
		if isLangCode(v) {
			return primaryLang(v)
		}
	}
	return ""
}

// primaryLang is the lower-case primary subtag of a language tag:
// "pt-BR" -> "pt", "zh_TW" -> "zh".
func primaryLang(tag string) string {
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	return strings.ToLower(tag)
}

// iso639 holds the two-letter ISO 639-1 codes.
var iso639 = func() map[string]bool {
	m := map[string]bool{}
	for c := range strings.FieldsSeq(`aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs
ca ce ch co cr cs cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv
ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku
kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny
oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv
sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu`) {
		m[c] = true
	}
	return m
}()

// isLangCode reports whether s looks like a language tag: a two-letter ISO
// 639-1 code, optionally with a region or script ("pt-br", "zh-TW",
// "en_US").
func isLangCode(s string) bool {
	p, rest, _ := strings.Cut(strings.ReplaceAll(s, "_", "-"), "-")
	if !iso639[strings.ToLower(p)] {
		return false
	}
	if len(s) == 2 {
		return true
	}
	if len(rest) < 2 || len(rest) > 4 {
		return false
	}
	for _, c := range rest {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// indexedLang is the language term of a guide's document: front matter
// lang, else its top folder when that is named like a language. Whether
// the folder really names a language is decided at query time (see
// guideLang): an "it" folder may hold the IT department's guides.
func indexedLang(id, lang string) string {
	if lang != "" {
		return primaryLang(lang)
	}
	if top, _, ok := strings.Cut(id, "/"); ok && isLangCode(top) {
		return primaryLang(top)
	}
	return ""
}

// minLangFolders is how many top folders named like languages make a
// library one that is sorted by language.
const minLangFolders = 3

// guideLang is the language of a guide: front matter lang, else its top
// folder when the library keeps its languages in top folders; "" when
// unknown. Call with ix.mu held.
func (ix *Index) guideLang(e *entry) string {
	if e.lang != "" {
		return primaryLang(e.lang)
	}
	if ix.langGen != ix.gen {
		folders := map[string]bool{}
		for id := range ix.cat.byID {
			if top, _, ok := strings.Cut(id, "/"); ok && isLangCode(top) {
				folders[strings.ToLower(top)] = true
			}
		}
		ix.langFolders, ix.langGen = len(folders) >= minLangFolders, ix.gen
	}
	if !ix.langFolders {
		return ""
	}
	return indexedLang(e.id, "")
}
