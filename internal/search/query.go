package search

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/cuecard/cuecard/internal/edit"
	"github.com/cuecard/cuecard/internal/guide"
)

// Query is what the user typed, and where.
type Query struct {
	// Text is the raw input as typed. Its last word is a prefix unless the
	// text ends with a space or punctuation; earlier words are whole words.
	Text string
	// Window is the focused window, optional: guides whose app rules match
	// it rank higher, and with an empty Text the result is the guides for it.
	Window guide.Window
	// Limit is the most results returned; 0 means 10.
	Limit int
	// Now is the time staleness is judged at; zero means time.Now().
	Now time.Time
	// Lang is the user's language ("en", "pt-BR"); "" means DefaultLang.
	// A query of one to three letters ranks guides known to be in another
	// language after the others.
	Lang string
}

// Result is one search hit: a guide, or a section of a FAQ guide.
type Result struct {
	// ID is the guide's ID (for a section hit too); Path equals ID.
	ID, Path, Title, Summary string
	Format                   guide.Format
	// Score orders results (higher first). Its integer part is the rank
	// class: 1000000 times how many of the query words typed in full the
	// guide matches (guides with every word first, then with most of them;
	// the last word while it is typed only ranks), plus 500000 when the
	// guide holds each run of CJK characters of the query as typed (their
	// bigrams may match apart) or, without CJK, when its title or summary
	// holds the query's words one after the other, plus 250000 for a query of one to three
	// letters when the guide is not known to be in another language than
	// the user's (Query.Lang), plus 100000 times the
	// title tier (2 the title is what was typed, 1 every word is in the
	// title, 0 otherwise), plus twice how well the words match the title
	// (whole words most, completed prefixes less, rare words more), plus
	// one when the guide matches the word being typed; its fraction is the
	// relevance within the class.
	Score float64
	// Stale is true when the guide's review is overdue at Query.Now.
	Stale bool
	// Snippet is a short plain-text excerpt with the matched words between
	// « and », e.g. "… click «Refund» and …". Cut ends are marked with "…".
	Snippet string
	// Section and Anchor are the FAQ section's title and anchor when the hit
	// is a section, else "".
	Section, Anchor string
	Duration        time.Duration
	Tags            []string
	// AppMatch is true when one of the guide's app rules matches Query.Window.
	AppMatch bool
}

// Highlight markers around matched words in Result.Snippet.
const (
	MarkOpen  = "«"
	MarkClose = "»"
)

// Ranking knobs.
const (
	boostTitle   = 4.0
	boostDesc    = 2.5
	boostTags    = 2.0
	boostBody    = 1.0
	typoFactor   = 0.5  // a word matched through a typo correction counts this much
	formFactor   = 0.9  // a word matched through its plural or singular
	expandFactor = 0.7  // body words completing the last word
	appFactor    = 1.6  // guides for the focused window
	staleFactor  = 0.85 // overdue guides
	defaultLimit = 10
	maxLimit     = 200
	maxWords     = 10
	// maxShort is the longest query (one word, in runes) that prefers
	// guides in the user's language.
	maxShort = 3
	// maxWordBytes is the longest query word used as typed, in bytes (a
	// rune boundary below); a longer one is cut to it and matched as a
	// prefix.
	maxWordBytes = 64
	// maxExpansions is how many body words (the most frequent ones) the last
	// word expands to; minBodyPrefix is the shortest last word that expands
	// into body words at all: one or two letters match titles and tags only.
	maxExpansions = 5
	minBodyPrefix = 3
	// expansionShare bounds the work of body expansions: together they may
	// match at most this share of the documents (counting a document once
	// per word), and a word in more documents than that is skipped: it
	// says little about the document and costs the most.
	expansionShare     = 0.2
	minExpansionBudget = 2000
	maxVariants        = 6 // typo corrections per word
)

// stopWords are dropped from complete words when another word remains.
var stopWords = map[string]bool{
	"a": true, "an": true, "and": true, "are": true, "as": true, "at": true, "be": true, "by": true,
	"can": true, "do": true, "does": true, "for": true, "from": true, "how": true, "i": true, "if": true,
	"in": true, "is": true, "it": true, "me": true, "my": true, "of": true, "on": true, "or": true,
	"our": true, "so": true, "the": true, "this": true, "to": true, "we": true, "what": true, "when": true,
	"where": true, "which": true, "who": true, "why": true, "with": true, "you": true, "your": true,
}

// qword is one analysed word of the query.
type qword struct {
	text   string
	prefix bool // the last word, still being typed (or a word cut short)
	cut    bool // shortened to maxWordBytes bytes
	cjk    bool // a CJK bigram (or lone character): see scanWords
	// variants are dictionary words within the allowed edits of text, when
	// text itself is in no dictionary (a typo).
	variants []string
	// expansions are the most frequent body words starting with text (prefix
	// words of minBodyPrefix letters or more).
	expansions []string
	// forms are the plural or singular of a whole word that are words of
	// the library ("taxonomy" -> "taxonomies", "bundles" -> "bundle").
	forms []string
	// weight is how much the word says about a guide: 1 plus the log of how
	// rare it is in the library (see weigh).
	weight float64
}

// words analyses text into query words, dropping stop words while other
// words remain.
func (ix *Index) words(text string) (all, kept []qword) {
	toks := ix.docs.text.Analyze([]byte(text))
	for _, t := range toks {
		w := qword{text: string(t.Term), cjk: t.Type == analysis.Ideographic}
		if len(w.text) > maxWordBytes {
			// Pasted noise or a hash: its start is enough, as a prefix.
			// (The typo automaton of a word thousands of letters long
			// exceeds bleve's limit: "dfa contains more than 10000 states".)
			w.text = clip(w.text, maxWordBytes)
			w.cut = true
		}
		all = append(all, w)
	}
	if len(all) == 0 {
		return nil, nil
	}
	if len(all) > maxWords {
		all = append(all[:maxWords-1], all[len(all)-1])
	}
	last, _ := utf8.DecodeLastRuneInString(text)
	all[len(all)-1].prefix = unicode.IsLetter(last) || unicode.IsDigit(last)
	for i := range all {
		w := &all[i]
		w.prefix = w.prefix || w.cut
		if w.cjk {
			// A CJK bigram is a whole word, typed or not, so that "同步"
			// finds what "同步 " finds; a lone character is the start of
			// the words (bigrams) it begins.
			w.prefix = utf8.RuneCountInString(w.text) == 1
		}
	}
	for _, w := range all {
		if w.prefix || !stopWords[w.text] {
			kept = append(kept, w)
		}
	}
	if len(kept) == 0 {
		w := all[len(all)-1]
		w.prefix = true
		kept = append(kept, w)
	}
	return all, kept
}

// allowedEdits is the typo tolerance for a word: one edit from 4 letters,
// two from 8.
func allowedEdits(w string) int {
	switch n := utf8.RuneCountInString(w); {
	case n >= 8:
		return 2
	case n >= 4:
		return 1
	}
	return 0
}

// Search runs q. See Query for the semantics. Results are ranked by title
// tier, then relevance times the window boost and the staleness penalty.
func (ix *Index) Search(ctx context.Context, q Query) (_ []Result, err error) {
	defer recoverTo(&err, "search")
	limit := q.Limit
	if limit <= 0 {
		limit = defaultLimit
	}
	limit = min(limit, maxLimit)
	now := q.Now
	if now.IsZero() {
		now = time.Now()
	}
	ix.mu.RLock()
	bi := ix.bi
	ix.mu.RUnlock()
	if bi == nil {
		return nil, fmt.Errorf("search: %w", errClosed)
	}
	adv, err := bi.Advanced()
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	defer r.Close()

	var am *appMatch
	if !q.Window.IsZero() {
		am = ix.appMatch(q.Window)
	}
	all, words := ix.words(q.Text)
	if len(words) == 0 {
		if am == nil {
			return nil, nil
		}
		return ix.windowGuides(r, am, limit, now), nil
	}
	for i := range words {
		if err := ix.complete(r, &words[i]); err != nil {
			return nil, fmt.Errorf("search %q: %w", q.Text, err)
		}
	}
	if len(words) > 1 {
		if err := weigh(r, words); err != nil {
			return nil, fmt.Errorf("search %q: %w", q.Text, err)
		}
	}

	// The words typed in full must match; the last word, while it is
	// being typed, only ranks (a completion such as "site" -> "sitemap"
	// must not decide which guides come first).
	var whole []query.Query
	var typing query.Query
	for _, w := range words {
		if w.prefix {
			typing = wordQuery(w)
		} else {
			whole = append(whole, wordQuery(w))
		}
	}
	size := limit*2 + 10
	// Guides with every whole word first, then those with all but one, and
	// so on, until there are enough (and, last, guides with only the word
	// being typed). Within a level, the guides that also match the word
	// being typed are asked for first. A query that returns fewer than
	// size hits returned all of its guides, so a guide first seen at level
	// need matches exactly need whole words.
	var (
		main  query.Query
		hits  []hit
		cover = map[string]int{}
		need  int
		last  int // the cover of the last query asked
	)
	// cover is, per guide, how many whole words it matches, times two,
	// plus one when it also matches the word being typed.
	ask := func(q query.Query, need int, typed bool) error {
		level, err := ix.run(ctx, bi, q, size)
		if err != nil {
			return err
		}
		c := 2 * need
		if typed {
			c++
		}
		main, last = q, c
		for _, h := range level {
			if _, seen := cover[h.id]; !seen {
				cover[h.id] = c
				hits = append(hits, h)
			}
		}
		return nil
	}
	for need = len(whole); need >= 0 && len(hits) < size; need-- {
		var core query.Query
		switch {
		case need == 0:
		case need == len(whole):
			core = conjunction(whole)
		default:
			d := bleve.NewDisjunctionQuery(whole...)
			d.SetMin(float64(need))
			core = d
		}
		var err error
		switch {
		case core == nil && typing == nil:
		case core == nil:
			err = ask(typing, 0, true)
		case typing == nil:
			err = ask(core, need, false)
		default:
			err = ask(bleve.NewConjunctionQuery(core, typing), need, true)
			if err == nil && len(hits) < size {
				err = ask(core, need, false)
			} else if err == nil && need == len(whole) {
				// Enough guides have the word being typed too, but a guide
				// with the whole words in its title may not: it must still
				// be a candidate ("multilingual site": Multilingual mode).
				m, l := main, last
				// With one whole word a title hit is a hit of it: the title
				// terms alone are the cheaper query.
				tq := titleQuery(words)
				if len(whole) > 1 {
					tq = bleve.NewConjunctionQuery(core, tq)
				}
				err = ask(tq, need, false)
				main, last = m, l // the app search below widens the text query, not this one
			}
		}
		if err != nil {
			return nil, fmt.Errorf("search %q: %w", q.Text, err)
		}
	}
	lang := ""
	if len(words) == 1 && words[0].prefix && !words[0].cjk && utf8.RuneCountInString(words[0].text) <= maxShort {
		if lang = q.Lang; lang == "" {
			lang = DefaultLang
		}
		lang = primaryLang(lang)
	}
	if lang != "" && len(hits) >= size {
		// Only when some guide is in that language (a dictionary lookup).
		if ok, err := contains(r, fieldLang, lang); err != nil || !ok {
			lang = "" // nothing to prefer
		}
	}
	if lang != "" && len(hits) >= size {
		// The best hits may all be in other languages ("gra": Czech
		// "Graf" before English "Graph view"): the user's own must be
		// candidates too.
		m, l := main, last
		if err := ask(bleve.NewConjunctionQuery(typing, term(fieldLang, lang, 0)), 0, true); err != nil {
			return nil, fmt.Errorf("search %q: %w", q.Text, err)
		}
		main, last = m, l
	}
	if am != nil && len(am.keys) > 0 && ix.appHits(hits, am) < limit {
		// The best guides for the window by the same text score, even if
		// other guides outscore them: their boost may lift them to the top.
		// (When the hits hold limit of them already, they are those.)
		rules := make([]query.Query, len(am.keys))
		for i, k := range am.keys {
			rules[i] = term(fieldRule, k, 1)
		}
		filter := bleve.NewDisjunctionQuery(rules...)
		filter.SetBoost(1e-9)
		appHits, err := ix.run(ctx, bi, bleve.NewConjunctionQuery(main, filter), limit)
		if err != nil {
			return nil, fmt.Errorf("search %q: %w", q.Text, err)
		}
		for _, h := range appHits {
			if _, seen := cover[h.id]; !seen {
				cover[h.id] = last // it matches main, the last query
			}
		}
		hits = append(hits, appHits...)
	}
	return ix.rank(r, hits, cover, cjkPhrases(q.Text), lang, all, words, am, limit, now), nil
}

// appHits counts the hits of guides for the window.
func (ix *Index) appHits(hits []hit, am *appMatch) int {
	n := 0
	for _, h := range hits {
		id := h.id
		if _, ok := am.best[id]; !ok {
			if i := strings.LastIndexByte(id, '#'); i >= 0 {
				id = id[:i]
			}
		}
		if _, ok := am.best[id]; ok {
			n++
		}
	}
	return n
}

// complete fills the variants and expansions of w from the index's
// dictionaries.
func (ix *Index) complete(r index.IndexReader, w *qword) error {
	if w.prefix && utf8.RuneCountInString(w.text) >= minBodyPrefix {
		docs, err := r.DocCount()
		if err != nil {
			return err
		}
		budget := max(uint64(expansionShare*float64(docs)), minExpansionBudget)
		exp, err := expansions(r, fieldBody, w.text, maxExpansions, budget)
		if err != nil {
			return err
		}
		w.expansions = exp
	}
	if !w.prefix {
		for _, f := range numberForms(w.text) {
			ok, err := contains(r, fieldBody, f)
			if err != nil {
				return err
			}
			if ok {
				w.forms = append(w.forms, f)
			}
		}
	}
	if allowedEdits(w.text) == 0 {
		return nil
	}
	// Only a word found in no document is a typo (the body field holds every
	// word of a document). A prefix is a typo when no word starts with it.
	known := len(w.expansions) > 0
	if !w.prefix {
		ok, err := contains(r, fieldBody, w.text)
		if err != nil {
			return err
		}
		known = ok
	}
	if known {
		return nil
	}
	// One edit first: most typos are one, and the automaton of two edits
	// costs several times more (it was the tail of typo latency).
	v, err := variants(r, w.text, 1)
	if err == nil && len(v) == 0 && allowedEdits(w.text) > 1 {
		v, err = variants(r, w.text, 2)
	}
	if err != nil {
		return err
	}
	w.variants = v
	return nil
}

// weigh sets the weight of each word: 1 + ln(N/(df+1)), df the number of
// guides with the word (or, for a word that is no word of the library, its
// first completion or correction). A title that holds the rarer word of
// "multilingual site" is the better answer.
func weigh(r index.IndexReader, words []qword) error {
	n, err := r.DocCount()
	if err != nil {
		return err
	}
	for i := range words {
		w := &words[i]
		t := w.text
		switch {
		case w.prefix && len(w.expansions) > 0 && !slices.Contains(w.expansions, t):
			t = w.expansions[0]
		case len(w.variants) > 0:
			t = w.variants[0]
		}
		tfr, err := r.TermFieldReader(context.Background(), []byte(t), fieldBody, false, false, false)
		if err != nil {
			return err
		}
		df := tfr.Count()
		tfr.Close()
		w.weight = 1 + math.Log(float64(n+1)/float64(df+1))
	}
	return nil
}

// numberForms are the likely plural and singular forms of an ASCII word of
// three letters or more, by the regular English endings (-s, -es, -ies),
// which many European languages share in part. The caller keeps those that
// are words of the library.
func numberForms(w string) []string {
	if len(w) < 3 {
		return nil
	}
	for i := 0; i < len(w); i++ {
		if c := w[i]; c < 'a' || c > 'z' {
			return nil
		}
	}
	var out []string
	switch {
	case strings.HasSuffix(w, "ies"):
		out = append(out, w[:len(w)-3]+"y")
	case strings.HasSuffix(w, "es"):
		out = append(out, w[:len(w)-2], w[:len(w)-1])
	case strings.HasSuffix(w, "ss"):
		out = append(out, w+"es")
	case strings.HasSuffix(w, "s"):
		out = append(out, w[:len(w)-1])
	case strings.HasSuffix(w, "y") && !strings.ContainsRune("aeiou", rune(w[len(w)-2])):
		out = append(out, w[:len(w)-1]+"ies")
	case strings.HasSuffix(w, "x") || strings.HasSuffix(w, "ch") || strings.HasSuffix(w, "sh"):
		out = append(out, w+"es")
	default:
		out = append(out, w+"s")
	}
	return out
}

// gram is the title_ng/tags_ng term for a typed prefix.
func gram(p string) string {
	if utf8.RuneCountInString(p) <= maxGram {
		return p
	}
	i := 0
	for n := 0; n < maxGram; n++ {
		_, size := utf8.DecodeRuneInString(p[i:])
		i += size
	}
	return p[:i]
}

func contains(r index.IndexReader, field, term string) (bool, error) {
	rc, ok := r.(index.IndexReaderContains)
	if !ok {
		tfr, err := r.TermFieldReader(context.Background(), []byte(term), field, false, false, false)
		if err != nil {
			return false, err
		}
		defer tfr.Close()
		return tfr.Count() > 0, nil
	}
	fdc, err := rc.FieldDictContains(field)
	if err != nil {
		return false, err
	}
	return fdc.Contains([]byte(term))
}

// expansions are the most frequent words of field starting with prefix,
// at most n of them and together in at most budget documents (counted once
// per word); stop words and words alone over the budget are left out.
func expansions(r index.IndexReader, field, prefix string, n int, budget uint64) ([]string, error) {
	fd, err := r.FieldDictPrefix(field, []byte(prefix))
	if err != nil {
		return nil, err
	}
	defer fd.Close()
	type tc struct {
		term  string
		count uint64
	}
	var all []tc
	for {
		e, err := fd.Next()
		if err != nil {
			return nil, err
		}
		if e == nil {
			break
		}
		if e.Count <= budget && !stopWords[e.Term] {
			all = append(all, tc{e.Term, e.Count})
		}
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].count != all[j].count {
			return all[i].count > all[j].count
		}
		return all[i].term < all[j].term
	})
	var out []string
	var used uint64
	for _, t := range all {
		if len(out) == n {
			break
		}
		if used+t.count > budget {
			continue
		}
		used += t.count
		out = append(out, t.term)
	}
	return out, nil
}

// variants are the words of the index within edits of w (a transposition
// counts as one edit), closest first. With two edits the first letter must
// be right: people rarely mistype it, and the search is much cheaper.
func variants(r index.IndexReader, w string, edits int) ([]string, error) {
	rf, ok := r.(index.IndexReaderFuzzy)
	if !ok {
		return nil, nil
	}
	prefix := ""
	if edits > 1 {
		_, size := utf8.DecodeRuneInString(w)
		prefix = w[:size]
	}
	fd, err := rf.FieldDictFuzzy(fieldBody, w, edits, prefix)
	if err != nil {
		return nil, err
	}
	defer fd.Close()
	var out []string
	for {
		e, err := fd.Next()
		if err != nil {
			return nil, err
		}
		if e == nil {
			break
		}
		out = append(out, e.Term)
	}
	if len(out) > maxVariants {
		d := make(map[string]int, len(out))
		for _, v := range out {
			d[v] = edit.Distance(w, v)
		}
		sort.Slice(out, func(i, j int) bool {
			if d[out[i]] != d[out[j]] {
				return d[out[i]] < d[out[j]]
			}
			return out[i] < out[j]
		})
		out = out[:maxVariants]
	}
	return out, nil
}

func term(field, t string, boost float64) *query.TermQuery {
	q := bleve.NewTermQuery(t)
	q.SetField(field)
	q.SetBoost(boost)
	return q
}

func disjunction(qs ...query.Query) query.Query {
	if len(qs) == 1 {
		return qs[0]
	}
	return bleve.NewDisjunctionQuery(qs...)
}

func conjunction(qs []query.Query) query.Query {
	if len(qs) == 1 {
		return qs[0]
	}
	return bleve.NewConjunctionQuery(qs...)
}

// wordQuery matches one query word in the title (boosted most), the
// summary (whole words; completions and typo corrections are found in the
// body, which holds the summary too), the tags or the body.
func wordQuery(w qword) query.Query {
	var qs []query.Query
	if w.prefix {
		qs = append(qs, term(fieldTitleNG, gram(w.text), boostTitle), term(fieldTagsNG, gram(w.text), boostTags))
		for _, e := range w.expansions {
			qs = append(qs, term(fieldBody, e, boostBody*expandFactor))
		}
	} else {
		qs = append(qs, term(fieldTitle, w.text, boostTitle), term(fieldDesc, w.text, boostDesc),
			term(fieldTagsNG, gram(w.text), boostTags), term(fieldBody, w.text, boostBody))
		for _, f := range w.forms {
			qs = append(qs, term(fieldTitle, f, boostTitle*formFactor), term(fieldDesc, f, boostDesc*formFactor),
				term(fieldTagsNG, gram(f), boostTags*formFactor), term(fieldBody, f, boostBody*formFactor))
		}
	}
	for _, v := range w.variants {
		qs = append(qs,
			term(fieldTitle, v, boostTitle*typoFactor),
			term(fieldTagsNG, gram(v), boostTags*typoFactor),
			term(fieldBody, v, boostBody*typoFactor))
	}
	return disjunction(qs...)
}

// titleQuery matches guides with one of the whole words (or their typo
// corrections) in the title.
func titleQuery(words []qword) query.Query {
	var qs []query.Query
	for _, w := range words {
		if w.prefix {
			continue
		}
		qs = append(qs, term(fieldTitle, w.text, boostTitle))
		for _, f := range w.forms {
			qs = append(qs, term(fieldTitle, f, boostTitle*formFactor))
		}
		for _, v := range w.variants {
			qs = append(qs, term(fieldTitle, v, boostTitle*typoFactor))
		}
	}
	return disjunction(qs...)
}

// hit is a search hit before ranking.
type hit struct {
	id    string
	score float64
}

func (ix *Index) run(ctx context.Context, bi bleve.Index, q query.Query, size int) ([]hit, error) {
	req := bleve.NewSearchRequestOptions(q, size, 0, false)
	res, err := bi.SearchInContext(ctx, req)
	if err != nil {
		return nil, err
	}
	out := make([]hit, len(res.Hits))
	for i, h := range res.Hits {
		out[i] = hit{h.ID, h.Score}
	}
	return out, nil
}

// candidate is a hit resolved against the catalogue.
type candidate struct {
	e       *entry
	section guide.Section // zero for a whole-guide hit
	cover   int           // 2 x how many whole query words it matches, +1 with the word being typed
	tier    int
	inTitle int  // how well the words match its title (titleScore)
	phrase  bool // its title or text holds every CJK phrase of the query as typed; without CJK, its title or summary holds the query's words in a run
	native  bool // for a short query: not known to be in another language than the user's
	score   float64
	app     bool
	stale   bool
}

// resolve finds the catalogue entry of a document id: a guide, or a section
// "guide-id#anchor" of a FAQ guide. Call with ix.mu held.
func (ix *Index) resolve(id string) (*entry, guide.Section, bool) {
	if e, ok := ix.cat.byID[id]; ok {
		return e, guide.Section{}, true
	}
	i := strings.LastIndexByte(id, '#')
	if i < 0 {
		return nil, guide.Section{}, false
	}
	e, ok := ix.cat.byID[id[:i]]
	if !ok {
		return nil, guide.Section{}, false
	}
	s, ok := e.section(id[i+1:])
	return e, s, ok
}

// rank orders the hits, keeps one result per guide (a section hit stands for
// its guide, and further sections of the same guide may follow), and adds
// snippets.
func (ix *Index) rank(r index.IndexReader, hits []hit, cover map[string]int, phrases []string, lang string, all, words []qword, am *appMatch, limit int, now time.Time) []Result {
	seenID := map[string]bool{}
	var cands []candidate
	ix.mu.RLock()
	for _, h := range hits {
		if seenID[h.id] {
			continue
		}
		seenID[h.id] = true
		e, s, ok := ix.resolve(h.id)
		if !ok {
			continue
		}
		c := candidate{e: e, section: s, cover: cover[h.id], score: h.score, stale: e.stale(now)}
		if lang != "" {
			gl := ix.guideLang(e)
			c.native = gl == "" || gl == lang
		}
		if am != nil {
			_, c.app = am.best[e.id]
		}
		cands = append(cands, c)
	}
	ix.mu.RUnlock()

	var tw, sw []string // the words of a candidate's title and summary, as terms
	for i := range cands {
		c := &cands[i]
		title := c.e.title()
		if c.section.Anchor != "" {
			title = c.section.Title
		}
		if len(phrases) > 0 {
			docID := c.e.id
			if c.section.Anchor != "" {
				docID = sectionID(docID, c.section.Anchor)
			}
			withSnip(r, docID, func(text []byte) { c.phrase = phrasesIn(phrases, title, text) })
		}
		tw = termsOf(tw[:0], title)
		c.tier = titleTier(tw, all, words)
		if len(phrases) == 0 && len(all) > 1 {
			// The query as typed, word for word, in the title or the
			// summary ("sass to css": the page whose description is
			// "Transpile Sass to CSS").
			c.phrase = hasRun(tw, all)
			if !c.phrase && c.section.Anchor == "" && c.e.summary() != "" {
				sw = termsOf(sw[:0], c.e.summary())
				c.phrase = hasRun(sw, all)
			}
		}
		c.inTitle = titleScore(tw, words)
		if c.app {
			c.score *= appFactor
		}
		if c.stale {
			c.score *= staleFactor
		}
	}
	sort.SliceStable(cands, func(i, j int) bool {
		a, b := &cands[i], &cands[j]
		if a.cover/2 != b.cover/2 {
			return a.cover/2 > b.cover/2
		}
		if a.phrase != b.phrase {
			return a.phrase
		}
		if a.native != b.native {
			return a.native
		}
		if a.tier != b.tier {
			return a.tier > b.tier
		}
		if a.inTitle != b.inTitle {
			return a.inTitle > b.inTitle
		}
		if a.cover != b.cover {
			return a.cover > b.cover // matches the word being typed too
		}
		if a.score != b.score {
			return a.score > b.score
		}
		if a.e.title() != b.e.title() {
			return a.e.title() < b.e.title()
		}
		return a.e.id+"#"+a.section.Anchor < b.e.id+"#"+b.section.Anchor
	})

	whole := map[string]bool{}   // guides listed as a whole
	section := map[string]bool{} // guides listed through a section
	var out []Result
	hl := ix.highlighter(words)
	for _, c := range cands {
		if len(out) == limit {
			break
		}
		id := c.e.id
		if whole[id] || (c.section.Anchor == "" && section[id]) {
			continue
		}
		docID := id
		if c.section.Anchor != "" {
			section[id] = true
			docID = sectionID(id, c.section.Anchor)
		} else {
			whole[id] = true
		}
		res := result(c.e, c.section, c.stale, c.app)
		res.Score = float64(c.class()) + c.score/(1+c.score)
		withSnip(r, docID, func(text []byte) { res.Snippet = hl.snippet(text, c.e.summary()) })
		out = append(out, res)
	}
	return out
}

func result(e *entry, s guide.Section, stale, app bool) Result {
	// The record has the rest; decoding it is cheaper than e.guide().
	r, _ := decodeRecordString(e.rec) // it decoded when the entry was made
	format := guide.Format(r.Format)
	if format == "" {
		format = guide.FormatGuide
	}
	return Result{
		ID: e.id, Path: e.id, Title: e.title(), Summary: e.summary(), Format: format, Stale: stale,
		Section: s.Title, Anchor: s.Anchor, Duration: time.Duration(r.Duration) * time.Second, Tags: r.Tags, AppMatch: app,
	}
}

// titleTier is 2 when the title is what was typed (the last word may be
// unfinished), 1 when every kept word is in the title, else 0.
func titleTier(tw []string, all, words []qword) int {
	if len(tw) == len(all) {
		exact := true
		for i, w := range all {
			if !w.matches(tw[i]) {
				exact = false
				break
			}
		}
		if exact {
			return 2
		}
	}
	for _, w := range words {
		found := false
		for _, t := range tw {
			if w.matches(t) {
				found = true
				break
			}
		}
		if !found {
			return 0
		}
	}
	return 1
}

// termsOf appends the terms of text (as the analyzer makes them) to dst.
func termsOf(dst []string, text string) []string {
	scanWords([]byte(text), func(start, end int, _, plain bool) bool {
		if plain {
			dst = append(dst, text[start:end])
		} else {
			dst = append(dst, string(normalise([]byte(text[start:end]))))
		}
		return true
	})
	return dst
}

// hasRun reports whether the query words all (stop words included) stand
// one after the other in the terms ts.
func hasRun(ts []string, all []qword) bool {
	for i := 0; i+len(all) <= len(ts); i++ {
		ok := true
		for j, w := range all {
			if !w.matches(ts[i+j]) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// cjkPhrases are the runs of three or more CJK characters in text: the
// bigrams of such a run match anywhere in a guide, so the run itself, in
// order, is checked at ranking.
func cjkPhrases(text string) []string {
	var out []string
	start, n := -1, 0
	flush := func(end int) {
		if n >= 3 {
			out = append(out, text[start:end])
		}
		start, n = -1, 0
	}
	for i, r := range text {
		if isIdeograph(r) {
			if start < 0 {
				start = i
			}
			n++
			continue
		}
		flush(i)
	}
	flush(len(text))
	return out
}

// phrasesIn reports whether title or text holds every phrase.
func phrasesIn(phrases []string, title string, text []byte) bool {
	for _, p := range phrases {
		if !strings.Contains(title, p) && !bytes.Contains(text, []byte(p)) {
			return false
		}
	}
	return true
}

// class is the integer part of a result's Score: the ranking keys above
// relevance, in their order (cover, then tier, then inTitle).
func (c *candidate) class() int {
	p := 0
	if c.phrase {
		p = 500000
	}
	if c.native {
		p += 250000
	}
	return c.cover/2*1000000 + p + c.tier*100000 + c.inTitle*2 + c.cover%2
}

// Weights of titleScore.
const (
	titleWord   = 4 // a query word is a word of the title
	titlePrefix = 2 // the unfinished last word starts a title word
)

// titleScore is how well the query words match the title words tw: per
// word, a whole title word counts most, a completed prefix less (so
// "multilingual site" puts "Multilingual" above "Sitemap"); each times the
// word's weight (rarer words count more), in tenths.
func titleScore(tw []string, words []qword) int {
	n := 0.0
	for _, w := range words {
		best := 0.0
		for _, t := range tw {
			switch {
			case w.matchesWhole(t):
				best = max(best, titleWord)
			case w.matches(t):
				best = max(best, titlePrefix)
			}
		}
		n += best * max(w.weight, 1)
	}
	return int(math.Round(10 * n))
}

// matchesWhole reports whether t is the word w (or one of its typo
// corrections), not only a completion of it.
func (w qword) matchesWhole(t string) bool {
	return t == w.text || slices.Contains(w.forms, t) || slices.Contains(w.variants, t)
}

// matches reports whether the word t of a text matches the query word w.
func (w qword) matches(t string) bool {
	if t == w.text || (w.prefix && strings.HasPrefix(t, w.text)) || slices.Contains(w.forms, t) {
		return true
	}
	for _, v := range w.variants {
		if t == v {
			return true
		}
	}
	return false
}

// windowGuides are the guides for the window when nothing was typed: most
// specific rule first, then fresh before overdue, then by title.
func (ix *Index) windowGuides(r index.IndexReader, am *appMatch, limit int, now time.Time) []Result {
	type wg struct {
		e     *entry
		spec  int
		stale bool
	}
	ix.mu.RLock()
	list := make([]wg, 0, len(am.best))
	for id, spec := range am.best {
		if e, ok := ix.cat.byID[id]; ok {
			list = append(list, wg{e, spec, e.stale(now)})
		}
	}
	ix.mu.RUnlock()
	sort.Slice(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if a.spec != b.spec {
			return a.spec > b.spec
		}
		if a.stale != b.stale {
			return !a.stale
		}
		if a.e.title() != b.e.title() {
			return a.e.title() < b.e.title()
		}
		return a.e.id < b.e.id
	})
	if len(list) > limit {
		list = list[:limit]
	}
	out := make([]Result, len(list))
	hl := ix.highlighter(nil)
	for i, w := range list {
		out[i] = result(w.e, guide.Section{}, w.stale, true)
		s := float64(w.spec)
		if w.stale {
			s *= staleFactor
		}
		out[i].Score = s / (1 + s)
		withSnip(r, w.e.id, func(text []byte) { out[i].Snippet = hl.snippet(text, w.e.summary()) })
	}
	return out
}

// withSnip calls fn with the stored snippet text of a document (nil when
// there is none). The text is valid only during fn: with scorch it is read
// straight from the segment, without copying the document's stored fields
// (up to snipBytes and the catalogue record) for every result of every
// keystroke.
func withSnip(r index.IndexReader, docID string, fn func(text []byte)) {
	if snap, ok := r.(*scorch.IndexSnapshot); ok {
		iid, err := snap.InternalID(docID)
		if err != nil || iid == nil {
			fn(nil)
			return
		}
		num := iid.Value()
		for _, seg := range snap.Segments() {
			// Global document numbers run through the segments in order,
			// deleted documents included (scorch's offsets).
			n := uint64(seg.FullSize())
			if num >= n {
				num -= n
				continue
			}
			var text []byte
			_ = seg.VisitDocument(num, func(name string, _ byte, v []byte, _ []uint64) bool {
				if name == fieldSnip {
					text = v
					return false
				}
				return true
			})
			fn(text)
			return
		}
		fn(nil)
		return
	}
	doc, err := r.Document(docID)
	if err != nil || doc == nil {
		fn(nil)
		return
	}
	var text []byte
	doc.VisitFields(func(f index.Field) {
		if f.Name() == fieldSnip {
			text = f.Value()
		}
	})
	fn(text)
}
