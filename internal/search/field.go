package search

import (
	"unicode/utf8"

	index "github.com/blevesearch/bleve_index_api"
)

// wordsField is an indexed text field that analyses itself in one pass,
// straight into term frequencies, exactly as the mapping's analyzers would
// (analyzerText, or analyzerPrefix with grams): bleve's path builds a token
// stream first, a heap object per word, which was half of the garbage and a
// fifth of the CPU time of indexing. A test checks both give the same terms.
type wordsField struct {
	name  string
	value []byte
	// grams makes edge n-grams (1..maxGram runes) of the words that are not
	// stop words: the as-you-type prefix fields.
	grams  bool
	length int
	freqs  index.TokenFrequencies
}

func newWordsField(name string, value []byte, grams bool) *wordsField {
	return &wordsField{name: name, value: value, grams: grams}
}

func (f *wordsField) Name() string                        { return f.name }
func (f *wordsField) ArrayPositions() []uint64            { return nil }
func (f *wordsField) Options() index.FieldIndexingOptions { return optIndexed }
func (f *wordsField) Value() []byte                       { return f.value }
func (f *wordsField) NumPlainTextBytes() uint64           { return uint64(len(f.value)) }
func (f *wordsField) EncodedFieldType() byte              { return 't' }
func (f *wordsField) AnalyzedLength() int                 { return f.length }

func (f *wordsField) AnalyzedTokenFrequencies() index.TokenFrequencies { return f.freqs }

// Size estimates the memory the field holds, for bleve's accounting.
func (f *wordsField) Size() int {
	n := 64 + len(f.name) + len(f.value)
	for k := range f.freqs {
		n += 2*len(k) + 64
	}
	return n
}

func (f *wordsField) Analyze() {
	f.freqs = make(index.TokenFrequencies, len(f.value)/24+4)
	f.length = 0
	var arena []byte           // normalised words that are not slices of value
	var slab []index.TokenFreq // one allocation for many entries
	add := func(term []byte) {
		f.length++
		if tf, ok := f.freqs[string(term)]; ok {
			tf.SetFrequency(tf.Frequency() + 1)
			return
		}
		if len(slab) == cap(slab) {
			slab = make([]index.TokenFreq, 0, 64)
		}
		slab = append(slab, index.TokenFreq{Term: term})
		tf := &slab[len(slab)-1]
		tf.SetFrequency(1)
		f.freqs[string(term)] = tf
	}
	scanWords(f.value, func(start, end int, _, plain bool) bool {
		w := f.value[start:end]
		if !plain {
			if cap(arena)-len(arena) < 4*len(w) {
				arena = make([]byte, 0, max(512, 4*len(w)))
			}
			n := len(arena)
			arena = appendNormal(arena, w)
			w = arena[n:len(arena):len(arena)]
		}
		if !f.grams {
			add(w)
			return true
		}
		if stopWords[string(w)] {
			return true
		}
		for i, runes := 0, 0; i < len(w) && runes < maxGram; runes++ {
			_, size := utf8.DecodeRune(w[i:])
			i += size
			add(w[:i:i])
		}
		return true
	})
}
