package search

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Snippet geometry, in bytes.
const (
	snippetLen    = 200
	snippetBefore = 60
)

// highlighter cuts snippets and marks the words matching a query.
type highlighter struct {
	words []qword
}

func (ix *Index) highlighter(words []qword) *highlighter {
	return &highlighter{words: words}
}

// match returns the index of the query word that the word w of a text
// matches, or -1. Unfinished words shorter than minBodyPrefix mark
// nothing: they match titles and tags, not the text.
func (h *highlighter) match(w []byte) int {
	for i, q := range h.words {
		prefix := q.prefix && utf8.RuneCountInString(q.text) >= minBodyPrefix
		if foldedEqual(w, q.text, prefix) {
			return i
		}
		for _, v := range q.variants {
			if foldedEqual(w, v, false) {
				return i
			}
		}
		for _, f := range q.forms {
			if foldedEqual(w, f, false) {
				return i
			}
		}
	}
	return -1
}

// span is a matching word: its byte range and the query word it matches.
type span struct{ start, end, word int }

// spans are the byte ranges of the words of text that match; matching
// CJK bigrams that overlap make one span.
func (h *highlighter) spans(text []byte) []span {
	if len(h.words) == 0 {
		return nil
	}
	if h.short() && len(text) > shortScan {
		// One or two letters mark only themselves as whole words: look
		// for that near the start, as the snippet of a title hit.
		text = text[:shortScan]
	}
	from := 0
	if f, ok := h.firstASCII(text); ok {
		if f < 0 {
			return nil
		}
		// No word before f can match: start at the word that holds f.
		for f > 0 && text[f-1] < utf8.RuneSelf && asciiWord[text[f-1]] {
			f--
		}
		from = f
	}
	var out []span
	// The scan stops at the first passage that shows every query word:
	// no passage can show more kinds (best then picks among those found).
	var seen [maxWords]int // per query word: spans in the window
	kinds, first := 0, 0
	want := min(len(h.words), maxWords)
	scanWords(text[from:], func(start, end int, _, _ bool) bool {
		start, end = start+from, end+from
		i := h.match(text[start:end])
		if i < 0 {
			return true
		}
		if n := len(out); n > 0 && start < out[n-1].end {
			// Overlapping CJK bigrams: one mark over the whole run.
			out[n-1].end = max(out[n-1].end, end)
			return true
		}
		out = append(out, span{start, end, i})
		if i < maxWords {
			if seen[i] == 0 {
				kinds++
			}
			seen[i]++
		}
		for first < len(out) && end-out[first].start > snippetLen-snippetBefore {
			if w := out[first].word; w < maxWords {
				if seen[w]--; seen[w] == 0 {
					kinds--
				}
			}
			first++
		}
		return kinds < want
	})
	return out
}

// shortScan is how much of a text a query of only short unfinished words
// (see short) searches for a word to mark.
const shortScan = 1200

// short reports whether every query word is an unfinished word shorter
// than minBodyPrefix, without corrections: such words match titles and
// tags, and in the text only a word that equals one of them is marked.
func (h *highlighter) short() bool {
	for _, q := range h.words {
		if !q.prefix || utf8.RuneCountInString(q.text) >= minBodyPrefix || len(q.variants) > 0 || len(q.forms) > 0 {
			return false
		}
	}
	return true
}

// firstASCII is, when text and every query term are ASCII, the offset of
// the first case-insensitive occurrence of a term in text, or -1 when there
// is none (ok true); a quick pass that spares scanning the words of a long
// text (the stored text is up to snipBytes). With non-ASCII text or terms
// (folding: "Réfund" matches "refund") ok is false.
func (h *highlighter) firstASCII(text []byte) (first int, ok bool) {
	for _, c := range text {
		if c >= utf8.RuneSelf {
			return 0, false
		}
	}
	first = -1
	try := func(t string) bool {
		for i := 0; i < len(t); i++ {
			if t[i] >= utf8.RuneSelf {
				return false
			}
		}
		if i := indexFold(text, t); i >= 0 && (first < 0 || i < first) {
			first = i
		}
		return true
	}
	for _, q := range h.words {
		if !try(q.text) {
			return 0, false
		}
		for _, v := range q.variants {
			if !try(v) {
				return 0, false
			}
		}
		for _, f := range q.forms {
			if !try(f) {
				return 0, false
			}
		}
	}
	return first, true
}

// indexFold is the offset of the first ASCII case-insensitive occurrence of
// the lower-case term t in text, or -1.
func indexFold(text []byte, t string) int {
	if t == "" || len(t) > len(text) {
		return -1
	}
	c0, c1 := t[0], t[0]
	if c0 >= 'a' && c0 <= 'z' {
		c1 = c0 - 'a' + 'A'
	}
	for i := 0; i+len(t) <= len(text); i++ {
		if c := text[i]; c != c0 && c != c1 {
			continue
		}
		j := 1
		for ; j < len(t); j++ {
			c := text[i+j]
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != t[j] {
				break
			}
		}
		if j == len(t) {
			return i
		}
	}
	return -1
}

// best is the index of the span that starts the best passage: the one
// whose snippet shows the most different query words, then the most
// matches, then the earliest.
func best(spans []span) int {
	if len(spans) < 2 {
		return 0
	}
	var seen [maxWords]int // per query word: matches in the window
	bestAt, bestKinds, bestN := 0, -1, -1
	kinds, j := 0, 0
	width := snippetLen - snippetBefore
	for i := range spans {
		for j < len(spans) && spans[j].end-spans[i].start <= width {
			if w := spans[j].word; w < maxWords {
				if seen[w] == 0 {
					kinds++
				}
				seen[w]++
			}
			j++
		}
		if n := j - i; kinds > bestKinds || (kinds == bestKinds && n > bestN) {
			bestAt, bestKinds, bestN = i, kinds, n
		}
		if w := spans[i].word; w < maxWords {
			seen[w]--
			if seen[w] == 0 {
				kinds--
			}
		}
	}
	return bestAt
}

// snippet is an excerpt of text around its best-matching passage (see
// best), with every matching word in it between MarkOpen and MarkClose.
// Without a match in text it uses the summary, and without a match
// anywhere it is the start of text (or the summary when there is no
// text), unmarked.
func (h *highlighter) snippet(text []byte, summary string) string {
	if sp := h.spans(text); len(sp) > 0 {
		return cut(text, sp, best(sp))
	}
	sum := []byte(summary)
	if sp := h.spans(sum); len(sp) > 0 {
		return cut(sum, sp, best(sp))
	}
	if len(text) == 0 {
		text = sum
	}
	return cut(text, nil, 0)
}

// cut takes about snippetLen bytes of text starting a little before the
// span spans[first], marks the spans inside, and puts the text on one line.
func cut(text []byte, spans []span, first int) string {
	start := 0
	var lead span
	if len(spans) > 0 {
		lead = spans[first]
	}
	if len(spans) > 0 && lead.start > snippetBefore {
		start = lead.start - snippetBefore
		// Start at the beginning of a word.
		for start < lead.start && !isSpace(text, start-1) {
			start++
		}
	}
	end := min(len(text), start+snippetLen)
	if len(spans) > 0 && end < lead.end {
		end = lead.end
	}
	if end < len(text) {
		// End at the end of a word.
		for e := end; e > start; e-- {
			if isSpace(text, e) {
				end = e
				break
			}
		}
	}
	for end < len(text) && !utf8.RuneStart(text[end]) {
		end++
	}
	var b strings.Builder
	b.Grow(end - start + 16)
	space := false // collapse runs of white space into one space
	write := func(part []byte) {
		for len(part) > 0 {
			r, size := utf8.DecodeRune(part)
			if unicode.IsSpace(r) {
				space = b.Len() > 0
			} else {
				if space {
					b.WriteByte(' ')
					space = false
				}
				b.Write(part[:size])
			}
			part = part[size:]
		}
	}
	if start > 0 {
		b.WriteString("…")
		space = true
	}
	pos := start
	for _, s := range spans {
		if s.start < start || s.end > end {
			continue
		}
		write(text[pos:s.start])
		write([]byte(MarkOpen))
		write(text[s.start:s.end])
		write([]byte(MarkClose))
		pos = s.end
	}
	write(text[pos:end])
	if end < len(text) || len(text) >= snipBytes-utf8.UTFMax {
		b.WriteString(" …")
	}
	return b.String()
}

// isSpace reports whether the byte at i is white space; out of range counts
// as space.
func isSpace(text []byte, i int) bool {
	if i < 0 || i >= len(text) {
		return true
	}
	r, _ := utf8.DecodeRune(text[i:])
	return unicode.IsSpace(r)
}
