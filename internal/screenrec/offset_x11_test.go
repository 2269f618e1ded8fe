//go:build linux

package screenrec

import (
	"context"
	"image"
	"path/filepath"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/focus/focustest"
	"github.com/cuecard/cuecard/internal/screenrec/screenrectest"
)

// TestOffsetMatchesFrames checks that Offset maps a moment to the frame
// that shows it: a blue button appears at a known time, and the frame at
// its offset shows it, and the frames before do not.
func TestOffsetMatchesFrames(t *testing.T) {
	tools := mustTools(t)
	x := focustest.StartX(t)
	pulse := screenrectest.StartPulse(t)
	t.Setenv("PULSE_SERVER", pulse.Server)
	cl := x.Client()
	dir := t.TempDir()
	r, err := Start(Options{Tools: tools, Display: x.Display, Area: image.Rect(0, 0, 320, 240), Audio: "default", Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond)
	cl.Open("w", -1, "w", "W", "w") // a blue window at 40,60
	shown := time.Now()
	time.Sleep(1500 * time.Millisecond)
	segs, err := r.Stop()
	if err != nil {
		t.Fatal(err)
	}
	at, ok := r.Offset(shown)
	if !ok {
		t.Fatal("no offset")
	}
	out := filepath.Join(dir, "out.webm")
	ctx := context.Background()
	if err := tools.Finish(ctx, segs, out, nil, image.Pt(320, 240), WebM); err != nil {
		t.Fatal(err)
	}
	in, _ := tools.Probe(ctx, out)
	t.Logf("offset %v of %v", at, in.Duration)
	frame := filepath.Join(dir, "f.png")
	var first time.Duration = -1
	for d := time.Duration(0); d < in.Duration; d += 50 * time.Millisecond {
		tools.Frame(ctx, out, d, frame)
		if _, _, b := frameRGB(t, frame, image.Pt(100, 100)); b > 120 {
			first = d
			break
		}
	}
	// The window is mapped a moment after the call returns; a frame is
	// 67 ms.
	if first < 0 || first < at-100*time.Millisecond || first > at+300*time.Millisecond {
		t.Errorf("the window shows at %v in the video, Offset says %v", first, at)
	}
}
