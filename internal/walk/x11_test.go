//go:build linux

package walk_test

import (
	"image"
	"os/exec"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/capture"
	"github.com/cuecard/cuecard/internal/focus/focustest"
	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/locate"
	"github.com/cuecard/cuecard/internal/overlay"
	"github.com/cuecard/cuecard/internal/percentile"
	"github.com/cuecard/cuecard/internal/record"
	"github.com/cuecard/cuecard/internal/walk"
)

// desk is a real walkthrough under Xvfb + openbox: a test app with two
// labelled buttons, the capture (RECORD) feeding the walk, and the ring
// drawn for each view. drawn receives each view once its ring is drawn.
type desk struct {
	x     *focustest.X
	app   uint32
	w     *walk.Walk
	ring  *overlay.Ring
	drawn chan walk.View
	at    []image.Point // the buttons' centres in the window
}

func start(b *testing.B, steps int) *desk {
	focustest.Require(b, "xdotool")
	x := focustest.StartX(b)
	x.StartWM()
	cl := x.Client()
	d := &desk{x: x, drawn: make(chan walk.View, 64)}
	d.app = cl.Open("app", -1, "acme", "AcmeCRM", "Deals | Acme CRM")
	cl.Size("app", 480, 320)
	cl.LabelledButton("app", 30, 30, 110, 34, 0x73d216, "New deal")
	cl.LabelledButton("app", 280, 220, 90, 36, 0xef2929, "Save")
	d.at = []image.Point{{85, 47}, {325, 238}}
	cl.Activate("app")
	x.WaitActive(d.app)
	c, err := capture.Start(capture.Options{Display: x.Display})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.Close() })
	time.Sleep(200 * time.Millisecond)
	img, win, _, err := c.Snapshot()
	if err != nil {
		b.Fatal(err)
	}
	var ss []walk.Step
	for i := range steps {
		pt := d.at[i%2]
		p, in := record.Patch(img, pt)
		t := record.Target(win, img, pt, in, "p.png")
		ss = append(ss, walk.Step{Text: "Click.", Target: &t, Patch: locate.FromImage(p)})
	}
	if d.ring, err = overlay.Open(overlay.Options{Display: x.Display}); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { d.ring.Close() })
	d.w = walk.Start(&guide.Guide{ID: "a.md", Title: "How to"}, ss, c, walk.Options{})
	b.Cleanup(d.w.Close)
	go func() {
		for e := range c.Events() {
			d.w.Input(walk.Input{Kind: walk.Kind(e.Kind), Window: e.Window, Screen: e.Screen, Keys: e.Keys})
		}
	}()
	go func() {
		for v := range d.w.Views() {
			if v.HasRing() {
				d.ring.Show(v.Ring, v.Radius, overlay.Found)
			}
			d.drawn <- v
		}
	}()
	return d
}

func (d *desk) xdo(b *testing.B, args ...string) {
	c := exec.Command("xdotool", args...)
	c.Env = d.x.Env()
	if o, err := c.CombinedOutput(); err != nil {
		b.Fatalf("xdotool %v: %v\n%s", args, err, o)
	}
}

// until waits for a drawn view that ok accepts.
func (d *desk) until(b *testing.B, what string, ok func(walk.View) bool) walk.View {
	timeout := time.After(5 * time.Second)
	for {
		select {
		case v := <-d.drawn:
			if ok(v) {
				return v
			}
		case <-timeout:
			b.Fatalf("%s: no such view in 5 s", what)
		}
	}
}

// BenchmarkGuideMeFollow: from the app's window moving to the ring drawn
// at the control's new place, p95.
func BenchmarkGuideMeFollow(b *testing.B) {
	d := start(b, 2)
	first := d.until(b, "found", func(v walk.View) bool { return v.State == walk.Found })
	var lat []time.Duration
	pos := first.Area.Min
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		dx := 40
		if i%2 == 1 {
			dx = -40
		}
		to := pos.Add(image.Pt(dx, 0))
		began := time.Now()
		d.xdo(b, "windowmove", strconv.FormatUint(uint64(d.app), 10), strconv.Itoa(to.X), strconv.Itoa(to.Y))
		v := d.until(b, "the ring moved", func(v walk.View) bool { return v.State == walk.Found && v.Area.Min != pos })
		lat = append(lat, time.Since(began))
		if got, exp := v.Ring, v.Area.Min.Add(d.at[0]); abs(got.X-exp.X) > 3 || abs(got.Y-exp.Y) > 3 {
			b.Fatalf("the ring at %v, the control at %v", got, exp)
		}
		pos = v.Area.Min
	}
	b.ReportMetric(float64(percentile.Of(lat, 0.95))/1e6, "p95_ms")
}

// BenchmarkGuideMeAdvance: from a real click on the ring to the next
// step's ring drawn on its control, p95.
func BenchmarkGuideMeAdvance(b *testing.B) {
	d := start(b, b.N+1)
	v := d.until(b, "found", func(v walk.View) bool { return v.State == walk.Found })
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		// xdotool lingers after the click: it runs beside, and the time
		// counts from its start (its own start-up included).
		c := exec.Command("xdotool", "mousemove", "--sync", strconv.Itoa(v.Ring.X), strconv.Itoa(v.Ring.Y), "click", "1")
		c.Env = d.x.Env()
		began := time.Now()
		if err := c.Start(); err != nil {
			b.Fatal(err)
		}
		next := i + 1
		v = d.until(b, "the next step", func(v walk.View) bool { return v.Step == next && v.State == walk.Found })
		lat = append(lat, time.Since(began))
		if err := c.Wait(); err != nil {
			b.Fatal(err)
		}
		if exp := v.Area.Min.Add(d.at[next%2]); abs(v.Ring.X-exp.X) > 3 || abs(v.Ring.Y-exp.Y) > 3 {
			b.Fatalf("step %d: the ring at %v, the control at %v", next+1, v.Ring, exp)
		}
	}
	b.ReportMetric(float64(percentile.Of(lat, 0.95))/1e6, "p95_ms")
}

// BenchmarkGuideMeIdle: the CPU this process uses (walk, capture, ring)
// while a ring is shown and nothing happens, in % of one core.
func BenchmarkGuideMeIdle(b *testing.B) {
	d := start(b, 2)
	d.until(b, "found", func(v walk.View) bool { return v.State == walk.Found })
	time.Sleep(time.Second)
	cpu := func() time.Duration {
		var ru syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	b.ResetTimer()
	c0, t0 := cpu(), time.Now()
	for i := 0; i < b.N; i++ {
		time.Sleep(2 * time.Second)
	}
	b.ReportMetric(100*float64(cpu()-c0)/float64(time.Since(t0)), "cpu_%")
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}
