//go:build linux

package hotkey

import (
	"testing"
	"time"

	"github.com/robotn/xgb/xproto"
	"github.com/robotn/xgb/xtest"

	"github.com/cuecard/cuecard/internal/focus/focustest"
)

// BenchmarkPress measures the time from a key press to the Hotkey's event:
// with Ctrl and Alt held, an XTEST press of Space is sent (one request on
// another X connection, as a keyboard's press reaches the server) and the
// clock stops when Events delivers. Reports p50/p95/p99 in microseconds.
// Run it with -benchtime 1000x for stable percentiles.
func BenchmarkPress(b *testing.B) {
	x := focustest.StartX(b)
	x.StartWM()
	h := mustRegister(b, x, Default, Options{})
	cl := newClient(b, x.Display)
	ctrl, alt, space := cl.code(symCtrlL), cl.code(symAltL), cl.code(symSpace)
	cl.fake(true, ctrl)
	cl.fake(true, alt)
	defer func() {
		cl.fake(false, alt)
		cl.fake(false, ctrl)
	}()
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		xtest.FakeInput(cl.c, xproto.KeyPress, byte(space), 0, cl.root, 0, 0, 0)
		select {
		case <-h.Events():
		case <-time.After(5 * time.Second):
			b.Fatal("no event within 5 s")
		}
		lat = append(lat, time.Since(start))
		b.StopTimer()
		cl.fake(false, space)
		// A press in the same server millisecond as the last release
		// would count as auto-repeat.
		time.Sleep(2 * time.Millisecond)
		b.StartTimer()
	}
	b.StopTimer()
	reportPercentiles(b, lat)
}

// BenchmarkXdotool is the same through `xdotool key ctrl+alt+space`: a
// process per press, as a user's scripts would send it.
func BenchmarkXdotool(b *testing.B) {
	requireTool(b, "xdotool")
	x := focustest.StartX(b)
	x.StartWM()
	h := mustRegister(b, x, Default, Options{})
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		cmd := xdotoolCmd(x, "key", "ctrl+alt+space")
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		select {
		case <-h.Events():
		case <-time.After(5 * time.Second):
			b.Fatal("no event within 5 s")
		}
		lat = append(lat, time.Since(start))
		b.StopTimer()
		if err := cmd.Wait(); err != nil {
			b.Fatal(err)
		}
		time.Sleep(2 * time.Millisecond)
		b.StartTimer()
	}
	b.StopTimer()
	reportPercentiles(b, lat)
}
