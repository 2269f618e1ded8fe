//go:build !windows

package bench

import "time"

// stopwatch starts a timer.
func stopwatch() func() time.Duration {
	t := time.Now()
	return func() time.Duration { return time.Since(t) }
}
