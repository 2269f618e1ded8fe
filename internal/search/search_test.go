package search

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/cuecard/cuecard/internal/guide"
)

// now is the time the tests judge staleness at.
var now = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

const libRoot = "/srv/library"

// fixture is the test library: id -> Markdown file.
var fixture = map[string]string{
	"finance/refund-an-order.md": `---
title: Refund an order
summary: Give a customer their money back for an order in QuickBooks.
format: checklist
apps:
  - exe: '^quickbooks$'
tags: [billing, payments]
reviewed: 2026-04-01
---
- [ ] Open the order in QuickBooks and check the amount paid.
- [ ] Click Refund and choose the original payment method.
- [ ] Tell the customer the refund takes five working days.
`,
	"finance/send-an-invoice.md": `---
title: How to send an invoice in QuickBooks
summary: Bill a customer.
apps:
  - exe: '^quickbooks$'
    title: 'Invoices'
tags: [billing]
reviewed: 2026-04-01
---
Create the invoice from the order and send it by email. A paid invoice can only be changed by a refund.
`,
	"support/billing-faq.md": `---
title: Billing questions
summary: Answers to the questions customers ask support about bills.
format: faq
tags: [support]
reviewed: 2026-04-01
---
Short answers for the support team.

## How do I get a refund for a damaged item?

Ask for a photo of the broken parcel, then follow the refund checklist.

## Can a customer change their plan?

Yes, from the account page, at any time; the new price applies from the next bill.

## Why was I charged twice?

A pending authorisation looks like a second charge and disappears within three days.
`,
	"sales/monthly-report.md": `---
title: How to run the monthly sales report
summary: Export closed deals and send the summary to leadership.
apps:
  - title: 'Salesforce'
tags: [reporting, revenue]
reviewed: 2026-04-01
---
Export the closed deals from Salesforce, build the summary in LibreOffice Calc and send it.
`,
	"support/chargebacks.md": `---
title: Handle a chargeback
reviewed: 2026-04-01
---
A chargeback is a refund forced by the bank of the customer.
`,
	"it/reset-password.md": `---
title: Reset your password
summary: Get back into your account.
tags: [security, accounts]
reviewed: 2026-04-01
---
Open the sign-in page, click Forgot password and follow the link in the email.
`,
	"hr/parental-leave.md": `---
title: Request parental leave
summary: Plan your leave with HR.
tags: [hr, leave]
reviewed: 2026-04-01
---
Tell your manager, then file the request in the HR portal at least eight weeks before.
`,
	"hr/onboarding-title.md": `---
title: Onboarding week plan
tags: [hr]
reviewed: 2026-04-01
---
What a new colleague does in the first days.
`,
	"hr/onboarding-tag.md": `---
title: Order a laptop for a new colleague
tags: [onboarding, it]
reviewed: 2026-04-01
---
Order the laptop two weeks before the first day.
`,
	"hr/onboarding-body.md": `---
title: Book a desk
tags: [office]
reviewed: 2026-04-01
---
Desks are booked in the office app. During onboarding the manager books one.
`,
	"ops/reconcile-b-fresh.md": `---
title: Reconcile the bank account
tags: [finance]
reviewed: 2026-05-01
review_every: 90d
---
Match every bank line with a ledger entry.
`,
	"ops/reconcile-a-stale.md": `---
title: Reconcile the bank account
tags: [finance]
reviewed: 2025-01-01
review_every: 90d
---
Match every bank line with a ledger entry.
`,
	"ops/export-gnucash.md": `---
title: Export the customer list
apps:
  - exe: '^gnucash$'
reviewed: 2026-04-01
---
Export the customer list as CSV.
`,
	"ops/export-calc.md": `---
title: Export the customer list
apps:
  - class: 'libreoffice-calc'
reviewed: 2026-04-01
---
Export the customer list as CSV.
`,
	"finance/expense-claims.md": `---
title: Expense claims
reviewed: 2026-04-01
---
` + strings.Repeat("What you can ask the company to pay back, and how finance checks it before payroll. ", 12) + `
`,
	"finance/expense-claims-travel.md": `---
title: Submit expense claims for travel expense claims
reviewed: 2026-04-01
---
Expense claims, expense claims, expense claims: every expense claim for travel.
`,
	"finance/expense-claims-policy.md": `---
title: "Expense claims: expense claims policy"
reviewed: 2026-04-01
---
Expense claims. Expense claims. Expense claims.
`,
	"finance/claims.md": `---
title: Claims
reviewed: 2026-04-01
---
Travel, travel, travel: claims for travel.
`,
}

func parse(t testing.TB, id, md string) *guide.Guide {
	t.Helper()
	g, probs := guide.Parse(id, []byte(md))
	if g == nil {
		t.Fatalf("parse %s: %v", id, probs)
	}
	g.ModTime = time.Date(2026, 5, 1, 10, 0, 0, 123456789, time.Local)
	return g
}

func fixtureGuides(t testing.TB) []*guide.Guide {
	var gs []*guide.Guide
	for id, md := range fixture {
		gs = append(gs, parse(t, id, md))
	}
	return gs
}

// openFixture opens a new index in a temporary directory with the fixture
// library applied.
func openFixture(t *testing.T) (*Index, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "index")
	ix, err := Open(dir, libRoot)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if !ix.Rebuilt() {
		t.Error("a new index should report Rebuilt")
	}
	if err := ix.Apply(context.Background(), fixtureGuides(t), nil); err != nil {
		t.Fatal(err)
	}
	return ix, dir
}

func search(t *testing.T, ix *Index, q Query) []Result {
	t.Helper()
	if q.Now.IsZero() {
		q.Now = now
	}
	res, err := ix.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("search %q: %v", q.Text, err)
	}
	return res
}

func ids(rs []Result) []string {
	var out []string
	for _, r := range rs {
		id := r.ID
		if r.Anchor != "" {
			id += "#" + r.Anchor
		}
		out = append(out, id)
	}
	return out
}

func indexOf(rs []Result, id string) int {
	for i, r := range rs {
		if r.ID == id && r.Anchor == "" {
			return i
		}
	}
	return -1
}

func TestRelevance(t *testing.T) {
	ix, _ := openFixture(t)
	tests := []struct {
		name, text, first string
	}{
		{"whole word in title", "refund ", "finance/refund-an-order.md"},
		{"prefix", "refun", "finance/refund-an-order.md"},
		{"typo, transposed letters", "refnud", "finance/refund-an-order.md"},
		{"typo, missing letter", "refud", "finance/refund-an-order.md"},
		{"typo, two edits in a long word", "pasword", "it/reset-password.md"},
		{"earlier words whole, last a prefix", "monthly sales rep", "sales/monthly-report.md"},
		{"stop words do not matter", "how do i reset my passw", "it/reset-password.md"},
		{"exact title first", "Expense claims", "finance/expense-claims.md"},
		{"every word in the title first", "claims travel", "finance/expense-claims-travel.md"},
		{"no guide has every word: most of them", "refund xyzzy", "finance/refund-an-order.md"},
		{"one letter", "m", "sales/monthly-report.md"},
		{"accents folded", "Réset", "it/reset-password.md"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs := search(t, ix, Query{Text: tt.text})
			if len(rs) == 0 || rs[0].ID != tt.first {
				t.Fatalf("%q: got %v, want %s first", tt.text, ids(rs), tt.first)
			}
		})
	}
}

func TestShortPrefixesMatchTitleAndTagWords(t *testing.T) {
	ix, _ := openFixture(t)
	for _, text := range []string{"r", "re", "o", "on", "b", "bi"} {
		rs := search(t, ix, Query{Text: text})
		if len(rs) == 0 {
			t.Errorf("%q: no results", text)
		}
		for _, r := range rs {
			words := strings.Fields(strings.ToLower(r.Title + " " + r.Section + " " + strings.Join(r.Tags, " ")))
			ok := false
			for _, w := range words {
				ok = ok || strings.HasPrefix(w, text)
			}
			if !ok {
				t.Errorf("%q: %s (%q, tags %v) has no title or tag word starting with it", text, r.ID, r.Title, r.Tags)
			}
		}
	}
}

func TestTitleOverTagsOverBody(t *testing.T) {
	ix, _ := openFixture(t)
	// Two letters: the title words "password" and "parental" before the
	// tag "payments".
	rs := search(t, ix, Query{Text: "pa"})
	if got := ids(rs); len(got) != 3 || got[2] != "finance/refund-an-order.md" {
		t.Errorf("pa: got %v, want the two guides with a title word first, then the tag match", got)
	}
	rs = search(t, ix, Query{Text: "onboarding"})
	want := []string{"hr/onboarding-title.md", "hr/onboarding-tag.md", "hr/onboarding-body.md"}
	if got := ids(rs); !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	if rs[0].Score <= rs[1].Score || rs[1].Score <= rs[2].Score {
		t.Errorf("scores not decreasing: %v %v %v", rs[0].Score, rs[1].Score, rs[2].Score)
	}
}

func TestStaleRanksLowerThanEqualFreshGuide(t *testing.T) {
	ix, _ := openFixture(t)
	rs := search(t, ix, Query{Text: "reconcile bank"})
	// The stale guide would come first on a tie (its id sorts first).
	if len(rs) < 2 || rs[0].ID != "ops/reconcile-b-fresh.md" || rs[1].ID != "ops/reconcile-a-stale.md" {
		t.Fatalf("got %v", ids(rs))
	}
	if rs[0].Stale || !rs[1].Stale {
		t.Errorf("stale flags: %v %v", rs[0].Stale, rs[1].Stale)
	}
	// Two years earlier neither is overdue and they tie: the id decides.
	rs = search(t, ix, Query{Text: "reconcile bank", Now: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)})
	if rs[0].ID != "ops/reconcile-a-stale.md" || rs[0].Stale || rs[1].Stale || rs[0].Score != rs[1].Score {
		t.Errorf("before the due date: %+v", rs[:2])
	}
}

func TestWindowBoostsGuidesForTheApp(t *testing.T) {
	ix, _ := openFixture(t)
	gnucash := guide.Window{Exe: "gnucash", Class: "Gnucash", Title: "accounts.gnucash"}
	calc := guide.Window{Exe: "soffice.bin", Class: "libreoffice-calc", Title: "customers.ods - LibreOffice Calc"}
	for _, tc := range []struct {
		w     guide.Window
		first string
	}{{gnucash, "ops/export-gnucash.md"}, {calc, "ops/export-calc.md"}} {
		rs := search(t, ix, Query{Text: "export cust", Window: tc.w})
		if len(rs) < 2 || rs[0].ID != tc.first || !rs[0].AppMatch || rs[1].AppMatch {
			t.Errorf("window %v: got %v", tc.w, rs)
		}
	}
	// The boost lifts a guide for the app over a better match in the body
	// (though not over matches in titles).
	qb := guide.Window{Exe: "quickbooks", Title: "QuickBooks - Invoices"}
	rs := search(t, ix, Query{Text: "refund"})
	plain, other := indexOf(rs, "finance/send-an-invoice.md"), indexOf(rs, "support/chargebacks.md")
	if plain < 0 || other < 0 || other > plain {
		t.Fatalf("without window: %v", ids(rs))
	}
	rs = search(t, ix, Query{Text: "refund", Window: qb})
	boosted, other := indexOf(rs, "finance/send-an-invoice.md"), indexOf(rs, "support/chargebacks.md")
	if boosted < 0 || boosted > other || !rs[boosted].AppMatch || rs[0].ID != "finance/refund-an-order.md" {
		t.Errorf("with window: %v", ids(rs))
	}
}

// TestWindowGuideBeyondTheTextHits checks that a guide for the window is
// found even when many other guides match the text better than it does.
func TestWindowGuideBeyondTheTextHits(t *testing.T) {
	ix, _ := openFixture(t)
	var fillers []*guide.Guide
	for i := range 40 {
		fillers = append(fillers, parse(t, fmt.Sprintf("filler/%02d.md", i), fmt.Sprintf("---\ntitle: Filler %d\n---\nReimburse it.\n", i)))
	}
	fillers = append(fillers, parse(t, "ops/returns.md", "---\ntitle: Handle returns\napps:\n  - exe: '^odoo$'\n---\nReimburse it for the customer.\n"))
	if err := ix.Apply(context.Background(), fillers, nil); err != nil {
		t.Fatal(err)
	}
	rs := search(t, ix, Query{Text: "reimburse", Limit: 1})
	if len(rs) != 1 || rs[0].ID == "ops/returns.md" {
		t.Fatalf("without window: %v", ids(rs))
	}
	rs = search(t, ix, Query{Text: "reimburse", Limit: 1, Window: guide.Window{Exe: "odoo"}})
	if len(rs) != 1 || rs[0].ID != "ops/returns.md" {
		t.Errorf("with window: %v", ids(rs))
	}
}

func TestWindowMatchFollowsApply(t *testing.T) {
	ix, _ := openFixture(t)
	w := guide.Window{Exe: "inkscape", Title: "flyer.svg - Inkscape"}
	if rs := search(t, ix, Query{Window: w}); len(rs) != 0 {
		t.Fatalf("before: %v", ids(rs))
	}
	g := parse(t, "marketing/flyer.md", "---\ntitle: Export a flyer\napps:\n  - exe: '^inkscape$'\n---\nSave as PDF.\n")
	if err := ix.Apply(context.Background(), []*guide.Guide{g}, nil); err != nil {
		t.Fatal(err)
	}
	rs := search(t, ix, Query{Window: w})
	if len(rs) != 1 || rs[0].ID != "marketing/flyer.md" {
		t.Fatalf("after apply: %v", ids(rs))
	}
	if err := ix.Apply(context.Background(), nil, []string{"marketing/flyer.md"}); err != nil {
		t.Fatal(err)
	}
	if rs := search(t, ix, Query{Window: w}); len(rs) != 0 {
		t.Fatalf("after delete: %v", ids(rs))
	}
}

func TestEmptyTextListsGuidesForTheWindow(t *testing.T) {
	ix, _ := openFixture(t)
	if rs := search(t, ix, Query{}); len(rs) != 0 {
		t.Errorf("no text, no window: %v", ids(rs))
	}
	qb := guide.Window{Exe: "quickbooks", Title: "QuickBooks - Invoices"}
	rs := search(t, ix, Query{Text: "  ", Window: qb})
	// exe + title is more specific than exe alone.
	want := []string{"finance/send-an-invoice.md", "finance/refund-an-order.md"}
	if got := ids(rs); !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for _, r := range rs {
		if !r.AppMatch || r.Snippet == "" {
			t.Errorf("%+v", r)
		}
	}
	if rs := search(t, ix, Query{Window: guide.Window{Exe: "nothing"}}); len(rs) != 0 {
		t.Errorf("window without guides: %v", ids(rs))
	}
}

func TestFAQSectionHit(t *testing.T) {
	ix, _ := openFixture(t)
	rs := search(t, ix, Query{Text: "damaged item"})
	if len(rs) == 0 {
		t.Fatal("no results")
	}
	r := rs[0]
	if r.ID != "support/billing-faq.md" || r.Path != r.ID || r.Title != "Billing questions" ||
		r.Section != "How do I get a refund for a damaged item?" || r.Anchor != "how-do-i-get-a-refund-for-a-damaged-item" {
		t.Fatalf("got %+v", r)
	}
	// The match is in the section title; the snippet is the section's text.
	if r.Snippet != "Ask for a photo of the broken parcel, then follow the refund checklist." {
		t.Errorf("snippet %q", r.Snippet)
	}
	// The guide is not listed again as a whole below its section.
	for _, o := range rs[1:] {
		if o.ID == r.ID && o.Anchor == "" {
			t.Errorf("guide listed again: %v", ids(rs))
		}
	}
	rs = search(t, ix, Query{Text: "broken parc"})
	if len(rs) == 0 || rs[0].Anchor != "how-do-i-get-a-refund-for-a-damaged-item" ||
		!strings.Contains(rs[0].Snippet, "the «broken» «parcel»") {
		t.Errorf("got %+v", rs)
	}
	// A word of the guide's title finds the guide, not its sections.
	rs = search(t, ix, Query{Text: "billing questions"})
	if len(rs) == 0 || rs[0].ID != "support/billing-faq.md" || rs[0].Anchor != "" {
		t.Errorf("got %v", ids(rs))
	}
}

func TestSnippet(t *testing.T) {
	ix, _ := openFixture(t)
	rs := search(t, ix, Query{Text: "payment meth"})
	if len(rs) == 0 {
		t.Fatal("no results")
	}
	want := "«payment» «method»"
	if !strings.Contains(rs[0].Snippet, want) || strings.ContainsAny(rs[0].Snippet, "\n<>") {
		t.Errorf("snippet %q, want it to contain %q on one line", rs[0].Snippet, want)
	}
	// A typo is marked where its correction stands.
	rs = search(t, ix, Query{Text: "refnud"})
	if !strings.Contains(rs[0].Snippet, "«Refund»") {
		t.Errorf("snippet %q", rs[0].Snippet)
	}
}

func TestCut(t *testing.T) {
	text := []byte(strings.Repeat("alpha beta ", 30) + "the refund\nis here " + strings.Repeat("gamma ", 40))
	h := &highlighter{words: []qword{{text: "refund"}}}
	s := h.snippet(text, "")
	if !strings.HasPrefix(s, "… ") || !strings.HasSuffix(s, " …") || !strings.Contains(s, "the «refund» is here") {
		t.Errorf("snippet %q", s)
	}
	if n := len(s); n > snippetLen+20 {
		t.Errorf("snippet is %d bytes", n)
	}
	// No match: the start of the text, unmarked.
	h = &highlighter{words: []qword{{text: "zebra"}}}
	if s := h.snippet([]byte("Short text."), "Summary."); s != "Short text." {
		t.Errorf("snippet %q", s)
	}
	if s := h.snippet(nil, "A summary with a zebra."); s != "A summary with a «zebra»." {
		t.Errorf("snippet %q", s)
	}
}

// docCount is the number of bleve documents (guides and FAQ sections).
func docCount(t *testing.T, ix *Index) uint64 {
	t.Helper()
	n, err := ix.bi.DocCount()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestApplyUpsertDeleteAndSections(t *testing.T) {
	ix, _ := openFixture(t)
	ctx := context.Background()
	const faq = "support/billing-faq.md"
	guides := len(fixture)
	if ix.Count() != guides || docCount(t, ix) != uint64(guides+3) {
		t.Fatalf("count %d, documents %d", ix.Count(), docCount(t, ix))
	}

	// Re-index with one section renamed and one removed.
	edited := strings.Replace(fixture[faq], "## Why was I charged twice?", "## Why do I see two charges?", 1)
	edited = strings.Replace(edited, "## Can a customer change their plan?\n\nYes, from the account page, at any time; the new price applies from the next bill.\n", "", 1)
	if err := ix.Apply(ctx, []*guide.Guide{parse(t, faq, edited)}, nil); err != nil {
		t.Fatal(err)
	}
	if ix.Count() != guides || docCount(t, ix) != uint64(guides+2) {
		t.Fatalf("after edit: count %d, documents %d", ix.Count(), docCount(t, ix))
	}
	if rs := search(t, ix, Query{Text: "price applies"}); len(rs) != 0 {
		t.Errorf("removed section still found: %v", ids(rs))
	}
	rs := search(t, ix, Query{Text: "two charges"})
	if len(rs) == 0 || rs[0].Anchor != "why-do-i-see-two-charges" {
		t.Errorf("renamed section: %v", ids(rs))
	}

	// The guide stops being a FAQ: its section documents go.
	if err := ix.Apply(ctx, []*guide.Guide{parse(t, faq, strings.Replace(edited, "format: faq", "format: guide", 1))}, nil); err != nil {
		t.Fatal(err)
	}
	if docCount(t, ix) != uint64(guides) {
		t.Errorf("after format change: documents %d, want %d", docCount(t, ix), guides)
	}
	rs = search(t, ix, Query{Text: "two charges"})
	if len(rs) == 0 || rs[0].ID != faq || rs[0].Anchor != "" {
		t.Errorf("guide after format change: %v", ids(rs))
	}

	// Back to FAQ, then deleted: guide and sections go.
	if err := ix.Apply(ctx, []*guide.Guide{parse(t, faq, fixture[faq])}, nil); err != nil {
		t.Fatal(err)
	}
	if err := ix.Apply(ctx, nil, []string{faq, "not/indexed.md"}); err != nil {
		t.Fatal(err)
	}
	if ix.Count() != guides-1 || docCount(t, ix) != uint64(guides-1) {
		t.Errorf("after delete: count %d, documents %d", ix.Count(), docCount(t, ix))
	}
	if rs := search(t, ix, Query{Text: "damaged"}); len(rs) != 0 {
		t.Errorf("deleted guide found: %v", ids(rs))
	}
	if _, ok := ix.Known()[faq]; ok {
		t.Error("deleted guide still known")
	}
}

func TestApplyLastOperationWins(t *testing.T) {
	ix, _ := openFixture(t)
	id := "it/reset-password.md"
	v2 := parse(t, id, strings.Replace(fixture[id], "Reset your password", "Change your password", 1))
	// Deleted and upserted in one call: the upsert wins.
	if err := ix.Apply(context.Background(), []*guide.Guide{v2, nil}, []string{id}); err != nil {
		t.Fatal(err)
	}
	rs := search(t, ix, Query{Text: "change your password"})
	if len(rs) == 0 || rs[0].ID != id || rs[0].Title != "Change your password" {
		t.Errorf("got %+v", rs)
	}
}

func TestApplyInManyBatches(t *testing.T) {
	old := BatchSize
	BatchSize = 3
	defer func() { BatchSize = old }()
	ix, _ := openFixture(t)
	if ix.Count() != len(fixture) || docCount(t, ix) != uint64(len(fixture)+3) {
		t.Fatalf("count %d, documents %d", ix.Count(), docCount(t, ix))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := ix.Apply(ctx, fixtureGuides(t), nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled apply: %v", err)
	}
}

func TestKnownAndGuidesSurviveReopen(t *testing.T) {
	ix, dir := openFixture(t)
	known, guides := ix.Known(), ix.Guides()
	if len(known) != len(fixture) || len(guides) != len(fixture) {
		t.Fatalf("known %d, guides %d", len(known), len(guides))
	}
	for _, g := range fixtureGuides(t) {
		k := known[g.ID]
		if k.Size != g.Size || k.Hash != g.Hash || !k.ModTime.Equal(g.ModTime) {
			t.Errorf("%s: known %+v, want %+v", g.ID, k, g.State())
		}
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	ix2, err := Open(dir, libRoot)
	if err != nil {
		t.Fatal(err)
	}
	defer ix2.Close()
	if ix2.Rebuilt() {
		t.Error("reopened index reports Rebuilt")
	}
	if got := ix2.Known(); !reflect.DeepEqual(got, known) {
		t.Errorf("Known after reopen differs:\n%v\n%v", got, known)
	}
	if got := ix2.Guides(); !reflect.DeepEqual(got, guides) {
		t.Errorf("Guides after reopen differ")
	}
	var faq, invoice *guide.Guide
	for _, g := range ix2.Guides() {
		switch g.ID {
		case "support/billing-faq.md":
			faq = g
		case "finance/send-an-invoice.md":
			invoice = g
		}
	}
	if faq == nil || faq.Format != guide.FormatFAQ || len(faq.Sections) != 3 || faq.Sections[0].Title == "" || faq.Text != "" {
		t.Errorf("faq guide %+v", faq)
	}
	if invoice == nil || len(invoice.Apps) != 1 || !invoice.Apps[0].Match(guide.Window{Exe: "quickbooks", Title: "Invoices"}) ||
		invoice.Summary != "Bill a customer." || invoice.Reviewed.Format("2006-01-02") != "2026-04-01" {
		t.Errorf("invoice guide %+v", invoice)
	}
	if rs := search(t, ix2, Query{Text: "refnud"}); len(rs) == 0 || rs[0].ID != "finance/refund-an-order.md" {
		t.Errorf("search after reopen: %v", ids(rs))
	}
}

// captureWarnings collects slog output of the test.
func captureWarnings(t *testing.T) *bytes.Buffer {
	var buf bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelWarn})))
	t.Cleanup(func() { slog.SetDefault(old) })
	return &buf
}

func TestVersionMismatchRebuilds(t *testing.T) {
	ix, dir := openFixture(t)
	ix.Close()
	bi, err := bleve.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := bi.SetInternal(keyVersion, []byte("0")); err != nil {
		t.Fatal(err)
	}
	bi.Close()
	logs := captureWarnings(t)
	ix, err = Open(dir, libRoot)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if !ix.Rebuilt() || ix.Count() != 0 || len(ix.Known()) != 0 {
		t.Errorf("rebuilt %v, count %d", ix.Rebuilt(), ix.Count())
	}
	if !strings.Contains(logs.String(), "level=WARN") || !strings.Contains(logs.String(), "mapping version") {
		t.Errorf("log: %q", logs.String())
	}
	// The rebuilt index works.
	if err := ix.Apply(context.Background(), fixtureGuides(t), nil); err != nil {
		t.Fatal(err)
	}
	if rs := search(t, ix, Query{Text: "refund"}); len(rs) == 0 {
		t.Error("no results after rebuild")
	}
}

func TestOtherLibraryRebuilds(t *testing.T) {
	ix, dir := openFixture(t)
	ix.Close()
	logs := captureWarnings(t)
	ix, err := Open(dir, "/srv/other-library")
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if !ix.Rebuilt() || ix.Count() != 0 || !strings.Contains(logs.String(), "other-library") {
		t.Errorf("rebuilt %v, count %d, log %q", ix.Rebuilt(), ix.Count(), logs.String())
	}
}

func TestDamagedIndexRebuilds(t *testing.T) {
	garbage := bytes.Repeat([]byte("not an index \x00\xff"), 300)
	damage := map[string]func(t *testing.T, dir string){
		"garbage meta": func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, "index_meta.json"), garbage)
		},
		"garbage root.bolt": func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, "store", "root.bolt"), garbage)
		},
		"garbage segments": func(t *testing.T, dir string) {
			zaps, _ := filepath.Glob(filepath.Join(dir, "store", "*.zap"))
			if len(zaps) == 0 {
				t.Fatal("no segment files")
			}
			for _, z := range zaps {
				write(t, z, garbage)
			}
		},
		"store missing": func(t *testing.T, dir string) {
			if err := os.RemoveAll(filepath.Join(dir, "store")); err != nil {
				t.Fatal(err)
			}
		},
	}
	for name, fn := range damage {
		t.Run(name, func(t *testing.T) {
			ix, dir := openFixture(t)
			ix.Close()
			fn(t, dir)
			logs := captureWarnings(t)
			ix, err := Open(dir, libRoot)
			if err != nil {
				t.Fatal(err)
			}
			defer ix.Close()
			// bleve skips snapshots whose segments do not load and falls
			// back to an older one (here the empty one from creation) when
			// it still has it: a consistent, older index, not a rebuild.
			if ix.Count() != 0 || len(ix.Known()) != 0 {
				t.Errorf("count %d", ix.Count())
			}
			if ix.Rebuilt() != strings.Contains(logs.String(), "damaged") {
				t.Errorf("rebuilt %v, log %q", ix.Rebuilt(), logs.String())
			}
			if name != "garbage segments" && !ix.Rebuilt() {
				t.Error("not rebuilt")
			}
			if err := ix.Apply(context.Background(), fixtureGuides(t), nil); err != nil {
				t.Fatal(err)
			}
			if ix.Count() != len(fixture) {
				t.Errorf("count %d after re-indexing", ix.Count())
			}
		})
	}
}

func write(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestForeignDirectoryIsNotRemoved(t *testing.T) {
	dir := t.TempDir()
	precious := filepath.Join(dir, "thesis.txt")
	write(t, precious, []byte("years of work"))
	if _, err := Open(dir, libRoot); err == nil {
		t.Fatal("opened a folder that is not an index")
	}
	if _, err := os.Stat(precious); err != nil {
		t.Fatalf("file in the folder is gone: %v", err)
	}
}

func TestSecondOpenIsLocked(t *testing.T) {
	ix, dir := openFixture(t)
	_ = ix
	done := make(chan error, 1)
	go func() {
		ix2, err := Open(dir, libRoot)
		if err == nil {
			ix2.Close()
		}
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, ErrLocked) {
			t.Fatalf("second open: %v, want ErrLocked", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("second Open hangs on the lock")
	}
	// The first index is untouched.
	if rs := search(t, ix, Query{Text: "refund"}); len(rs) == 0 {
		t.Error("first index lost its content")
	}
}

func TestClosedIndex(t *testing.T) {
	ix, _ := openFixture(t)
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Errorf("second close: %v", err)
	}
	if _, err := ix.Search(context.Background(), Query{Text: "refund"}); err == nil {
		t.Error("search on a closed index")
	}
	if err := ix.Apply(context.Background(), fixtureGuides(t), nil); err == nil {
		t.Error("apply on a closed index")
	}
}

func TestSearchWhileApplying(t *testing.T) {
	ix, _ := openFixture(t)
	ctx := context.Background()
	stop := make(chan struct{})
	errs := make(chan error, 1)
	go func() {
		defer close(errs)
		for {
			select {
			case <-stop:
				return
			default:
			}
			for _, q := range []string{"r", "refund ord", "damaged", "refnud"} {
				if _, err := ix.Search(ctx, Query{Text: q, Window: guide.Window{Exe: "quickbooks"}}); err != nil {
					errs <- err
					return
				}
			}
		}
	}()
	for i := 0; i < 5; i++ {
		if err := ix.Apply(ctx, fixtureGuides(t), []string{"hr/parental-leave.md"}); err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	if err := <-errs; err != nil {
		t.Fatal(err)
	}
}
