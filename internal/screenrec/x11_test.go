//go:build linux

package screenrec

import (
	"context"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/focus/focustest"
	"github.com/cuecard/cuecard/internal/screenrec/screenrectest"
)

// frameRGB reads the pixel at p of a PNG frame.
func frameRGB(t *testing.T, file string, p image.Point) (r, g, b uint8) {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	R, G, B, _ := img.At(p.X, p.Y).RGBA()
	return uint8(R >> 8), uint8(G >> 8), uint8(B >> 8)
}

func mustTools(t *testing.T) Tools {
	t.Helper()
	tools, err := Find()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	return tools
}

// TestRecordPauseFinish records an area of an Xvfb screen with a private
// PulseAudio's test tone as the microphone, pauses in the middle, and
// checks the finished file with ffprobe: length without the pause, size,
// sound, chapters, a ring drawn at a click, and that Offset maps a moment
// to the frame that shows it (a window that appears in the second
// segment).
func TestRecordPauseFinish(t *testing.T) {
	tools := mustTools(t)
	x := focustest.StartX(t)
	pulse := screenrectest.StartPulse(t)
	t.Setenv("PULSE_SERVER", pulse.Server)
	ctx := context.Background()
	mic, err := tools.Microphone(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	began := time.Now()
	r, err := Start(Options{Tools: tools, Display: x.Display, Area: image.Rect(100, 50, 421, 291), Audio: mic, Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond)
	click := time.Now()
	if _, ok := r.Offset(click); !ok {
		t.Fatal("no offset while recording")
	}
	if err := r.Pause(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond)
	if _, ok := r.Offset(time.Now()); ok || !r.Paused() {
		t.Error("an offset while paused")
	}
	time.Sleep(500 * time.Millisecond) // not in the video
	if err := r.Resume(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(700 * time.Millisecond)
	x.Client().Open("w", -1, "w", "W", "w") // a blue window at 40,60 (no window manager)
	shown := time.Now()
	time.Sleep(800 * time.Millisecond)
	click2 := time.Now()
	time.Sleep(500 * time.Millisecond)
	segs, err := r.Stop()
	wall := time.Since(began)
	if err != nil || len(segs) != 2 {
		t.Fatalf("segments %v, %v", segs, err)
	}
	at, ok1 := r.Offset(click)
	at2, ok2 := r.Offset(click2)
	out := filepath.Join(dir, "out.webm")
	marks := []Mark{{At: at, Point: image.Pt(100, 100), Title: "Click the **Save** button."}, {At: at2, Point: image.Pt(200, 150), Title: "Second"}}
	f, err := tools.PickFormat(ctx)
	if err != nil || f.Ext != ".webm" {
		t.Fatalf("format %v %v", f, err)
	}
	if err := tools.Finish(ctx, segs, out, marks, image.Pt(320, 240), f); err != nil {
		t.Fatal(err)
	}
	in, err := tools.Probe(ctx, out)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", in)
	if in.Width != 320 || in.Height != 240 || in.Video != "vp9" || !in.Audio || in.AudioCodec != "opus" {
		t.Errorf("probe %+v", in)
	}
	// Between the clicks: 0.5 s of the first segment, the second's lead
	// (its screen frames from before the microphone opened) and 1.5 s.
	if !ok1 || !ok2 || at2-at < 2*time.Second-100*time.Millisecond || at2 > in.Duration {
		t.Errorf("offsets %v %v (%v %v)", at, at2, ok1, ok2)
	}
	// 3.5 s recorded, and each segment's lead (what the screen showed
	// while FFmpeg opened the microphone); the second of pause is not
	// in it.
	if in.Duration < 3500*time.Millisecond || in.Duration > wall-800*time.Millisecond {
		t.Errorf("duration %v, want 3.5 s and the leads, without the pause (%v from start to stop)", in.Duration, wall)
	}
	if len(in.Chapters) != 2 || in.Chapters[0].Title != "Click the **Save** button." || in.Chapters[1].Start.Round(10*time.Millisecond) != at2.Round(10*time.Millisecond) {
		t.Errorf("chapters %+v, marks at %v %v", in.Chapters, at, at2)
	}
	// The ring is drawn at the first click: its orange line 19 px from
	// the click point, on the root window's black.
	png := filepath.Join(dir, "ring.png")
	if err := tools.Frame(ctx, out, at+200*time.Millisecond, png); err != nil {
		t.Fatal(err)
	}
	if r, g, b := frameRGB(t, png, image.Pt(100+17, 100)); r < 180 || g < 80 || g > 160 || b > 80 {
		t.Errorf("no ring at the click: pixel %d,%d,%d", r, g, b)
	}
	if err := tools.Frame(ctx, out, at2-time.Second, png); err != nil {
		t.Fatal(err)
	}
	if r, g, b := frameRGB(t, png, image.Pt(100+17, 100)); r > 100 {
		t.Errorf("the ring is there long after the click: pixel %d,%d,%d", r, g, b)
	}
	// The window appears at the offset of the moment it was mapped
	// (within a frame or two: it is drawn a moment after the call
	// returns), not before.
	seen, ok := r.Offset(shown)
	if !ok {
		t.Fatal("no offset for the window")
	}
	first := time.Duration(-1)
	for d := seen - 500*time.Millisecond; d < in.Duration; d += 50 * time.Millisecond {
		if err := tools.Frame(ctx, out, d, png); err != nil {
			t.Fatal(err)
		}
		if _, _, b := frameRGB(t, png, image.Pt(100, 100)); b > 120 {
			first = d
			break
		}
	}
	if first < seen-100*time.Millisecond || first > seen+300*time.Millisecond {
		t.Errorf("the window shows at %v in the video, Offset says %v", first, seen)
	}
}
