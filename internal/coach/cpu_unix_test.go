//go:build !windows

package coach_test

import (
	"syscall"
	"time"
)

// cpu is the CPU time (user and system) this process has used.
func cpu() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
