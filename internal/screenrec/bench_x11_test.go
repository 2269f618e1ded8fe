//go:build linux

package screenrec

import (
	"context"
	"fmt"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/focus/focustest"
	"github.com/cuecard/cuecard/internal/screenrec/screenrectest"
)

// BenchmarkRecordScreen records a screen with narration (the test tone)
// for CUECARD_BENCH_SECONDS (default 20) with a moving picture in a
// corner (ffplay's test pattern, 320x240) and the rest of the screen
// still, as screen work mostly is, and reports: the CPU FFmpeg used while
// recording (percent of one core), the finishing pass (seconds per minute
// of video) and the kept file's size (MB per minute). The screen is
// CUECARD_BENCH_SCREEN (default 1280x800).
func BenchmarkRecordScreen(b *testing.B) {
	tools, err := Find()
	if err != nil {
		b.Skip(err)
	}
	size := os.Getenv("CUECARD_BENCH_SCREEN")
	if size == "" {
		size = "1280x800"
	}
	var w, h int
	fmt.Sscanf(size, "%dx%d", &w, &h)
	secs := 20
	if s, err := strconv.Atoi(os.Getenv("CUECARD_BENCH_SECONDS")); err == nil && s > 0 {
		secs = s
	}
	x := focustest.StartX(b, "-screen", "0", size+"x24")
	pulse := screenrectest.StartPulse(b)
	b.Setenv("PULSE_SERVER", pulse.Server)
	play := exec.Command("ffplay", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=15", "-left", "40", "-top", "40", "-an")
	play.Env = x.Env()
	if err := play.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() { play.Process.Kill(); play.Wait() }()
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		dir := b.TempDir()
		r, err := Start(Options{Tools: tools, Display: x.Display, Area: image.Rect(0, 0, w, h), Audio: "default", Dir: dir})
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		time.Sleep(time.Duration(secs) * time.Second)
		segs, err := r.Stop()
		if err != nil {
			b.Fatal(err)
		}
		wall := time.Since(start)
		out := filepath.Join(dir, "out.webm")
		t0 := time.Now()
		if err := tools.Finish(ctx, segs, out, []Mark{{At: time.Second, Point: image.Pt(100, 100), Title: "x"}}, image.Pt(w, h), WebM); err != nil {
			b.Fatal(err)
		}
		finish := time.Since(t0)
		in, err := tools.Probe(ctx, out)
		if err != nil {
			b.Fatal(err)
		}
		st, _ := os.Stat(out)
		mins := in.Duration.Minutes()
		b.Logf("%dx%d, %v, %d bytes", in.Width, in.Height, in.Duration, st.Size())
		b.ReportMetric(100*r.CPU().Seconds()/wall.Seconds(), "cpu%")
		b.ReportMetric(finish.Seconds()/mins, "finish-s/min")
		b.ReportMetric(float64(st.Size())/1e6/mins, "MB/min")
	}
}
