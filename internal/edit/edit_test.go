package edit_test

import (
	"testing"

	"github.com/cuecard/cuecard/internal/edit"
)

func TestDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		d    int
	}{
		// from search (typos in queries)
		{"refund", "refund", 0}, {"refnud", "refund", 1}, {"refud", "refund", 1},
		{"pasword", "password", 1}, {"", "abc", 3}, {"ca", "abc", 3},
		// from hotkey (key names)
		{"spcae", "space", 1}, {"ctrl", "crtl", 1}, {"kitten", "sitting", 3}, {"é", "e", 1},
		// symmetry and the empty string
		{"", "", 0}, {"abc", "", 3}, {"space", "spcae", 1}, {"ünïcode", "unicode", 2},
	} {
		if got := edit.Distance(tc.a, tc.b); got != tc.d {
			t.Errorf("Distance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.d)
		}
	}
}
