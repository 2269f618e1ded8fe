package guide_test

import (
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/cuecard/cuecard/internal/guide"
)

// TestFrontMatterRoundTrip: what FrontMatter.WriteTo writes, Parse reads
// back equal, without a problem.
func TestFrontMatterRoundTrip(t *testing.T) {
	day := time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		fm   guide.FrontMatter
	}{
		{"minimal", guide.FrontMatter{Title: "How to create a deal"}},
		{"everything", guide.FrontMatter{
			Title: "How to refund an order in QuickBooks", Summary: "The steps, and what to check first.",
			Format: guide.FormatChecklist,
			Apps:   []guide.Rule{{Exe: "^quickbooks$"}, {Exe: "firefox|chrome", Title: `\| Salesforce`}, {Class: "^Thunderbird$", Title: "Inbox"}},
			Tags:   []string{"refunds", "finance"}, Roles: []string{"finance", "support"},
			Owner: "maria.lopez@example.com", Reviewed: day, ReviewEvery: guide.Period{N: 6, Unit: 'm'},
			Duration: 12 * time.Minute, NoSuggest: true,
		}},
		{"quotes", guide.FrontMatter{Title: `Why is my "deal" the boss's?`, Owner: `O'Brien`, Tags: []string{"it's", `"x"`}}},
		{"colons and hashes", guide.FrontMatter{Title: "Acme CRM: close a deal # fast", Summary: "key: value #not a comment", Tags: []string{"a: b", "#tag"}}},
		{"leading indicators", guide.FrontMatter{Title: "- not a list", Summary: "? not a key", Owner: "@team", Tags: []string{"- x", "[y]", "{z}", "*alias", "&anchor", "!tag", "|", ">", "%", "`"}}},
		{"yaml words", guide.FrontMatter{Title: "yes", Summary: "null", Owner: "~", Tags: []string{"true", "no", "1.5", "0x10", "2026-01-01"}}},
		{"non-ASCII", guide.FrontMatter{Title: "Überweisung prüfen — Équipe Paie 日本語 🚀", Owner: "józef@example.com", Tags: []string{"zahlung", "ñ"}}},
		{"control characters", guide.FrontMatter{Title: "Tab\there", Summary: "line\u2028break and bell\a"}},
		{"video", guide.FrontMatter{Title: "How to file expenses (video)", Format: guide.FormatVideo, Video: "https://example.com/v?a=1&b=2#t=3"}},
		{"template", guide.FrontMatter{Title: "Write a letter", Format: guide.FormatTemplate, Template: "forms/letter 1.txt"}},
		{"seconds", guide.FrontMatter{Title: "Quick", Duration: 90 * time.Second}},
		{"track", guide.FrontMatter{Title: "Read the code of conduct", Required: true, Ack: true, Order: 2,
			Deadline: guide.Deadline{After: guide.Period{N: 14, Unit: 'd'}}}},
		{"track fixed date", guide.FrontMatter{Title: "Security basics", Required: true, Deadline: guide.Deadline{Date: day}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			n, err := tc.fm.WriteTo(&b)
			if err != nil || n != int64(b.Len()) {
				t.Fatalf("WriteTo: %d, %v (wrote %d)", n, err, b.Len())
			}
			src := b.String() + "\nBody.\n"
			g, probs := guide.Parse("x.md", []byte(src))
			for _, p := range probs {
				if p.Level == guide.LevelError {
					t.Errorf("problem: %s\n%s", p, src)
				}
			}
			if g == nil {
				t.Fatalf("no guide:\n%s", src)
			}
			if got := frontMatterOf(g); !reflect.DeepEqual(got, tc.fm) {
				t.Errorf("read back\n%#v\nwant\n%#v\nfrom\n%s", got, tc.fm, src)
			}
		})
	}
}

// frontMatterOf is the part of g that FrontMatter sets, empty where g has
// Parse's default.
func frontMatterOf(g *guide.Guide) guide.FrontMatter {
	fm := guide.FrontMatter{Title: g.Title, Summary: g.Summary, Tags: g.Tags, Roles: g.Roles, Owner: g.Owner,
		Reviewed: g.Reviewed, Video: g.Video, Template: g.Template, NoSuggest: !g.Suggest,
		Required: g.Required, Ack: g.Ack, Deadline: g.Deadline, Order: g.Order}
	if _, ok := g.Meta["format"]; ok {
		fm.Format = g.Format
	}
	if _, ok := g.Meta["review_every"]; ok {
		fm.ReviewEvery = g.ReviewEvery
	}
	if !g.DurationEstimated {
		fm.Duration = g.Duration
	}
	for _, r := range g.Apps {
		fm.Apps = append(fm.Apps, guide.Rule{Exe: r.Exe, Class: r.Class, Title: r.Title})
	}
	return fm
}

func TestFileSlug(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"How to create a deal", "how-to-create-a-deal"},
		{"How to archive old mail?", "how-to-archive-old-mail"},
		{"  How to: create -- a deal?! ", "how-to-create-a-deal"},
		{"Wie erstelle ich einen Äußeren Deal", "wie-erstelle-ich-einen-äußeren-deal"},
		{"How to file expenses (video)", "how-to-file-expenses-video"},
		{"Acme CRM: close_a deal v1.2", "acme-crm-close-a-deal-v1-2"},
		{"---leading dashes", "leading-dashes"},
		{"日本語のガイド", "日本語のガイド"},
		{"???", "guide"},
		{"CON", "con-guide"},
		{"nul?", "nul-guide"},
		{"COM1", "com1-guide"},
		{"console", "console"},
		{"", "guide"},
		{"../../etc/passwd", "etc-passwd"},
		{`C:\Windows\system32`, "c-windows-system32"},
		{strings.Repeat("abc ", 40), strings.TrimRight(strings.Repeat("abc-", 20), "-")},
		{strings.Repeat("é", 50), strings.Repeat("é", 40)},
	} {
		got := guide.FileSlug(c.in)
		if got != c.want {
			t.Errorf("FileSlug(%q) = %q, want %q", c.in, got, c.want)
		}
		if len(got) > 80 || !utf8.ValidString(got) {
			t.Errorf("FileSlug(%q) = %q: longer than 80 bytes or cut inside a character", c.in, got)
		}
	}
}
