package guide

import (
	"strings"
	"testing"
	"time"
)

func codes(ps []Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Code)
	}
	return out
}

func hasProblem(ps []Problem, code string, line int) bool {
	for _, p := range ps {
		if p.Code == code && (line == 0 || p.Line == line) {
			return true
		}
	}
	return false
}

const full = `---
title: How to process a product return
summary: Refund or replace within 30 days.
format: checklist
apps:
  - exe: '^thunderbird$'
  - {class: 'firefox|chromium', title: '\| QuickBooks'}
tags: [returns, refunds]
roles: support
owner: ana@example.com
reviewed: 2026-10-01
review_every: 6m
duration: 7m
suggest: false
---
# Heading that is not the title

Check the [policy](policy.md) first. ![box](img/box.png)

- [ ] Check the receipt
- [x] Refund the card
- [ ] Check the receipt

## Why 30 days?

Because the card network says so.

## Why 30 days?

Twice.
`

func TestParseFull(t *testing.T) {
	g, ps := Parse("support/returns.md", []byte(full))
	if g == nil {
		t.Fatalf("guide rejected: %v", ps)
	}
	if len(ps) != 0 {
		t.Errorf("unexpected problems: %v", ps)
	}
	want := struct {
		title, summary string
		format         Format
		owner          string
		dur            time.Duration
	}{"How to process a product return", "Refund or replace within 30 days.", FormatChecklist, "ana@example.com", 7 * time.Minute}
	if g.Title != want.title || g.Summary != want.summary || g.Format != want.format || g.Owner != want.owner || g.Duration != want.dur {
		t.Errorf("got title=%q summary=%q format=%q owner=%q dur=%v", g.Title, g.Summary, g.Format, g.Owner, g.Duration)
	}
	if g.DurationEstimated || g.Suggest {
		t.Errorf("estimated=%v suggest=%v, want false false", g.DurationEstimated, g.Suggest)
	}
	if len(g.Apps) != 2 || g.Apps[0].Line != 6 || g.Apps[1].Line != 7 {
		t.Fatalf("apps = %+v", g.Apps)
	}
	if !g.Apps[1].Match(Window{Class: "Chromium", Title: "Invoices | QuickBooks"}) {
		t.Error("second rule should match Chromium QuickBooks tab")
	}
	if strings.Join(g.Tags, ",") != "returns,refunds" || strings.Join(g.Roles, ",") != "support" {
		t.Errorf("tags=%v roles=%v", g.Tags, g.Roles)
	}
	if g.Reviewed != time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC) || g.ReviewEvery != (Period{6, 'm'}) {
		t.Errorf("reviewed=%v every=%v", g.Reviewed, g.ReviewEvery)
	}
	if !g.Due().Equal(time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("due = %v", g.Due())
	}
	if len(g.Steps) != 3 || g.Steps[0].Line != 20 || !g.Steps[1].Checked || g.Steps[0].Text != "Check the receipt" {
		t.Fatalf("steps = %+v", g.Steps)
	}
	if g.Steps[2].ID != g.Steps[0].ID+"-2" {
		t.Errorf("repeated step ids: %q %q", g.Steps[0].ID, g.Steps[2].ID)
	}
	if len(g.Sections) != 2 || g.Sections[0].Anchor != "why-30-days" || g.Sections[1].Anchor != "why-30-days-1" || g.Sections[0].Line != 24 {
		t.Errorf("sections = %+v", g.Sections)
	}
	if !strings.Contains(g.Sections[0].Text, "card network") || strings.Contains(g.Sections[0].Text, "Twice") {
		t.Errorf("section text = %q", g.Sections[0].Text)
	}
	if len(g.Links) != 2 || g.Links[0].Dest != "policy.md" || g.Links[1].Kind != LinkImage || g.Links[0].Line != 18 {
		t.Errorf("links = %+v", g.Links)
	}
	if strings.Contains(g.Text, "[policy]") || !strings.Contains(g.Text, "Check the policy first") {
		t.Errorf("text keeps Markdown: %q", g.Text)
	}
}

func TestStepIDsStableAcrossEdits(t *testing.T) {
	before := "---\ntitle: How to close the till\nformat: checklist\n---\n- [ ] Count the cash\n- [ ] Print the Z report\n- [ ] Lock the drawer\n"
	after := "---\ntitle: How to close the till\nformat: checklist\nowner: x\n---\nIntro added.\n\n- [ ] Switch off the card reader\n- [ ] Lock the drawer\n- [ ] Count   the CASH\n- [ ] Print the Z report (both copies)\n"
	g1, _ := Parse("a.md", []byte(before))
	g2, _ := Parse("a.md", []byte(after))
	ids := map[string]string{}
	for _, s := range g1.Steps {
		ids[s.ID] = s.Text
	}
	kept := 0
	for _, s := range g2.Steps {
		if _, ok := ids[s.ID]; ok {
			kept++
		}
	}
	// "Count the cash" (case and spacing changed) and "Lock the drawer" keep
	// their ids; the edited and the new step get new ones.
	if kept != 2 {
		t.Errorf("kept %d step ids, want 2 (before %+v, after %+v)", kept, g1.Steps, g2.Steps)
	}
}

func TestTitleFallbacks(t *testing.T) {
	for _, tc := range []struct{ id, src, want string }{
		{"notes/vpn.md", "Some text\n\n# How to connect to the VPN\n\nMore.", "How to connect to the VPN"},
		{"notes/set-up_printer.md", "Just text, no heading.", "Set up printer"},
		{"how-to-create-a-deal/index.md", "text", "How to create a deal"},
		{"q.md", "---\ntitle: 'Quoted: yes'\n---\n# Other", "Quoted: yes"},
		{"q.md", "---\ntitle: Unquoted title\n---\n", "Unquoted title"},
		{"n.md", "---\ntitle: 2024\n---\nbody", "2024"},
		// A page that starts with a heading of any level is titled by it,
		// not by a later "# " heading.
		{"phishing.md", "## Phishing/spoofing\n\nText.\n\n# Report it\n\nMore.", "Phishing/spoofing"},
		{"fm.md", "---\nowner: a\n---\n\n### Small print\n\n# Later", "Small print"},
	} {
		g, ps := Parse(tc.id, []byte(tc.src))
		if g == nil {
			t.Errorf("%s rejected: %v", tc.id, ps)
			continue
		}
		if g.Title != tc.want {
			t.Errorf("%s: title %q, want %q", tc.id, g.Title, tc.want)
		}
	}
}

func TestTolerance(t *testing.T) {
	src := "\xef\xbb\xbf---\r\ntitle: How to file an expense\r\nowner: a@b.c\r\nreviewed: 2026-01-01\r\ntags: [expenses]\r\ndraft: true\r\naliases: [x]\r\n---\r\n# x\r\n\r\n- [ ] one\r\n"
	g, ps := Parse("e.md", []byte(src))
	if g == nil {
		t.Fatalf("rejected: %v", ps)
	}
	if g.Title != "How to file an expense" || len(g.Steps) != 1 || g.Steps[0].Line != 11 {
		t.Errorf("title=%q steps=%+v", g.Title, g.Steps)
	}
	if hasProblem(ps, "unknown-key", 6) || !hasProblem(ps, "unknown-key", 7) || HasErrors(ps) {
		t.Errorf("problems = %v (draft is known, aliases is not)", ps)
	}
	if !g.Draft || g.Suggest {
		t.Errorf("draft: true gives Draft %v, Suggest %v; want a draft never suggested", g.Draft, g.Suggest)
	}
}

func TestDraft(t *testing.T) {
	for fm, want := range map[string][2]bool{ // Draft, Suggest
		"":                           {false, true},
		"draft: false":               {false, true},
		"draft: yes":                 {true, false},
		"suggest: true\ndraft: true": {true, false}, // a draft is never suggested
		"draft: true\nsuggest: true": {true, false},
		"suggest: false":             {false, false},
	} {
		g, ps := Parse("d.md", []byte("---\ntitle: How to test drafts\n"+fm+"\n---\nText.\n"))
		if g == nil || HasErrors(ps) {
			t.Fatalf("%q: %v", fm, ps)
		}
		if g.Draft != want[0] || g.Suggest != want[1] {
			t.Errorf("%q: Draft %v Suggest %v, want %v %v", fm, g.Draft, g.Suggest, want[0], want[1])
		}
	}
	if _, ps := Parse("d.md", []byte("---\ntitle: How to test drafts\ndraft: maybe\n---\nText.\n")); !HasErrors(ps) {
		t.Error("draft: maybe is accepted")
	}
	// cuecard new's placeholders are flagged once the guide is no draft.
	for body, line := range map[string]int{
		"---\ntitle: How to test drafts\nsummary: One sentence on what this guide helps with.\n---\nText.\n": 3,
		"---\ntitle: How to test drafts\n---\nTick each step.\n\n- [ ] First step\n- [ ] Second step\n":      6,
		"---\ntitle: How to test drafts\n---\n1. First step.\n2. Check the result.\n":                        4,
	} {
		_, ps := Parse("d.md", []byte(body))
		if !hasProblem(ps, "placeholder", line) {
			t.Errorf("no placeholder warning on line %d: %v\n%s", line, ps, body)
		}
		_, ps = Parse("d.md", []byte(strings.Replace(body, "---\n", "---\ndraft: true\n", 1)))
		for _, p := range ps {
			if p.Code == "placeholder" {
				t.Errorf("a draft is warned about its placeholders: %v", p)
			}
		}
	}
	if _, ps := Parse("d.md", []byte("---\ntitle: How to test drafts\n---\n1. First step: open the CRM.\n")); hasProblem(ps, "placeholder", 4) {
		t.Error("a real step that starts with 'First step' is taken for a placeholder")
	}
	// The recorder's draft sentences and summary too.
	for body, line := range map[string]int{
		"---\ntitle: How to test drafts\n---\n1. Click in **Mousepad**.\n\n   ![Step 1](step-01.png)\n\n2. Click the **Save** button.\n": 4,
		"---\ntitle: How to test drafts\n---\n1. Press **Ctrl+Shift+S**.\n2. Type the text and press **Enter** in **Mousepad**.\n":       5,
		"---\ntitle: How to test drafts\n---\n1. Open it.\n2. Type the text and press Enter in Deals | Acme CRM.\n":                      5,
		"---\ntitle: How to test drafts\n---\n1. Click in the window.\n":                                                                 4,
		"---\ntitle: How to test drafts\nsummary: Recorded task in 3 steps in Mousepad.\n---\nText.\n":                                   3,
	} {
		_, ps := Parse("d.md", []byte(body))
		if !hasProblem(ps, "placeholder", line) {
			t.Errorf("no placeholder warning on line %d: %v\n%s", line, ps, body)
		}
		_, ps = Parse("d.md", []byte(strings.Replace(body, "---\n", "---\ndraft: true\n", 1)))
		for _, p := range ps {
			if p.Code == "placeholder" {
				t.Errorf("a draft is warned about the recorder's sentences: %v", p)
			}
		}
	}
	// Sentences that name the control or the keys, and an author's own.
	_, ps := Parse("d.md", []byte("---\ntitle: How to test drafts\nsummary: Recorded deals go to the CRM.\n---\n1. Click the **Save** button.\n2. Press **Ctrl+S**.\n3. Choose **Save As…**.\n4. Click in the Name field and type the name.\n5. Click **OK**.\n"))
	for _, p := range ps {
		if p.Code == "placeholder" {
			t.Errorf("a finished step is taken for the recorder's draft: %v", p)
		}
	}
	var b strings.Builder
	FrontMatter{Title: "How to test drafts", Draft: true}.WriteTo(&b)
	if g, _ := Parse("d.md", []byte(b.String()+"Text.\n")); g == nil || !g.Draft {
		t.Errorf("FrontMatter{Draft: true} does not read back as a draft:\n%s", b.String())
	}
}

func TestBadInput(t *testing.T) {
	big := "---\ntitle: x\n---\n" + strings.Repeat("word ", MaxFileSize/5+10)
	for _, tc := range []struct {
		name, src, code string
		line            int
	}{
		{"invalid yaml", "---\ntitle: How to x\ntags: [a, b\nowner: x\n---\nbody", "yaml", 0},
		{"yaml bad indent", "---\ntitle: How to x\n  owner: x\n---\nbody", "yaml", 3},
		{"unterminated", "---\ntitle: How to x\nbody text\n", "front-matter", 1},
		{"not a mapping", "---\n- a\n- b\n---\nbody", "yaml", 2},
		{"wrong type title", "---\ntitle: [a, b]\n---\nbody", "type", 2},
		{"wrong type apps", "---\ntitle: How to x\napps: firefox\n---\n", "type", 3},
		{"wrong type rule", "---\ntitle: How to x\napps:\n  - firefox\n---\n", "type", 4},
		{"wrong type suggest", "---\ntitle: How to x\nsuggest: maybe\n---\n", "type", 3},
		{"unknown rule key", "---\ntitle: How to x\napps:\n  - window: x\n---\n", "rule", 4},
		{"empty rule", "---\ntitle: How to x\napps:\n  - {}\n---\n", "rule", 4},
		{"invalid regex", "---\ntitle: How to x\napps:\n  - title: 'Deals (Acme'\n---\n", "regex", 4},
		{"bad date", "---\ntitle: How to x\nreviewed: 31/12/2026\n---\n", "date", 3},
		{"impossible date", "---\ntitle: How to x\nreviewed: 2026-02-30\n---\n", "date", 3},
		{"bad period", "---\ntitle: How to x\nreview_every: 3 fortnights\n---\n", "period", 3},
		{"bad duration", "---\ntitle: How to x\nduration: soon\n---\n", "duration", 3},
		{"unknown format", "---\ntitle: How to x\nformat: slideshow\n---\n", "format", 3},
		{"duplicate key", "---\ntitle: How to x\ntitle: How to y\n---\n", "duplicate-key", 3},
		{"video without link", "---\ntitle: How to x\nformat: video\n---\n", "missing-video", 3},
		{"template without file", "---\ntitle: How to x\nformat: template\n---\n", "missing-template", 3},
		{"empty", "", "empty", 1},
		{"blank", " \n\n\t\n", "empty", 1},
		{"too large", big, "too-large", 1},
		{"binary", "PK\x03\x04\x00\x00binary", "binary", 1},
		{"latin-1", "---\ntitle: How to x\n---\nline\ncaf\xe9\n", "encoding", 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, ps := Parse("bad.md", []byte(tc.src))
			if g != nil {
				t.Fatalf("bad input accepted; problems %v", ps)
			}
			if !hasProblem(ps, tc.code, tc.line) {
				t.Fatalf("want %s at line %d, got %v", tc.code, tc.line, ps)
			}
			for _, p := range ps {
				if p.Path != "bad.md" || p.Line < 1 || p.Message == "" {
					t.Errorf("problem not located: %+v", p)
				}
			}
		})
	}
}

func TestWarnings(t *testing.T) {
	long := "---\ntitle: Pricing\n---\n" + strings.Repeat("word ", 3200)
	g, ps := Parse("p.md", []byte(long))
	if g == nil {
		t.Fatal(ps)
	}
	for _, c := range []string{"no-owner", "no-reviewed", "title", "too-long", "unreachable"} {
		if !hasProblem(ps, c, 0) {
			t.Errorf("missing warning %s in %v", c, codes(ps))
		}
	}
	if HasErrors(ps) {
		t.Errorf("warnings only expected: %v", ps)
	}
}

func TestStale(t *testing.T) {
	g, _ := Parse("s.md", []byte("---\ntitle: How to x\nreviewed: 2026-01-01\nreview_every: 90d\n---\n"))
	if g.Stale(time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)) || !g.Stale(time.Date(2026, 4, 2, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("due %v", g.Due())
	}
	if d := g.DaysOverdue(time.Date(2026, 4, 11, 0, 0, 0, 0, time.UTC)); d != 10 {
		t.Errorf("days overdue %d, want 10", d)
	}
	none, _ := Parse("n.md", []byte("# How to y\n"))
	if none.Stale(time.Now()) {
		t.Error("a guide without review date is not stale")
	}
}

func TestTaskOrQuestion(t *testing.T) {
	for title, want := range map[string]bool{
		"How to create a deal":                 true,
		"Why is my invoice late?":              true,
		"Pricing tiers?":                       true,
		"Respond to a support ticket":          true,
		"Set up the office printer":            true,
		"What are our pricing tiers":           true,
		"Pricing tiers":                        false,
		"Monthly report":                       false,
		"Notes":                                false,
		"“How to quote a price”":               true,
		"Reconcile the bank account in Xero":   true,
		"Quarterly numbers and what they mean": false,
		// Titles in other scripts than Latin are not judged: the verbs
		// are English.
		"ノートをインポートする":          true,
		"同步笔记":                 true,
		"چگونه یادداشت بسازیم": true,
		"ファイルの同期？":             true,
	} {
		if got := TaskOrQuestion(title); got != want {
			t.Errorf("TaskOrQuestion(%q) = %v, want %v", title, got, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(full))
	f.Add([]byte("---\ntitle: x\n"))
	f.Add([]byte("---\napps:\n  - &a {exe: x}\n  - *a\n---\n- [ ] a\n## b\n"))
	f.Add([]byte("\xef\xbb\xbf# T\r\n| a | b |\r\n|---|---|\r\n| 1 | 2 |\r\n"))
	f.Add([]byte("---\nrequired: true\ndue: 14d\nack: yes\norder: 2\nroles: [sales, everyone]\n---\n# T\n"))
	f.Add([]byte("---\nrequired: [x]\ndue: 2027-02-30\norder: 1e9\n---\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		g, ps := Parse("f.md", data)
		if g == nil && !HasErrors(ps) {
			t.Fatalf("nil guide without an error: %v", ps)
		}
		if g != nil && HasErrors(ps) {
			t.Fatalf("guide returned with errors: %v", ps)
		}
		for _, p := range ps {
			if p.Line < 1 || p.Path != "f.md" || p.Message == "" {
				t.Fatalf("bad problem %+v", p)
			}
			if p.Code == "internal" {
				t.Fatalf("parser panicked: %v", p.Message)
			}
		}
		if g != nil && g.Title == "" {
			t.Fatal("guide without title")
		}
	})
}

func TestTextResolvesEscapes(t *testing.T) {
	g, probs := Parse("a.md", []byte("---\ntitle: How to x\n---\n\nClick in New \\*deal\\* \\[draft\\] and `a\\*b`.\n"))
	if g == nil {
		t.Fatal(probs)
	}
	if want := "Click in New *deal* [draft] and a\\*b."; !strings.Contains(g.Text, want) {
		t.Fatalf("text %q, want %q", g.Text, want)
	}
}

func TestFootnotesAreNotLinks(t *testing.T) {
	g, ps := Parse("f.md", []byte("# How to cite\n\nA claim[^1] and another[^note], a [real link](a.md).\n\n[^1]: meaningful!\n[^note]: Another.\n"))
	if g == nil {
		t.Fatal(ps)
	}
	if len(g.Links) != 1 || g.Links[0].Dest != "a.md" || g.Links[0].Text != "real link" {
		t.Errorf("links %+v, want only a.md", g.Links)
	}
}

func TestQuote(t *testing.T) {
	for in, want := range map[string]string{
		"می\u200cخواهم":      "\"می\u200cخواهم\"", // the ZWNJ itself, not an escape
		"a \"b\"":            `"a \"b\""`,
		"tab\there":          `"tab\there"`,
		"\u200c":             `"\u200c"`, // nothing visible: escaped
		"Connect to the VPN": `"Connect to the VPN"`,
	} {
		if got := Quote(in); got != want {
			t.Errorf("Quote(%q) = %s, want %s", in, got, want)
		}
	}
	g, ps := Parse("fa.md", []byte("---\ntitle: یادداشت\u200cها\n---\nText.\n"))
	if g == nil {
		t.Fatal(ps)
	}
	for _, p := range ps {
		if strings.Contains(p.Message, `\u200c`) {
			t.Errorf("message escapes the ZWNJ: %s", p.Message)
		}
	}
}

func TestParseSummaryAliases(t *testing.T) {
	for _, c := range []struct{ name, fm, want string }{
		{"summary", "summary: Plain summary.", "Plain summary."},
		{"description", "description: Hugo's description.", "Hugo's description."},
		{"excerpt", "excerpt: \"Jekyll's excerpt.\"", "Jekyll's excerpt."},
		{"summary wins after", "description: D.\nsummary: S.", "S."},
		{"summary wins before", "summary: S.\ndescription: D.", "S."},
		{"first alias wins", "excerpt: E.\ndescription: D.", "E."},
		{"folded block", "description: >\n  Spans\n  two lines.\n", "Spans two lines."},
	} {
		t.Run(c.name, func(t *testing.T) {
			g, ps := Parse("a.md", []byte("---\ntitle: How to test it\n"+c.fm+"\n---\nBody.\n"))
			if g == nil {
				t.Fatalf("rejected: %v", ps)
			}
			for _, p := range ps {
				if p.Code == "unknown-key" {
					t.Errorf("warned: %v", p)
				}
			}
			if g.Summary != c.want {
				t.Errorf("Summary = %q, want %q", g.Summary, c.want)
			}
		})
	}
}

func TestParseLang(t *testing.T) {
	for fm, want := range map[string]string{"lang: pt-BR": "pt-BR", "language: de": "de", "": ""} {
		g, ps := Parse("a.md", []byte("---\ntitle: How to test it\n"+fm+"\n---\nBody.\n"))
		if g == nil {
			t.Fatalf("%q: %v", fm, ps)
		}
		for _, p := range ps {
			if p.Code == "unknown-key" {
				t.Errorf("%q: %v", fm, p)
			}
		}
		if g.Lang != want {
			t.Errorf("%q: Lang %q, want %q", fm, g.Lang, want)
		}
	}
}
