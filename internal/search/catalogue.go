package search

import (
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/cuecard/cuecard/internal/guide"
)

// record is the catalogue entry of a guide as stored in the index (field
// "cat" of the guide's document, in the compact encoding of record.go). It is
// written in the same batch as the guide's documents, so what Known and
// Guides report is exactly what the index holds, also after a crash.
type record struct {
	Title       string
	Summary     string
	Format      string
	Apps        []ruleRec
	Tags        []string
	Roles       []string
	Owner       string
	Reviewed    string // 2006-01-02
	ReviewEvery string // guide.Period
	Duration    int64  // seconds
	Estimated   bool
	NoSuggest   bool
	Video       string
	Template    string
	Sections    []secRec // FAQ guides: the indexed sections
	Size        int64
	ModTime     int64 // Unix nanoseconds; 0 = unknown
	Hash        string
	Lang        string
	// The Start-here track's keys; Steps are the step ids of a required
	// guide's checklist (the track counts them; other guides keep none).
	Required bool
	Ack      bool
	// Clicks: the guide has click targets (Guide me).
	Clicks bool
	Due    string // guide.Deadline
	Order  int64
	Steps  []string
}

type ruleRec struct {
	Exe   string
	Class string
	Title string
	Line  int
}

type secRec struct {
	Anchor string
	Title  string
}

const dateLayout = "2006-01-02"

// newRecord is the catalogue record of g. Only sections of FAQ guides are
// recorded: they are the ones with documents of their own.
func newRecord(g *guide.Guide) record {
	r := record{
		Title: g.Title, Summary: g.Summary, Format: string(g.Format), Tags: g.Tags, Roles: g.Roles,
		Owner: g.Owner, ReviewEvery: g.ReviewEvery.String(), Duration: int64(g.Duration / time.Second),
		Estimated: g.DurationEstimated, NoSuggest: !g.Suggest, Video: g.Video, Template: g.Template,
		Size: g.Size, Hash: g.Hash, Lang: g.Lang,
		Required: g.Required, Ack: g.Ack, Due: g.Deadline.String(), Order: int64(g.Order),
		Clicks: len(g.Clicks) > 0,
	}
	if g.Required {
		for _, s := range g.Steps {
			r.Steps = append(r.Steps, s.ID)
		}
	}
	if !g.Reviewed.IsZero() {
		r.Reviewed = g.Reviewed.Format(dateLayout)
	}
	if !g.ModTime.IsZero() {
		r.ModTime = g.ModTime.UnixNano()
	}
	for _, a := range g.Apps {
		r.Apps = append(r.Apps, ruleRec{Exe: a.Exe, Class: a.Class, Title: a.Title, Line: a.Line})
	}
	if g.SectionsIndexed() {
		for _, s := range g.Sections {
			r.Sections = append(r.Sections, secRec{Anchor: s.Anchor, Title: s.Title})
		}
	}
	return r
}

// entry is what the index keeps in memory of a guide: the fields a search
// ranks by, and the guide's catalogue record, from which guide() rebuilds
// the light guide when it is asked for (Match, Guides, results). At 10,000
// guides a parsed guide.Guide per guide cost some 3 MB more.
type entry struct {
	id string
	// rec is the encoded record (record.go); lang, and title() and
	// summary(), are substrings of it.
	rec  string
	lang string
	// due is when the review is due, in Unix seconds (dates have no
	// fractions); 0: no review date.
	due int64
	// rules are the ruleKeys of the guide's app rules, in order (each
	// key's one string, shared with the ruleSet).
	rules []string
	// secs are a FAQ guide's indexed sections (their strings are
	// substrings of rec).
	secs []secRec
	rs   *ruleSet
}

// title is the guide's title: the record's first string (record.go: a
// version byte, the flags, the title, the summary). Read from the record
// each time rather than kept: at 10,000 guides the two fields cost 320 KB.
func (e *entry) title() string {
	t, _ := recordString(e.rec, 2)
	return t
}

// summary is the guide's summary, the record's second string.
func (e *entry) summary() string {
	_, next := recordString(e.rec, 2)
	s, _ := recordString(e.rec, next)
	return s
}

// recordString reads the length-prefixed string of an encoded record at
// offset i, and returns it and the offset after it ("" at a damaged end).
func recordString(rec string, i int) (string, int) {
	var n uint64
	for shift := uint(0); i < len(rec) && shift < 64; shift += 7 {
		b := rec[i]
		i++
		n |= uint64(b&0x7f) << shift
		if b < 0x80 {
			if n > uint64(len(rec)-i) {
				return "", len(rec)
			}
			return rec[i : i+int(n)], i + int(n)
		}
	}
	return "", len(rec)
}

// stale reports whether the guide's review is overdue at now (guide.Stale).
func (e *entry) stale(now time.Time) bool { return e.due != 0 && now.After(time.Unix(e.due, 0)) }

// guide is the light guide: no Body, Text or Links, Steps only as a required guide's ids; Sections
// without Text. Each call returns a new one.
func (e *entry) guide() *guide.Guide {
	r, err := decodeRecordString(e.rec)
	if err != nil { // it decoded when the entry was made
		return &guide.Guide{ID: e.id, Title: e.title(), Summary: e.summary(), Lang: e.lang, Format: guide.FormatGuide}
	}
	g, _, err := e.rs.lightGuide(e.id, &r, false)
	if err != nil {
		return &guide.Guide{ID: e.id, Title: e.title(), Summary: e.summary(), Lang: e.lang, Format: guide.FormatGuide}
	}
	return g
}

// state is what the index recorded of the guide's file (guide.State).
func (e *entry) state() guide.FileState {
	r, err := decodeRecordString(e.rec)
	if err != nil { // it decoded when the entry was made
		return guide.FileState{}
	}
	st := guide.FileState{Size: r.Size, Hash: r.Hash}
	if r.ModTime != 0 {
		st.ModTime = time.Unix(0, r.ModTime)
	}
	return st
}

// section is the FAQ guide's indexed section with this anchor (no text).
func (e *entry) section(anchor string) (guide.Section, bool) {
	for _, s := range e.secs {
		if s.Anchor == anchor {
			return guide.Section{Anchor: s.Anchor, Title: s.Title}, true
		}
	}
	return guide.Section{}, false
}

// ruleSet compiles each distinct rule once: libraries repeat the same app
// rules across many guides, and regular expressions are costly to compile.
type ruleSet struct {
	mu    sync.Mutex
	rules map[string]compiledRule // ruleKey -> compiled rule
}

// compiledRule is a distinct rule, and its ruleKey as the one string every
// entry with the rule shares.
type compiledRule struct {
	rule guide.Rule
	key  string
}

func (rs *ruleSet) compile(r ruleRec) (guide.Rule, string, error) {
	key := ruleKey(guide.Rule{Exe: r.Exe, Class: r.Class, Title: r.Title})
	rs.mu.Lock()
	defer rs.mu.Unlock()
	cr, ok := rs.rules[key]
	if !ok {
		c, err := guide.CompileRule(r.Exe, r.Class, r.Title)
		if err != nil {
			return guide.Rule{}, "", err
		}
		if rs.rules == nil {
			rs.rules = make(map[string]compiledRule)
		}
		cr = compiledRule{rule: c, key: key}
		rs.rules[key] = cr
	}
	c := cr.rule
	c.Line = r.Line
	return c, cr.key, nil
}

// decodeEntry rebuilds the entry of a stored record.
func (rs *ruleSet) decodeEntry(id string, data []byte) (*entry, error) {
	return rs.entry(id, string(data))
}

// entry is the in-memory entry of an encoded record: both a guide being
// indexed and a guide loaded from the index go through here, so they look
// the same.
func (rs *ruleSet) entry(id, rec string) (*entry, error) {
	r, err := decodeRecordString(rec)
	if err != nil {
		return nil, fmt.Errorf("catalogue record of %s: %w", id, err)
	}
	g, keys, err := rs.lightGuide(id, &r, true)
	if err != nil {
		return nil, err
	}
	// The record's sections, not the light guide's: guide.Section is
	// larger, and the record's exactly sized.
	e := &entry{id: id, rec: rec, lang: g.Lang, rules: slices.Clip(keys),
		secs: slices.Clip(r.Sections), rs: rs}
	if due := g.Due(); !due.IsZero() {
		e.due = due.Unix()
	}
	return e, nil
}

// lightGuide is the light guide of a decoded record and the ruleKeys of its
// app rules. A stored rule that no longer compiles is dropped (with a
// warning when warn is set).
func (rs *ruleSet) lightGuide(id string, r *record, warn bool) (*guide.Guide, []string, error) {
	g := &guide.Guide{
		ID: id, Title: r.Title, Summary: r.Summary, Format: guide.Format(r.Format), Tags: r.Tags,
		Roles: r.Roles, Owner: r.Owner, Duration: time.Duration(r.Duration) * time.Second,
		DurationEstimated: r.Estimated, Suggest: !r.NoSuggest, Video: r.Video, Template: r.Template,
		Size: r.Size, Hash: r.Hash, ReviewEvery: guide.DefaultReviewEvery, Lang: r.Lang,
	}
	if g.Format == "" {
		g.Format = guide.FormatGuide
	}
	if r.Reviewed != "" {
		t, err := time.Parse(dateLayout, r.Reviewed)
		if err != nil {
			return nil, nil, fmt.Errorf("catalogue record of %s: %w", id, err)
		}
		g.Reviewed = t
	}
	if r.ReviewEvery != "" {
		p, err := guide.ParsePeriod(r.ReviewEvery)
		if err != nil {
			return nil, nil, fmt.Errorf("catalogue record of %s: %w", id, err)
		}
		g.ReviewEvery = p
	}
	if r.ModTime != 0 {
		g.ModTime = time.Unix(0, r.ModTime)
	}
	for _, s := range r.Sections {
		g.Sections = append(g.Sections, guide.Section{Anchor: s.Anchor, Title: s.Title})
	}
	g.Required, g.Ack, g.Order = r.Required, r.Ack, int(r.Order)
	g.HasClicks = r.Clicks
	if r.Due != "" {
		d, err := guide.ParseDeadline(r.Due)
		if err != nil {
			return nil, nil, fmt.Errorf("catalogue record of %s: %w", id, err)
		}
		g.Deadline = d
	}
	// A required checklist's steps, as ids only: what the track counts.
	for _, s := range r.Steps {
		g.Steps = append(g.Steps, guide.Step{ID: s})
	}
	var keys []string
	for _, a := range r.Apps {
		c, key, err := rs.compile(a)
		if err != nil {
			// Parse lets only valid rules through; a stored rule that no
			// longer compiles is dropped, not fatal.
			if warn {
				slog.Warn("search: dropping an app rule that does not compile", "guide", id, "err", err)
			}
			continue
		}
		g.Apps = append(g.Apps, c)
		keys = append(keys, key)
	}
	return g, keys, nil
}

// newEntry is the in-memory entry of a guide being indexed, and its record
// encoded for the index.
func (rs *ruleSet) newEntry(g *guide.Guide) (*entry, []byte, error) {
	rec := newRecord(g)
	data := rec.encode()
	// Decode what is stored, so that an entry looks the same before and
	// after a restart.
	e, err := rs.entry(g.ID, string(data))
	if err != nil {
		return nil, nil, err
	}
	return e, data, nil
}

// appMatch is the result of matching a window against every rule.
type appMatch struct {
	keys []string // ruleKeys of the rules that match
	// best is, per matched guide, the highest Specificity of its matching rules.
	best map[string]int
}

// catalogue is the in-memory view of the indexed guides, loaded from the
// index at Open and edited by Apply after each committed batch (under
// Index.mu).
type catalogue struct {
	byID map[string]*entry
	// byRule lists, per ruleKey, the entries having that rule, in no
	// order (a slice of pointers: a set of ids per rule cost three times as
	// much).
	byRule map[string][]*entry
	// matcher matches windows against the distinct rules (one pseudo-guide
	// per ruleKey); nil when the distinct rules changed since it was built.
	matcher *guide.Matcher
}

func newCatalogue() *catalogue {
	return &catalogue{byID: make(map[string]*entry), byRule: make(map[string][]*entry)}
}

func (c *catalogue) put(e *entry) {
	c.remove(e.id)
	c.byID[e.id] = e
	for _, k := range e.rules {
		es, ok := c.byRule[k]
		if !ok {
			c.matcher = nil
		}
		c.byRule[k] = append(es, e)
	}
}

func (c *catalogue) remove(id string) {
	old, ok := c.byID[id]
	if !ok {
		return
	}
	delete(c.byID, id)
	for _, k := range old.rules {
		es := c.byRule[k]
		i := slices.Index(es, old)
		if i < 0 {
			continue
		}
		// Swap in the last one: the order means nothing.
		last := len(es) - 1
		es[i] = es[last]
		es[last] = nil
		es = es[:last]
		switch {
		case len(es) == 0:
			delete(c.byRule, k)
			c.matcher = nil
		case cap(es) > 64 && len(es) < cap(es)/4:
			c.byRule[k] = slices.Clip(slices.Clone(es)) // most of the rule's guides went
		default:
			c.byRule[k] = es
		}
	}
}

// match matches w against the rules of every guide. Libraries repeat the
// same rules across many guides, so it runs guide.Matcher over the distinct
// rules, then spreads each matching rule to its guides.
func (c *catalogue) match(rs *ruleSet, w guide.Window) *appMatch {
	am := &appMatch{best: make(map[string]int)}
	if w.IsZero() {
		return am
	}
	if c.matcher == nil {
		keys := make([]string, 0, len(c.byRule))
		for k := range c.byRule {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		pseudo := make([]*guide.Guide, 0, len(keys))
		rs.mu.Lock()
		for _, k := range keys {
			if r, ok := rs.rules[k]; ok {
				pseudo = append(pseudo, &guide.Guide{ID: k, Title: k, Apps: []guide.Rule{r.rule}})
			}
		}
		rs.mu.Unlock()
		c.matcher = guide.NewMatcher(pseudo)
	}
	for _, m := range c.matcher.Match(w) {
		am.keys = append(am.keys, m.Guide.ID)
		for _, e := range c.byRule[m.Guide.ID] {
			if am.best[e.id] < m.Specificity {
				am.best[e.id] = m.Specificity
			}
		}
	}
	sort.Strings(am.keys)
	return am
}
