package guide

import (
	"slices"
	"testing"
)

func TestKeywords(t *testing.T) {
	for _, tc := range []struct {
		title string
		want  []string
	}{
		{"How to create a deal", []string{"deal"}},                                  // task verbs are not tags
		{"How do I export the monthly sales report?", []string{"monthly", "sales"}}, // "report" is a verb too
		{"What is our refund policy", []string{"policy"}},
		{"Hi", nil},
	} {
		if got := Keywords(tc.title); !slices.Equal(got, tc.want) {
			t.Errorf("Keywords(%q) = %q, want %q", tc.title, got, tc.want)
		}
	}
}
