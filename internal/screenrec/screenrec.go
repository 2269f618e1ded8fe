// Package screenrec records the screen, or an area of it, with the
// microphone as narration, through an FFmpeg process: x11grab and PulseAudio
// (PipeWire's pulse server answers the same) on Linux, gdigrab and
// DirectShow on Windows.
//
// A recording is made of segments: FFmpeg has no pause, so Pause ends the
// running FFmpeg (it is asked to quit, "q" on its standard input, so the
// segment file is complete) and Resume starts the next one. Segments are
// encoded for speed (H.264 ultrafast, PCM audio, Matroska); Finish joins
// them into the one file kept (WebM VP9/Opus, or MP4 H.264/AAC when this
// FFmpeg has no VP9), draws a ring at each click, and stores the chapters.
// Probe and Poster read the result back with ffprobe and FFmpeg.
//
// The package knows nothing of windows or guides: the caller gives the
// screen area and the marks (time, point, title).
package screenrec

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"
)

// ErrNoFFmpeg is returned when FFmpeg (or ffprobe) is not installed.
var ErrNoFFmpeg = errors.New("FFmpeg is not installed: screen recordings need it")

// Install says how to install FFmpeg on this system.
func Install() string {
	if runtime.GOOS == "windows" {
		return "install FFmpeg (winget install ffmpeg, or ffmpeg.exe from ffmpeg.org on the PATH) and try again"
	}
	return "install it (Debian and Ubuntu: sudo apt install ffmpeg; Fedora: sudo dnf install ffmpeg) and try again"
}

// Tools are the FFmpeg programs found.
type Tools struct {
	FFmpeg, FFprobe string
}

// Find looks for ffmpeg and ffprobe on the PATH.
func Find() (Tools, error) {
	var t Tools
	var err error
	if t.FFmpeg, err = exec.LookPath("ffmpeg"); err != nil {
		return Tools{}, fmt.Errorf("%w (no ffmpeg on the PATH): %s", ErrNoFFmpeg, Install())
	}
	if t.FFprobe, err = exec.LookPath("ffprobe"); err != nil {
		return Tools{}, fmt.Errorf("%w (ffmpeg is there, ffprobe is not): %s", ErrNoFFmpeg, Install())
	}
	return t, nil
}

// Options describe a recording.
type Options struct {
	Tools Tools
	// Display is the X display (Linux); "" means $DISPLAY.
	Display string
	// Area is the part of the screen recorded, in screen pixels; its width
	// and height are rounded down to even numbers (the video's chroma is
	// subsampled).
	Area image.Rectangle
	// FPS is the frame rate; 0 means 15, enough for a screen.
	FPS int
	// Audio is the microphone: a PulseAudio source ("default") on Linux,
	// a DirectShow device name on Windows; "" records no sound.
	Audio string
	// Dir holds the segments; it must exist.
	Dir string
	// Log gets debug logs; nil: slog.Default().
	Log *slog.Logger
}

// DefaultFPS is the frame rate of a recording unless Options say otherwise.
const DefaultFPS = 15

// Even is r with its width and height rounded down to even numbers.
func Even(r image.Rectangle) image.Rectangle {
	r = r.Canon()
	return image.Rect(r.Min.X, r.Min.Y, r.Min.X+r.Dx()&^1, r.Min.Y+r.Dy()&^1)
}

// Recorder is a running recording.
type Recorder struct {
	o Options

	mu      sync.Mutex
	cur     *segment   // nil while paused
	done    []*segment // the finished segments, in order
	stopped bool
}

type segment struct {
	cmd     *exec.Cmd
	stdin   io.WriteCloser
	file    string
	started chan struct{} // closed when FFmpeg writes frames
	began   time.Time     // when it did
	ended   time.Time     // when it was asked to quit
	// start is when the segment file's first frame or sound was grabbed
	// and length its duration (ffprobe, after Stop): FFmpeg's screen
	// input starts grabbing before the "Press [q]" line, while the
	// microphone opens. Until they are known, start is began and length
	// ended - began.
	start  time.Time
	length time.Duration
	errBuf *bytes.Buffer
	exited chan struct{}
	err    error
}

// Start starts recording.
func Start(o Options) (*Recorder, error) {
	if o.FPS <= 0 {
		o.FPS = DefaultFPS
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	o.Area = Even(o.Area)
	if o.Area.Dx() < 2 || o.Area.Dy() < 2 {
		return nil, fmt.Errorf("record the screen: the area %v is empty", o.Area)
	}
	if o.Tools.FFmpeg == "" {
		return nil, fmt.Errorf("%w: %s", ErrNoFFmpeg, Install())
	}
	r := &Recorder{o: o}
	if err := r.startSegment(); err != nil {
		return nil, err
	}
	return r, nil
}

// InputArgs are FFmpeg's input arguments for the screen area and the
// microphone on goos ("linux", "windows", ...).
func InputArgs(goos string, o Options) []string {
	if o.FPS <= 0 {
		o.FPS = DefaultFPS
	}
	a := Even(o.Area)
	size := fmt.Sprintf("%dx%d", a.Dx(), a.Dy())
	var args []string
	switch goos {
	case "windows":
		args = []string{"-f", "gdigrab", "-framerate", fmt.Sprint(o.FPS), "-draw_mouse", "1",
			"-offset_x", fmt.Sprint(a.Min.X), "-offset_y", fmt.Sprint(a.Min.Y), "-video_size", size, "-i", "desktop"}
		if o.Audio != "" {
			args = append(args, "-f", "dshow", "-i", "audio="+o.Audio)
		}
	default:
		display := o.Display
		if display == "" {
			display = os.Getenv("DISPLAY")
		}
		args = []string{"-f", "x11grab", "-framerate", fmt.Sprint(o.FPS), "-draw_mouse", "1", "-video_size", size,
			"-i", fmt.Sprintf("%s+%d,%d", display, a.Min.X, a.Min.Y)}
		if o.Audio != "" {
			args = append(args, "-f", "pulse", "-i", o.Audio)
		}
	}
	return args
}

// segmentArgs encode a segment for speed: little CPU while recording,
// nearly lossless (Finish encodes the file kept).
func segmentArgs(o Options, file string) []string {
	args := []string{"-hide_banner", "-nostats", "-loglevel", "info", "-y"}
	// Frames and sound are queued while the other input opens (a pulse
	// source takes up to a second): a small queue, screen frames are big.
	args = append(args, "-thread_queue_size", "64")
	in := InputArgs(runtime.GOOS, o)
	// -thread_queue_size belongs before each input's -i: insert it before
	// the second input's -f too.
	for i := 1; i < len(in); i++ {
		if in[i] == "-f" && i > 0 {
			in = append(in[:i], append([]string{"-thread_queue_size", "64"}, in[i:]...)...)
			break
		}
	}
	args = append(args, in...)
	// -copyts keeps the inputs' own timestamps, the wall clock at which
	// each frame and sound was grabbed (x11grab, pulse; gdigrab and dshow
	// too): the sound stays in sync with the picture although the
	// microphone opens up to seconds after the screen, and the file's
	// start time says when its first frame was grabbed (Offset).
	args = append(args, "-copyts")
	args = append(args, "-c:v", "libx264", "-preset", "ultrafast", "-crf", "12", "-pix_fmt", "yuv420p", "-g", fmt.Sprint(o.FPS*4))
	if o.Audio != "" {
		args = append(args, "-c:a", "pcm_s16le", "-ac", "1", "-ar", "48000")
	}
	return append(args, file)
}

func (r *Recorder) startSegment() error {
	file := filepath.Join(r.o.Dir, fmt.Sprintf("segment-%03d.mkv", len(r.done)+1))
	cmd := exec.Command(r.o.Tools.FFmpeg, segmentArgs(r.o, file)...)
	hideWindow(cmd)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return fmt.Errorf("record the screen: %w", err)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return fmt.Errorf("record the screen: %w", err)
	}
	s := &segment{cmd: cmd, stdin: stdin, file: file, started: make(chan struct{}), exited: make(chan struct{}), errBuf: &bytes.Buffer{}}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("record the screen: start %s: %w", r.o.Tools.FFmpeg, err)
	}
	// FFmpeg says "Press [q] to stop" once every input is open and it
	// starts writing: the segment's time 0, for the marks' offsets.
	var once sync.Once
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			if strings.Contains(line, "Press [q] to stop") {
				once.Do(func() { s.began = time.Now(); close(s.started) })
			}
			if s.errBuf.Len() < 64<<10 {
				s.errBuf.WriteString(line + "\n")
			}
		}
		s.err = cmd.Wait()
		once.Do(func() { close(s.started) })
		close(s.exited)
	}()
	select {
	case <-s.started:
	case <-time.After(15 * time.Second):
		cmd.Process.Kill()
		<-s.exited
		return fmt.Errorf("record the screen: FFmpeg did not start within 15 s:\n%s", lastLines(s.errBuf.String(), 8))
	}
	select {
	case <-s.exited:
		return fmt.Errorf("record the screen: FFmpeg ended at once (%v):\n%s", s.err, lastLines(s.errBuf.String(), 8))
	default:
	}
	r.o.Log.Debug("screen recording: segment started", "file", filepath.Base(file))
	r.cur = s
	return nil
}

// endSegment asks the running FFmpeg to quit and waits for it.
func (r *Recorder) endSegment() error {
	s := r.cur
	r.cur = nil
	if s == nil {
		return nil
	}
	s.ended = time.Now()
	io.WriteString(s.stdin, "q")
	s.stdin.Close()
	select {
	case <-s.exited:
	case <-time.After(20 * time.Second):
		s.cmd.Process.Kill()
		<-s.exited
	}
	if st, err := os.Stat(s.file); err != nil || st.Size() == 0 {
		return fmt.Errorf("record the screen: FFmpeg failed (%v):\n%s", s.err, lastLines(s.errBuf.String(), 8))
	}
	// FFmpeg quits with status 255 when told "q" before its first frame
	// is written; a file with frames is still good.
	s.start, s.length = s.began, s.ended.Sub(s.began)
	r.done = append(r.done, s)
	return nil
}

// Offset is where in the recording the wall-clock time t falls; false
// when nothing was recorded then (paused). After Stop it is accurate to a
// frame (each segment's start and length are read from its file's
// timestamps, the wall clock of the grab); before, to a second or so.
func (r *Recorder) Offset(t time.Time) (time.Duration, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var before time.Duration
	for _, s := range r.done {
		if !t.Before(s.start) && t.Before(s.start.Add(s.length)) {
			return before + t.Sub(s.start), true
		}
		before += s.length
	}
	if s := r.cur; s != nil && !t.Before(s.began) {
		return before + t.Sub(s.began), true
	}
	return 0, false
}

// Pause ends the running segment; nothing is recorded until Resume.
func (r *Recorder) Pause() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.stopped {
		return nil
	}
	return r.endSegment()
}

// Resume starts the next segment.
func (r *Recorder) Resume() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.stopped || r.cur != nil {
		return nil
	}
	return r.startSegment()
}

// Paused reports whether the recorder is paused.
func (r *Recorder) Paused() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.cur == nil && !r.stopped
}

// Stop ends the recording and returns its segments, in order.
func (r *Recorder) Stop() ([]string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.stopped {
		return nil, errors.New("the screen recording has stopped")
	}
	r.stopped = true
	err := r.endSegment()
	var kept []string
	for _, s := range r.done {
		if r.o.Tools.FFprobe != "" {
			if in, perr := r.o.Tools.Probe(context.Background(), s.file); perr == nil && in.Start > 0 && in.Duration > in.Start {
				s.start, s.length = time.Unix(0, int64(in.Start)), segmentLength(in)
			}
		}
		kept = append(kept, s.file)
	}
	if err != nil && len(kept) == 0 {
		return nil, err
	}
	return kept, nil
}

// CPU is the processor time (user and system) the finished segments'
// FFmpeg processes used.
func (r *Recorder) CPU() time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	var d time.Duration
	for _, s := range r.done {
		if st := s.cmd.ProcessState; st != nil {
			d += st.UserTime() + st.SystemTime()
		}
	}
	return d
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// run runs an FFmpeg tool to the end; errors carry its last lines.
func run(ctx context.Context, name string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	hideWindow(cmd)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%s: %w:\n%s", filepath.Base(name), err, lastLines(errOut.String(), 8))
	}
	return out.Bytes(), nil
}
