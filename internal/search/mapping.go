package search

import (
	"fmt"
	"hash/fnv"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/token/edgengram"
	stopfilter "github.com/blevesearch/bleve/v2/analysis/token/stop"
	"github.com/blevesearch/bleve/v2/analysis/tokenmap"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/cuecard/cuecard/internal/guide"
)

// Fields of an index document. A guide is one document (id = guide ID); a
// guide of format faq has one more document per section (id = "ID#anchor").
const (
	fieldTitle   = "title"    // words of the title (a section's heading for section documents)
	fieldTitleNG = "title_ng" // edge n-grams of the title words: the as-you-type prefix field
	fieldTagsNG  = "tags_ng"  // edge n-grams of the tag words (a whole word is one of them)
	fieldDesc    = "desc"     // words of the summary (front matter summary, description or excerpt)
	fieldBody    = "body"     // title, tags, summary and plain text of the body: every word of the document
	fieldRule    = "rule"     // one ruleKey per app rule, to boost guides for a window
	fieldLang    = "lang"     // the guide's language (indexedLang), for short queries
	fieldSnip    = "snip"     // stored only: the plain text (its first snipBytes), for snippets
	fieldCat     = "cat"      // stored only, guide documents only: the catalogue record (JSON)
)

// Analyzer names registered in the index mapping.
const (
	analyzerText   = "cuecard_text"   // wordTokenizer: words, lower case, folded to ASCII
	analyzerPrefix = "cuecard_prefix" // the same without stop words, then edge n-grams of 1..maxGram runes
	filterEdge     = "cuecard_edge"
	filterStop     = "cuecard_stop"
	tokenMapStop   = "cuecard_stop_words"
)

// maxGram is the longest indexed prefix of a title or tag word. A longer
// typed prefix is looked up by its first maxGram runes.
const maxGram = 15

// snipBytes bounds the text stored per document for snippets: enough for
// the best passage of nearly any guide, not only of its start.
const snipBytes = 16 << 10

// newMapping is the static index mapping: nothing dynamic, no _all field, no
// term vectors, no doc values; only the snippet text and the catalogue
// record are stored. The prefix fields leave out stop words: "h" and "t"
// would otherwise match nearly every "How to ..." title, which makes one-letter
// queries both slow and useless.
func newMapping() (*mapping.IndexMappingImpl, error) {
	im := bleve.NewIndexMapping()
	err := im.AddCustomTokenFilter(filterEdge, map[string]any{
		"type": edgengram.Name, "min": 1.0, "max": float64(maxGram),
	})
	if err != nil {
		return nil, fmt.Errorf("index mapping: %w", err)
	}
	stop := make([]any, 0, len(stopWords))
	for w := range stopWords {
		stop = append(stop, w)
	}
	sort.Slice(stop, func(i, j int) bool { return stop[i].(string) < stop[j].(string) })
	if err := im.AddCustomTokenMap(tokenMapStop, map[string]any{"type": tokenmap.Name, "tokens": stop}); err != nil {
		return nil, fmt.Errorf("index mapping: %w", err)
	}
	err = im.AddCustomTokenFilter(filterStop, map[string]any{"type": stopfilter.Name, "stop_token_map": tokenMapStop})
	if err != nil {
		return nil, fmt.Errorf("index mapping: %w", err)
	}
	err = im.AddCustomAnalyzer(analyzerText, map[string]any{
		"type":      custom.Name,
		"tokenizer": tokenizerName,
	})
	if err != nil {
		return nil, fmt.Errorf("index mapping: %w", err)
	}
	err = im.AddCustomAnalyzer(analyzerPrefix, map[string]any{
		"type":          custom.Name,
		"tokenizer":     tokenizerName,
		"token_filters": []any{filterStop, filterEdge},
	})
	if err != nil {
		return nil, fmt.Errorf("index mapping: %w", err)
	}

	field := func(analyzer string, indexed, store bool) *mapping.FieldMapping {
		fm := bleve.NewTextFieldMapping()
		fm.Analyzer = analyzer
		fm.Index = indexed
		fm.Store = store
		fm.IncludeTermVectors = false
		fm.IncludeInAll = false
		fm.DocValues = false
		return fm
	}
	dm := bleve.NewDocumentStaticMapping()
	dm.AddFieldMappingsAt(fieldTitle, field(analyzerText, true, false))
	dm.AddFieldMappingsAt(fieldTitleNG, field(analyzerPrefix, true, false))
	dm.AddFieldMappingsAt(fieldTagsNG, field(analyzerPrefix, true, false))
	dm.AddFieldMappingsAt(fieldDesc, field(analyzerText, true, false))
	dm.AddFieldMappingsAt(fieldBody, field(analyzerText, true, false))
	dm.AddFieldMappingsAt(fieldRule, field(keyword.Name, true, false))
	dm.AddFieldMappingsAt(fieldLang, field(keyword.Name, true, false))
	dm.AddFieldMappingsAt(fieldSnip, field(keyword.Name, false, true))
	dm.AddFieldMappingsAt(fieldCat, field(keyword.Name, false, true))

	im.DefaultMapping = dm
	im.DefaultAnalyzer = analyzerText
	im.StoreDynamic = false
	im.IndexDynamic = false
	im.DocValuesDynamic = false
	if err := im.Validate(); err != nil {
		return nil, fmt.Errorf("index mapping: %w", err)
	}
	return im, nil
}

// docBuilder turns guides into bleve documents without reflection.
type docBuilder struct {
	text, prefix, keyword analysis.Analyzer
}

func newDocBuilder(im mapping.IndexMapping) (*docBuilder, error) {
	b := &docBuilder{
		text:    im.AnalyzerNamed(analyzerText),
		prefix:  im.AnalyzerNamed(analyzerPrefix),
		keyword: im.AnalyzerNamed(keyword.Name),
	}
	if b.text == nil || b.prefix == nil || b.keyword == nil {
		return nil, fmt.Errorf("index mapping lacks the cuecard analyzers")
	}
	return b, nil
}

const (
	optIndexed = index.IndexField
	optStored  = index.StoreField
)

func (b *docBuilder) add(d *document.Document, name, value string, opts index.FieldIndexingOptions, a analysis.Analyzer) {
	if value == "" {
		return
	}
	d.AddField(document.NewTextFieldCustom(name, nil, []byte(value), opts, a))
}

// words adds a field analysed as analyzerText (or analyzerPrefix, with
// grams) from the concatenation of parts, separated by new lines.
func (b *docBuilder) words(d *document.Document, name string, grams bool, parts ...string) {
	n := 0
	for _, p := range parts {
		n += len(p) + 1
	}
	value := make([]byte, 0, n)
	for _, p := range parts {
		if p == "" {
			continue
		}
		if len(value) > 0 {
			value = append(value, '\n')
		}
		value = append(value, p...)
	}
	if len(value) > 0 {
		d.AddField(newWordsField(name, value, grams))
	}
}

// guideDoc is the document of a whole guide; rec is its catalogue record.
func (b *docBuilder) guideDoc(g *guide.Guide, rec []byte, rules []string) *document.Document {
	d := document.NewDocument(g.ID)
	tags := strings.Join(g.Tags, " ")
	b.words(d, fieldTitle, false, g.Title)
	b.words(d, fieldTitleNG, true, g.Title)
	b.words(d, fieldTagsNG, true, tags)
	b.words(d, fieldDesc, false, g.Summary)
	b.words(d, fieldBody, false, g.Title, tags, g.Summary, g.Text)
	for _, r := range rules {
		b.add(d, fieldRule, r, optIndexed, b.keyword)
	}
	b.add(d, fieldLang, indexedLang(g.ID, g.Lang), optIndexed, b.keyword)
	b.add(d, fieldSnip, clip(g.Text, snipBytes), optStored, b.keyword)
	d.AddField(document.NewTextFieldCustom(fieldCat, nil, rec, optStored, b.keyword))
	return d
}

// sectionDoc is the document of one section of a FAQ guide.
func (b *docBuilder) sectionDoc(g *guide.Guide, s guide.Section, rules []string) *document.Document {
	d := document.NewDocument(sectionID(g.ID, s.Anchor))
	b.words(d, fieldTitle, false, s.Title)
	b.words(d, fieldTitleNG, true, s.Title)
	b.words(d, fieldBody, false, s.Title, s.Text)
	for _, r := range rules {
		b.add(d, fieldRule, r, optIndexed, b.keyword)
	}
	b.add(d, fieldSnip, clip(s.Text, snipBytes), optStored, b.keyword)
	return d
}

// sectionID is the document id of a FAQ section: "guide-id#anchor".
func sectionID(id, anchor string) string { return id + "#" + anchor }

// ruleKey names an app rule in the index: the same expressions give the same
// key in every guide.
func ruleKey(r guide.Rule) string {
	h := fnv.New64a()
	h.Write([]byte(r.Exe))
	h.Write([]byte{0})
	h.Write([]byte(r.Class))
	h.Write([]byte{0})
	h.Write([]byte(r.Title))
	return strconv.FormatUint(h.Sum64(), 36)
}

// clip returns s cut to at most n bytes at a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
