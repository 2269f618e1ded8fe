package library

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/cuecard/cuecard/internal/guide"
)

var today = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// copyDir copies a fixture library into a temp dir so tests can add files.
func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func write(t *testing.T, root, rel string, data []byte) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func find(ps []guide.Problem, path, code string) *guide.Problem {
	for i := range ps {
		if ps[i].Path == path && ps[i].Code == code {
			return &ps[i]
		}
	}
	return nil
}

// requireSymlinks skips the test where os.Symlink does not make a working
// symbolic link: Wine 8 reports success and makes none. (Windows itself
// makes them with Developer Mode or the privilege to create symbolic links.)
func requireSymlinks(t *testing.T) {
	t.Helper()
	dir := t.TempDir()
	target, link := filepath.Join(dir, "target"), filepath.Join(dir, "link")
	if err := os.WriteFile(target, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := os.Symlink(target, link)
	if err == nil {
		var fi os.FileInfo
		if fi, err = os.Lstat(link); err == nil && fi.Mode()&os.ModeSymlink != 0 {
			if b, rerr := os.ReadFile(link); rerr == nil && string(b) == "x" {
				return
			}
		}
	}
	t.Skipf("this system makes no working symbolic links (os.Symlink: %v), which this test needs", err)
}

// brokenLibrary is the fixture plus the bad files that are awkward to commit.
func brokenLibrary(t *testing.T) string {
	requireSymlinks(t)
	root := copyDir(t, "testdata/broken")
	write(t, root, "sales/huge.md", []byte("---\ntitle: How to read everything\n---\n"+strings.Repeat("all work and no play ", 60000)))
	write(t, root, "sales/binary.md", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
	write(t, root, "sales/latin1.md", []byte("---\ntitle: How to greet a client\n---\nBonjour,\nCaf\xe9 cr\xe8me.\n"))
	if err := os.Symlink(filepath.Join(root, "nowhere.md"), filepath.Join(root, "sales/dangling.md")); err != nil {
		t.Fatal(err)
	}
	return root
}

func TestLintBrokenLibrary(t *testing.T) {
	root := brokenLibrary(t)
	rep, err := Lint(context.Background(), root, today, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path, code string
		line       int
		level      guide.Level
	}{
		{"support/invalid-yaml.md", "yaml", 3, guide.LevelError},
		{"support/unterminated.md", "front-matter", 1, guide.LevelError},
		{"support/wrong-type.md", "type", 5, guide.LevelError},
		{"sales/bad-regex.md", "regex", 6, guide.LevelError},
		{"sales/bad-date.md", "date", 4, guide.LevelError},
		{"sales/empty.md", "empty", 1, guide.LevelError},
		{"sales/unknown-format.md", "format", 3, guide.LevelError},
		{"sales/video-no-link.md", "missing-video", 3, guide.LevelError},
		{"sales/template-missing.md", "broken-link", 4, guide.LevelError},
		{"sales/duplicate-title.md", "duplicate-title", 2, guide.LevelError},
		{"sales/huge.md", "too-large", 1, guide.LevelError},
		{"sales/binary.md", "binary", 3, guide.LevelError},
		{"sales/latin1.md", "encoding", 5, guide.LevelError},
		{"sales/dangling.md", "unreadable", 1, guide.LevelError},
		{"sales/overdue.md", "overdue", 6, guide.LevelWarning},
		{"sales/overdue.md", "title", 2, guide.LevelWarning},
		{"support/hugo-page.md", "unknown-key", 4, guide.LevelWarning},
		{"support/plain-notes.md", "no-owner", 1, guide.LevelWarning},
		{"support/plain-notes.md", "unreachable", 1, guide.LevelWarning},
		{"support/plain-notes.md", "no-reviewed", 1, guide.LevelWarning},
	} {
		p := find(rep.Problems, tc.path, tc.code)
		if p == nil {
			t.Errorf("no %s problem for %s", tc.code, tc.path)
			continue
		}
		if p.Line != tc.line || p.Level != tc.level {
			t.Errorf("%s %s: line %d level %s, want line %d level %s (%s)", tc.path, tc.code, p.Line, p.Level, tc.line, tc.level, p.Message)
		}
	}
	for _, p := range rep.Problems {
		if p.Path == "sales/create-deal.md" || p.Path == "support/refund-bom-crlf.md" || p.Path == "support/faq.md" {
			t.Errorf("a clean guide has a problem: %s", p)
		}
	}
	// Links: the missing relative file, the escape and the file: URL outside
	// are errors on their lines; web and mail links are fine.
	var links []string
	for _, p := range rep.Problems {
		if p.Path == "sales/broken-links.md" && p.Code == "broken-link" {
			links = append(links, p.Message)
			if p.Line != 7 && p.Line != 8 {
				t.Errorf("link problem on line %d: %s", p.Line, p.Message)
			}
		}
	}
	if len(links) != 3 || !strings.Contains(strings.Join(links, "|"), "does not exist") || !strings.Contains(strings.Join(links, "|"), "outside the library") {
		t.Errorf("link problems = %q", links)
	}
	// The good files are still read; ignored files never show up.
	got := map[string]bool{}
	for _, g := range rep.Guides {
		got[g.ID] = true
	}
	for _, id := range []string{"sales/create-deal.md", "support/faq.md", "support/refund-bom-crlf.md", "support/plain-notes.md",
		"support/hugo-page.md", "sales/broken-links.md", "sales/duplicate-title.md", "sales/overdue.md", "sales/template-missing.md"} {
		if !got[id] {
			t.Errorf("good guide %s not loaded", id)
		}
	}
	for _, p := range rep.Problems {
		if strings.Contains(p.Path, ".git") || strings.Contains(p.Path, ".obsidian") || strings.Contains(p.Path, "lock") || strings.HasSuffix(p.Path, ".part") {
			t.Errorf("ignored file reported: %s", p)
		}
	}
	for _, id := range []string{"support/invalid-yaml.md", "sales/empty.md", "sales/huge.md", "sales/bad-regex.md"} {
		if got[id] {
			t.Errorf("broken guide %s loaded", id)
		}
	}
	if rep.Files != 21 {
		t.Errorf("files = %d, want 21", rep.Files)
	}
}

func TestLintCleanLibrary(t *testing.T) {
	root := t.TempDir()
	write(t, root, "a.md", []byte("---\ntitle: How to file an expense\nowner: a@example.com\nreviewed: 2026-10-01\ntags: [expenses]\ntemplate: forms/expense.txt\nformat: template\nvideo: https://example.com/v\n---\nSee [the form](forms/expense.txt).\n"))
	write(t, root, "forms/expense.txt", []byte("form"))
	rep, err := Lint(context.Background(), root, today, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Problems) != 0 {
		t.Errorf("clean library has problems: %v", rep.Problems)
	}
}

func TestScanKnown(t *testing.T) {
	root := t.TempDir()
	write(t, root, "a.md", []byte("# How to a\n"))
	write(t, root, "sub/b.md", []byte("# How to b\n"))
	write(t, root, "sub/c.md", []byte("# How to c\n"))
	ctx := context.Background()
	first, err := Scan(ctx, root, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Guides) != 3 {
		t.Fatalf("guides = %d", len(first.Guides))
	}
	known := map[string]guide.FileState{}
	for _, g := range first.Guides {
		known[g.ID] = g.State()
	}
	// Change b (size changes), delete c, add d, break a.
	write(t, root, "sub/b.md", []byte("# How to b, edited\n"))
	os.Remove(filepath.Join(root, "sub/c.md"))
	write(t, root, "d.md", []byte("# How to d\n"))
	second, err := Scan(ctx, root, Options{Known: known})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, g := range second.Guides {
		ids = append(ids, g.ID)
	}
	if strings.Join(ids, ",") != "d.md,sub/b.md" || strings.Join(second.Unchanged, ",") != "a.md" {
		t.Errorf("changed %v unchanged %v", ids, second.Unchanged)
	}
	if rm := second.Removed(known); strings.Join(rm, ",") != "sub/c.md" {
		t.Errorf("removed = %v", rm)
	}
}

func TestScanSymlinkLoopAndOutside(t *testing.T) {
	requireSymlinks(t)
	root := t.TempDir()
	outside := t.TempDir()
	write(t, root, "a.md", []byte("# How to a\n"))
	write(t, outside, "secret.md", []byte("# How to leak\n"))
	if err := os.Symlink(root, filepath.Join(root, "loop")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(outside, "secret.md"), filepath.Join(root, "secret.md")); err != nil {
		t.Fatal(err)
	}
	res, err := Scan(context.Background(), root, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Guides) != 1 || res.Guides[0].ID != "a.md" {
		t.Errorf("guides = %v", res.Guides)
	}
	if find(res.Problems, "secret.md", "symlink-outside") == nil {
		t.Errorf("outside symlink not reported: %v", res.Problems)
	}
}

func TestScanErrors(t *testing.T) {
	if _, err := Scan(context.Background(), filepath.Join(t.TempDir(), "missing"), Options{}); err == nil {
		t.Error("missing root accepted")
	}
	f := filepath.Join(t.TempDir(), "file.md")
	write(t, filepath.Dir(f), "file.md", []byte("x"))
	if _, err := Scan(context.Background(), f, Options{}); err == nil {
		t.Error("file as root accepted")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Scan(ctx, t.TempDir(), Options{}); err == nil {
		t.Error("cancelled scan succeeded")
	}
}

func TestPermissionDenied(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads every file; permission errors cannot be produced")
	}
	if runtime.GOOS == "windows" {
		t.Skip("Windows has no permission bits: os.Chmod sets only the read-only attribute, which does not stop reading")
	}
	root := t.TempDir()
	write(t, root, "ok.md", []byte("# How to ok\n"))
	write(t, root, "locked/x.md", []byte("# How to x\n"))
	write(t, root, "secret.md", []byte("# How to s\n"))
	os.Chmod(filepath.Join(root, "locked"), 0)
	os.Chmod(filepath.Join(root, "secret.md"), 0)
	t.Cleanup(func() { os.Chmod(filepath.Join(root, "locked"), 0o755) })
	res, err := Scan(context.Background(), root, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Guides) != 1 || find(res.Problems, "locked", "unreadable") == nil || find(res.Problems, "secret.md", "unreadable") == nil {
		t.Errorf("guides %d problems %v", len(res.Guides), res.Problems)
	}
}

func TestIgnore(t *testing.T) {
	ig := NewIgnore([]string{"drafts/", "*.bak.md"})
	for id, want := range map[string]bool{
		"a.md": false, ".~lock.a.md#": true, "~$report.md": true, "x.tmp": true, "a.md.part": true,
		"notes.md~": true, "4913": true, ".#a.md": true, ".git/x.md": true, "sub/.obsidian/w.md": true,
		".stversions/a.md": true, "_insights/abc/2026.json": true, "_training/kim/a.md": true, "_people/kim.md": true, "training/a.md": false, "drafts/a.md": true, "old.bak.md": true,
		"drafts.md": false, ".syncthing.a.md.tmp": true, ".dropbox.cache/x.md": true, "Thumbs.db": true,
	} {
		if got := ig.Match(id, false); got != want {
			t.Errorf("Match(%q) = %v, want %v", id, got, want)
		}
	}
}

func TestInstallSample(t *testing.T) {
	src := fstest.MapFS{
		"a.md":       {Data: []byte("# How to a\n")},
		"sub/b.md":   {Data: []byte("# How to b\n")},
		"sub/t.fodt": {Data: []byte("<x/>")},
	}
	dest := filepath.Join(t.TempDir(), "data", "library")
	ok, err := InstallSample(src, dest)
	if err != nil || !ok {
		t.Fatalf("install: %v %v", ok, err)
	}
	if b, _ := os.ReadFile(filepath.Join(dest, "sub/b.md")); string(b) != "# How to b\n" {
		t.Errorf("copied %q", b)
	}
	// A library with the user's files is never overwritten.
	write(t, dest, "a.md", []byte("# My own\n"))
	ok, err = InstallSample(src, dest)
	if err != nil || ok {
		t.Fatalf("second install: %v %v", ok, err)
	}
	if b, _ := os.ReadFile(filepath.Join(dest, "a.md")); string(b) != "# My own\n" {
		t.Errorf("user's file overwritten: %q", b)
	}
}

func TestScanEach(t *testing.T) {
	root := t.TempDir()
	for i := 0; i < 600; i++ {
		write(t, root, fmt.Sprintf("d%d/g%d.md", i%7, i), []byte(fmt.Sprintf("# How to do %d\n", i)))
	}
	write(t, root, "bad.md", []byte(""))
	var got []string
	total := 0
	res, err := Scan(context.Background(), root, Options{
		Each:    func(g *guide.Guide) error { got = append(got, g.ID); return nil },
		ToParse: func(n int) { total = n },
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 600 || len(res.Parsed) != 600 || len(res.Guides) != 0 || total != 601 || find(res.Problems, "bad.md", "empty") == nil {
		t.Errorf("each %d parsed %d guides %d total %d problems %d", len(got), len(res.Parsed), len(res.Guides), total, len(res.Problems))
	}
	if rm := res.Removed(map[string]guide.FileState{"d0/g0.md": {}, "gone.md": {}}); strings.Join(rm, ",") != "gone.md" {
		t.Errorf("removed %v", rm)
	}
	stop := fmt.Errorf("stop")
	if _, err := Scan(context.Background(), root, Options{Each: func(*guide.Guide) error { return stop }}); err != stop {
		t.Errorf("Each error not returned: %v", err)
	}
}

func TestScanApply(t *testing.T) {
	root := t.TempDir()
	for i := 0; i < 1000; i++ {
		write(t, root, fmt.Sprintf("g%d.md", i), []byte(fmt.Sprintf("# How to do %d\n", i)))
	}
	var sizes []int
	seen := map[string]bool{}
	res, err := ScanApply(context.Background(), root, Options{}, 300, func(gs []*guide.Guide) error {
		sizes = append(sizes, len(gs))
		for _, g := range gs {
			seen[g.ID] = true
		}
		return nil
	})
	if err != nil || len(seen) != 1000 || len(res.Parsed) != 1000 || len(sizes) < 4 {
		t.Fatalf("err %v seen %d parsed %d batches %v", err, len(seen), len(res.Parsed), sizes)
	}
	boom := fmt.Errorf("disk full")
	if _, err := ScanApply(context.Background(), root, Options{}, 100, func([]*guide.Guide) error { return boom }); err != boom {
		t.Errorf("apply error: %v", err)
	}
}
