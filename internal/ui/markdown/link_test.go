package markdown

import (
	"io/fs"
	"net/url"
	"strings"
	"testing"

	"github.com/cuecard/cuecard/internal/guide"
)

func TestResolveLink(t *testing.T) {
	const id = "it/common-system-errors-faq.md"
	for _, tc := range []struct {
		dest string
		want Link
	}{
		{"https://account.example.com/pw", Link{Kind: LinkURL, URL: "https://account.example.com/pw"}},
		{"HTTP://Example.com", Link{Kind: LinkURL, URL: "http://Example.com"}},
		{"mailto:it@example.com", Link{Kind: LinkURL, URL: "mailto:it@example.com"}},
		{"connect-to-the-vpn.md", Link{Kind: LinkGuide, ID: "it/connect-to-the-vpn.md"}},
		{"../sales/pricing-tiers.md#hardware", Link{Kind: LinkGuide, ID: "sales/pricing-tiers.md", Anchor: "hardware"}},
		{"#why-cant-i-open-the-shared-drive", Link{Kind: LinkAnchor, Anchor: "why-cant-i-open-the-shared-drive"}},
		{"common-system-errors-faq.md#x", Link{Kind: LinkAnchor, Anchor: "x"}},
		// Everything else does nothing.
		{"file:///etc/passwd", Link{}},
		{"../../x", Link{}},
		{"../../x.md", Link{}},
		{"../../../etc/passwd", Link{}},
		{"/etc/passwd", Link{}},
		{"/home/me/guide.md", Link{}},
		{"templates/run-me.sh", Link{}},
		{"../office/templates/email-signature.html", Link{}},
		{"javascript:alert(1)", Link{}},
		{"smb://files.example.com/shared", Link{}},
		{"//evil.example.com/x.md", Link{}},
		{"http:///no-host", Link{}},
		{"..\\..\\x.md", Link{}},
		{"", Link{}},
		{"mailto:", Link{}},
	} {
		if got := ResolveLink(id, tc.dest); got != tc.want {
			t.Errorf("ResolveLink(%q) = %+v, want %+v", tc.dest, got, tc.want)
		}
	}
}

// FuzzResolveLink checks the link policy: only http(s) and mailto URLs
// leave Cuecard, and guide links stay inside the library.
func FuzzResolveLink(f *testing.F) {
	for _, s := range []string{"https://example.com", "mailto:a@b.c", "../x.md#a", "#a", "file:///etc/passwd",
		"../../x", "/abs.md", "javascript:alert(1)", "//host/x.md", "a/../../b.md", "%2e%2e/x.md", "x.md?q=1"} {
		f.Add("it/guide.md", s)
	}
	f.Fuzz(func(t *testing.T, id, dest string) {
		if !fs.ValidPath(id) || !guide.IsGuideFile(id) {
			return
		}
		got := ResolveLink(id, dest)
		switch got.Kind {
		case LinkURL:
			u, err := url.Parse(got.URL)
			if err != nil {
				t.Fatalf("%q -> unparsable URL %q", dest, got.URL)
			}
			if s := strings.ToLower(u.Scheme); s != "http" && s != "https" && s != "mailto" {
				t.Fatalf("%q -> URL with scheme %q", dest, u.Scheme)
			}
		case LinkGuide:
			if !fs.ValidPath(got.ID) || !guide.IsGuideFile(got.ID) {
				t.Fatalf("%q -> guide %q outside the library", dest, got.ID)
			}
		}
	})
}
