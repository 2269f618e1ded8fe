package link

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Link
		err  string // a part of the error; "" for none
	}{
		{in: "cuecard://guide/sales/monthly-sales-report.md", want: Link{Kind: Guide, ID: "sales/monthly-sales-report.md"}},
		{in: "cuecard://guide/sales/monthly-sales-report.md#step-2", want: Link{Kind: Guide, ID: "sales/monthly-sales-report.md", Anchor: "step-2"}},
		{in: "  CUECARD://Guide/a.md\n", want: Link{Kind: Guide, ID: "a.md"}},
		{in: "cuecard://guide/sales%2Fmonthly%20report.md", want: Link{Kind: Guide, ID: "sales/monthly report.md"}},
		{in: "cuecard://guide/caf%C3%A9/r%C3%A9sum%C3%A9.md", want: Link{Kind: Guide, ID: "café/résumé.md"}},
		{in: "cuecard://guide/a.md/", want: Link{Kind: Guide, ID: "a.md"}},
		{in: "cuecard:guide/a/b.md#x", want: Link{Kind: Guide, ID: "a/b.md", Anchor: "x"}},
		{in: "cuecard:///guide/a/b.md", want: Link{Kind: Guide, ID: "a/b.md"}},
		{in: "cuecard://guide/travel/report.pdf#page-2", want: Link{Kind: Guide, ID: "travel/report.pdf", Anchor: "page-2"}},
		{in: "cuecard://guide/hr/leave.docx", want: Link{Kind: Guide, ID: "hr/leave.docx"}},
		{in: "cuecard://search?q=expense+report", want: Link{Kind: Search, Query: "expense report"}},
		{in: "cuecard://search/?q=%E7%B2%BE%E7%AE%97", want: Link{Kind: Search, Query: "精算"}},
		{in: "cuecard://search", want: Link{Kind: Search}},
		{in: "cuecard:search?q=vpn", want: Link{Kind: Search, Query: "vpn"}},

		{in: "https://example.com/a.md", err: "not a cuecard link"},
		{in: "sales/a.md", err: "not a cuecard link"},
		{in: "cuecard://", err: "says nothing to open"},
		{in: "cuecard://guide/", err: "no guide named"},
		{in: "cuecard://guide/../secret.md", err: "leaves the library"},
		{in: "cuecard://guide/a/../../secret.md", err: "leaves the library"},
		{in: "cuecard://guide/%2E%2E/secret.md", err: "leaves the library"},
		{in: "cuecard://guide/a/./b.md", err: "not clean"},
		{in: "cuecard://guide//etc/passwd.md", err: "absolute"},
		{in: "cuecard://guide/C:%5Cx.md", err: "backslash"},
		{in: "cuecard://guide/C:/x.md", err: "absolute"},
		{in: "cuecard://guide/notes.txt", err: "Markdown"},
		{in: "cuecard://guide/a%00.md", err: "control characters"},
		{in: "cuecard://guide/a.md?x=1", err: "no ?query"},
		{in: "cuecard://guide/a.md#a%07b", err: "control characters"},
		{in: "cuecard://search?q=a&app=x", err: "only q="},
		{in: "cuecard://search/more?q=a", err: "nothing after search/"},
		{in: "cuecard://open/a.md", err: `not "open"`},
		{in: "cuecard://user@guide/a.md", err: "user or a port"},
		{in: "cuecard://guide:80/a.md", err: "user or a port"},
		{in: "cuecard://guide/" + strings.Repeat("a", maxLen) + ".md", err: "at most"},
		{in: "cuecard://guide/%zz.md", err: "not a valid link"},
	} {
		got, err := Parse(tc.in)
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("Parse(%q): %v", tc.in, err)
		case tc.err != "" && err == nil:
			t.Errorf("Parse(%q) = %+v, want an error with %q", tc.in, got, tc.err)
		case tc.err != "" && !strings.Contains(err.Error(), tc.err):
			t.Errorf("Parse(%q): %v, want an error with %q", tc.in, err, tc.err)
		case tc.err == "" && got != tc.want:
			t.Errorf("Parse(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
}

func TestFormat(t *testing.T) {
	for _, tc := range []struct {
		l    Link
		want string
	}{
		{Link{Kind: Guide, ID: "sales/monthly-sales-report.md"}, "cuecard://guide/sales/monthly-sales-report.md"},
		{Link{Kind: Guide, ID: "it/vpn setup.md", Anchor: "on Windows"}, "cuecard://guide/it/vpn%20setup.md#on%20Windows"},
		{Link{Kind: Guide, ID: "a#b?.md"}, "cuecard://guide/a%23b%3F.md"},
		{Link{Kind: Search, Query: "expense report"}, "cuecard://search?q=expense+report"},
	} {
		if got := tc.l.String(); got != tc.want {
			t.Errorf("%+v = %s, want %s", tc.l, got, tc.want)
		}
		back, err := Parse(tc.want)
		if err != nil || back != tc.l {
			t.Errorf("Parse(%s) = %+v, %v; want %+v", tc.want, back, err, tc.l)
		}
	}
}

func TestWebURL(t *testing.T) {
	for _, tc := range []struct{ base, id, want string }{
		{"https://wiki.example.com/guides/", "sales/monthly-sales-report.md", "https://wiki.example.com/guides/sales/monthly-sales-report/"},
		{"https://wiki.example.com/guides", "a.md", "https://wiki.example.com/guides/a/"},
		{"https://wiki.example.com/", "it/vpn setup.md", "https://wiki.example.com/it/vpn%20setup/"},
		{"", "a.md", ""},
	} {
		if got := WebURL(tc.base, tc.id); got != tc.want {
			t.Errorf("WebURL(%q, %q) = %s, want %s", tc.base, tc.id, got, tc.want)
		}
	}
}

// FuzzParse: no input panics; a link that parses names a guide inside the
// library, and writing it out reads back the same.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"cuecard://guide/sales/monthly-sales-report.md#step-2",
		"cuecard://search?q=expense+report",
		"cuecard:guide/a.md",
		"cuecard:///guide/a%2F..%2Fb.md",
		"cuecard://guide/%2E%2E/x.md",
		"cuecard://guide/a.md/",
		"cuecard://search/?q=%E7%B2%BE%E7%AE%97",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		l, err := Parse(s)
		if err != nil {
			return
		}
		switch l.Kind {
		case Guide:
			if err := CheckID(l.ID); err != nil {
				t.Fatalf("Parse(%q) gave a bad id: %v", s, err)
			}
			if strings.HasPrefix(l.ID, "../") || strings.HasPrefix(l.ID, "/") || strings.Contains(l.ID, "/../") {
				t.Fatalf("Parse(%q) left the library: %q", s, l.ID)
			}
		case Search:
		default:
			t.Fatalf("Parse(%q) = %+v: no kind", s, l)
		}
		back, err := Parse(l.String())
		if err != nil {
			t.Fatalf("Parse(%q) = %+v, whose link %s does not parse: %v", s, l, l.String(), err)
		}
		if back != l {
			t.Fatalf("Parse(%q) = %+v, but its link %s reads back as %+v", s, l, l.String(), back)
		}
	})
}
