//go:build windows

package focus

import (
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"

	"golang.org/x/sys/windows"

	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/percentile"
	"github.com/cuecard/cuecard/internal/win32"
	"github.com/cuecard/cuecard/internal/win32/wintest"
)

// nextWindow waits up to 10 s for a window event that satisfies ok, failing
// on a status that says tracking stopped; other events are skipped.
func nextWindow(t testing.TB, tr Tracker, what string, ok func(guide.Window) bool) guide.Window {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case ev, open := <-tr.Events():
			if !open {
				t.Fatalf("Events closed while waiting for %s", what)
			}
			if ev.IsStatus() {
				if !ev.Available {
					t.Fatalf("waiting for %s: %s", what, ev.Status)
				}
				continue
			}
			if ok(ev.Window) {
				return ev.Window
			}
		case <-timeout:
			t.Fatalf("no event for %s within 10 s", what)
		}
	}
}

func pidIs(pid int) func(guide.Window) bool {
	return func(w guide.Window) bool { return w.PID == pid }
}

// notepads starts two Wine Notepads and waits for their windows; the
// second one's title is "Second - Notepad".
func notepads(t testing.TB) (a, b *wintest.App, ha, hb windows.HWND) {
	wintest.RequireDesktop(t)
	a = wintest.Start(t, "notepad.exe")
	b = wintest.Start(t, "notepad.exe")
	ha, hb = a.Window(t), b.Window(t)
	if err := win32.SetWindowText(hb, "Second - Notepad"); err != nil {
		t.Fatal(err)
	}
	// Each window has been activated once (late activations are over).
	wintest.Focus(t, hb)
	wintest.Focus(t, ha)
	return a, b, ha, hb
}

// TestWindowsTracker runs the tracker against Wine's (or Windows') Notepad:
// what it reports of a window, a switch to another window, a title change.
// Under Wine these come from the poll: Wine 8 sends no foreground or name
// change WinEvents.
func TestWindowsTracker(t *testing.T) {
	a, b, ha, hb := notepads(t)
	const poll = 100 * time.Millisecond
	tr := New(Options{Poll: poll})
	defer tr.Close()
	ev := <-tr.Events()
	if !ev.IsStatus() || !ev.Available {
		t.Fatalf("first event %+v, want an available status", ev)
	}
	w := nextWindow(t, tr, "the first Notepad", pidIs(a.PID))
	want := guide.Window{Exe: "notepad.exe", Class: "Notepad", Title: "Untitled - Notepad", PID: a.PID}
	if w != want {
		t.Errorf("window %+v, want %+v", w, want)
	}

	for i, h := range []windows.HWND{hb, ha, hb} {
		app := []*wintest.App{b, a, b}[i]
		wintest.Focus(t, h)
		w := nextWindow(t, tr, "the switch", pidIs(app.PID))
		if w.Exe != "notepad.exe" || w.Class != "Notepad" {
			t.Errorf("window %+v", w)
		}
		if app == b && w.Title != "Second - Notepad" {
			t.Errorf("title %q, want Second - Notepad", w.Title)
		}
	}

	if err := win32.SetWindowText(hb, "Renamed - Notepad"); err != nil {
		t.Fatal(err)
	}
	w = nextWindow(t, tr, "the new title", func(w guide.Window) bool { return w.PID == b.PID && w.Title == "Renamed - Notepad" })
	if w.Class != "Notepad" {
		t.Errorf("window %+v", w)
	}

	if err := tr.Close(); err != nil {
		t.Fatal(err)
	}
	for ev := range tr.Events() {
		t.Logf("event after Close: %+v", ev) // buffered before Close
	}
	tr.Close()
}

// TestWindowsFilter: an excluded window is reported as a zero window; a
// window of OwnPIDs is not reported at all.
func TestWindowsFilter(t *testing.T) {
	a, b, ha, hb := notepads(t)
	tr := New(Options{Poll: 50 * time.Millisecond, OwnPIDs: []int{b.PID}, Exclude: []guide.Rule{{Title: "secret"}}})
	defer tr.Close()
	nextWindow(t, tr, "the first Notepad", pidIs(a.PID))

	// b is "own": focusing it sends nothing, and a is current again after.
	wintest.Focus(t, hb)
	if err := win32.SetWindowText(ha, "Back - Notepad"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	wintest.Focus(t, ha)
	w := nextWindow(t, tr, "the first Notepad again", func(guide.Window) bool { return true })
	if w.PID != a.PID || w.Title != "Back - Notepad" {
		t.Errorf("after an own window: %+v, want the first Notepad with its new title", w)
	}

	if err := win32.SetWindowText(ha, "my secret - Notepad"); err != nil {
		t.Fatal(err)
	}
	if w := nextWindow(t, tr, "the excluded window", func(guide.Window) bool { return true }); !w.IsZero() || w.PID != 0 {
		t.Errorf("excluded window reported as %+v", w)
	}
}

// TestWindowsForegroundEvent: a foreground WinEvent makes the tracker read
// the foreground window at once, without waiting for the poll. Wine 8 does
// not send the event when the foreground changes, so the test sends it
// (NotifyWinEvent) as Windows would.
func TestWindowsForegroundEvent(t *testing.T) {
	a, b, _, hb := notepads(t)
	tr := New(Options{Poll: time.Hour})
	defer tr.Close()
	nextWindow(t, tr, "the first Notepad", pidIs(a.PID))
	wintest.Focus(t, hb)
	select {
	case ev := <-tr.Events():
		t.Fatalf("event %+v before the WinEvent (the poll is hourly)", ev)
	default:
	}
	t0 := time.Now()
	win32.NotifyWinEvent(win32.EVENT_SYSTEM_FOREGROUND, hb, win32.OBJID_WINDOW, win32.CHILDID_SELF)
	nextWindow(t, tr, "the second Notepad", pidIs(b.PID))
	t.Logf("foreground WinEvent to Event: %s", time.Since(t0).Round(time.Microsecond))
}

// BenchmarkWindowsFocus switches the foreground between two Notepads b.N
// times with SetForegroundWindow and measures the time from the call to
// the tracker's Window event (under Wine: the poll, every 100 ms by
// default). Reports p50/p95 in milliseconds; -benchtime 200x gives stable
// figures.
func BenchmarkWindowsFocus(b *testing.B) {
	a, c, ha, hc := notepads(b)
	tr := New(Options{})
	defer tr.Close()
	nextWindow(b, tr, "the first Notepad", pidIs(a.PID))
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		h, pid := hc, c.PID
		if i%2 == 1 {
			h, pid = ha, a.PID
		}
		// A random pause first: a switch right after the event would
		// always fall just after a poll (as a user's switch does not).
		time.Sleep(rand.N(150 * time.Millisecond))
		t0 := time.Now()
		if err := win32.SetForegroundWindow(h); err != nil {
			b.Fatal(err)
		}
		nextWindow(b, tr, "the switch", pidIs(pid))
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	b.ReportMetric(percentile.Millis(percentile.Of(lat, 0.50)), "p50-ms")
	b.ReportMetric(percentile.Millis(percentile.Of(lat, 0.95)), "p95-ms")
}

// TestWindowsIdleCPU measures the tracker's CPU use while nothing changes,
// over CUECARD_IDLE_SECONDS (e.g. 60); it is skipped when that is not set.
// The whole test process is measured (GetProcessTimes), so the figure is an
// upper bound; under Wine the wineserver's share of each call is not in it.
func TestWindowsIdleCPU(t *testing.T) {
	secs, _ := strconv.Atoi(os.Getenv("CUECARD_IDLE_SECONDS"))
	if secs <= 0 {
		t.Skip("set CUECARD_IDLE_SECONDS=60 to measure idle CPU")
	}
	a, _, _, _ := notepads(t)
	tr := New(Options{})
	defer tr.Close()
	nextWindow(t, tr, "the first Notepad", pidIs(a.PID))
	cpu := func() time.Duration {
		var c, e, k, u windows.Filetime
		if err := windows.GetProcessTimes(windows.CurrentProcess(), &c, &e, &k, &u); err != nil {
			t.Fatal(err)
		}
		return time.Duration((int64(k.HighDateTime)<<32 | int64(k.LowDateTime) + int64(u.HighDateTime)<<32 | int64(u.LowDateTime)) * 100)
	}
	c0, t0 := cpu(), time.Now()
	time.Sleep(time.Duration(secs) * time.Second)
	used, wall := cpu()-c0, time.Since(t0)
	t.Logf("idle CPU over %s: %s = %.3f %% of a core", wall.Round(time.Second), used, 100*used.Seconds()/wall.Seconds())
}
