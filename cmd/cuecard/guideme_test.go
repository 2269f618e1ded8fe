//go:build linux

package main

import (
	"encoding/json"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/focus/focustest"
	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/owner"
)

// crmButtons are the test app's controls: labelled, apart from each other.
var crmButtons = []struct {
	label      string
	x, y, w, h int
	rgb        uint32
}{
	{"New deal", 20, 20, 110, 34, 0x73d216},
	{"Customer", 250, 40, 120, 30, 0x729fcf},
	{"Add line", 60, 200, 100, 30, 0xfce94f},
	{"Save", 300, 250, 90, 36, 0xef2929},
}

// TestGuideMe records a 4-click task in a test app with `cuecard record`,
// moves and resizes the app's window, and plays the guide with `cuecard
// guide-me` in the running app: each ring lands on the recorded control
// (its real position, within 8 px), clicking it advances, the clicks reach
// the app through the overlay, the app keeps the focus throughout, and the
// walkthrough ends finished. The same guide on a window of the same app
// whose contents changed beyond recognition says "about here" without
// false confidence.
func TestGuideMe(t *testing.T) {
	x := focustest.StartX(t)
	focustest.Require(t, "xdotool", "xwininfo")
	x.StartWM()
	cl := x.Client()
	crm := cl.Open("crm", -1, "acme", "AcmeCRM", "Deals | Acme CRM")
	cl.Size("crm", 440, 320)
	for _, b := range crmButtons {
		cl.LabelledButton("crm", b.x, b.y, b.w, b.h, b.rgb, b.label)
	}
	cl.Activate("crm")
	x.WaitActive(crm)
	xdo := func(args ...string) {
		t.Helper()
		c := exec.Command("xdotool", args...)
		c.Env = x.Env()
		if o, err := c.CombinedOutput(); err != nil {
			t.Fatalf("xdotool %v: %v\n%s", args, err, o)
		}
	}
	center := func(i int) (int, int) {
		b := crmButtons[i]
		return b.x + b.w/2, b.y + b.h/2
	}

	// Record the task.
	lib := t.TempDir()
	e := append(env(t), x.Env()...)
	e = append(e, "CUECARD_RUNTIME="+t.TempDir(), "CUECARD_TODAY=2026-03-14")
	e = noTray(t, e)
	rec := exec.Command(binary, "--library", lib, "record", "--no-open", "--owner", "ann@example.com", "How to file a deal")
	rec.Env = e
	recErr := logFile(t, "record-stderr")
	rec.Stderr = recErr.f
	if err := rec.Start(); err != nil {
		t.Fatal(err)
	}
	recDone := make(chan error, 1)
	go func() { recDone <- rec.Wait() }()
	t.Cleanup(func() { rec.Process.Kill() })
	waitFor(t, "the recording to start", func() bool { return strings.Contains(recErr.String(), "Recording \"How to file a deal\"") })
	for i := range crmButtons {
		cx, cy := center(i)
		xdo("mousemove", "--sync", "--window", itoa(crm), strconv.Itoa(cx), strconv.Itoa(cy))
		xdo("click", "1")
		time.Sleep(300 * time.Millisecond) // each click is a screenshot
	}
	xdo("key", "ctrl+alt+r")
	select {
	case err := <-recDone:
		if err != nil {
			t.Fatalf("record: %v\n%s", err, recErr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("record did not end\n%s", recErr.String())
	}
	id := "how-to-file-a-deal/index.md"
	md, err := os.ReadFile(filepath.Join(lib, filepath.FromSlash(id)))
	if err != nil {
		t.Fatal(err)
	}
	g, ps := guide.Parse(id, md)
	if g == nil || len(g.Clicks) != len(crmButtons) {
		t.Fatalf("the recorded guide has not %d click targets: %v\n%s", len(crmButtons), ps, md)
	}

	// The app's window moves and grows.
	xdo("windowmove", "--sync", itoa(crm), "260", "150")
	cl.Size("crm", 560, 380)
	time.Sleep(300 * time.Millisecond)
	origin := func() image.Point {
		geo := geometry(t, x, itoa(crm))
		return image.Pt(geo["Absolute upper-left X"], geo["Absolute upper-left Y"])
	}
	o := origin()
	if o.X < 200 {
		t.Fatalf("the window did not move: %v", o)
	}

	app, _ := startApp(t, e, "--verbose", "--library", lib)
	_ = app
	status := func() *owner.Walkthrough {
		t.Helper()
		c := exec.Command(binary, "--library", lib, "status", "--json")
		c.Env = e
		out, err := c.Output()
		if err != nil {
			return nil
		}
		var st owner.Status
		if json.Unmarshal(out, &st) != nil {
			return nil
		}
		return st.Walkthrough
	}
	waitFor(t, "the app to answer", func() bool {
		c := exec.Command(binary, "--library", lib, "status", "--json")
		c.Env = e
		out, _ := c.Output()
		return strings.Contains(string(out), `"watching": true`)
	})
	cl.Activate("crm")
	x.WaitActive(crm)
	gm := exec.Command(binary, "--library", lib, "guide-me", id)
	gm.Env = e
	if out, err := gm.CombinedOutput(); err != nil {
		t.Fatalf("guide-me: %v\n%s", err, out)
	}
	if card := waitWindow(t, x, "^Guide me: How to file a deal - Cuecard$"); card == "" {
		t.Fatal("no step card")
	}

	for i := range crmButtons {
		var w *owner.Walkthrough
		for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			w = status()
			if w != nil && w.Step == i+1 && w.State == "found" && w.Ring != nil {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("step %d not found in 15 s: %+v", i+1, w)
			}
		}
		cx, cy := center(i)
		want := o.Add(image.Pt(cx, cy))
		if d := image.Pt(w.Ring.X, w.Ring.Y).Sub(want); d.X*d.X+d.Y*d.Y > 8*8 {
			t.Fatalf("step %d: the ring is at %d,%d, the control at %v (confidence %.2f)", i+1, w.Ring.X, w.Ring.Y, want, w.Confidence)
		}
		if w.Confidence < 0.8 || !w.TargetFound || w.Steps != len(crmButtons) {
			t.Fatalf("step %d: %+v", i+1, w)
		}
		ringShown(t, x, image.Pt(w.Ring.X, w.Ring.Y), w.Ring.Radius)
		if i == 1 && os.Getenv("CUECARD_GUIDEME_SHOT") != "" { // for the docs
			time.Sleep(500 * time.Millisecond)
			x.Screenshot(os.Getenv("CUECARD_GUIDEME_SHOT"))
		}
		if got := x.ActiveWindow(); got != crm {
			t.Fatalf("step %d: the app lost the focus to 0x%x", i+1, got)
		}
		before := cl.Clicks("crm")
		xdo("mousemove", "--sync", strconv.Itoa(w.Ring.X), strconv.Itoa(w.Ring.Y))
		xdo("click", "1")
		waitFor(t, "the click to reach the app", func() bool { return cl.Clicks("crm") == before+1 })
	}
	waitFor(t, "the walkthrough to finish", func() bool {
		w := status()
		return w != nil && w.State == "finished"
	})
	if got := x.ActiveWindow(); got != crm {
		t.Fatalf("the app lost the focus to 0x%x", got)
	}

	// The app changed beyond recognition: a window of the same app with
	// none of the recorded controls.
	blank := cl.Open("blank", -1, "acme", "AcmeCRM", "Deals | Acme CRM")
	cl.Size("blank", 440, 320)
	cl.Activate("blank")
	x.WaitActive(blank)
	gm = exec.Command(binary, "--library", lib, "guide-me", id)
	gm.Env = e
	if out, err := gm.CombinedOutput(); err != nil {
		t.Fatalf("guide-me again: %v\n%s", err, out)
	}
	var w *owner.Walkthrough
	waitFor(t, "about here", func() bool {
		w = status()
		return w != nil && w.Step == 1 && w.State == "about"
	})
	if w.TargetFound || w.Confidence >= 0.8 || w.Ring == nil {
		t.Fatalf("a blank window: %+v", w)
	}
	bo := func() image.Point {
		geo := geometry(t, x, itoa(blank))
		return image.Pt(geo["Absolute upper-left X"], geo["Absolute upper-left Y"])
	}()
	cx, cy := center(0)
	if d := image.Pt(w.Ring.X, w.Ring.Y).Sub(bo.Add(image.Pt(cx, cy))); d.X*d.X+d.Y*d.Y > 4*4 {
		t.Errorf("about here at %d,%d, want the recorded place %v", w.Ring.X, w.Ring.Y, bo.Add(image.Pt(cx, cy)))
	}
	if os.Getenv("CUECARD_GUIDEME_SHOT") != "" {
		time.Sleep(500 * time.Millisecond)
		x.Screenshot(strings.TrimSuffix(os.Getenv("CUECARD_GUIDEME_SHOT"), ".png") + "-about.png")
	}
}

// ringShown checks that the ring is drawn on the screen: its colour on the
// circle, around the centre.
func ringShown(t *testing.T, x *focustest.X, c image.Point, radius int) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "screen.png")
	var img image.Image
	for range 20 { // the overlay maps a moment after the status says so
		if err := x.Screenshot(path); err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		img, err = png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if ringPixels(img, c, radius) >= 3 {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("no ring drawn around %v (radius %d)", c, radius)
}

// ringPixels counts the points of the circle (4 directions) that show the
// ring's orange.
func ringPixels(img image.Image, c image.Point, radius int) int {
	n := 0
	for _, d := range []image.Point{{radius, 0}, {-radius, 0}, {0, radius}, {0, -radius}} {
		found := false
		for k := -3; k <= 3 && !found; k++ {
			p := c.Add(d).Add(image.Pt(k*sign(d.X), k*sign(d.Y)))
			r, g, b, _ := img.At(p.X, p.Y).RGBA()
			found = r>>8 > 200 && g>>8 > 80 && g>>8 < 190 && b>>8 < 80
		}
		if found {
			n++
		}
	}
	return n
}

func sign(v int) int {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}
