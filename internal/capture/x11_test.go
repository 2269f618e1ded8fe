//go:build linux || freebsd || netbsd || openbsd || dragonfly

package capture_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/robotn/xgb/xproto"
	xtestext "github.com/robotn/xgb/xtest"

	"github.com/cuecard/cuecard/internal/capture"
	"github.com/cuecard/cuecard/internal/focus"
	"github.com/cuecard/cuecard/internal/focus/focustest"
	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/library"
	"github.com/cuecard/cuecard/internal/record"
)

// hide is the recorder's default exclude list.
func hide(w guide.Window) bool {
	for _, r := range focus.DefaultExclude() {
		if r.Match(w) {
			return true
		}
	}
	return false
}

type desk struct {
	t  *testing.T
	x  *focustest.X
	cl *focustest.Client
}

func (d desk) xdotool(args ...string) {
	d.t.Helper()
	cmd := exec.Command("xdotool", args...)
	cmd.Env = d.x.Env()
	if out, err := cmd.CombinedOutput(); err != nil {
		d.t.Fatalf("xdotool %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// click clicks at x, y inside window id.
func (d desk) click(id uint32, x, y, button int) {
	d.t.Helper()
	d.xdotool("mousemove", "--sync", "--window", fmt.Sprint(id), fmt.Sprint(x), fmt.Sprint(y))
	d.xdotool("click", fmt.Sprint(button))
}

func next(t *testing.T, k *capture.Capture) capture.Event {
	t.Helper()
	select {
	case e, ok := <-k.Events():
		if !ok {
			t.Fatalf("events closed: %v", k.Err())
		}
		return e
	case <-time.After(10 * time.Second):
		t.Fatal("no event within 10 s")
	}
	panic("unreachable")
}

func start(t *testing.T, x *focustest.X, own ...int) *capture.Capture {
	t.Helper()
	k, err := capture.Start(capture.Options{Display: x.Display, Hide: hide, OwnPIDs: own})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { k.Close() })
	return k
}

// A recording under Xvfb + openbox: clicks on "buttons" at known places,
// a click in a password manager, a click in one of our own windows, the
// scroll wheel, typing, a shortcut and Enter. The guide has exactly the
// expected steps, images of the window's size with the ring at the click,
// the app rule, and no trace of the typed text or of the password manager.
func TestRecordGuide(t *testing.T) {
	focustest.Require(t, "xdotool")
	x := focustest.StartX(t)
	x.StartWM()
	cl := x.Client()
	crm := cl.Open("crm", -1, "acme", "AcmeCRM", "Deals | Acme CRM")
	cl.Size("crm", 400, 300)
	cl.Button("crm", 20, 20, 100, 40, 0x73d216)   // "New deal"
	cl.Button("crm", 250, 220, 120, 50, 0xcc0000) // "Save"
	vault := cl.Open("vault", -1, "keepassxc", "KeePassXC", "vault.kdbx - KeePassXC")
	const ownPID = 999999 // a pid no process of this test has
	mine := cl.Open("mine", ownPID, "cuecard", "Cuecard", "Recording - Cuecard")
	cl.Activate("crm")
	x.WaitActive(crm)
	d := desk{t, x, cl}

	k := start(t, x, ownPID)
	d.click(crm, 70, 40, 1)                                   // step 1: New deal
	d.click(crm, 310, 245, 1)                                 // step 2: Save
	d.click(vault, 50, 50, 1)                                 // step 3: hidden
	d.click(mine, 30, 30, 1)                                  // nothing: our own window
	d.click(crm, 200, 150, 4)                                 // nothing: the scroll wheel
	d.click(crm, 200, 150, 1)                                 // step 4
	d.xdotool("key", "Return")                                // nothing: Enter without typing
	d.xdotool("type", "--delay", "5", "hunter2 secret-words") // never recorded
	d.xdotool("key", "ctrl+shift+s")                          // step 5: a shortcut, which ends the typing
	d.xdotool("key", "Return")                                // nothing: nothing typed since
	d.xdotool("type", "--delay", "5", "Top Secret")           // Shift+letter is typing too
	d.xdotool("key", "Return")                                // step 6

	s := record.NewSession("How to create a deal")
	type want struct {
		kind   capture.Kind
		hidden bool
		point  image.Point
	}
	wants := []want{
		{capture.Click, false, image.Pt(70, 40)},
		{capture.Click, false, image.Pt(310, 245)},
		{capture.Click, true, image.Point{}},
		{capture.Click, false, image.Pt(200, 150)},
		{capture.Shortcut, false, image.Point{}},
		{capture.Enter, false, image.Point{}},
	}
	for i, w := range wants {
		e := next(t, k)
		if e.Kind != w.kind || e.Hidden != w.hidden {
			t.Fatalf("event %d: kind %d hidden %v, want kind %d hidden %v (%+v)", i+1, e.Kind, e.Hidden, w.kind, w.hidden, e.Window)
		}
		switch {
		case w.hidden:
			if e.Image != nil || !e.Window.IsZero() {
				t.Fatalf("event %d: a hidden window was captured: %+v", i+1, e.Window)
			}
		default:
			if e.Window.Title != "Deals | Acme CRM" || e.Window.Class != "AcmeCRM" || e.Window.Exe != "cuecard-testwin" {
				t.Fatalf("event %d: window %+v", i+1, e.Window)
			}
			if e.Image == nil || e.Image.Bounds().Size() != image.Pt(400, 300) {
				t.Fatalf("event %d: image %v, want the window's 400x300", i+1, e.Image.Bounds())
			}
			if w.kind == capture.Click && (!e.HasPoint || e.Point != w.point) {
				t.Fatalf("event %d: point %v (%v), want %v", i+1, e.Point, e.HasPoint, w.point)
			}
			if w.kind == capture.Shortcut && e.Keys != "Ctrl+Shift+S" {
				t.Fatalf("event %d: keys %q, want Ctrl+Shift+S", i+1, e.Keys)
			}
		}
		s.Add(record.Action{Kind: record.Kind(e.Kind), Window: e.Window, Hidden: e.Hidden, Image: imageOrNil(e.Image), Point: e.Point, HasPoint: e.HasPoint, Keys: e.Keys, At: e.At})
	}
	// The screenshot shows the window: the "New deal" button's green under
	// the first click.
	steps, _ := s.Stop()
	if got := color.RGBAModel.Convert(steps[0].Image.At(70, 40)); got != (color.RGBA{0x73, 0xd2, 0x16, 0xff}) {
		t.Errorf("screenshot pixel under the first click is %v, want the button's green", got)
	}

	root := t.TempDir()
	record.MaxWidth = 300 // make Write scale the 400x300 screenshots down
	t.Cleanup(func() { record.MaxWidth = 1000 })
	today := time.Now()
	wr, err := record.Write(root, record.Guide{Title: s.Title, Owner: "ann@example.com", Today: today}, steps)
	if err != nil {
		t.Fatal(err)
	}
	g, probs := library.ParseFile(wr.ID, wr.File)
	if g == nil {
		t.Fatal(probs)
	}
	if len(g.Apps) != 1 || g.Apps[0].Exe != "^cuecard-testwin$" {
		t.Errorf("apps %+v, want exe ^cuecard-testwin$", g.Apps)
	}
	md, _ := os.ReadFile(wr.File)
	wantMD := []string{
		"1. Click in **AcmeCRM**.\n\n   ![Step 1](step-01.png)\n",
		"2. Click in **AcmeCRM**.\n\n   ![Step 2](step-02.png)\n",
		"3. (hidden)\n",
		"4. Click in **AcmeCRM**.\n\n   ![Step 4](step-04.png)\n",
		"5. Press **Ctrl+Shift+S**.\n\n   ![Step 5](step-05.png)\n",
		"6. Type the text and press **Enter** in **AcmeCRM**.\n\n   ![Step 6](step-06.png)\n",
	}
	for _, w := range wantMD {
		if !strings.Contains(string(md), w) {
			t.Errorf("index.md lacks %q:\n%s", w, md)
		}
	}
	if strings.Contains(string(md), "7.") {
		t.Errorf("index.md has more than 6 steps:\n%s", md)
	}
	for _, p := range []struct {
		name  string
		click image.Point
	}{{"step-01.png", image.Pt(70, 40)}, {"step-02.png", image.Pt(310, 245)}, {"step-04.png", image.Pt(200, 150)}} {
		m := readPNG(t, filepath.Join(wr.Dir, p.name))
		if m.Bounds().Size() != image.Pt(300, 225) {
			t.Errorf("%s is %v, want 300x225 (400x300 scaled by 3/4)", p.name, m.Bounds().Size())
		}
		c := image.Pt((p.click.X*3+2)/4, (p.click.Y*3+2)/4)
		ringAt(t, p.name, m, c)
	}
	for _, n := range []string{"step-05.png", "step-06.png"} {
		if m := readPNG(t, filepath.Join(wr.Dir, n)); m.Bounds().Size() != image.Pt(300, 225) {
			t.Errorf("%s is %v", n, m.Bounds().Size())
		}
	}
	if _, err := os.Stat(filepath.Join(wr.Dir, "step-03.png")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the hidden step has an image: %v", err)
	}
	// Nothing typed and nothing of the password manager anywhere.
	filepath.WalkDir(root, func(p string, de os.DirEntry, err error) error {
		if err != nil || de.IsDir() {
			return err
		}
		b, _ := os.ReadFile(p)
		for _, secret := range []string{"hunter2", "secret-words", "Top Secret", "vault", "KeePassXC", "keepassxc"} {
			if bytes.Contains(b, []byte(secret)) {
				t.Errorf("%s contains %q", p, secret)
			}
		}
		return nil
	})
	rep, err := library.Lint(context.Background(), root, today, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range rep.Problems {
		t.Errorf("lint --strict: %s", p)
	}
	_ = vault
}

func imageOrNil(m *image.RGBA) image.Image {
	if m == nil {
		return nil
	}
	return m
}

func readPNG(t *testing.T, p string) image.Image {
	t.Helper()
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	return m
}

func ringAt(t *testing.T, name string, m image.Image, c image.Point) {
	t.Helper()
	for _, d := range []image.Point{{record.RingRadius, 0}, {-record.RingRadius, 0}, {0, record.RingRadius}, {0, -record.RingRadius}} {
		p := c.Add(d)
		if got := color.RGBAModel.Convert(m.At(p.X, p.Y)); got != record.RingColor {
			t.Errorf("%s: pixel %v (click %v + %v) is %v, want the ring colour", name, p, c, d, got)
		}
	}
	if got := color.RGBAModel.Convert(m.At(c.X, c.Y)); got == record.RingColor {
		t.Errorf("%s: the click point %v is covered by the ring", name, c)
	}
}

// Pause drops input before anything is read or captured.
func TestPause(t *testing.T) {
	focustest.Require(t, "xdotool")
	x := focustest.StartX(t)
	x.StartWM()
	cl := x.Client()
	w := cl.Open("a", -1, "a", "A", "A window")
	x.WaitActive(w)
	d := desk{t, x, cl}
	k := start(t, x)
	k.SetPaused(true)
	d.click(w, 10, 10, 1)
	d.xdotool("type", "abc")
	k.SetPaused(false)
	d.xdotool("key", "Return") // typing while paused does not count
	d.click(w, 20, 30, 1)
	if e := next(t, k); e.Kind != capture.Click || e.Point != image.Pt(20, 30) {
		t.Fatalf("first event after the pause: %+v (kind %d, point %v)", e.Window, e.Kind, e.Point)
	}
	k.Close()
	if _, ok := <-k.Events(); ok {
		t.Fatal("events still open after Close")
	}
	if err := k.Err(); err != nil {
		t.Fatalf("Err after Close: %v", err)
	}
}

func TestNoRecordExtension(t *testing.T) {
	x := focustest.StartX(t, "-extension", "RECORD")
	_, err := capture.Start(capture.Options{Display: x.Display})
	if !errors.Is(err, capture.ErrNoRecord) {
		t.Fatalf("err %v, want ErrNoRecord", err)
	}
	t.Log(err)
}

func TestNoDisplay(t *testing.T) {
	env := map[string]string{}
	_, err := capture.Start(capture.Options{Getenv: func(k string) string { return env[k] }})
	if !errors.Is(err, capture.ErrNoDisplay) {
		t.Fatalf("err %v, want ErrNoDisplay", err)
	}
	env["DISPLAY"] = ":4999"
	if _, err := capture.Start(capture.Options{Getenv: func(k string) string { return env[k] }}); !errors.Is(err, capture.ErrNoDisplay) {
		t.Fatalf("a display nobody serves: %v", err)
	}
}

// The X server dying ends the capture with an error, not a crash.
func TestServerDies(t *testing.T) {
	x := focustest.StartX(t)
	x.StartWM()
	k := start(t, x)
	x.KillServer()
	for range k.Events() {
	}
	if k.Err() == nil {
		t.Fatal("no error after the X server died")
	}
	t.Log(k.Err())
}

// BenchmarkClickToEvent is the time from a click (an XTEST request on
// another connection) to its event, with the window read and its 800x500
// screenshot taken.
func BenchmarkClickToEvent(b *testing.B) {
	focustest.Require(b, "xdotool")
	x := focustest.StartX(b)
	x.StartWM()
	cl := x.Client()
	w := cl.Open("a", -1, "a", "A", "A window")
	cl.Size("a", 800, 500)
	x.WaitActive(w)
	k, err := capture.Start(capture.Options{Display: x.Display})
	if err != nil {
		b.Fatal(err)
	}
	defer k.Close()
	press := xtest(b, x)
	press()
	select {
	case e := <-k.Events():
		b.Logf("first event: kind %d point %v", e.Kind, e.Point)
	case <-time.After(5 * time.Second):
		b.Fatal("no event for a click")
	}
	b.ResetTimer()
	for b.Loop() {
		press()
		<-k.Events()
	}
}

// xtest returns a function that clicks button 1 where the pointer is, with
// XTEST over an xgb connection (one round trip).
func xtest(b *testing.B, x *focustest.X) func() {
	cc, err := focustest.Dial(x.Display)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(cc.Close)
	c := cc.Conn
	if err := xtestext.Init(c); err != nil {
		b.Fatal(err)
	}
	root := xproto.Setup(c).DefaultScreen(c).Root
	xproto.WarpPointer(c, 0, root, 0, 0, 0, 0, 300, 300)
	if _, err := xproto.GetInputFocus(c).Reply(); err != nil {
		b.Fatal(err)
	}
	return func() {
		xtestext.FakeInput(c, xproto.ButtonPress, 1, 0, root, 0, 0, 0)
		xtestext.FakeInput(c, xproto.ButtonRelease, 1, 0, root, 0, 0, 0)
		xproto.GetInputFocus(c).Reply()
	}
}

// Cuecard's own windows are never in a screenshot: a window of ours kept
// above the others (as the recording control is) over the clicked window's
// "Save" button is not in the step's image; the button is.
func TestOwnWindowNotInScreenshot(t *testing.T) {
	focustest.Require(t, "xdotool")
	x := focustest.StartX(t)
	x.StartWM()
	cl := x.Client()
	crm := cl.Open("crm", -1, "acme", "AcmeCRM", "Deals | Acme CRM")
	cl.Size("crm", 400, 300)
	cl.Button("crm", 250, 220, 120, 50, 0xcc0000) // "Save"
	const ownPID = 999999
	mine := cl.Open("mine", ownPID, "cuecard", "Cuecard", "Recording - Cuecard")
	cl.Size("mine", 100, 60)
	d := desk{t, x, cl}

	cc, err := focustest.Dial(x.Display)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cc.Close)
	c := cc.Conn
	root := xproto.Setup(c).DefaultScreen(c).Root
	at := func(w uint32) image.Point {
		r, err := xproto.TranslateCoordinates(c, xproto.Window(w), root, 0, 0).Reply()
		if err != nil {
			t.Fatal(err)
		}
		return image.Pt(int(r.DstX), int(r.DstY))
	}
	// Always above, as ui.ShowRecordControl asks, and over the button.
	intern := func(n string) uint32 {
		r, err := xproto.InternAtom(c, false, uint16(len(n)), n).Reply()
		if err != nil {
			t.Fatal(err)
		}
		return uint32(r.Atom)
	}
	ev := xproto.ClientMessageEvent{Format: 32, Window: xproto.Window(mine), Type: xproto.Atom(intern("_NET_WM_STATE")),
		Data: xproto.ClientMessageDataUnionData32New([]uint32{1, intern("_NET_WM_STATE_ABOVE"), 0, 2, 0})}
	xproto.SendEvent(c, false, root, xproto.EventMaskSubstructureNotify|xproto.EventMaskSubstructureRedirect, string(ev.Bytes()))
	button := at(crm).Add(image.Pt(250, 220))
	d.xdotool("windowmove", "--sync", fmt.Sprint(mine), fmt.Sprint(button.X), fmt.Sprint(button.Y-20)) // its frame
	covers := func() bool {
		r := image.Rectangle{Min: at(mine), Max: at(mine).Add(image.Pt(100, 60))}
		return button.Add(image.Pt(30, 20)).In(r) && button.Add(image.Pt(90, 45)).In(r)
	}
	for deadline := time.Now().Add(10 * time.Second); !covers(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("our window is at %v, not over the button at %v", at(mine), button)
		}
	}

	k := start(t, x, ownPID)
	d.click(crm, 50, 100, 1) // raises crm, but not above ours
	e := next(t, k)
	if e.Window.Title != "Deals | Acme CRM" || e.Image == nil {
		t.Fatalf("event: %+v, image %v", e.Window, e.Image != nil)
	}
	// On screen, our window still covers the button ...
	screen, err := xproto.GetImage(c, xproto.ImageFormatZPixmap, xproto.Drawable(root), int16(button.X+30), int16(button.Y+20), 1, 1, 0xffffffff).Reply()
	if err != nil {
		t.Fatal(err)
	}
	if got := screen.Data[2]; got == 0xcc {
		t.Fatal("our window does not cover the button on screen: the test shows nothing")
	}
	// ... but not in the step's image.
	red := color.RGBA{0xcc, 0, 0, 0xff}
	for _, p := range []image.Point{{280, 240}, {300, 260}, {340, 265}} {
		if got := color.RGBAModel.Convert(e.Image.At(p.X, p.Y)); got != red {
			t.Errorf("pixel %v of the step's image is %v, want the Save button's red (our window is in the screenshot)", p, got)
		}
	}
}
