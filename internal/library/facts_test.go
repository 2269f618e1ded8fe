package library

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/cuecard/cuecard/internal/guide"
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

// lintSame waits until the watcher's problem list is exactly lint's.
func lintSame(t *testing.T, root string, m *model, what string) {
	t.Helper()
	var diff string
	// 30 s: under Wine on a busy machine the watcher has been seen to take
	// more than 10.
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
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
		if w == g {
			return
		}
		diff = "watcher:\n" + g + "\nlint:\n" + w
	}
	t.Fatalf("%s: problems differ from lint's\n%s", what, diff)
}

// The watcher keeps only the per-file problems the library's settings
// report; when the settings change (managed on or off, codes silenced or
// not) it reads the files again, so its list is still lint's.
func TestWatchProblemsFollowSettingsBothWays(t *testing.T) {
	root := t.TempDir()
	write(t, root, "a.md", []byte("# Notes\n\nno front matter: the managed checks have much to say\n"))
	write(t, root, "b.md", []byte("---\ntitle: B\nunknown_key: 1\n---\nshort\n"))
	write(t, root, "c.md", []byte("---\ntitle: [broken\n---\n"))
	_, m := startWatch(t, root, nil)
	lintSame(t, root, m, "at start")
	for i, settings := range []string{
		"managed: true\n",
		"managed: true\nsilence: [no-owner]\n",
		"managed: true\n",
		"managed: false\n",
		"managed: true\nsilence: [title, unknown-key]\n",
	} {
		write(t, root, SettingsFile, []byte(settings))
		lintSame(t, root, m, fmt.Sprintf("settings %d: %q", i, settings))
	}
	m.mu.Lock()
	n := len(m.problems)
	m.mu.Unlock()
	if n < 4 {
		t.Fatalf("only %d problems with managed checks: the fixture lost its point", n)
	}
	settle(t, root, m)
}

// Guides that link to the same missing file share one message string, and
// their links' destinations, within the watcher's facts.
func TestWatchFactsShareStrings(t *testing.T) {
	root := t.TempDir()
	for _, name := range []string{"a.md", "b.md", "c.md"} {
		write(t, root, "f/"+name, []byte("---\ntitle: "+name+"\n---\nsee [the gone one](../gone.md) and [term](g)\n"))
	}
	w, m := startWatch(t, root, nil)
	lintSame(t, root, m, "at start")
	m.mu.Lock()
	msgs := map[*byte]int{}
	for _, p := range m.problems {
		if p.Code == "broken-link" && strings.Contains(p.Message, "gone.md") {
			msgs[unsafe.StringData(p.Message)]++
		}
	}
	m.mu.Unlock()
	if len(msgs) != 1 {
		t.Errorf("the three guides' broken-link messages are %d strings, want 1 shared: %v", len(msgs), msgs)
	}
	// The facts were written before the change the model read (the
	// channel orders them), and nothing has changed since.
	dests := map[*byte]bool{}
	for _, id := range []string{"f/a.md", "f/b.md", "f/c.md"} {
		f := w.facts[id]
		if f == nil || len(f.links) != 2 {
			t.Fatalf("facts of %s: %+v", id, f)
		}
		dests[unsafe.StringData(f.links[0].dest)] = true
		if d, text := f.links[1].destText(); d != "g" || text != "term" {
			t.Errorf("%s: the glossary link is %q %q, want g, term", id, d, text)
		}
	}
	if len(dests) != 1 {
		t.Errorf("the three guides' link destinations are %d strings, want 1 shared", len(dests))
	}
}

// A fileState tells apart what the watcher must tell apart, whatever the
// hash looks like, and gives the scanner back size and time.
func TestFileState(t *testing.T) {
	mt := time.Date(2026, 3, 1, 10, 0, 0, 5, time.UTC)
	base := guide.FileState{Size: 10, ModTime: mt, Hash: strings.Repeat("ab", 32)}
	if stateOf(base) != stateOf(guide.FileState{Size: 10, ModTime: mt.In(time.Local), Hash: base.Hash}) {
		t.Error("the same instant in another zone is another state")
	}
	for _, other := range []guide.FileState{
		{Size: 11, ModTime: mt, Hash: base.Hash},
		{Size: 10, ModTime: mt.Add(1), Hash: base.Hash},
		{Size: 10, ModTime: mt, Hash: "ac" + strings.Repeat("ab", 31)},
		{Size: 10, ModTime: mt, Hash: "x"},
		{Size: 10, ModTime: mt, Hash: strings.Repeat("ab", 40)}, // longer than a SHA-256
		{Size: 10, ModTime: mt, Hash: strings.Repeat("zz", 32)}, // not hex
		{Size: 10, Hash: base.Hash},
	} {
		if stateOf(other) == stateOf(base) {
			t.Errorf("%+v is the same state as %+v", other, base)
		}
		back := stateOf(other).FileState()
		if back.Size != other.Size || !back.ModTime.Equal(other.ModTime) || back.ModTime.IsZero() != other.ModTime.IsZero() {
			t.Errorf("%+v came back as %+v", other, back)
		}
	}
}
