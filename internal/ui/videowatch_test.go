package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/cuecard/cuecard/internal/guide"
)

// TestVideoChapters: a button per chapter (time and plain text) and one
// for the start; a tap says where the video plays from and asks for it.
func TestVideoChapters(t *testing.T) {
	newApp(t)
	src := "---\ntitle: How to create a deal\nformat: video\nvideo: a.webm\n---\n\n## Chapters\n\n1. [0:05] Click the **New** button.\n2. [1:02] Choose **Save**.\n"
	g, probs := guide.Parse("deal/index.md", []byte(src))
	if g == nil || len(g.Chapters) != 2 {
		t.Fatalf("%+v %v", g, probs)
	}
	c := NewVideoChapters(g)
	show(t, c, videoChaptersSize(len(g.Chapters)))
	var got []time.Duration
	c.OnChapter = func(at time.Duration) { got = append(got, at) }
	test.Tap(button(t, c, "1:02  Choose Save."))
	wantText(t, c, "Playing from 1:02 · 2 chapters", "0:05 Click the New button.")
	test.Tap(button(t, c, "0:00  From the start"))
	if len(got) != 2 || got[0] != 62*time.Second || got[1] != 0 {
		t.Errorf("chapters asked %v", got)
	}
}

// TestRecordPromptVideo: the screen recording choice shows only when
// offered, and VideoChosen says whether it is ticked.
func TestRecordPromptVideo(t *testing.T) {
	newApp(t)
	p := NewRecordPrompt()
	show(t, p, RecordPromptVideoSize)
	if p.Video().Visible() || p.VideoChosen() {
		t.Fatal("the video choice shows without being offered")
	}
	p.OfferVideo()
	wantText(t, p, VideoChoice)
	if p.VideoChosen() {
		t.Fatal("chosen before ticked")
	}
	test.Tap(p.Video())
	if !p.VideoChosen() {
		t.Error("ticked, not chosen")
	}
}
