// Package percentile reads percentiles of measured durations, for the
// latency benchmarks of several packages. It imports the standard library
// only.
package percentile

import (
	"slices"
	"time"
)

// Of is the p-th percentile (0 <= p <= 1) of ds: the value at index
// p*(len-1) of ds sorted, so Of(ds, 1) is the largest. It sorts ds in
// place; an empty ds gives 0.
func Of(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	return ds[int(min(max(p, 0), 1)*float64(len(ds)-1))]
}

// Millis is d in milliseconds, with microsecond resolution.
func Millis(d time.Duration) float64 { return float64(d.Microseconds()) / 1e3 }
