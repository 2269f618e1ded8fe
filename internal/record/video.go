package record

import (
	"errors"
	"fmt"
	"image"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/cuecard/cuecard/internal/guide"
)

// Video is a finished screen recording, for WriteVideo.
type Video struct {
	// File is the recording (".webm" or ".mp4"); WriteVideo moves it into
	// the guide's folder. Poster is its poster frame (PNG), moved too; ""
	// for none.
	File, Poster string
	Duration     time.Duration
	// Size is the video's size in pixels.
	Size image.Point
	// Narrated is true when the video has sound.
	Narrated bool
	// Chapters are the clicks, in order: each a step (its draft sentence,
	// its window for the apps rules) and where it is in the video.
	Chapters []VideoChapter
	// Window is the window recorded (one window's recording), for the
	// apps rules; zero for the screen or a region.
	Window guide.Window
}

// VideoChapter is a click in a screen recording.
type VideoChapter struct {
	At   time.Duration
	Step Step
}

// VideoName is the recording's file name in its guide folder, without the
// extension.
const VideoName = "recording"

// PosterName is the poster frame's file name in the guide folder.
const PosterName = "poster.png"

// WriteVideo writes a video guide into a new folder in g.Folder of the
// library, named after the title's slug ("-2", "-3", ... when taken):
// index.md (format: video, the chapters in the body), the recording and
// its poster frame. Like Write it never overwrites anything and leaves no
// half-written guide.
func WriteVideo(root string, g Guide, v Video) (Written, error) {
	title := strings.Join(strings.Fields(g.Title), " ")
	if title == "" {
		return Written{}, errors.New("write recorded video guide: the guide has no title")
	}
	folder, err := CleanFolder(g.Folder)
	if err != nil {
		return Written{}, fmt.Errorf("write recorded video guide: %w", err)
	}
	dir := filepath.Join(root, filepath.FromSlash(folder))
	tmp, err := os.MkdirTemp(dir, ".cuecard-recording-")
	if err != nil {
		return Written{}, fmt.Errorf("write recorded video guide into %s: %w", dir, err)
	}
	done := false
	defer func() {
		if !done {
			os.RemoveAll(tmp)
		}
	}()
	videoName := VideoName + strings.ToLower(filepath.Ext(v.File))
	if err := move(v.File, filepath.Join(tmp, videoName)); err != nil {
		return Written{}, fmt.Errorf("write recorded video guide: %w", err)
	}
	poster := ""
	if v.Poster != "" {
		if err := move(v.Poster, filepath.Join(tmp, PosterName)); err != nil {
			return Written{}, fmt.Errorf("write recorded video guide: %w", err)
		}
		poster = PosterName
	}
	name, err := placeFolder(tmp, dir, guide.FileSlug(title), func(name string) error {
		// The video: key is library-relative, so index.md names the folder.
		md := VideoMarkdown(title, g, v, path.Join(folder, name, videoName), poster)
		index := filepath.Join(tmp, "index.md")
		os.Remove(index) // an earlier try's
		return writeSynced(index, []byte(md))
	})
	if err != nil {
		return Written{}, fmt.Errorf("write recorded video guide: %w", err)
	}
	done = true
	dst := filepath.Join(dir, name)
	w := Written{Dir: dst, File: filepath.Join(dst, "index.md"), ID: path.Join(folder, name, "index.md"), Video: filepath.Join(dst, videoName)}
	if poster != "" {
		w.Poster = filepath.Join(dst, poster)
	}
	return w, nil
}

// move renames a file, or copies it when it is on another file system.
func move(from, to string) error {
	if err := os.Rename(from, to); err == nil {
		return nil
	}
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Remove(from)
}

// VideoMarkdown is a video guide's index.md: front matter (format: video,
// the video's library-relative file, its length as the duration, the
// apps rules of the clicked windows, draft), the poster frame, and the
// chapters: "1. [0:05] Click the **Save** button.", one per click, the
// searchable text of the steps.
func VideoMarkdown(title string, g Guide, v Video, video, poster string) string {
	var steps []Step
	if !v.Window.IsZero() {
		steps = append(steps, Step{Window: v.Window, App: AppLabel(v.Window)})
	}
	for _, c := range v.Chapters {
		steps = append(steps, c.Step)
	}
	fm := guide.FrontMatter{
		Title: title, Summary: videoSummary(v, steps), Format: guide.FormatVideo, Video: video, Apps: Apps(steps),
		Owner: strings.TrimSpace(g.Owner), Reviewed: g.Today, ReviewEvery: guide.DefaultReviewEvery,
		Duration: max(time.Second, v.Duration.Round(time.Second)),
		Draft:    true, // draft chapter titles: never suggested until the author edits them
	}
	if len(fm.Apps) == 0 {
		fm.Tags = g.Tags
	}
	if fm.Owner == "" {
		fm.Owner = "unknown"
	}
	var b strings.Builder
	fm.WriteTo(&b)
	b.WriteString("\n")
	if poster != "" {
		fmt.Fprintf(&b, "![The recording](%s)\n\n", poster)
	}
	b.WriteString("Watch the recording with **Watch video**, and do the task beside it: each chapter below starts the video at a step.\n\n## Chapters\n\n")
	if len(v.Chapters) == 0 {
		b.WriteString("No clicks were recorded. Add a chapter for each step, with its time in the video: `1. [0:05] Open the report.`\n")
		return b.String()
	}
	for i, c := range v.Chapters {
		text := strings.Join(strings.Fields(c.Step.Text), " ")
		fmt.Fprintf(&b, "%d. [%s] %s\n", i+1, guide.FormatClock(c.At), text)
	}
	return b.String()
}

func videoSummary(v Video, steps []Step) string {
	var apps []string
	seen := map[string]bool{}
	for _, s := range steps {
		if s.Hidden || s.App == "" || seen[s.App] {
			continue
		}
		seen[s.App] = true
		apps = append(apps, s.App)
	}
	what := "A screen recording"
	if v.Narrated {
		what = "A narrated screen recording"
	}
	what += " (" + guide.FormatClock(v.Duration.Round(time.Second)) + ")"
	if len(apps) > 0 {
		what += " of the task in " + strings.Join(apps, ", ")
	}
	switch n := len(v.Chapters); n {
	case 0:
		return what + "."
	case 1:
		return what + ", with 1 chapter to jump to."
	default:
		return what + fmt.Sprintf(", with %d chapters to jump to.", n)
	}
}
