package locate

import (
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/percentile"
)

// screenshot is one of the app's own screenshots (a real window capture:
// text, icons, flat areas).
func screenshot(t testing.TB, name string) *image.RGBA {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "docs", "screenshots", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	rgba := image.NewRGBA(img.Bounds())
	draw.Draw(rgba, rgba.Bounds(), img, img.Bounds().Min, draw.Src)
	return rgba
}

// desktop is a 1920x1080 capture with win drawn at off, scaled by s.
func desktop(win *image.RGBA, off image.Point, s float64) *image.RGBA {
	d := image.NewRGBA(image.Rect(0, 0, 1920, 1080))
	draw.Draw(d, d.Bounds(), &image.Uniform{color.RGBA{0x30, 0x30, 0x38, 0xff}}, image.Point{}, draw.Src)
	g := FromImage(win).resize(s)
	for y := 0; y < g.H && off.Y+y < 1080; y++ {
		for x := 0; x < g.W && off.X+x < 1920; x++ {
			v := uint8(g.Pix[y*g.W+x])
			d.SetRGBA(off.X+x, off.Y+y, color.RGBA{v, v, v, 0xff})
		}
	}
	return d
}

// TestFind: a 96x96 patch around a control of a real window capture is
// found where the window moved to, within 2 px, and at another scale too;
// on a blanked window or another window there is no confident match.
func TestFind(t *testing.T) {
	win := screenshot(t, "search.png")
	at := image.Pt(30, 150) // a result row's icon and title
	patch := FromImage(win.SubImage(image.Rect(at.X, at.Y, at.X+96, at.Y+96)))
	for _, c := range []struct {
		off   image.Point
		scale float64
	}{{image.Pt(0, 0), 1}, {image.Pt(713, 401), 1}, {image.Pt(1300, 600), 1}, {image.Pt(400, 200), 1.25}, {image.Pt(900, 300), 0.8}} {
		d := FromImage(desktop(win, c.off, c.scale))
		m, ok := Find(d, patch, Options{Scales: []float64{0.8, 0.9, 1, 1.1, 1.25}})
		want := image.Pt(c.off.X+int(float64(at.X)*c.scale+0.5), c.off.Y+int(float64(at.Y)*c.scale+0.5))
		if !ok || abs(m.Rect.Min.X-want.X) > 2 || abs(m.Rect.Min.Y-want.Y) > 2 || m.Scale != c.scale {
			t.Errorf("window at %v scale %v: %+v ok=%v, want %v", c.off, c.scale, m, ok, want)
		}
	}

	blank := image.NewRGBA(image.Rect(0, 0, 1920, 1080))
	draw.Draw(blank, blank.Bounds(), &image.Uniform{color.RGBA{0xee, 0xee, 0xee, 0xff}}, image.Point{}, draw.Src)
	if m, ok := Find(FromImage(blank), patch, Options{}); ok {
		t.Errorf("found on a blank window: %+v", m)
	}
	other := FromImage(desktop(screenshot(t, "settings.png"), image.Pt(200, 100), 1))
	if m, ok := Find(other, patch, Options{}); ok {
		t.Errorf("found in another window: %+v", m)
	}
	flat := FromImage(blank.SubImage(image.Rect(0, 0, 96, 96)))
	if _, ok := Find(FromImage(desktop(win, image.Pt(10, 10), 1)), flat, Options{}); ok {
		t.Error("a flat patch was found somewhere")
	}
}

// BenchmarkFind: a 96x96 target in a 1920x1080 capture, five scales.
func BenchmarkFind(b *testing.B) {
	win := screenshot(b, "search.png")
	patch := FromImage(win.SubImage(image.Rect(30, 150, 126, 246)))
	offs := []image.Point{{0, 0}, {713, 401}, {1300, 600}, {200, 650}}
	caps := make([]Gray, len(offs))
	for i, o := range offs {
		caps[i] = FromImage(desktop(win, o, 1))
	}
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if _, ok := Find(caps[i%len(caps)], patch, Options{Scales: []float64{0.8, 0.9, 1, 1.1, 1.25}}); !ok {
			b.Fatal("not found")
		}
		lat = append(lat, time.Since(start))
	}
	b.ReportMetric(float64(percentile.Of(lat, 0.95))/1e6, "p95_ms")
}

// BenchmarkFindRecorded: Guide me's search, as the walkthrough makes it
// (three scales), for a control of the recorder's test app (a real Xvfb
// capture: the e2e test's window, its buttons labelled) in a 1920x1080
// capture of that window at several offsets and scales.
func BenchmarkFindRecorded(b *testing.B) {
	shot := screenshot(b, "guide-me-xvfb.png")
	win := image.NewRGBA(image.Rect(0, 0, 560, 380))
	draw.Draw(win, win.Bounds(), shot, image.Pt(261, 170), draw.Src) // the app's client area
	save := image.Pt(300+45, 250+18)                                 // its Save button's centre
	patch := FromImage(win.SubImage(image.Rect(save.X-48, save.Y-48, save.X+48, save.Y+48)))
	type cs struct {
		off   image.Point
		scale float64
	}
	cases := []cs{{image.Pt(0, 0), 1}, {image.Pt(713, 401), 1}, {image.Pt(1300, 600), 1}, {image.Pt(200, 300), 1.25}, {image.Pt(900, 100), 0.8}}
	caps := make([]Gray, len(cases))
	for i, c := range cases {
		caps[i] = FromImage(desktop(win, c.off, c.scale))
	}
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c := cases[i%len(cases)]
		start := time.Now()
		m, ok := Find(caps[i%len(caps)], patch, Options{Scales: []float64{1, 0.8, 1.25}})
		lat = append(lat, time.Since(start))
		want := image.Pt(c.off.X+int(float64(save.X-48)*c.scale+0.5), c.off.Y+int(float64(save.Y-48)*c.scale+0.5))
		if !ok || abs(m.Rect.Min.X-want.X) > 3 || abs(m.Rect.Min.Y-want.Y) > 3 {
			b.Fatalf("window at %v scale %v: %+v ok=%v, want %v", c.off, c.scale, m, ok, want)
		}
	}
	b.ReportMetric(float64(percentile.Of(lat, 0.95))/1e6, "p95_ms")
}
