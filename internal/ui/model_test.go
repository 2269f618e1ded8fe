package ui

import (
	"strings"
	"testing"
)

func TestSnippetRuns(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"the «VPN» drops", "the |*VPN*| drops"},
		{"«a» and «b»", "*a*| and |*b*"},
		{"no marks", "no marks"},
		{"open «end", "open |*end*"},
		{"stray» mark", "stray mark"},
		{"  spaces\n folded ", "spaces folded"},
		{"", ""},
	} {
		var parts []string
		for _, r := range snippetRuns(tc.in) {
			if r.Style.Bold {
				parts = append(parts, "*"+r.Text+"*")
			} else {
				parts = append(parts, r.Text)
			}
		}
		if got := strings.Join(parts, "|"); got != tc.want {
			t.Errorf("snippetRuns(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
