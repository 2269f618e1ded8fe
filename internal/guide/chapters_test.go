package guide

import (
	"strings"
	"testing"
	"time"
)

func TestChapters(t *testing.T) {
	src := "---\ntitle: How to export hours\nformat: video\nvideo: a.webm\nowner: a@example.com\nreviewed: 2026-01-02\ntags: [x]\n---\n\n" +
		"Intro.\n\n## Chapters\n\n1. [0:05] Click the **Save** button.\n2. [1:02:03] Choose **Export**.\n3. Later\n\n" +
		"| Time | What |\n|---|---|\n| 0:10 | Back |\n\n```\n1. [0:01] code\n```\n\n## Notes\n\n1. [0:02] not a chapter\n"
	g, probs := Parse("v.md", []byte(src))
	if g == nil {
		t.Fatal(probs)
	}
	want := []Chapter{{5 * time.Second, "Click the **Save** button.", 14}, {time.Hour + 2*time.Minute + 3*time.Second, "Choose **Export**.", 15}, {10 * time.Second, "Back", 20}}
	if len(g.Chapters) != len(want) {
		t.Fatalf("chapters %+v", g.Chapters)
	}
	for i, c := range want {
		if g.Chapters[i] != c {
			t.Errorf("chapter %d: %+v, want %+v", i, g.Chapters[i], c)
		}
	}
	var got []string
	for _, p := range probs {
		if p.Code == "chapter" {
			got = append(got, p.String())
		}
	}
	if len(got) != 2 || !strings.Contains(got[0], "has no time") || !strings.Contains(got[1], "comes before") {
		t.Errorf("problems %v", got)
	}
	// Not a video guide: no chapters.
	if g, _ := Parse("g.md", []byte(strings.Replace(src, "format: video\n", "", 1))); g == nil || g.Chapters != nil {
		t.Errorf("a guide's chapters: %+v", g)
	}
}

func TestClock(t *testing.T) {
	for _, c := range []struct {
		s  string
		d  time.Duration
		ok bool
	}{{"0:05", 5 * time.Second, true}, {"12:30", 750 * time.Second, true}, {"1:02:03", 3723 * time.Second, true}, {"1:5", 0, false}, {"1:60", 0, false}, {"5", 0, false}, {"a:00", 0, false}} {
		d, ok := ParseClock(c.s)
		if d != c.d || ok != c.ok {
			t.Errorf("ParseClock(%q) = %v %v", c.s, d, ok)
		}
		if ok && FormatClock(d) != c.s {
			t.Errorf("FormatClock(%v) = %q", d, FormatClock(d))
		}
	}
}

func TestPlainInline(t *testing.T) {
	if got := PlainInline("Click the **Save** button, then \\*not\\* `x`."); got != "Click the Save button, then *not* x." {
		t.Errorf("got %q", got)
	}
}
