package bench

import (
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

var (
	kernel32 = windows.NewLazySystemDLL("kernel32.dll")
	qpc      = kernel32.NewProc("QueryPerformanceCounter")
	qpf      = kernel32.NewProc("QueryPerformanceFrequency")
)

// stopwatch starts a timer. Go's monotonic clock on Windows advances with
// the system's timer interrupt (0.5 to 15.6 ms), too coarse for
// sub-millisecond queries: this reads QueryPerformanceCounter instead.
func stopwatch() func() time.Duration {
	var freq, start int64
	if r, _, _ := qpf.Call(uintptr(unsafe.Pointer(&freq))); r == 0 || freq <= 0 {
		t := time.Now()
		return func() time.Duration { return time.Since(t) }
	}
	qpc.Call(uintptr(unsafe.Pointer(&start)))
	return func() time.Duration {
		var now int64
		qpc.Call(uintptr(unsafe.Pointer(&now)))
		ticks := now - start
		return time.Duration(ticks/freq)*time.Second + time.Duration(ticks%freq)*time.Second/time.Duration(freq)
	}
}
