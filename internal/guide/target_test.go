package guide

import (
	"io/fs"
	"net/url"
	"strings"
	"testing"
)

func TestResolveLink(t *testing.T) {
	const id = "it/common-system-errors-faq.md"
	for _, tc := range []struct {
		dest string
		want Target
	}{
		{"https://account.example.com/pw", Target{Kind: TargetURL, URL: "https://account.example.com/pw"}},
		{"HTTP://Example.com", Target{Kind: TargetURL, URL: "http://Example.com"}},
		{"mailto:it@example.com", Target{Kind: TargetURL, URL: "mailto:it@example.com"}},
		{"connect-to-the-vpn.md", Target{Kind: TargetGuide, ID: "it/connect-to-the-vpn.md"}},
		{"../sales/pricing-tiers.md#hardware", Target{Kind: TargetGuide, ID: "sales/pricing-tiers.md", Anchor: "hardware"}},
		{"#why-cant-i-open-the-shared-drive", Target{Kind: TargetAnchor, Anchor: "why-cant-i-open-the-shared-drive"}},
		{"common-system-errors-faq.md#x", Target{Kind: TargetAnchor, Anchor: "x"}},
		// Everything else does nothing.
		{"file:///etc/passwd", Target{}},
		{"../../x", Target{}},
		{"../../x.md", Target{}},
		{"../../../etc/passwd", Target{}},
		{"/etc/passwd", Target{}},
		{"/home/me/md", Target{}},
		{"templates/run-me.sh", Target{}},
		{"../office/templates/email-signature.html", Target{}},
		{"javascript:alert(1)", Target{}},
		{"smb://files.example.com/shared", Target{}},
		{"//evil.example.com/x.md", Target{}},
		{"http:///no-host", Target{}},
		{"..\\..\\x.md", Target{}},
		{"", Target{}},
		{"mailto:", Target{}},
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
		f.Add("it/md", s)
	}
	f.Fuzz(func(t *testing.T, id, dest string) {
		if !fs.ValidPath(id) || !IsGuideFile(id) {
			return
		}
		got := ResolveLink(id, dest)
		switch got.Kind {
		case TargetURL:
			u, err := url.Parse(got.URL)
			if err != nil {
				t.Fatalf("%q -> unparsable URL %q", dest, got.URL)
			}
			if s := strings.ToLower(u.Scheme); s != "http" && s != "https" && s != "mailto" {
				t.Fatalf("%q -> URL with scheme %q", dest, u.Scheme)
			}
		case TargetGuide:
			if !fs.ValidPath(got.ID) || !IsGuideFile(got.ID) {
				t.Fatalf("%q -> guide %q outside the library", dest, got.ID)
			}
		}
	})
}
