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
	var out []span
	scanWords(text, func(start, end int, _, _ bool) bool {
		if i := h.match(text[start:end]); i >= 0 {
			if n := len(out); n > 0 && start < out[n-1].end {
				// Overlapping CJK bigrams: one mark over the whole run.
				out[n-1].end = max(out[n-1].end, end)
				return true
			}
			out = append(out, span{start, end, i})
		}
		return true
	})
	return out
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
