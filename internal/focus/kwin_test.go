//go:build linux

package focus

import (
	"strings"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/focus/desktoptest"
	"github.com/cuecard/cuecard/internal/focus/focustest"
)

// TestKWin runs the KDE backend against a real headless KWin with two
// native Wayland (GTK 3) windows.
func TestKWin(t *testing.T) {
	d := desktoptest.StartKWin(t)
	checkShellTracker(t, d, newKWin)

	// Close unloads the script from KWin.
	tr, err := newKWin(Options{Getenv: d.Getenv})
	if err != nil {
		t.Fatal(err)
	}
	name := tr.(*shellTracker).be.(*kwinBackend).name
	c := d.Conn()
	loaded := func() bool {
		var ok bool
		if err := c.Object("org.kde.KWin", "/Scripting").Call("org.kde.kwin.Scripting.isScriptLoaded", 0, name).Store(&ok); err != nil {
			t.Fatalf("isScriptLoaded: %v", err)
		}
		return ok
	}
	if !loaded() {
		t.Fatalf("script %s is not loaded while tracking", name)
	}
	tr.Close()
	if loaded() {
		t.Errorf("script %s still loaded after Close", name)
	}

	// KWin going away: an unavailable status, no crash;
	// back: tracking resumes.
	tr, err = newKWin(Options{Getenv: d.Getenv})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, tr, 10*time.Second, "a window", func(ev Event) bool { return !ev.IsStatus() })
	checkGoneAndBack(t, d, tr)
}

// TestKWinAbsent: without KWin on the bus, newKWin fails at once and says so.
func TestKWinAbsent(t *testing.T) {
	bus := focustest.PrivateBus(t, "")
	env := map[string]string{"DBUS_SESSION_BUS_ADDRESS": bus}
	start := time.Now()
	_, err := newKWin(Options{Getenv: func(k string) string { return env[k] }})
	if err == nil || !strings.Contains(err.Error(), "not a KDE Plasma session") {
		t.Fatalf("err %v, want one that says this is not a KDE Plasma session", err)
	}
	t.Logf("failed in %s: %v", time.Since(start).Round(time.Microsecond), err)
	_, err = newKWin(Options{Getenv: func(string) string { return "" }})
	if err == nil || !strings.Contains(err.Error(), "no D-Bus session bus") {
		t.Fatalf("without a bus: err %v", err)
	}
}

// BenchmarkKWinSwitch measures the delay from a focus change (a GTK window
// unmapped and mapped again, which gives it the focus) to the Window event,
// on a headless KWin. It includes GTK's own unmap and map.
func BenchmarkKWinSwitch(b *testing.B) {
	d := desktoptest.StartKWin(b)
	wa := d.Open("cuecard.bench.alpha", "Alpha")
	wb := d.Open("cuecard.bench.beta", "Beta")
	tr, err := newKWin(Options{Getenv: d.Getenv})
	if err != nil {
		b.Fatal(err)
	}
	defer tr.Close()
	waitFor(b, tr, 10*time.Second, "beta", isWindow(wb, "Beta"))
	b.ResetTimer()
	ds := measureSwitches(b, tr, wa, wb, "Alpha", "Beta", b.N)
	b.StopTimer()
	b.ReportMetric(float64(pct(ds, 0.5).Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(pct(ds, 0.95).Microseconds())/1000, "p95-ms")
}

// TestChooseKWin: on a KWin session New tries wlroots (KWin does not offer
// it), then picks KWin, and its status says why wlroots was not used.
func TestChooseKWin(t *testing.T) {
	d := desktoptest.StartKWin(t)
	if d.Getenv("WAYLAND_DISPLAY") == "" {
		t.Fatal("the KWin session has no WAYLAND_DISPLAY")
	}
	tr := New(Options{Getenv: d.Getenv})
	defer tr.Close()
	ev, _ := waitFor(t, tr, 10*time.Second, "a status", func(ev Event) bool { return ev.IsStatus() })
	if !ev.Available || !strings.Contains(ev.Status, "through KWin") || !strings.Contains(ev.Status, "not used: wlroots") {
		t.Fatalf("status %q", ev.Status)
	}
	d.Open("cuecard.test.alpha", "Alpha window")
	waitFor(t, tr, 10*time.Second, "the native window", func(ev Event) bool { return ev.Window.Class == "cuecard.test.alpha" })
}
