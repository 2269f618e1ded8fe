package guide

import (
	"sort"
	"strings"
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
type Matcher struct {
	entries []matchEntry
}

type matchEntry struct {
	g    *Guide
	rule Rule
}

// NewMatcher builds a matcher over guides. Rules that are not compiled yet
// (decoded from an index) are compiled; rules that fail to compile are
// dropped (lint reports them).
func NewMatcher(guides []*Guide) *Matcher {
	m := &Matcher{}
	for _, g := range guides {
		for _, r := range g.Apps {
			c, err := r.Compile()
			if err != nil || c.Empty() {
				continue
			}
			m.entries = append(m.entries, matchEntry{g: g, rule: c})
		}
	}
	return m
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
	for _, e := range m.entries {
		if !e.rule.Match(w) {
			continue
		}
		s := e.rule.Specificity()
		if i, ok := best[e.g]; ok {
			if s > out[i].Specificity {
				out[i] = Match{Guide: e.g, Rule: e.rule, Specificity: s}
			}
			continue
		}
		best[e.g] = len(out)
		out = append(out, Match{Guide: e.g, Rule: e.rule, Specificity: s})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Specificity != out[j].Specificity {
			return out[i].Specificity > out[j].Specificity
		}
		return strings.ToLower(out[i].Guide.Title) < strings.ToLower(out[j].Guide.Title)
	})
	return out
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

// partial reports whether at least one field of r matches w.
func partial(r Rule, w Window) bool {
	return (r.exe != nil && r.exe.MatchString(w.Exe)) ||
		(r.class != nil && (r.class.MatchString(w.Class) || r.class.MatchString(w.Instance))) ||
		(r.title != nil && r.title.MatchString(w.Title))
}
