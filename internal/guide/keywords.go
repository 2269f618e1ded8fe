package guide

import "strings"

var stopwords = map[string]bool{}

func init() {
	for _, w := range strings.Fields("a an and are as at be by can do does for from how i in is it my of on or our should the to we what when where which who why will with you your") {
		stopwords[w] = true
	}
}

// Keywords picks up to three tags from a title, for a new guide that names
// no app rule or tag, so that it can still be surfaced.
func Keywords(title string) []string {
	var out []string
	for _, w := range strings.Fields(strings.ToLower(title)) {
		w = strings.Trim(w, "?!.,:;\"'()")
		if len(w) < 3 || stopwords[w] || TaskOrQuestion(w+" x") {
			continue
		}
		out = append(out, w)
		if len(out) == 3 {
			break
		}
	}
	return out
}
