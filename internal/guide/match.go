package guide

import (
	"regexp"
	"regexp/syntax"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Match is a guide that applies to a window, with the rule that matched.
type Match struct {
	Guide       *Guide
	Rule        Rule
	Specificity int
}

// NearMiss is a rule that almost matched a window: at least one of its
// fields matched, and Reason says which field did not.
type NearMiss struct {
	Guide  *Guide
	Rule   Rule
	Reason string
}

// Matcher matches windows against the app rules of a set of guides. Rules
// are compiled once, when the Matcher is built (once per library change).
// A Matcher is safe for concurrent use.
//
// To stay fast with tens of thousands of rules, the Matcher indexes each
// rule by literal text its expressions require (the "salesforce" of
// `\| Salesforce`, either of "firefox|chromium"), case-folded, and only runs
// the expressions of rules whose required text occurs in the window. That is
// a filter, not a change of meaning: a rule is skipped only when it cannot
// match. Rules without required text are always run.
type Matcher struct {
	entries []matchEntry
	// fields indexes rules by required text in the window's exe, class (and
	// instance), and title.
	fields [3]keyIndex
	// always lists rules with no required text, in entry order.
	always []int32
}

const (
	fieldExe = iota
	fieldClass
	fieldTitle
)

// keyIndex finds which of a set of folded keys occur in a folded string: keys
// are grouped by their first (up to) three bytes, looked up at each position.
type keyIndex struct {
	keys  []string
	rules [][]int32          // rules per key
	heads map[string][]int32 // key prefix (1 to 3 bytes) -> keys
}

func (ix *keyIndex) add(key string, rule int32) {
	if ix.heads == nil {
		ix.heads = map[string][]int32{}
	}
	head := key[:min(3, len(key))]
	for _, k := range ix.heads[head] {
		if ix.keys[k] == key {
			if r := ix.rules[k]; r[len(r)-1] != rule {
				ix.rules[k] = append(r, rule)
			}
			return
		}
	}
	ix.heads[head] = append(ix.heads[head], int32(len(ix.keys)))
	ix.keys = append(ix.keys, key)
	ix.rules = append(ix.rules, []int32{rule})
}

// find adds to out the rules of every key occurring in folded string s.
func (ix *keyIndex) find(s string, out []int32) []int32 {
	if len(ix.keys) == 0 {
		return out
	}
	var found []int32
	for i := range len(s) {
		for l := 1; l <= 3 && i+l <= len(s); l++ {
			for _, k := range ix.heads[s[i:i+l]] {
				if strings.HasPrefix(s[i:], ix.keys[k]) && !slices.Contains(found, k) {
					found = append(found, k)
					out = append(out, ix.rules[k]...)
				}
			}
		}
	}
	return out
}

type matchEntry struct {
	g     *Guide
	rule  Rule
	title string // lower-case guide title, for ordering
}

// NewMatcher builds a matcher over guides. Rules that are not compiled yet
// (decoded from an index) are compiled; rules that fail to compile are
// dropped (lint reports them).
func NewMatcher(guides []*Guide) *Matcher {
	m := &Matcher{}
	shared := map[string]*regexp.Regexp{}
	for _, g := range guides {
		title := strings.ToLower(g.Title)
		for _, r := range g.Apps {
			c, err := r.Compile()
			if err != nil || c.Empty() {
				continue
			}
			// Share one compiled expression among equal exe and class
			// expressions (many guides name the same app), so that Match
			// runs each once per window.
			if c.exe != nil {
				c.exe = intern(shared, "e"+c.Exe, c.exe)
			}
			if c.class != nil {
				c.class = intern(shared, "c"+c.Class, c.class)
			}
			m.entries = append(m.entries, matchEntry{g: g, rule: c, title: title})
		}
	}
	m.buildIndex()
	return m
}

func intern(shared map[string]*regexp.Regexp, key string, re *regexp.Regexp) *regexp.Regexp {
	if s, ok := shared[key]; ok {
		return s
	}
	shared[key] = re
	return re
}

// buildIndex files each rule under the required keys of one of its fields:
// the field whose keys are shared by the fewest rules (then the longest
// keys), so that a window wakes as few rules as possible.
func (m *Matcher) buildIndex() {
	type option struct {
		field int
		keys  []string
	}
	options := make([][]option, len(m.entries))
	freq := [3]map[string]int{{}, {}, {}}
	for i, e := range m.entries {
		for f, expr := range [3]string{e.rule.Exe, e.rule.Class, e.rule.Title} {
			if keys := requiredKeys(expr); len(keys) > 0 {
				options[i] = append(options[i], option{f, keys})
				for _, k := range keys {
					freq[f][k]++
				}
			}
		}
	}
	for i, opts := range options {
		if len(opts) == 0 {
			m.always = append(m.always, int32(i))
			continue
		}
		best, bestCost, bestLen := 0, -1, 0
		for j, o := range opts {
			cost, shortest := 0, len(o.keys[0])
			for _, k := range o.keys {
				cost += freq[o.field][k]
				shortest = min(shortest, len(k))
			}
			if bestCost < 0 || cost < bestCost || (cost == bestCost && shortest > bestLen) {
				best, bestCost, bestLen = j, cost, shortest
			}
		}
		for _, k := range opts[best].keys {
			m.fields[opts[best].field].add(k, int32(i))
		}
	}
}

// maxKeys caps the alternatives a rule is indexed under.
const maxKeys = 16

// requiredKeys returns folded strings of which at least one occurs in every
// text the expression (compiled case-insensitively, as rules are) matches,
// or nil when there is no such set.
func requiredKeys(expr string) []string {
	re, err := syntax.Parse("(?i)"+expr, syntax.Perl)
	if err != nil {
		return nil
	}
	keys := required(re.Simplify())
	if len(keys) == 0 || len(keys) > maxKeys {
		return nil
	}
	for _, k := range keys {
		if k == "" {
			return nil
		}
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}

// required is the set of literal strings one of which every match of re
// contains; nil means unknown.
func required(re *syntax.Regexp) []string {
	switch re.Op {
	case syntax.OpLiteral:
		return []string{fold(string(re.Rune))}
	case syntax.OpCapture:
		return required(re.Sub[0])
	case syntax.OpPlus:
		return required(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return required(re.Sub[0])
		}
	case syntax.OpConcat:
		// Runs of parts that each match a small set of exact strings
		// (literals, alternations of literals) combine into longer keys:
		// "(Deals|Leads) 12" gives "DEALS 12" and "LEADS 12". Otherwise take
		// the part whose shortest key is longest.
		var best []string
		bestLen := 0
		consider := func(keys []string) {
			if len(keys) == 0 || len(keys) > maxKeys {
				return
			}
			shortest := len(keys[0])
			for _, k := range keys {
				shortest = min(shortest, len(k))
			}
			if shortest > bestLen {
				best, bestLen = keys, shortest
			}
		}
		run := []string{""}
		for _, sub := range re.Sub {
			if ex := exact(sub); ex != nil && len(ex)*len(run) <= maxKeys {
				var next []string
				for _, a := range run {
					for _, b := range ex {
						next = append(next, a+b)
					}
				}
				run = next
				continue
			}
			consider(run)
			run = []string{""}
			consider(required(sub))
		}
		consider(run)
		return best
	case syntax.OpAlternate:
		var all []string
		for _, sub := range re.Sub {
			keys := required(sub)
			if len(keys) == 0 {
				return nil
			}
			all = append(all, keys...)
			if len(all) > maxKeys {
				return nil
			}
		}
		return all
	}
	return nil
}

// exact is the set of folded strings re matches, when it is a small finite
// set of literals (literals, captures and alternations of them); else nil.
// Empty-width assertions (^, $, \b) match the empty string.
func exact(re *syntax.Regexp) []string {
	switch re.Op {
	case syntax.OpLiteral:
		return []string{fold(string(re.Rune))}
	case syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary, syntax.OpEmptyMatch:
		return []string{""}
	case syntax.OpCapture:
		return exact(re.Sub[0])
	case syntax.OpAlternate:
		var all []string
		for _, sub := range re.Sub {
			ex := exact(sub)
			if ex == nil || len(all)+len(ex) > maxKeys {
				return nil
			}
			all = append(all, ex...)
		}
		return all
	case syntax.OpConcat:
		run := []string{""}
		for _, sub := range re.Sub {
			ex := exact(sub)
			if ex == nil || len(ex)*len(run) > maxKeys {
				return nil
			}
			var next []string
			for _, a := range run {
				for _, b := range ex {
					next = append(next, a+b)
				}
			}
			run = next
		}
		return run
	}
	return nil
}

// fold maps each rune of s to the smallest rune it case-folds with (the
// orbit's minimum: "K" for k, K and the Kelvin sign), so that two strings
// equal under Go's case-insensitive matching fold to the same string.
// Invalid UTF-8 folds to U+FFFD, as the regexp engine reads it.
func fold(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return foldSlow(s)
		}
	}
	return strings.ToUpper(s) // an ASCII letter's orbit minimum is its upper case
}

func foldSlow(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		min := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			if f < min {
				min = f
			}
		}
		b.WriteRune(min)
	}
	return b.String()
}

// candidates are the entries that may match w, in entry order.
func (m *Matcher) candidates(w Window) []int32 {
	out := append([]int32(nil), m.always...)
	out = m.fields[fieldExe].find(fold(w.Exe), out)
	out = m.fields[fieldClass].find(fold(w.Class), out)
	out = m.fields[fieldClass].find(fold(w.Instance), out)
	out = m.fields[fieldTitle].find(fold(w.Title), out)
	slices.Sort(out)
	return slices.Compact(out)
}

// Len is the number of rules.
func (m *Matcher) Len() int { return len(m.entries) }

// Match returns the guides with a rule that matches w, one entry per guide
// (its most specific matching rule), most specific first, then by title.
func (m *Matcher) Match(w Window) []Match {
	if m == nil || w.IsZero() {
		return nil
	}
	best := map[*Guide]int{}
	var out []Match
	var titles []string
	memo := map[*regexp.Regexp]bool{}
	for _, i := range m.candidates(w) {
		e := m.entries[i]
		if !e.matches(w, memo) {
			continue
		}
		s := e.rule.Specificity()
		if j, ok := best[e.g]; ok {
			if s > out[j].Specificity {
				out[j] = Match{Guide: e.g, Rule: e.rule, Specificity: s}
			}
			continue
		}
		best[e.g] = len(out)
		out = append(out, Match{Guide: e.g, Rule: e.rule, Specificity: s})
		titles = append(titles, e.title)
	}
	SortMatches(out, titles)
	return out
}

// SortMatches orders matches most specific first, then by lower-case
// title (titles[i] is m[i]'s), then by guide id; titles is reordered with
// m. The Matcher and the search index's catalogue both rank with it.
func SortMatches(m []Match, titles []string) { sort.Sort(byRank{m, titles}) }

type byRank struct {
	m      []Match
	titles []string
}

func (b byRank) Len() int { return len(b.m) }
func (b byRank) Swap(i, j int) {
	b.m[i], b.m[j] = b.m[j], b.m[i]
	b.titles[i], b.titles[j] = b.titles[j], b.titles[i]
}

func (b byRank) Less(i, j int) bool {
	if b.m[i].Specificity != b.m[j].Specificity {
		return b.m[i].Specificity > b.m[j].Specificity
	}
	if b.titles[i] != b.titles[j] {
		return b.titles[i] < b.titles[j]
	}
	return b.m[i].Guide.ID < b.m[j].Guide.ID
}

// NearMisses returns the rules of guides that did not match w although one
// of their fields did, with the reason, for `cuecard match --explain`.
func (m *Matcher) NearMisses(w Window) []NearMiss {
	if m == nil {
		return nil
	}
	matched := map[*Guide]bool{}
	for _, mt := range m.Match(w) {
		matched[mt.Guide] = true
	}
	var out []NearMiss
	for _, e := range m.entries {
		if matched[e.g] {
			continue
		}
		ok, reason := e.rule.Explain(w)
		if ok || !partial(e.rule, w) {
			continue
		}
		out = append(out, NearMiss{Guide: e.g, Rule: e.rule, Reason: reason})
	}
	return out
}

// matches is Rule.Match for the entry's compiled, non-empty rule, without
// building an explanation; exe and class results are memoized per window.
func (e matchEntry) matches(w Window, memo map[*regexp.Regexp]bool) bool {
	r := e.rule
	if r.exe != nil {
		ok, seen := memo[r.exe]
		if !seen {
			ok = r.exe.MatchString(w.Exe)
			memo[r.exe] = ok
		}
		if !ok {
			return false
		}
	}
	if r.class != nil {
		ok, seen := memo[r.class]
		if !seen {
			ok = r.class.MatchString(w.Class) || r.class.MatchString(w.Instance)
			memo[r.class] = ok
		}
		if !ok {
			return false
		}
	}
	return r.title == nil || r.title.MatchString(w.Title)
}

// partial reports whether at least one field of r matches w.
func partial(r Rule, w Window) bool {
	return (r.exe != nil && r.exe.MatchString(w.Exe)) ||
		(r.class != nil && (r.class.MatchString(w.Class) || r.class.MatchString(w.Instance))) ||
		(r.title != nil && r.title.MatchString(w.Title))
}
