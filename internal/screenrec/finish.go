package screenrec

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Format is the kind of file a recording is kept as.
type Format struct {
	// Ext is the file name's extension: ".webm" or ".mp4".
	Ext   string
	video []string
	audio []string
}

// The formats, best first. Screen content is mostly still: VP9 in
// constrained quality (CRF 36, at most 1.2 Mbit/s on average) keeps a
// 3-minute 1080p recording under 30 MB whatever it shows (27 MB of video
// at the cap; a screen of work is about 1 MB a minute). The realtime
// deadline encodes 1080p about three times faster than "good" for a third
// more bytes (docs/screen-recording.md has the measurements).
var (
	WebM = Format{Ext: ".webm",
		video: []string{"-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-row-mt", "1", "-crf", "36", "-b:v", "1200k", "-pix_fmt", "yuv420p"},
		audio: []string{"-c:a", "libopus", "-b:a", "48k", "-ac", "1"}}
	MP4 = Format{Ext: ".mp4",
		video: []string{"-c:v", "libx264", "-preset", "medium", "-crf", "28", "-maxrate", "1200k", "-bufsize", "2400k", "-pix_fmt", "yuv420p", "-movflags", "+faststart"},
		audio: []string{"-c:a", "aac", "-b:a", "64k", "-ac", "1"}}
)

// PickFormat is WebM when this FFmpeg has the VP9 and Opus encoders, else
// MP4 (H.264 and AAC).
func (t Tools) PickFormat(ctx context.Context) (Format, error) {
	out, err := run(ctx, t.FFmpeg, "-hide_banner", "-encoders")
	if err != nil {
		return Format{}, fmt.Errorf("list FFmpeg's encoders: %w", err)
	}
	has := func(name string) bool {
		return regexp.MustCompile(`(?m)^\s*\S+\s+` + regexp.QuoteMeta(name) + `\s`).Match(out)
	}
	switch {
	case has("libvpx-vp9") && has("libopus"):
		return WebM, nil
	case has("libx264") && has("aac"):
		return MP4, nil
	}
	return Format{}, fmt.Errorf("this FFmpeg has neither VP9 with Opus nor H.264 with AAC: install a full FFmpeg build (Debian's ffmpeg package has both)")
}

// Mark is a click in the recording: a chapter, and a ring drawn on the
// video.
type Mark struct {
	At time.Duration
	// Point is where the click was, in the recorded area's pixels; a
	// point outside it (a click elsewhere on the screen) gets no ring.
	Point image.Point
	// Title is the chapter's title (plain text).
	Title string
}

// RingShown is how long a click's ring stays on the video.
const RingShown = 600 * time.Millisecond

// ringRadius is the ring's outer radius in pixels.
const ringRadius = 22

// Finish joins the segments into out (a file name ending in f.Ext) in
// format f: a ring drawn at each mark for RingShown (or until the next),
// the marks as the file's chapters, and sound when the segments have it.
// area is the recorded area's size, to leave out rings outside it.
func (t Tools) Finish(ctx context.Context, segments []string, out string, marks []Mark, area image.Point, f Format) error {
	if len(segments) == 0 {
		return fmt.Errorf("finish the screen recording: nothing was recorded")
	}
	dir := filepath.Dir(segments[0])
	var total time.Duration
	audio := false
	var list strings.Builder
	for _, s := range segments {
		in, err := t.Probe(ctx, s)
		if err != nil {
			return fmt.Errorf("finish the screen recording: %w", err)
		}
		length := segmentLength(in)
		total += length
		audio = audio || in.Audio
		abs, err := filepath.Abs(s)
		if err != nil {
			return fmt.Errorf("finish the screen recording: %w", err)
		}
		// Each segment lasts from its first grab to its last (the
		// timeline Recorder.Offset counts in), whatever its container
		// says its duration is.
		fmt.Fprintf(&list, "file '%s'\nduration %.6f\n", strings.ReplaceAll(filepath.ToSlash(abs), "'", `'\''`), length.Seconds())
	}
	listFile := filepath.Join(dir, "segments.txt")
	if err := os.WriteFile(listFile, []byte(list.String()), 0o600); err != nil {
		return fmt.Errorf("finish the screen recording: %w", err)
	}
	metaFile := filepath.Join(dir, "chapters.txt")
	if err := os.WriteFile(metaFile, []byte(Chapters(marks, total)), 0o600); err != nil {
		return fmt.Errorf("finish the screen recording: %w", err)
	}
	args := []string{"-hide_banner", "-nostats", "-loglevel", "error", "-y",
		"-f", "concat", "-safe", "0", "-i", listFile, "-i", metaFile}
	graph := ringGraph(marks, area)
	if graph != "" {
		ring := filepath.Join(dir, "ring.png")
		if err := writeRing(ring); err != nil {
			return fmt.Errorf("finish the screen recording: %w", err)
		}
		script := filepath.Join(dir, "rings.txt")
		if err := os.WriteFile(script, []byte(graph), 0o600); err != nil {
			return fmt.Errorf("finish the screen recording: %w", err)
		}
		args = append(args, "-i", ring, "-filter_complex_script", script, "-map", "[v]")
	} else {
		args = append(args, "-map", "0:v")
	}
	args = append(args, "-map_chapters", "1", "-map_metadata", "1")
	args = append(args, f.video...)
	if audio {
		args = append(args, "-map", "0:a")
		args = append(args, f.audio...)
	}
	args = append(args, "-threads", strconv.Itoa(max(2, runtime.NumCPU())), out)
	if _, err := run(ctx, t.FFmpeg, args...); err != nil {
		return fmt.Errorf("finish the screen recording: %w", err)
	}
	return nil
}

// segmentLength is a segment's length: Matroska keeps the timestamps
// FFmpeg was given (-copyts, the wall clock), so ffprobe's duration of
// such a file is its end time.
func segmentLength(in Info) time.Duration {
	if in.Start > 0 && in.Duration > in.Start {
		return in.Duration - in.Start
	}
	return in.Duration
}

// Chapters is the FFmpeg metadata file of the marks: one chapter from each
// mark to the next, the last to the end (total).
func Chapters(marks []Mark, total time.Duration) string {
	var b strings.Builder
	b.WriteString(";FFMETADATA1\n")
	for i, m := range marks {
		end := total
		if i+1 < len(marks) {
			end = marks[i+1].At
		}
		if end <= m.At {
			end = m.At + time.Millisecond
		}
		fmt.Fprintf(&b, "[CHAPTER]\nTIMEBASE=1/1000\nSTART=%d\nEND=%d\ntitle=%s\n", m.At.Milliseconds(), end.Milliseconds(), metaEscape(m.Title))
	}
	return b.String()
}

// metaEscape escapes what FFmpeg's metadata files read as syntax.
func metaEscape(s string) string {
	var b strings.Builder
	for _, r := range strings.Join(strings.Fields(s), " ") {
		if strings.ContainsRune(`=;#\`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// ringGraph is the filter graph that overlays the ring image (input 2) on
// the video (input 0) at each mark inside area, "" when there is none.
// One overlay whose position is a sum of time windows: the windows never
// overlap (each ends at the next mark), so at most one term is not zero.
func ringGraph(marks []Mark, area image.Point) string {
	var xs, ys, on []string
	sec := func(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'f', 3, 64) }
	for i, m := range marks {
		if !m.Point.In(image.Rectangle{Max: area}) {
			continue
		}
		end := m.At + RingShown
		if i+1 < len(marks) && marks[i+1].At < end {
			end = marks[i+1].At
		}
		w := fmt.Sprintf("gte(t\\,%s)*lt(t\\,%s)", sec(m.At), sec(end))
		xs = append(xs, fmt.Sprintf("%s*%d", w, m.Point.X-ringRadius))
		ys = append(ys, fmt.Sprintf("%s*%d", w, m.Point.Y-ringRadius))
		on = append(on, w)
	}
	if len(on) == 0 {
		return ""
	}
	return fmt.Sprintf("[0:v][2:v]overlay=x=%s:y=%s:enable=%s:eval=frame:format=auto[v]\n",
		strings.Join(xs, "+"), strings.Join(ys, "+"), strings.Join(on, "+"))
}

// writeRing writes the ring drawn at a click: an orange circle line with
// a dark edge, transparent inside, like the step recorder's screenshots.
func writeRing(path string) error {
	size := 2 * ringRadius
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	c := float64(size-1) / 2
	for y := range size {
		for x := range size {
			dx, dy := float64(x)-c, float64(y)-c
			d := dx*dx + dy*dy
			r := float64(ringRadius)
			switch {
			case d <= (r-0.5)*(r-0.5) && d >= (r-2.5)*(r-2.5), d <= (r-7.5)*(r-7.5) && d >= (r-9.5)*(r-9.5):
				img.SetNRGBA(x, y, color.NRGBA{0x20, 0x20, 0x20, 0xd0})
			case d < (r-2.5)*(r-2.5) && d > (r-7.5)*(r-7.5):
				img.SetNRGBA(x, y, color.NRGBA{0xf5, 0x79, 0x00, 0xff})
			}
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return err
	}
	return os.WriteFile(path, b.Bytes(), 0o600)
}

// Info is what ffprobe says of a video file.
type Info struct {
	// Start is the file's start time: for a segment (-copyts) the wall
	// clock of its first grab, since the Unix epoch.
	Start         time.Duration
	Duration      time.Duration
	Width, Height int
	Video         string // the video codec, e.g. "vp9"
	Audio         bool
	AudioCodec    string
	Chapters      []Chapter
}

// Chapter is a chapter of a video file.
type Chapter struct {
	Start, End time.Duration
	Title      string
}

// Probe asks ffprobe about a video file.
func (t Tools) Probe(ctx context.Context, file string) (Info, error) {
	out, err := run(ctx, t.FFprobe, "-v", "error", "-print_format", "json", "-show_format", "-show_streams", "-show_chapters", file)
	if err != nil {
		return Info{}, fmt.Errorf("probe %s: %w", filepath.Base(file), err)
	}
	var p struct {
		Format struct {
			Start    string `json:"start_time"`
			Duration string `json:"duration"`
		} `json:"format"`
		Streams []struct {
			Type   string `json:"codec_type"`
			Codec  string `json:"codec_name"`
			Width  int    `json:"width"`
			Height int    `json:"height"`
		} `json:"streams"`
		Chapters []struct {
			Start string            `json:"start_time"`
			End   string            `json:"end_time"`
			Tags  map[string]string `json:"tags"`
		} `json:"chapters"`
	}
	if err := json.Unmarshal(out, &p); err != nil {
		return Info{}, fmt.Errorf("probe %s: %w", filepath.Base(file), err)
	}
	var in Info
	in.Start, in.Duration = seconds(p.Format.Start), seconds(p.Format.Duration)
	for _, s := range p.Streams {
		switch s.Type {
		case "video":
			if in.Video == "" {
				in.Video, in.Width, in.Height = s.Codec, s.Width, s.Height
			}
		case "audio":
			in.Audio, in.AudioCodec = true, s.Codec
		}
	}
	for _, c := range p.Chapters {
		in.Chapters = append(in.Chapters, Chapter{Start: seconds(c.Start), End: seconds(c.End), Title: c.Tags["title"]})
	}
	return in, nil
}

func seconds(s string) time.Duration {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0
	}
	return time.Duration(f * float64(time.Second))
}

// Poster writes the frame at time at of the video as a PNG, scaled to at
// most 1280 pixels wide.
func (t Tools) Poster(ctx context.Context, video string, at time.Duration, out string) error {
	_, err := run(ctx, t.FFmpeg, "-hide_banner", "-loglevel", "error", "-y", "-ss", strconv.FormatFloat(at.Seconds(), 'f', 3, 64),
		"-i", video, "-frames:v", "1", "-vf", "scale='min(1280,iw)':-2", "-update", "1", out)
	if err != nil {
		return fmt.Errorf("poster frame: %w", err)
	}
	return nil
}

// Frame writes the frame at time at of the video, unscaled (tests read
// its pixels).
func (t Tools) Frame(ctx context.Context, video string, at time.Duration, out string) error {
	_, err := run(ctx, t.FFmpeg, "-hide_banner", "-loglevel", "error", "-y", "-ss", strconv.FormatFloat(at.Seconds(), 'f', 3, 64),
		"-i", video, "-frames:v", "1", "-update", "1", out)
	return err
}

// ErrNoMicrophone is returned by Microphone when there is no sound input.
var ErrNoMicrophone = fmt.Errorf("no microphone")

// Microphone finds the sound input to narrate with: PulseAudio's (or
// PipeWire's) default source on Linux, the first DirectShow audio device
// on Windows. It opens it briefly to be sure.
func (t Tools) Microphone(ctx context.Context) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 8*time.Second)
	defer cancel()
	if runtime.GOOS == "windows" {
		cmd := exec.CommandContext(ctx, t.FFmpeg, "-hide_banner", "-list_devices", "true", "-f", "dshow", "-i", "dummy")
		hideWindow(cmd)
		out, _ := cmd.CombinedOutput() // FFmpeg ends with an error after the list
		if name := dshowAudio(string(out)); name != "" {
			return name, nil
		}
		return "", fmt.Errorf("%w: Windows lists no sound input; plug in a microphone (or allow apps to use it in Settings > Privacy > Microphone)", ErrNoMicrophone)
	}
	if _, err := run(ctx, t.FFmpeg, "-hide_banner", "-loglevel", "error", "-f", "pulse", "-i", "default", "-t", "0.1", "-f", "null", "-"); err != nil {
		return "", fmt.Errorf("%w: FFmpeg could not open the default sound input of PulseAudio or PipeWire (%v); check that a microphone is plugged in and chosen in the sound settings",
			ErrNoMicrophone, firstLine(err.Error()))
	}
	return "default", nil
}

// dshowAudio is the first audio device in FFmpeg's DirectShow device list:
// lines like `[dshow @ 0x...] "Microphone (Realtek Audio)" (audio)`.
func dshowAudio(list string) string {
	m := regexp.MustCompile(`"([^"]+)"\s+\(audio\)`).FindStringSubmatch(list)
	if m == nil {
		return ""
	}
	return m[1]
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return strings.TrimRight(s[:i], ":")
	}
	return s
}
