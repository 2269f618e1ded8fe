//go:build linux

package main

import (
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/focus/focustest"
	"github.com/cuecard/cuecard/internal/screenrec"
	"github.com/cuecard/cuecard/internal/screenrec/screenrectest"
)

// TestRecordVideoCommand runs `cuecard record --video --window` as a user
// would under Xvfb and openbox, with a private PulseAudio whose default
// source plays a test tone (the microphone): about ten seconds of a test
// app's window with three clicks. ffprobe checks the video (length, size,
// sound, three chapters); a frame of it shows the window, and the control
// window, placed outside the recorded window, is not in it; the guide
// passes lint --strict once draft is removed.
func TestRecordVideoCommand(t *testing.T) {
	tools, err := screenrec.Find()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	x := focustest.StartX(t)
	focustest.Require(t, "xdotool", "xwininfo", "import")
	pulse := screenrectest.StartPulse(t)
	x.StartWM()
	cl := x.Client()
	crm := cl.Open("crm", -1, "acme", "AcmeCRM", "Deals | Acme CRM")
	cl.Size("crm", 420, 300)
	cl.Button("crm", 20, 20, 100, 40, 0x73d216)
	cl.Button("crm", 160, 20, 100, 40, 0x3465a4)
	cl.Button("crm", 20, 200, 100, 40, 0xcc0000)
	cl.Activate("crm")
	x.WaitActive(crm)

	lib := t.TempDir()
	e := append(env(t), x.Env()...)
	e = append(e, pulse.Env()...)
	e = append(e, "CUECARD_RUNTIME="+t.TempDir(), "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/cuecard-test-bus", "CUECARD_TODAY=2026-03-14")
	cmd := exec.Command(binary, "--library", lib, "record", "--video", "--window", "--delay", "0", "--no-open", "--owner", "ann@example.com", "How to create a deal")
	cmd.Env = e
	out, errOut := logFile(t, "stdout"), logFile(t, "stderr")
	cmd.Stdout, cmd.Stderr = out.f, errOut.f
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	var waitErr error
	go func() { waitErr = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-done
	})
	waitFor(t, "the recording to start", func() bool {
		return strings.Contains(errOut.String(), `Recording "How to create a deal": the window of AcmeCRM, with narration`)
	})
	started := time.Now()
	ctl := waitWindow(t, x, "^Recording - Cuecard$")
	if ctl == "" {
		t.Fatalf("no control window\n%s", errOut.String())
	}
	if got := x.ActiveWindow(); got != crm {
		t.Fatalf("the control window took focus: active 0x%x, want 0x%x", got, crm)
	}
	rect := func(w string) image.Rectangle {
		g := geometry(t, x, w)
		return image.Rect(g["Absolute upper-left X"], g["Absolute upper-left Y"], g["Absolute upper-left X"]+g["Width"], g["Absolute upper-left Y"]+g["Height"])
	}
	win, ctlRect := rect(itoa(crm)), rect(strings.Fields(ctl)[0])
	if win.Overlaps(ctlRect) || win.Dx() != 420 {
		t.Fatalf("the control %v is over the recorded window %v", ctlRect, win)
	}
	xdo := func(args ...string) {
		t.Helper()
		c := exec.Command("xdotool", args...)
		c.Env = x.Env()
		if o, err := c.CombinedOutput(); err != nil {
			t.Fatalf("xdotool %v: %v\n%s", args, err, o)
		}
	}
	shot := filepath.Join(t.TempDir(), "screen.png")
	for i, p := range [][2]string{{"60", "35"}, {"200", "35"}, {"60", "220"}} {
		time.Sleep(2 * time.Second)
		xdo("mousemove", "--sync", "--window", itoa(crm), p[0], p[1])
		xdo("click", "1")
		if i == 1 {
			time.Sleep(time.Second) // the ring has gone
			if err := x.Screenshot(shot); err != nil {
				t.Fatal(err)
			}
		}
	}
	time.Sleep(10*time.Second - time.Since(started))
	xdo("key", "ctrl+alt+r")
	select {
	case <-done:
		if waitErr != nil {
			t.Fatalf("record exited with %v\n%s", waitErr, errOut.String())
		}
	case <-time.After(60 * time.Second):
		t.Fatalf("record did not end\n%s", errOut.String())
	}
	t.Logf("stdout: %s\nstderr: %s", out.String(), errOut.String())

	dir := filepath.Join(lib, "how-to-create-a-deal")
	video := filepath.Join(dir, "recording.webm")
	ctx := context.Background()
	info, err := tools.Probe(ctx, video)
	if err != nil {
		t.Fatal(err)
	}
	// Ten seconds from the message, and what was grabbed while FFmpeg
	// opened the microphone before it (a second or two).
	if info.Duration < 9*time.Second || info.Duration > 15*time.Second || info.Width != 420 || info.Height != 300 ||
		info.Video != "vp9" || !info.Audio || info.AudioCodec != "opus" {
		t.Errorf("video %+v: want about 10 s of 420x300 VP9 with Opus sound", info)
	}
	if len(info.Chapters) != 3 {
		t.Fatalf("chapters %+v, want 3", info.Chapters)
	}
	for i, c := range info.Chapters {
		if c.Title != "Click in AcmeCRM." {
			t.Errorf("chapter %d: %+v", i+1, c)
		}
		if i > 0 && c.Start-info.Chapters[i-1].Start < 1500*time.Millisecond {
			t.Errorf("chapters %+v are not 2 s apart", info.Chapters)
		}
	}
	md, err := os.ReadFile(filepath.Join(dir, "index.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`## Chapters\n\n1\. \[0:0\d\] Click in \*\*AcmeCRM\*\*\.\n2\. \[0:0\d\] Click in \*\*AcmeCRM\*\*\.\n3\. \[0:\d\d\] Click in \*\*AcmeCRM\*\*\.\n$`).Match(md) ||
		!strings.Contains(string(md), "format: video\n") || !strings.Contains(string(md), "video: 'how-to-create-a-deal/recording.webm'\n") ||
		!strings.Contains(string(md), "exe: '^cuecard-testwin$'") || !strings.Contains(string(md), "draft: true\n") ||
		!regexp.MustCompile(`duration: (9|1[0-5])s\n`).Match(md) || !strings.Contains(string(md), "![The recording](poster.png)") {
		t.Errorf("index.md:\n%s", md)
	}
	if _, err := os.Stat(filepath.Join(dir, "poster.png")); err != nil {
		t.Error(err)
	}
	if entries, _ := os.ReadDir(lib); len(entries) != 1 {
		t.Errorf("left in the library: %v", entries)
	}
	// A frame of the video is the window as the screen showed it, and
	// the control (elsewhere on the screen) is not in it.
	frame := filepath.Join(t.TempDir(), "frame.png")
	if err := tools.Frame(ctx, video, info.Chapters[1].Start+time.Second, frame); err != nil {
		t.Fatal(err)
	}
	fimg, simg := readPNG(t, frame), readPNG(t, shot)
	if d := meanDiff(fimg, simg, win.Min); d > 12 {
		t.Errorf("the frame differs from the window on the screen by %.1f per channel on average", d)
	}

	// Once the author removes draft, the guide is lint-clean.
	os.WriteFile(filepath.Join(dir, "index.md"), []byte(strings.Replace(string(md), "draft: true\n", "", 1)), 0o644)
	lint := exec.Command(binary, "lint", "--strict", lib)
	lint.Env = e
	if o, err := lint.CombinedOutput(); err != nil {
		t.Fatalf("lint --strict: %v\n%s", err, o)
	}

	// The running app plays it beside the app: a link to the video guide at
	// 0:04 opens the viewer, the desktop's player (mpv) at 0:04 on the
	// side of the screen and the chapters window under it.
	if _, err := exec.LookPath("mpv"); err == nil {
		watch(t, x, noTray(t, e), lib, crm)
	} else if os.Getenv("CI") == "true" {
		t.Error("mpv is not installed: the player is not tested")
	}

	// Without FFmpeg on the PATH: a clear message, nothing written.
	noFF := exec.Command(binary, "--library", lib, "record", "--video", "How to close a deal")
	noFF.Env = append(e, "PATH="+t.TempDir())
	o, _ := noFF.CombinedOutput()
	if noFF.ProcessState.ExitCode() != 1 || !strings.Contains(string(o), "FFmpeg is not installed: screen recordings need it") ||
		!strings.Contains(string(o), "sudo apt install ffmpeg") {
		t.Errorf("without FFmpeg: exit %d, %s", noFF.ProcessState.ExitCode(), o)
	}
}

func readPNG(t *testing.T, file string) image.Image {
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
	return img
}

// meanDiff is the mean absolute difference per channel between a and the
// same-sized part of b at offset off.
func meanDiff(a, b image.Image, off image.Point) float64 {
	var sum, n float64
	ab := a.Bounds()
	for y := ab.Min.Y; y < ab.Max.Y; y++ {
		for x := ab.Min.X; x < ab.Max.X; x++ {
			r1, g1, b1, _ := a.At(x, y).RGBA()
			r2, g2, b2, _ := b.At(x-ab.Min.X+off.X, y-ab.Min.Y+off.Y).RGBA()
			for _, d := range []int{int(r1>>8) - int(r2>>8), int(g1>>8) - int(g2>>8), int(b1>>8) - int(b2>>8)} {
				sum += float64(max(d, -d))
				n++
			}
		}
	}
	return sum / n
}

func watch(t *testing.T, x *focustest.X, e []string, lib string, crm uint32) {
	// The app's window on the left of the screen, as one works beside a
	// player.
	x.Tool("xdotool", "windowmove", "--sync", itoa(crm), "0", "0")
	_, stop := startApp(t, e, "--library", lib)
	defer stop()
	waitFor(t, "the app to answer", func() bool {
		c := exec.Command(binary, "--library", lib, "status", "--json")
		c.Env = e
		out, _ := c.Output()
		return strings.Contains(string(out), `"watching": true`)
	})
	open := exec.Command(binary, "--library", lib, "open", "cuecard://guide/how-to-create-a-deal/index.md#t=0:04")
	open.Env = e
	o, _ := open.CombinedOutput()
	if !strings.Contains(string(o), "Opened how-to-create-a-deal/index.md in Cuecard.") {
		t.Fatalf("cuecard open: %s", o)
	}
	player := waitWindow(t, x, "^How to create a deal - Cuecard video$")
	chapters := waitWindow(t, x, "^How to create a deal - chapters - Cuecard$")
	if player == "" || chapters == "" {
		t.Fatalf("player %q, chapters %q", player, chapters)
	}
	time.Sleep(time.Second) // the player is up: it must not have taken the focus
	if act := itoa(x.ActiveWindow()); act == player || act == chapters {
		t.Errorf("the player (%s) or its chapters (%s) took the focus (%s)", player, chapters, act)
	}
	pg, cg := geometry(t, x, player), geometry(t, x, chapters)
	win := geometry(t, x, itoa(crm))
	// Beside the app: the player on the right of the screen, over none of
	// the app's window, the chapters under it.
	if pg["Absolute upper-left X"] < win["Absolute upper-left X"]+win["Width"] || cg["Absolute upper-left Y"] < pg["Absolute upper-left Y"]+pg["Height"] {
		t.Errorf("player %v and chapters %v are not beside the app %v", pg, cg, win)
	}
	// The viewer closes (Escape); the player and its chapters stay,
	// beside the app.
	if viewer := waitWindow(t, x, "^How to create a deal - Cuecard$"); viewer != "" {
		x.Tool("xdotool", "windowactivate", "--sync", viewer, "key", "Escape")
	}
	time.Sleep(1500 * time.Millisecond) // let the player draw
	if waitWindow(t, x, "^How to create a deal - Cuecard video$") == "" {
		t.Error("the player closed with the viewer")
	}
	if shot := os.Getenv("CUECARD_VIDEO_SHOT"); shot != "" { // for the docs
		if err := x.Screenshot(shot); err != nil {
			t.Log(err)
		}
	}
	if state := x.Tool("xprop", "-id", player, "_NET_WM_STATE"); !strings.Contains(state, "_NET_WM_STATE_ABOVE") {
		t.Errorf("the player is not above the other windows: %s", state)
	}
}

// TestRecordVideoScreen records the whole screen with no microphone to be
// found (PulseAudio is not there): the command says so and records
// without narration. The control is hidden while recording; Ctrl+Alt+R
// pauses and shows it, and again stops. A frame of the video, where the
// control shows when paused, is the screen without it.
func TestRecordVideoScreen(t *testing.T) {
	tools, err := screenrec.Find()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	x := focustest.StartX(t)
	focustest.Require(t, "xdotool", "xwininfo", "import")
	x.StartWM()
	lib := t.TempDir()
	e := append(env(t), x.Env()...)
	e = append(e, "CUECARD_RUNTIME="+t.TempDir(), "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/cuecard-test-bus",
		"PULSE_SERVER=unix:/nonexistent/cuecard-test-pulse")
	cmd := exec.Command(binary, "--library", lib, "record", "--video", "--no-open", "How to check the screen")
	cmd.Env = e
	out, errOut := logFile(t, "stdout"), logFile(t, "stderr")
	cmd.Stdout, cmd.Stderr = out.f, errOut.f
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-done
	})
	waitFor(t, "the recording to start", func() bool {
		return strings.Contains(errOut.String(), "no microphone: FFmpeg could not open the default sound input of PulseAudio or PipeWire") &&
			strings.Contains(errOut.String(), "Recording without narration (--no-audio skips this check).") &&
			strings.Contains(errOut.String(), `Recording "How to check the screen": the screen, without narration`) &&
			strings.Contains(errOut.String(), "The control is hidden so it is not in the video")
	})
	if w := strings.TrimSpace(x.Tool("xdotool", "search", "--onlyvisible", "--name", "^Recording - Cuecard$")); w != "" {
		t.Fatalf("the control is on the screen while recording it")
	}
	time.Sleep(2 * time.Second)
	x.Tool("xdotool", "key", "ctrl+alt+r")
	ctl := waitWindow(t, x, "^Recording - Cuecard$")
	if ctl == "" {
		t.Fatalf("Ctrl+Alt+R did not pause and show the control\n%s", errOut.String())
	}
	g := geometry(t, x, strings.Fields(ctl)[0])
	ctlRect := image.Rect(g["Absolute upper-left X"], g["Absolute upper-left Y"], g["Absolute upper-left X"]+g["Width"], g["Absolute upper-left Y"]+g["Height"])
	x.Tool("xdotool", "key", "ctrl+alt+r")
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		t.Fatalf("record did not end\n%s", errOut.String())
	}
	shot := filepath.Join(t.TempDir(), "screen.png")
	if err := x.Screenshot(shot); err != nil {
		t.Fatal(err)
	}
	video := filepath.Join(lib, "how-to-check-the-screen", "recording.webm")
	ctx := context.Background()
	info, err := tools.Probe(ctx, video)
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut.String())
	}
	if info.Width != 1024 || info.Height != 600 || info.Audio || info.Duration < 2*time.Second {
		t.Errorf("video %+v: want 1024x600 without sound, 2 s or more", info)
	}
	frame := filepath.Join(t.TempDir(), "frame.png")
	if err := tools.Frame(ctx, video, info.Duration-500*time.Millisecond, frame); err != nil {
		t.Fatal(err)
	}
	fimg := readPNG(t, frame).(interface {
		SubImage(image.Rectangle) image.Image
	}).SubImage(ctlRect)
	if d := meanDiff(fimg, readPNG(t, shot), ctlRect.Min); d > 12 {
		t.Errorf("where the control shows when paused, the video differs from the screen without it by %.1f per channel", d)
	}
}
