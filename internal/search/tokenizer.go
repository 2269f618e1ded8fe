package search

import (
	"fmt"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	"github.com/blevesearch/bleve/v2/registry"
)

// tokenizerName is Cuecard's word tokenizer in the bleve registry.
const tokenizerName = "cuecard_words"

func init() {
	err := registry.RegisterTokenizer(tokenizerName, func(map[string]any, *registry.Cache) (analysis.Tokenizer, error) {
		return wordTokenizer{}, nil
	})
	if err != nil {
		panic(fmt.Sprintf("search: register tokenizer: %v", err))
	}
}

// wordTokenizer splits text into words and normalises them in one pass: a
// word is a run of letters, digits and combining marks (runs of Han, kana
// and Hangul are cut into overlapping bigrams: see scanWords); terms are lower case and
// folded to ASCII where a folding exists ("Café" -> "cafe"). Offsets point
// into the input, so snippets can mark the original text.
//
// It replaces bleve's unicode tokenizer + to_lower + asciifolding, which
// took over half the CPU time of indexing, with an ASCII fast path. Unlike
// UAX #29 it splits at apostrophes and dots ("don't" -> "don", "t"); queries
// go through the same tokenizer, so they match.
type wordTokenizer struct{}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// isIdeograph reports whether r is written without spaces between words
// and indexed in bigrams: Han, Hiragana, Katakana (with the prolonged
// sound mark ー) and Hangul.
func isIdeograph(r rune) bool {
	if r < 0x1100 {
		return false
	}
	return r == 0x30FC || unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}

// asciiWord is the table of ASCII bytes that belong to words.
var asciiWord = func() (t [utf8.RuneSelf]bool) {
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
		t[c-'a'+'A'] = true
	}
	return t
}()

func (wordTokenizer) Tokenize(input []byte) analysis.TokenStream {
	est := len(input)/6 + 1
	out := make(analysis.TokenStream, 0, est)
	slab := make([]analysis.Token, 0, est) // one allocation for many tokens
	var terms []byte                       // backing store of normalised terms
	pos := 1
	scanWords(input, func(start, end int, ideograph, plain bool) bool {
		if len(slab) == cap(slab) {
			slab = make([]analysis.Token, 0, est)
		}
		typ := analysis.AlphaNumeric
		if ideograph {
			typ = analysis.Ideographic
		}
		slab = append(slab, analysis.Token{Start: start, End: end, Position: pos, Type: typ})
		tok := &slab[len(slab)-1]
		if plain {
			tok.Term = input[start:end]
		} else {
			if cap(terms)-len(terms) < 4*(end-start) {
				terms = make([]byte, 0, max(1024, 4*(end-start)))
			}
			n := len(terms)
			terms = appendNormal(terms, input[start:end])
			tok.Term = terms[n:len(terms):len(terms)]
		}
		out = append(out, tok)
		pos++
		return true
	})
	return out
}

// scanWords calls fn with the byte range of every word of input, in order,
// until fn returns false. plain is true when the word is lower-case ASCII,
// i.e. already its own term.
func scanWords(input []byte, fn func(start, end int, ideograph, plain bool) bool) {
	i := 0
	for i < len(input) {
		c := input[i]
		if c < utf8.RuneSelf && !asciiWord[c] {
			i++
			continue
		}
		size := 1
		if c >= utf8.RuneSelf {
			var r rune
			r, size = utf8.DecodeRune(input[i:])
			if isIdeograph(r) {
				// CJK: overlapping bigrams of the run ("端到端" -> "端到",
				// "到端"), or the one character of a run of one. A word
				// of two or more characters is then found wherever it
				// stands, without a dictionary; phrase order is checked at
				// ranking (see phraseIn).
				prev := i
				j := i + size
				n := 1
				for j < len(input) {
					r2, size2 := utf8.DecodeRune(input[j:])
					if !isIdeograph(r2) {
						break
					}
					if !fn(prev, j+size2, true, false) {
						return
					}
					prev = j
					j += size2
					n++
				}
				if n == 1 && !fn(i, j, true, false) {
					return
				}
				i = j
				continue
			}
			if !isWordRune(r) {
				i += size
				continue
			}
		}
		start := i
		plain := c < utf8.RuneSelf && (c < 'A' || c > 'Z')
		i += size
		for i < len(input) {
			c := input[i]
			if c < utf8.RuneSelf {
				if !asciiWord[c] {
					break
				}
				if c >= 'A' && c <= 'Z' {
					plain = false
				}
				i++
				continue
			}
			r, size := utf8.DecodeRune(input[i:])
			if !isWordRune(r) || isIdeograph(r) {
				break
			}
			plain = false
			i += size
		}
		if !fn(start, i, false, plain) {
			return
		}
	}
}

// foldedEqual reports whether the word w, normalised, equals the term t (or
// starts with it, with prefix). It allocates only for non-ASCII words.
func foldedEqual(w []byte, t string, prefix bool) bool {
	ascii := true
	for _, c := range w {
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if !ascii {
		n := string(normalise(w))
		return n == t || (prefix && len(n) >= len(t) && n[:len(t)] == t)
	}
	if len(w) < len(t) || (!prefix && len(w) != len(t)) {
		return false
	}
	for i := 0; i < len(t); i++ {
		c := w[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != t[i] {
			return false
		}
	}
	return true
}

var folder = asciifolding.New()

// normalise lower-cases a word and folds it to ASCII where possible.
func normalise(w []byte) []byte { return appendNormal(nil, w) }

// appendNormal appends the normalised form of word w to dst.
func appendNormal(dst, w []byte) []byte {
	ascii := true
	for _, c := range w {
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		for _, c := range w {
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
		}
		return dst
	}
	lower := make([]byte, 0, len(w))
	for _, r := range string(w) {
		lower = utf8.AppendRune(lower, unicode.ToLower(r))
	}
	return append(dst, folder.Filter(lower)...)
}
