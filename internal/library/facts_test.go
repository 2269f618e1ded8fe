package library

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The watcher keeps only a guide's facts between scans; its problem list
// must still be exactly lint's, before and after the library changes.
func TestWatchProblemsEqualLint(t *testing.T) {
	root := t.TempDir()
	fm := func(extra string) string {
		return "---\ntitle: How to x\nowner: a@example.com\nreviewed: 2026-10-01\n" + extra + "---\n"
	}
	write(t, root, "a.md", []byte(fm("")+"see [b](b.md), [top](#top), [site](https://example.com/x.md), ![pic](img/p.png), [mail](mailto:a@b.c), [empty]()\n"))
	write(t, root, "dup/a.md", []byte("---\ntitle: how  to X\nreviewed: 2020-01-01\nreview_every: 30d\n---\nbody [up](../a.md) [gone](../../outside.md)\n"))
	write(t, root, "v.md", []byte(fm("format: video\nvideo: media/v.mp4\n")+"watch\n"))
	write(t, root, "t.md", []byte(fm("format: template\ntemplate: https://example.com/t.txt\n")+"copy\n"))
	write(t, root, "t2.md", []byte(fm("format: template\ntemplate: tpl/missing.txt\n")+"copy\n"))
	write(t, root, "abs.md", []byte(fm("")+"[abs](/etc/passwd) [file](file:///etc/passwd)\n"))
	write(t, root, "bad.md", []byte("---\ntitle: [oops\n---\n"))
	_, m := startWatch(t, root, nil)
	same := func() (bool, string) {
		rep, err := Lint(context.Background(), root, today, nil)
		if err != nil {
			t.Fatal(err)
		}
		var want, got []string
		for _, p := range rep.Problems {
			want = append(want, p.String())
		}
		m.mu.Lock()
		for _, p := range m.problems {
			got = append(got, p.String())
		}
		m.mu.Unlock()
		w, g := strings.Join(want, "\n"), strings.Join(got, "\n")
		return w == g, "watcher:\n" + g + "\nlint:\n" + w
	}
	check := func(what string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			ok, diff := same()
			if ok {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: problems differ from lint's\n%s", what, diff)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	check("at start")
	m.mu.Lock()
	n := len(m.problems)
	m.mu.Unlock()
	if n < 10 {
		t.Fatalf("only %d problems: the fixture lost its point", n)
	}
	// Targets appear: links, the image, the video and the template resolve.
	write(t, root, "b.md", []byte(fm("")+"b\n"))
	write(t, root, "img/p.png", []byte("png"))
	write(t, root, "media/v.mp4", []byte("mp4"))
	write(t, root, "tpl/missing.txt", []byte("tpl"))
	check("after adding the targets")
	// And go again.
	if err := os.RemoveAll(filepath.Join(root, "img")); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(root, "b.md")); err != nil {
		t.Fatal(err)
	}
	check("after removing targets")
}

// fileFree links never depend on the library's files: Resolve gives no
// path and no message for them, whatever the library holds.
func TestFileFree(t *testing.T) {
	root := t.TempDir()
	write(t, root, "x.md", []byte("x"))
	for _, d := range []string{"#top", " #a ", "https://example.com/x.md", "mailto:a@b.c", "HTTP://x", "ftp://h/x.md",
		"x.md", "./x.md", "", " ", "file:///etc/passwd", "/etc/passwd", "C:/x.md", "c:x.md", "%zz", "../x.md", "x.md#a", "?q"} {
		free := fileFree(d)
		rel, msg := Resolve(root, "g.md", d, false)
		if free && (rel != "" || msg != "") {
			t.Errorf("fileFree(%q) but Resolve = %q, %q", d, rel, msg)
		}
		if want := strings.HasPrefix(strings.TrimSpace(d), "#") || strings.Contains(d, "://") && !strings.HasPrefix(d, "file:") || strings.HasPrefix(d, "mailto:"); free != want {
			t.Errorf("fileFree(%q) = %v, want %v", d, free, want)
		}
	}
}
