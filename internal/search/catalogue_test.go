package search

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/cuecard/cuecard/internal/guide"
)

// The catalogue's list of entries per rule follows puts and removes, also
// when most of a rule's guides go, and a guide that has a rule twice.
func TestCatalogueRuleLists(t *testing.T) {
	rs := &ruleSet{}
	c := newCatalogue()
	put := func(id string, apps ...guide.Rule) {
		t.Helper()
		e, _, err := rs.newEntry(&guide.Guide{ID: id, Title: id, Format: guide.FormatGuide, Apps: apps})
		if err != nil {
			t.Fatal(err)
		}
		c.put(e)
	}
	zebra, zoo := guide.Rule{Exe: "zebra"}, guide.Rule{Class: "zoo"}
	for i := range 200 {
		put(fmt.Sprintf("g%03d.md", i), zebra)
	}
	put("twice.md", zebra, zoo, zebra)
	matched := func(w guide.Window) map[string]int { return c.match(rs, w).best }
	if got := len(matched(guide.Window{Exe: "zebra"})); got != 201 {
		t.Fatalf("%d guides match, want 201", got)
	}
	for i := range 195 {
		c.remove(fmt.Sprintf("g%03d.md", i))
	}
	put("g199.md", zoo) // its rule changes
	got := matched(guide.Window{Exe: "zebra"})
	if len(got) != 5 || got["g195.md"] == 0 || got["twice.md"] == 0 || got["g199.md"] != 0 {
		t.Errorf("after removes: %v", got)
	}
	for k, es := range c.byRule {
		for _, e := range es {
			if c.byID[e.id] != e {
				t.Errorf("rule %s lists %s, which is not the catalogue's entry", k, e.id)
			}
		}
	}
	if n := len(c.byRule[rs.key(t, zebra)]); n != 6 { // g195-g198, and twice.md twice
		t.Errorf("zebra lists %d entries, want 6", n)
	}
	c.remove("twice.md")
	c.remove("g199.md")
	if got := matched(guide.Window{Class: "zoo"}); len(got) != 0 {
		t.Errorf("zoo still matches %v", got)
	}
	if _, ok := c.byRule[rs.key(t, zoo)]; ok {
		t.Error("a rule no guide has is still listed")
	}
}

// key is the ruleKey of r as the rule set shares it.
func (rs *ruleSet) key(t *testing.T, r guide.Rule) string {
	t.Helper()
	_, k, err := rs.compile(ruleRec{Exe: r.Exe, Class: r.Class, Title: r.Title})
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// A FAQ guide's sections, read from its record when asked for, are found
// after the index is opened again, and a section removed then is gone.
func TestFAQSectionsAfterReopen(t *testing.T) {
	ix, dir := openFixture(t)
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(dir, libRoot)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	rs := search(t, ix, Query{Text: "damaged item"})
	if len(rs) == 0 || rs[0].Section != "How do I get a refund for a damaged item?" || rs[0].Anchor != "how-do-i-get-a-refund-for-a-damaged-item" {
		t.Fatalf("after reopen: %+v", rs)
	}
	const faq = "support/billing-faq.md"
	edited := strings.Replace(fixture[faq], "## Can a customer change their plan?\n\nYes, from the account page, at any time; the new price applies from the next bill.\n", "", 1)
	if edited == fixture[faq] {
		t.Fatal("the fixture changed: no section removed")
	}
	if err := ix.Apply(context.Background(), []*guide.Guide{parse(t, faq, edited)}, nil); err != nil {
		t.Fatal(err)
	}
	if rs := search(t, ix, Query{Text: "price applies"}); len(rs) != 0 {
		t.Errorf("a section removed after reopen is still found: %v", ids(rs))
	}
	if docCount(t, ix) != uint64(len(fixture)+2) {
		t.Errorf("documents %d, want %d", docCount(t, ix), len(fixture)+2)
	}
}

// An entry reads its title and summary from the record, whatever their
// length (one- and two-byte length prefixes), and a damaged record gives
// empty strings, not a panic.
func TestEntryTitleAndSummary(t *testing.T) {
	rs := &ruleSet{}
	for _, n := range []int{0, 1, 127, 128, 300, 20000} {
		title, summary := strings.Repeat("é", n/2)+strings.Repeat("t", n%2), strings.Repeat("s", n)
		if title == "" {
			title = "x"
		}
		e, _, err := rs.newEntry(&guide.Guide{ID: "a.md", Title: title, Summary: summary, Format: guide.FormatGuide})
		if err != nil {
			t.Fatal(err)
		}
		if e.title() != title || e.summary() != summary {
			t.Errorf("length %d: title %q summary %q", n, clip(e.title(), 20), clip(e.summary(), 20))
		}
		for cut := range min(len(e.rec), 400) {
			d := &entry{rec: e.rec[:cut]}
			_, _ = d.title(), d.summary()
		}
	}
}
