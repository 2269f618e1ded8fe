//go:build linux || freebsd || netbsd || openbsd || dragonfly

package overlay

import (
	"encoding/binary"
	"errors"
	"flag"
	"image"
	"image/color"
	"image/png"
	"math"
	"math/bits"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/robotn/xgb/shape"
	"github.com/robotn/xgb/xproto"
	"github.com/robotn/xgb/xtest"

	"github.com/cuecard/cuecard/internal/focus/focustest"
	"github.com/cuecard/cuecard/internal/percentile"
)

var shot = flag.String("shot", "", "write a screenshot of the ring over a test window to this PNG file")

// appColor is the colour of the first window testwin opens.
const appColor = 0x3465a4

// desktop is an Xvfb + openbox desktop with one app window (testwin's),
// focused, and a test connection.
type desktop struct {
	x    *focustest.X
	cl   *focustest.Client
	conn focustest.Conn
	root xproto.Window
	app  xproto.Window
	// where the app window's inside is on the screen
	area image.Rectangle
}

func newDesktop(t testing.TB) *desktop {
	t.Helper()
	x := focustest.StartX(t)
	x.StartWM()
	cl := x.Client()
	w := cl.Open("app", -1, "app", "App", "An app")
	cl.Size("app", 600, 400)
	x.WaitActive(w)
	c, err := focustest.Dial(x.Display)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	d := &desktop{x: x, cl: cl, conn: c, root: xproto.Setup(c.Conn).DefaultScreen(c.Conn).Root, app: xproto.Window(w)}
	// The window manager may still be placing the frame: wait until the
	// window has its size and stays put.
	var last image.Rectangle
	deadline := time.Now().Add(5 * time.Second)
	for {
		tr, err := xproto.TranslateCoordinates(c.Conn, d.app, d.root, 0, 0).Reply()
		if err != nil {
			t.Fatal(err)
		}
		g, err := xproto.GetGeometry(c.Conn, xproto.Drawable(d.app)).Reply()
		if err != nil {
			t.Fatal(err)
		}
		d.area = image.Rect(int(tr.DstX), int(tr.DstY), int(tr.DstX)+int(g.Width), int(tr.DstY)+int(g.Height))
		if d.area == last && g.Width == 600 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the app window did not settle: %v", d.area)
		}
		last = d.area
		time.Sleep(30 * time.Millisecond)
	}
	return d
}

// areaOf is where a window's inside is on the screen.
func (d *desktop) areaOf(t testing.TB, w xproto.Window) image.Rectangle {
	t.Helper()
	tr, err := xproto.TranslateCoordinates(d.conn.Conn, w, d.root, 0, 0).Reply()
	if err != nil {
		t.Fatal(err)
	}
	g, err := xproto.GetGeometry(d.conn.Conn, xproto.Drawable(w)).Reply()
	if err != nil {
		t.Fatal(err)
	}
	return image.Rect(int(tr.DstX), int(tr.DstY), int(tr.DstX)+int(g.Width), int(tr.DstY)+int(g.Height))
}

// checkWindow checks what makes the ring's window harmless: override-
// redirect (the window manager does not manage it: not in
// _NET_CLIENT_LIST), an empty input shape, a bounding shape.
func (d *desktop) checkWindow(t *testing.T, w xproto.Window) {
	t.Helper()
	c := d.conn.Conn
	a, err := xproto.GetWindowAttributes(c, w).Reply()
	if err != nil {
		t.Fatal(err)
	}
	if !a.OverrideRedirect || a.MapState != xproto.MapStateViewable {
		t.Errorf("ring window: override-redirect %v, map state %d", a.OverrideRedirect, a.MapState)
	}
	list, err := xproto.InternAtom(c, false, 16, "_NET_CLIENT_LIST").Reply()
	if err != nil {
		t.Fatal(err)
	}
	p, err := xproto.GetProperty(c, false, d.root, list.Atom, xproto.AtomWindow, 0, 1024).Reply()
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+4 <= len(p.Value); i += 4 {
		if xproto.Window(binary.LittleEndian.Uint32(p.Value[i:])) == w {
			t.Error("the window manager manages the ring's window")
		}
	}
	// SHAPE by hand, not shape.Init: see Ring.setup.
	ext, err := xproto.QueryExtension(c, 5, "SHAPE").Reply()
	if err != nil || !ext.Present {
		t.Fatalf("SHAPE: %v", err)
	}
	c.ExtLock.Lock()
	c.Extensions["SHAPE"] = ext.MajorOpcode
	c.ExtLock.Unlock()
	in, err := shape.GetRectangles(c, w, shape.SkInput).Reply()
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Rectangles) != 0 {
		t.Errorf("input shape: %d rectangles, want none", len(in.Rectangles))
	}
	b, err := shape.GetRectangles(c, w, shape.SkBounding).Reply()
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Rectangles) < 50 {
		t.Errorf("bounding shape: %d rectangles, want a ring", len(b.Rectangles))
	}
}

// grab reads the whole screen (GetImage of the root window: what is shown,
// whichever window shows it).
func (d *desktop) grab(t testing.TB) *image.RGBA {
	t.Helper()
	c := d.conn.Conn
	setup := xproto.Setup(c)
	screen := setup.DefaultScreen(c)
	w, h := int(screen.WidthInPixels), int(screen.HeightInPixels)
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	var masks [3]uint32
	for _, dp := range screen.AllowedDepths {
		for _, v := range dp.Visuals {
			if v.VisualId == screen.RootVisual {
				masks = [3]uint32{v.RedMask, v.GreenMask, v.BlueMask}
			}
		}
	}
	// In bands: one reply must stay below the core protocol's size limit.
	const band = 100
	for y0 := 0; y0 < h; y0 += band {
		bh := min(band, h-y0)
		r, err := xproto.GetImage(c, xproto.ImageFormatZPixmap, xproto.Drawable(d.root), 0, int16(y0), uint16(w), uint16(bh), 0xffffffff).Reply()
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Data) != w*bh*4 || setup.ImageByteOrder != xproto.ImageOrderLSBFirst {
			t.Fatalf("GetImage: %d bytes for %dx%d, byte order %d: this test reads 32-bit little-endian pixels", len(r.Data), w, bh, setup.ImageByteOrder)
		}
		for i := 0; i < w*bh; i++ {
			p := binary.LittleEndian.Uint32(r.Data[4*i:])
			o := img.Pix[(y0*w+i)*4:]
			for k, m := range masks {
				o[k] = uint8((p & m) >> bits.TrailingZeros32(m))
			}
			o[3] = 0xff
		}
	}
	return img
}

func rgb(c uint32) color.RGBA { return color.RGBA{uint8(c >> 16), uint8(c >> 8), uint8(c), 0xff} }

// onCircle is the screen point at distance dist from center, at angle a.
func onCircle(center image.Point, dist float64, a float64) image.Point {
	return image.Pt(center.X+int(math.Round(dist*math.Cos(a))), center.Y+int(math.Round(dist*math.Sin(a))))
}

// checkRing checks a Found ring of hole radius r at center: its colour all
// round the middle of its line, the app's colour in the hole and just
// outside.
func checkRing(t *testing.T, img *image.RGBA, center image.Point, r int) {
	t.Helper()
	mid := float64(r) + Thickness/2.0
	for i := 0; i < 16; i++ {
		a := float64(i) * math.Pi / 8
		if p := onCircle(center, mid, a); img.RGBAAt(p.X, p.Y) != rgb(foundRGB) {
			t.Errorf("ring at %v (angle %d/16): %v, want the ring's orange", p, i, img.RGBAAt(p.X, p.Y))
		}
		if p := onCircle(center, float64(r)-3, a); img.RGBAAt(p.X, p.Y) != rgb(appColor) {
			t.Errorf("inside the ring at %v: %v, want the app's colour", p, img.RGBAAt(p.X, p.Y))
		}
		if p := onCircle(center, float64(r+Thickness)+3, a); img.RGBAAt(p.X, p.Y) != rgb(appColor) {
			t.Errorf("outside the ring at %v: %v, want the app's colour", p, img.RGBAAt(p.X, p.Y))
		}
	}
	// The dark edges: just inside and just outside the colour.
	if p := onCircle(center, float64(r), 0); img.RGBAAt(p.X, p.Y) != rgb(edgeRGB) {
		t.Errorf("inner edge at %v: %v, want the dark edge", p, img.RGBAAt(p.X, p.Y))
	}
	if p := onCircle(center, float64(r+Thickness-1), 0); img.RGBAAt(p.X, p.Y) != rgb(edgeRGB) {
		t.Errorf("outer edge at %v: %v, want the dark edge", p, img.RGBAAt(p.X, p.Y))
	}
	if c := img.RGBAAt(center.X, center.Y); c != rgb(appColor) {
		t.Errorf("centre %v: %v, want the app's colour (the app shows through the ring)", center, c)
	}
}

// checkGone checks that no ring is drawn around center any more.
func checkGone(t *testing.T, img *image.RGBA, center image.Point, r int) {
	t.Helper()
	mid := float64(r) + Thickness/2.0
	for i := 0; i < 16; i++ {
		p := onCircle(center, mid, float64(i)*math.Pi/8)
		if c := img.RGBAAt(p.X, p.Y); c != rgb(appColor) {
			t.Errorf("where the ring was, %v: %v, want the app's colour again", p, c)
		}
	}
}

// save writes img to the -shot file (with suffix before .png), if asked.
func save(t *testing.T, img image.Image, suffix string) {
	t.Helper()
	if *shot == "" {
		return
	}
	f, err := os.Create(strings.TrimSuffix(*shot, ".png") + suffix + ".png")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}

func openRing(t testing.TB, display string) *Ring {
	t.Helper()
	r, err := Open(Options{Display: display})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// TestRingOverApp shows the ring over a real app window, reads the screen
// back, moves it, restyles it and hides it.
func TestRingOverApp(t *testing.T) {
	d := newDesktop(t)
	r := openRing(t, d.x.Display)
	center := d.area.Min.Add(image.Pt(150, 150))
	const radius = 30
	if err := r.Show(center, radius, Found); err != nil {
		t.Fatal(err)
	}
	img := d.grab(t)
	checkRing(t, img, center, radius)
	if a := d.x.ActiveWindow(); a != uint32(d.app) {
		t.Errorf("active window 0x%x after Show, want the app 0x%x", a, d.app)
	}
	d.checkWindow(t, r.win)
	save(t, img.SubImage(d.area.Inset(-20)), "")

	// Moved: the old place shows the app again.
	moved := d.area.Min.Add(image.Pt(400, 250))
	if err := r.Show(moved, radius, Found); err != nil {
		t.Fatal(err)
	}
	img = d.grab(t)
	checkGone(t, img, center, radius)
	checkRing(t, img, moved, radius)

	// A larger About ring: dashed yellow, so some of its line is the app.
	const big = 60
	if err := r.Show(center, big, About); err != nil {
		t.Fatal(err)
	}
	img = d.grab(t)
	save(t, img.SubImage(d.area.Inset(-20)), "-about")
	checkGone(t, img, moved, radius)
	yellow, app := 0, 0
	mid := float64(big) + Thickness/2.0
	for i := 0; i < 360; i++ {
		p := onCircle(center, mid, float64(i)*math.Pi/180)
		switch img.RGBAAt(p.X, p.Y) {
		case rgb(aboutRGB):
			yellow++
		case rgb(appColor):
			app++
		}
	}
	if yellow < 140 || app < 90 {
		t.Errorf("About ring: %d of 360 points yellow, %d the app's colour; want a dashed yellow ring", yellow, app)
	}
	if c := img.RGBAAt(center.X, center.Y); c != rgb(appColor) {
		t.Errorf("About ring's centre: %v, want the app's colour", c)
	}

	if err := r.Hide(); err != nil {
		t.Fatal(err)
	}
	checkGone(t, d.grab(t), center, big)
	// Shown again as it was.
	if err := r.Show(moved, radius, Found); err != nil {
		t.Fatal(err)
	}
	checkRing(t, d.grab(t), moved, radius)
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if err := r.Show(center, radius, Found); !errors.Is(err, ErrClosed) {
		t.Fatalf("Show after Close: %v, want ErrClosed", err)
	}
	checkGone(t, d.grab(t), moved, radius)
}

// TestLargestRing: a radius above MaxRadius is clamped, and the largest
// rings (many rectangles: the requests are split) are drawn, Found and
// About.
func TestLargestRing(t *testing.T) {
	d := newDesktop(t)
	r := openRing(t, d.x.Display)
	center := image.Pt(500, 300)
	if err := r.Show(center, MaxRadius+100, Found); err != nil {
		t.Fatal(err)
	}
	p := center.Add(image.Pt(MaxRadius+Thickness/2, 0))
	if c := d.grab(t).RGBAAt(p.X, p.Y); c != rgb(foundRGB) {
		t.Errorf("largest ring at %v: %v, want orange", p, c)
	}
	if err := r.Show(center, MaxRadius, About); err != nil {
		t.Fatal(err)
	}
	img := d.grab(t)
	yellow := 0
	for i := -40; i <= 40; i++ { // the part of the ring on the screen, right of the centre
		p := onCircle(center, MaxRadius+Thickness/2.0, float64(i)*math.Pi/180)
		if img.RGBAAt(p.X, p.Y) == rgb(aboutRGB) {
			yellow++
		}
	}
	if yellow < 20 || yellow > 65 {
		t.Errorf("largest About ring: %d of 81 points yellow, want a dashed ring", yellow)
	}
	small := d.area.Min.Add(image.Pt(150, 150))
	if err := r.Show(small, 20, Style(99)); err != nil {
		t.Fatal(err)
	}
	checkRing(t, d.grab(t), small, 20) // an unknown style is Found
}

// TestClickThrough clicks on the ring line (XTEST, as a real pointer): the
// app window below gets the click, and the ring never becomes the active
// or focused window.
func TestClickThrough(t *testing.T) {
	d := newDesktop(t)
	c := d.conn.Conn
	// The test's connection listens to the app window's clicks (testwin
	// does not select them, and only one client may).
	if err := xproto.ChangeWindowAttributesChecked(c, d.app, xproto.CwEventMask, []uint32{xproto.EventMaskButtonPress}).Check(); err != nil {
		t.Fatal(err)
	}
	if err := xtest.Init(c); err != nil {
		t.Fatal(err)
	}
	r := openRing(t, d.x.Display)
	center := d.area.Min.Add(image.Pt(200, 150))
	const radius = 24
	if err := r.Show(center, radius, Found); err != nil {
		t.Fatal(err)
	}
	on := center.Add(image.Pt(radius+Thickness/2, 0))
	if got := d.grab(t).RGBAAt(on.X, on.Y); got != rgb(foundRGB) {
		t.Fatalf("the point to click, %v, is %v: not on the ring", on, got)
	}
	xtest.FakeInput(c, xproto.MotionNotify, 0, 0, d.root, int16(on.X), int16(on.Y), 0)
	q, err := xproto.QueryPointer(c, d.root).Reply()
	if err != nil {
		t.Fatal(err)
	}
	if q.Child == r.win {
		t.Error("the pointer is over the ring's window: its input shape is not empty")
	}
	xtest.FakeInput(c, xproto.ButtonPress, 1, 0, d.root, 0, 0, 0)
	xtest.FakeInput(c, xproto.ButtonRelease, 1, 0, d.root, 0, 0, 0)
	got := make(chan xproto.ButtonPressEvent, 1)
	go func() {
		for {
			ev, err := c.WaitForEvent()
			if ev == nil && err == nil {
				return
			}
			if b, ok := ev.(xproto.ButtonPressEvent); ok {
				got <- b
				return
			}
		}
	}()
	select {
	case b := <-got:
		if b.Event != d.app || int(b.RootX) != on.X || int(b.RootY) != on.Y {
			t.Errorf("click on window 0x%x at %d,%d; want the app 0x%x at %v", b.Event, b.RootX, b.RootY, d.app, on)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the app got no click through the ring")
	}
	if a := d.x.ActiveWindow(); a != uint32(d.app) {
		t.Errorf("active window 0x%x after the click, want the app 0x%x", a, d.app)
	}
	f, err := xproto.GetInputFocus(c).Reply()
	if err != nil {
		t.Fatal(err)
	}
	if f.Focus == r.win {
		t.Error("the ring has the input focus")
	}
	// The ring is still drawn after the click (the app's window was not
	// raised above it).
	checkRing(t, d.grab(t), center, radius)
}

// TestAboveRaisedApp: another app raised over the place of the ring
// (activated through the window manager) after Show does not hide it.
func TestAboveRaisedApp(t *testing.T) {
	d := newDesktop(t)
	w2 := d.cl.Open("other", -1, "other", "Other", "Another app") // green, overlapping the app's right half
	d.cl.Size("other", 600, 400)
	d.x.WaitActive(w2)
	d.cl.Activate("app")
	d.x.WaitActive(uint32(d.app))
	other := d.areaOf(t, xproto.Window(w2))
	both := other.Intersect(d.area)
	if both.Dx() < 100 || both.Dy() < 100 {
		t.Fatalf("the windows overlap too little to test: app %v, other %v", d.area, other)
	}
	r := openRing(t, d.x.Display)
	center := both.Min.Add(image.Pt(both.Dx()/2, both.Dy()/2))
	if err := r.Show(center, 30, Found); err != nil {
		t.Fatal(err)
	}
	checkRing(t, d.grab(t), center, 30)
	d.cl.Activate("other")
	d.x.WaitActive(w2)
	// Openbox keeps the override-redirect ring above the windows it
	// raises; other window managers may not, so the walkthrough calls
	// Show at each step, which raises it again.
	p := onCircle(center, 30+Thickness/2.0, 0)
	t.Logf("after raising the other window, before Show: ring line %v", d.grab(t).RGBAAt(p.X, p.Y))
	if err := r.Show(center, 30, Found); err != nil {
		t.Fatal(err)
	}
	img := d.grab(t)
	if c := img.RGBAAt(center.X, center.Y); c != rgb(0x73d216) {
		t.Fatalf("centre %v: %v, want the other (green) window raised there", center, c)
	}
	for i := 0; i < 16; i++ {
		p := onCircle(center, 30+Thickness/2.0, float64(i)*math.Pi/8)
		if c := img.RGBAAt(p.X, p.Y); c != rgb(foundRGB) {
			t.Errorf("ring over the raised window: %v at %v, want orange", c, p)
		}
	}
}

// TestNoDisplay: no DISPLAY, a Wayland session only, or a display that is
// not there: ErrNoDisplay, no crash.
func TestNoDisplay(t *testing.T) {
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	for name, o := range map[string]Options{
		"no DISPLAY":   {Getenv: env(nil)},
		"Wayland only": {Getenv: env(map[string]string{"WAYLAND_DISPLAY": "wayland-0"})},
		"no server":    {Display: ":4095", Getenv: env(nil)},
		"bad name":     {Display: "nonsense", Getenv: env(nil)},
	} {
		r, err := Open(o)
		if !errors.Is(err, ErrNoDisplay) || r != nil {
			t.Errorf("%s: Open = %v, %v; want ErrNoDisplay", name, r, err)
		}
		if name == "Wayland only" && !strings.Contains(err.Error(), "Wayland") {
			t.Errorf("Wayland only: %v does not say so", err)
		}
	}
	t.Setenv("DISPLAY", "")
	if _, err := Open(Options{}); !errors.Is(err, ErrNoDisplay) {
		t.Errorf("DISPLAY empty: %v, want ErrNoDisplay", err)
	}
}

// TestNoShape: an X server without SHAPE cannot have a click-through ring.
// Xvfb cannot be started without SHAPE ("can not be disabled"), so the
// test asks for an extension that no server has.
func TestNoShape(t *testing.T) {
	x := focustest.StartX(t)
	defer func(name string) { shapeName = name }(shapeName)
	shapeName = "CUECARD-NO-SUCH-EXTENSION"
	r, err := Open(Options{Display: x.Display})
	if !errors.Is(err, ErrUnsupported) || r != nil {
		t.Fatalf("Open without SHAPE = %v, %v; want ErrUnsupported", r, err)
	}
	t.Log(err)
}

// TestServerDies: the X server going away while the ring is up makes Show
// and Hide fail with ErrClosed, and Close succeed, without a crash.
func TestServerDies(t *testing.T) {
	x := focustest.StartX(t)
	r, err := Open(Options{Display: x.Display})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Show(image.Pt(100, 100), 20, Found); err != nil {
		t.Fatal(err)
	}
	x.KillServer()
	deadline := time.Now().Add(5 * time.Second)
	var showErr error
	for i := 0; ; i++ {
		// Alternate the radius: reshaping sends more requests.
		showErr = r.Show(image.Pt(100+i, 100), 20+i%2, Found)
		if errors.Is(showErr, ErrClosed) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Show still answers %v 5 s after the X server died", showErr)
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Log(showErr)
	if err := r.Hide(); !errors.Is(err, ErrClosed) {
		t.Errorf("Hide after the server died: %v, want ErrClosed", err)
	}
	if err := r.Close(); err != nil {
		t.Errorf("Close after the server died: %v", err)
	}
}

// BenchmarkShowMove moves the ring between two places of the screen: Show
// returns once the X server has done it (its checked request is a round
// trip). Reports the 95th percentile.
func BenchmarkShowMove(b *testing.B) {
	d := newDesktop(b)
	r := openRing(b, d.x.Display)
	points := []image.Point{d.area.Min.Add(image.Pt(150, 150)), d.area.Min.Add(image.Pt(420, 260))}
	if err := r.Show(points[0], 30, Found); err != nil {
		b.Fatal(err)
	}
	var lat []time.Duration
	i := 0
	for b.Loop() {
		i++
		start := time.Now()
		if err := r.Show(points[i%2], 30, Found); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	b.ReportMetric(percentile.Millis(percentile.Of(lat, 0.95)), "p95_ms")
}

// BenchmarkShowReshape is a Show that also changes the radius and style:
// a new shape and image each time.
func BenchmarkShowReshape(b *testing.B) {
	d := newDesktop(b)
	r := openRing(b, d.x.Display)
	p := d.area.Min.Add(image.Pt(200, 200))
	var lat []time.Duration
	i := 0
	for b.Loop() {
		i++
		start := time.Now()
		if err := r.Show(p, 30+30*(i%2), Style(i%2)); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	b.ReportMetric(percentile.Millis(percentile.Of(lat, 0.95)), "p95_ms")
}
