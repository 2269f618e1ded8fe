package search

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/cuecard/cuecard/internal/guide"
)

// TestCompact: guides added one batch at a time leave several segments;
// Compact merges them into one, the same searches give the same results,
// and a compact index is left alone.
func TestCompact(t *testing.T) {
	defer func(n int) { compactAbove = n }(compactAbove)
	// Scorch merges small segments itself, concurrently: with the fixture's
	// few guides only a threshold of one is sure to find work.
	compactAbove = 1
	ix, _ := openFixture(t)
	ctx := context.Background()
	for i := range 6 {
		md := fmt.Sprintf("---\ntitle: How to file expense report %d\n---\nAttach the receipts of trip %d.\n", i, i)
		if err := ix.Apply(ctx, []*guide.Guide{parse(t, fmt.Sprintf("expenses/report-%d.md", i), md)}, nil); err != nil {
			t.Fatal(err)
		}
	}
	before, err := ix.Segments()
	if err != nil {
		t.Fatal(err)
	}
	if before < 2 {
		t.Skipf("scorch merged the batches itself (%d segment): nothing to compact", before)
	}
	queries := []Query{{Text: "expense"}, {Text: "reciepts"}, {Text: "refund"}, {Text: "password"}}
	var want [][]string
	for _, q := range queries {
		want = append(want, ids(search(t, ix, q)))
	}
	// (did is false only if scorch merged everything itself meanwhile.)
	did, err := ix.Compact(ctx)
	if err != nil {
		t.Fatalf("Compact of %d segments: %v", before, err)
	}
	t.Logf("%d segments, Compact merged them: %v", before, did)
	if n, _ := ix.Segments(); n != 1 {
		t.Errorf("%d segments after Compact, want 1 (were %d)", n, before)
	}
	for i, q := range queries {
		if got := ids(search(t, ix, q)); !reflect.DeepEqual(got, want[i]) {
			t.Errorf("%q after Compact: %v, want %v", q.Text, got, want[i])
		}
	}
	if did, err := ix.Compact(ctx); did || err != nil {
		t.Errorf("Compact of a compact index = %v, %v; want false, nil", did, err)
	}
	ix.Close()
	if _, err := ix.Compact(ctx); err == nil {
		t.Error("Compact after Close did not fail")
	}
}
