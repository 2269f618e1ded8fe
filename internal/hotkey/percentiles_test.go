package hotkey

import (
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/percentile"
)

// reportPercentiles reports a benchmark's press latencies in microseconds.
func reportPercentiles(b *testing.B, lat []time.Duration) {
	for _, q := range []struct {
		p    float64
		name string
	}{{0.50, "p50-µs"}, {0.95, "p95-µs"}, {0.99, "p99-µs"}} {
		b.ReportMetric(float64(percentile.Of(lat, q.p).Microseconds()), q.name)
	}
}
