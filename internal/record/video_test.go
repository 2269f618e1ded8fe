package record

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/guide"
)

func TestWriteVideo(t *testing.T) {
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "crm"), 0o755)
	work := t.TempDir()
	vid, poster := filepath.Join(work, "out.webm"), filepath.Join(work, "p.png")
	os.WriteFile(vid, []byte("webm"), 0o644)
	os.WriteFile(poster, []byte("png"), 0o644)
	crm := guide.Window{Exe: "acme-crm", Class: "AcmeCRM"}
	click := func(name string) Step {
		a := Action{Kind: Click, Window: crm, Control: Control{Role: "push button", Name: name}}
		return Step{Kind: Click, Window: crm, App: AppLabel(crm), Text: Sentence(a)}
	}
	v := Video{File: vid, Poster: poster, Duration: 10400 * time.Millisecond, Narrated: true,
		Chapters: []VideoChapter{{At: 2 * time.Second, Step: click("New")}, {At: 5500 * time.Millisecond, Step: click("Save")},
			{At: 8 * time.Second, Step: Step{Kind: Click, Hidden: true, Text: Hidden}}}}
	g := Guide{Title: "How to create a deal", Owner: "ann@example.com", Today: time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC), Folder: "crm", Tags: []string{"deal"}}
	w, err := WriteVideo(root, g, v)
	if err != nil {
		t.Fatal(err)
	}
	if w.ID != "crm/how-to-create-a-deal/index.md" || filepath.Base(w.Video) != "recording.webm" || filepath.Base(w.Poster) != "poster.png" {
		t.Errorf("written %+v", w)
	}
	if _, err := os.Stat(vid); !os.IsNotExist(err) {
		t.Error("the recording was not moved")
	}
	md, _ := os.ReadFile(w.File)
	for _, want := range []string{"format: video\n", "video: 'crm/how-to-create-a-deal/recording.webm'\n", "duration: 10s\n", "exe: '^acme-crm$'",
		"draft: true\n", "summary: 'A narrated screen recording (0:10) of the task in AcmeCRM, with 3 chapters to jump to.'",
		"![The recording](poster.png)", "## Chapters\n\n1. [0:02] Click the **New** button.\n2. [0:05] Click the **Save** button.\n3. [0:08] (hidden)\n"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("index.md lacks %q:\n%s", want, md)
		}
	}
	pg, probs := guide.Parse(w.ID, md)
	if pg == nil || len(probs) != 0 || len(pg.Chapters) != 3 || pg.Chapters[1].At != 5*time.Second || pg.Chapters[1].Text != "Click the **Save** button." {
		t.Errorf("parsed %+v %v", pg, probs)
	}
	// A second one beside it, with no clicks.
	os.WriteFile(vid, []byte("webm"), 0o644)
	w2, err := WriteVideo(root, g, Video{File: vid, Duration: time.Second})
	if err != nil || w2.ID != "crm/how-to-create-a-deal-2/index.md" || w2.Poster != "" {
		t.Fatalf("%+v %v", w2, err)
	}
	md, _ = os.ReadFile(w2.File)
	if !strings.Contains(string(md), "video: 'crm/how-to-create-a-deal-2/recording.webm'") || !strings.Contains(string(md), "No clicks were recorded") ||
		!strings.Contains(string(md), "tags: ") {
		t.Errorf("no clicks:\n%s", md)
	}
}
