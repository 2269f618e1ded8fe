//go:build windows

package overlay

import (
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sys/windows"

	"github.com/cuecard/cuecard/internal/percentile"
	"github.com/cuecard/cuecard/internal/win32"
	"github.com/cuecard/cuecard/internal/win32/wintest"
)

var shotFile = flag.String("shot", "", "write a screenshot of the ring over a test window to this PNG file")

func rgb(c uint32) color.RGBA { return color.RGBA{uint8(c >> 16), uint8(c >> 8), uint8(c), 0xff} }

// target is a plain window of the test's own, white, that counts the left
// clicks it gets: the app below the ring.
type target struct {
	hwnd   windows.HWND
	thread *win32.Thread
	clicks atomic.Int32
	last   atomic.Int64 // the last click's lParam: client x, y
}

var (
	targetOnce  sync.Once
	targetClass = windows.StringToUTF16Ptr("CuecardOverlayTestTarget")
	targets     sync.Map // HWND -> *target
)

func newTarget(t *testing.T, area image.Rectangle) *target {
	t.Helper()
	targetOnce.Do(func() {
		white, _, _ := procCreateSolidBrush.Call(colorRef(0xffffff))
		proc := windows.NewCallback(func(hwnd, msg, wp, lp uintptr) uintptr {
			const wmLButtonDown = 0x0201
			if msg == wmLButtonDown {
				if v, ok := targets.Load(windows.HWND(hwnd)); ok {
					v.(*target).last.Store(int64(lp))
					v.(*target).clicks.Add(1)
				}
			}
			r, _, _ := procDefWindowProcW.Call(hwnd, msg, wp, lp)
			return r
		})
		if err := registerClass(targetClass, proc, white); err != nil {
			t.Fatal(err)
		}
	})
	tg := &target{}
	th, err := win32.Start(func(uint32) error {
		const wsVisible = 0x10000000
		h, err := createWindow(targetClass, 0, wsPopup|wsVisible, int32(area.Min.X), int32(area.Min.Y), int32(area.Dx()), int32(area.Dy()))
		if err != nil {
			return err
		}
		tg.hwnd = h
		targets.Store(h, tg)
		return nil
	}, func(*win32.Msg) {}, func() {
		targets.Delete(tg.hwnd)
		procDestroyWindow.Call(uintptr(tg.hwnd))
	})
	if err != nil {
		t.Fatal(err)
	}
	tg.thread = th
	t.Cleanup(th.Stop)
	return tg
}

func onCircle(center image.Point, dist float64, a float64) image.Point {
	return image.Pt(center.X+int(math.Round(dist*math.Cos(a))), center.Y+int(math.Round(dist*math.Sin(a))))
}

// shot reads the screen around center.
func shot(t *testing.T, center image.Point, r int) (*image.RGBA, image.Point) {
	t.Helper()
	area := image.Rectangle{Min: center, Max: center}.Inset(-(r + Thickness + 10))
	img, err := win32.Screenshot(area)
	if err != nil {
		t.Fatal(err)
	}
	return img, area.Min
}

// waitPixels polls the screen until check passes (the X server under Wine
// draws a moment after the Win32 calls return) or 5 s have gone by, then
// reports check's last complaint.
func waitPixels(t *testing.T, what string, check func() string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		msg := check()
		if msg == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %s", what, msg)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func ringDrawn(t *testing.T, center image.Point, r int, ringRGB, insideRGB uint32) func() string {
	return func() string {
		img, off := shot(t, center, r)
		at := func(p image.Point) color.RGBA { return img.RGBAAt(p.X-off.X, p.Y-off.Y) }
		for i := 0; i < 16; i++ {
			a := float64(i) * math.Pi / 8
			if p := onCircle(center, float64(r)+Thickness/2.0, a); at(p) != rgb(ringRGB) {
				return "ring line at " + p.String() + " is " + colorString(at(p))
			}
			if p := onCircle(center, float64(r)-3, a); at(p) != rgb(insideRGB) {
				return "inside the ring at " + p.String() + " is " + colorString(at(p))
			}
		}
		if c := at(center); c != rgb(insideRGB) {
			return "centre is " + colorString(c)
		}
		return ""
	}
}

func colorString(c color.RGBA) string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }

// TestWindowsRing shows the ring over a window, reads the screen back,
// moves it, clicks through its line, and checks that it never becomes the
// foreground window.
func TestWindowsRing(t *testing.T) {
	wintest.RequireDesktop(t)
	scr := win32.VirtualScreen()
	area := image.Rect(scr.Min.X+100, scr.Min.Y+100, scr.Min.X+700, scr.Min.Y+500)
	tg := newTarget(t, area)
	wintest.Focus(t, tg.hwnd)

	r, err := Open(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	center := area.Min.Add(image.Pt(150, 150))
	const radius = 30
	if err := r.Show(center, radius, Found); err != nil {
		t.Fatal(err)
	}
	waitPixels(t, "Found ring", ringDrawn(t, center, radius, foundRGB, 0xffffff))
	if *shotFile != "" {
		img, err := win32.Screenshot(area.Inset(-20))
		if err != nil {
			t.Fatal(err)
		}
		f, err := os.Create(*shotFile)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := png.Encode(f, img); err != nil {
			t.Fatal(err)
		}
	}

	moved := area.Min.Add(image.Pt(400, 250))
	if err := r.Show(moved, radius, Found); err != nil {
		t.Fatal(err)
	}
	waitPixels(t, "moved ring", ringDrawn(t, moved, radius, foundRGB, 0xffffff))
	waitPixels(t, "where the ring was", func() string {
		img, off := shot(t, center, radius)
		p := onCircle(center, radius+Thickness/2.0, 0)
		if c := img.RGBAAt(p.X-off.X, p.Y-off.Y); c != rgb(0xffffff) {
			return "old ring line is " + colorString(c)
		}
		return ""
	})

	// A click on the ring's line reaches the window below.
	on := moved.Add(image.Pt(radius+Thickness/2, 0))
	if h := win32.WindowFromPoint(on); h == r.hwnd {
		t.Error("WindowFromPoint on the ring's line is the ring")
	}
	before := tg.clicks.Load()
	if err := win32.SendClick(on.X, on.Y); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for tg.clicks.Load() == before {
		if time.Now().After(deadline) {
			t.Fatal("the window below got no click through the ring's line")
		}
		time.Sleep(10 * time.Millisecond)
	}
	lp := tg.last.Load()
	if x, y := int(int16(lp)), int(int16(lp>>16)); image.Pt(x, y) != on.Sub(area.Min) {
		t.Errorf("click at %d,%d in the window, want %v", x, y, on.Sub(area.Min))
	}
	if fg := windows.GetForegroundWindow(); fg == r.hwnd {
		t.Error("the ring is the foreground window")
	}

	if err := r.Show(moved, 60, About); err != nil {
		t.Fatal(err)
	}
	waitPixels(t, "About ring", func() string {
		img, off := shot(t, moved, 60)
		yellow := 0
		for i := 0; i < 360; i++ {
			p := onCircle(moved, 60+Thickness/2.0, float64(i)*math.Pi/180)
			if img.RGBAAt(p.X-off.X, p.Y-off.Y) == rgb(aboutRGB) {
				yellow++
			}
		}
		if yellow < 140 || yellow > 250 {
			return fmt.Sprintf("the About ring's line is yellow at %d of 360 points, want a dashed ring", yellow)
		}
		return ""
	})
	if err := r.Hide(); err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if err := r.Show(moved, radius, Found); err != ErrClosed {
		t.Fatalf("Show after Close: %v, want ErrClosed", err)
	}
}

// BenchmarkWindowsShowMove moves the ring between two places: Show returns
// once its thread has moved (and painted) the window.
func BenchmarkWindowsShowMove(b *testing.B) {
	r, err := Open(Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	pts := []image.Point{{200, 200}, {420, 300}}
	var lat []time.Duration
	i := 0
	for b.Loop() {
		i++
		start := time.Now()
		if err := r.Show(pts[i%2], 30, Found); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	b.ReportMetric(percentile.Millis(percentile.Of(lat, 0.95)), "p95_ms")
}
