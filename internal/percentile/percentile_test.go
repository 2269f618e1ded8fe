package percentile

import (
	"testing"
	"time"
)

func TestOf(t *testing.T) {
	ds := []time.Duration{5, 1, 4, 2, 3, 10, 9, 8, 7, 6}
	for _, tc := range []struct {
		p    float64
		want time.Duration
	}{{0, 1}, {0.5, 5}, {0.95, 9}, {1, 10}, {2, 10}, {-1, 1}} {
		if got := Of(ds, tc.p); got != tc.want {
			t.Errorf("Of(%v) = %v, want %v", tc.p, got, tc.want)
		}
	}
	if Of(nil, 0.5) != 0 {
		t.Error("Of of nothing is not 0")
	}
	if Millis(1500*time.Microsecond) != 1.5 {
		t.Error("Millis(1.5 ms)")
	}
}
