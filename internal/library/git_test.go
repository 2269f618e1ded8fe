package library

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/memory"

	"github.com/cuecard/cuecard/internal/guide"
)

// gitRemote is a bare repository in a temp folder and a clone to push from,
// driven by the git command.
type gitRemote struct {
	t      *testing.T
	bare   string // the remote
	work   string // the author's clone
	home   string
	commit int
}

func newGitRemote(t *testing.T) *gitRemote {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git command not installed")
	}
	base := t.TempDir()
	r := &gitRemote{t: t, bare: filepath.Join(base, "guides.git"), work: filepath.Join(base, "work"), home: filepath.Join(base, "home")}
	os.MkdirAll(r.home, 0o755)
	r.git(base, "init", "-q", "--bare", "-b", "main", r.bare)
	r.git(base, "init", "-q", "-b", "main", r.work)
	r.git(r.work, "remote", "add", "origin", r.bare)
	return r
}

// url is the --library value for this remote.
func (r *gitRemote) url(branch string) string {
	u := "git+file://" + filepath.ToSlash(r.bare)
	if branch != "" {
		u += "#" + branch
	}
	return u
}

func (r *gitRemote) git(dir string, args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "HOME="+r.home, "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=Author", "GIT_AUTHOR_EMAIL=a@example.com",
		"GIT_COMMITTER_NAME=Author", "GIT_COMMITTER_EMAIL=a@example.com")
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// change writes files (content "" deletes), commits and pushes them to
// branch; it returns the new commit.
func (r *gitRemote) change(branch string, files map[string]string) string {
	r.t.Helper()
	for name, content := range files {
		p := filepath.Join(r.work, filepath.FromSlash(name))
		if content == "" {
			os.Remove(p)
			continue
		}
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			r.t.Fatal(err)
		}
	}
	r.commit++
	r.git(r.work, "add", "-A")
	r.git(r.work, "commit", "-q", "--allow-empty", "-m", fmt.Sprintf("change %d", r.commit))
	r.git(r.work, "push", "-q", "-f", "origin", "HEAD:refs/heads/"+branch)
	return r.git(r.work, "rev-parse", "HEAD")
}

func openTestGit(t *testing.T, u string) *GitSource {
	t.Helper()
	cloneURL, branch, err := ParseGitSource(u)
	if err != nil {
		t.Fatal(err)
	}
	return OpenGit(cloneURL, branch, GitSourceDir(t.TempDir(), cloneURL, branch))
}

func mustSync(t *testing.T, g *GitSource) GitStatus {
	t.Helper()
	st, err := g.Sync(context.Background())
	if err != nil {
		t.Fatalf("sync: %v (status %+v)", err, st)
	}
	return st
}

// treeFiles lists every file under root (through the current symlink) with
// its content.
func treeFiles(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	dir, err := filepath.EvalSymlinks(root)
	if err != nil {
		t.Fatal(err)
	}
	err = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		if fi, err := os.Stat(p); err == nil && fi.IsDir() {
			return nil // a link to a folder
		}
		rel, _ := filepath.Rel(dir, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		out[filepath.ToSlash(rel)] = string(data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sameFiles(t *testing.T, got, want map[string]string) {
	t.Helper()
	var diffs []string
	for k, v := range want {
		if got[k] != v {
			diffs = append(diffs, fmt.Sprintf("%s: got %q, want %q", k, got[k], v))
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			diffs = append(diffs, fmt.Sprintf("%s: unexpected", k))
		}
	}
	sort.Strings(diffs)
	if len(diffs) > 0 {
		t.Errorf("working copy differs:\n%s", strings.Join(diffs, "\n"))
	}
}

// sameStatus compares statuses as stored (times by instant, not Changed).
func sameStatus(a, b GitStatus) bool {
	ta := []time.Time{a.CommitTime, a.LastSync, a.LastAttempt}
	tb := []time.Time{b.CommitTime, b.LastSync, b.LastAttempt}
	for i := range ta {
		if !ta[i].Equal(tb[i]) {
			return false
		}
	}
	a.CommitTime, a.LastSync, a.LastAttempt, a.Changed = time.Time{}, time.Time{}, time.Time{}, false
	b.CommitTime, b.LastSync, b.LastAttempt, b.Changed = time.Time{}, time.Time{}, time.Time{}, false
	return a == b
}

func TestParseGitURL(t *testing.T) {
	for _, c := range []struct {
		in, url, branch string
		ok              bool
	}{
		{"git+https://host/org/guides.git#main", "https://host/org/guides.git", "main", true},
		{"git+https://host/org/guides.git", "https://host/org/guides.git", "", true},
		{"git+https://tok@host/org/guides.git#release/2026", "https://tok@host/org/guides.git", "release/2026", true},
		{"git+http://intranet:8080/guides.git#", "http://intranet:8080/guides.git", "", true},
		{"git+ssh://git@host/org/guides.git#dev", "ssh://git@host/org/guides.git", "dev", true},
		{"git+file:///srv/guides.git", "file:///srv/guides.git", "", true},
		{"git+file:///C:/guides.git#main", "file:///C:/guides.git", "main", true},
		{"/home/me/guides", "", "", false},
		{"https://host/org/guides.git", "", "", false},
		{"git+ftp://host/guides.git", "", "", false},
		{"git+https://host", "", "", false},
		{"git+https:///guides.git", "", "", false},
		{"git+file://relative/guides.git", "", "", false},
		{"git+file://", "", "", false},
		{"git+https://host/g.git#bad..name", "", "", false},
		{"git+https://host/g.git#-x", "", "", false},
		{"git+https://host/g.git#a b", "", "", false},
		{"git+https://host/%zz", "", "", false},
	} {
		u, b, ok := ParseGitURL(c.in)
		if u != c.url || b != c.branch || ok != c.ok {
			t.Errorf("ParseGitURL(%q) = %q, %q, %v; want %q, %q, %v", c.in, u, b, ok, c.url, c.branch, c.ok)
		}
	}
	_, _, err := ParseGitSource("git+https://user:s3cret@host")
	if err == nil || strings.Contains(err.Error(), "s3cret") || !strings.Contains(err.Error(), "git+https://host/org/guides.git#branch") {
		t.Errorf("error for a URL without a path: %v", err)
	}
}

func FuzzParseGitURL(f *testing.F) {
	for _, s := range []string{"git+https://host/org/g.git#main", "git+ssh://git@h/x", "git+file:///x#a/b", "git+", "git+https://u:p@h/x#", "git+http://0/0##000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, b, ok := ParseGitURL(s)
		if !ok {
			return
		}
		if strings.Contains(u, "#") || (s != "git+"+u && s != "git+"+u+"#"+b) {
			t.Errorf("ParseGitURL(%q) = %q, %q", s, u, b)
		}
		if RedactURL(u) == "" {
			t.Errorf("RedactURL(%q) is empty", u)
		}
	})
}

func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://user:pass@host/g.git":   "https://host/g.git",
		"https://ghp_token@host/g.git":   "https://host/g.git",
		"ssh://git@host/g.git":           "ssh://host/g.git",
		"https://host/g.git":             "https://host/g.git",
		"file:///srv/g.git":              "file:///srv/g.git",
		"https://u:p@host/%zz":           "https://host/%zz",
		"git+https://u:p@host/g.git#dev": "git+https://host/g.git#dev",
	} {
		if got := RedactURL(in); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", in, got, want)
		}
	}
	err := redacted("https://ghp_0123456789abcdefXYZ@host/g.git",
		errors.New(`Get "https://ghp_0123456789abcdefXYZ@host/g.git/info/refs": dial tcp: no such host`))
	if strings.Contains(err.Error(), "ghp_") {
		t.Errorf("token left in %q", err)
	}
	err = redacted("https://me:hunter22@host/g.git", errors.New(`auth hunter22 failed for https://me:hunter22@host/g.git`))
	if strings.Contains(err.Error(), "hunter22") {
		t.Errorf("password left in %q", err)
	}
}

func TestGitSourceDir(t *testing.T) {
	a := GitSourceDir("/d", "https://tok@github.com/org/guides.git", "main")
	b := GitSourceDir("/d", "https://other@github.com/org/guides.git", "main")
	c := GitSourceDir("/d", "https://github.com/org/guides.git", "dev")
	if a != b || a == c || !strings.HasPrefix(filepath.Base(a), "github.com-guides-") {
		t.Errorf("dirs: %s %s %s", a, b, c)
	}
}

func TestGitSyncCloneAndFastForward(t *testing.T) {
	r := newGitRemote(t)
	c1 := r.change("main", map[string]string{"a.md": "a1", "sub/b.md": "b1", "keep.md": "k"})
	g := openTestGit(t, r.url("")) // the remote's default branch
	if st := g.Status(); st.Ready || st.Commit != "" {
		t.Fatalf("before the first sync: %+v", st)
	}

	st := mustSync(t, g)
	if st.Commit != c1 || !st.Ready || !st.Changed || st.Branch != "main" || st.LastError != "" ||
		st.LastSync.IsZero() || st.Subject != "change 1" || st.CommitTime.IsZero() {
		t.Errorf("after clone: %+v", st)
	}
	sameFiles(t, treeFiles(t, g.Path()), map[string]string{"a.md": "a1", "sub/b.md": "b1", "keep.md": "k"})
	if fi, err := os.Lstat(g.Path()); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("Path is not a symbolic link: %v %v", fi, err)
	}
	if fi, err := os.Stat(filepath.Join(g.Path(), "a.md")); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("a.md: %v %v", fi, err)
	}
	keepBefore, _ := os.Stat(filepath.Join(g.Path(), "keep.md"))

	// The status survives: a new GitSource on the same folder reads it.
	if got := OpenGit(g.url, g.branch, g.dir).Status(); !sameStatus(got, st) {
		t.Errorf("status read back:\n%+v\nwant\n%+v", got, st)
	}

	// Nothing new.
	time.Sleep(5 * time.Millisecond)
	again := mustSync(t, g)
	if again.Changed || again.Commit != c1 || !again.LastSync.After(st.LastSync) {
		t.Errorf("up-to-date sync: %+v", again)
	}

	// A fast-forward: edit, add, delete.
	c2 := r.change("main", map[string]string{"a.md": "a2", "c.md": "c2", "sub/b.md": ""})
	st = mustSync(t, g)
	if st.Commit != c2 || !st.Changed || st.Notice != "" {
		t.Errorf("after a fast-forward: %+v", st)
	}
	sameFiles(t, treeFiles(t, g.Path()), map[string]string{"a.md": "a2", "c.md": "c2", "keep.md": "k"})
	// The unchanged file is the previous tree's file: same modification
	// time, so the index does not parse it again.
	keepAfter, _ := os.Stat(filepath.Join(g.Path(), "keep.md"))
	if !os.SameFile(keepBefore, keepAfter) || !keepAfter.ModTime().Equal(keepBefore.ModTime()) {
		t.Errorf("keep.md was rewritten: %v vs %v", keepBefore.ModTime(), keepAfter.ModTime())
	}
	// The previous tree stays until the next switch, then goes.
	trees := func() []string {
		ents, _ := os.ReadDir(g.treesDir())
		var names []string
		for _, e := range ents {
			names = append(names, e.Name())
		}
		sort.Strings(names)
		return names
	}
	want := []string{c1, c2}
	sort.Strings(want)
	if got := trees(); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("trees after the second sync: %v, want %v", got, want)
	}
	c3 := r.change("main", map[string]string{"d.md": "d3"})
	mustSync(t, g)
	want = []string{c2, c3}
	sort.Strings(want)
	if got := trees(); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("trees after the third sync: %v, want %v", got, want)
	}
	// No .git anywhere in what the watcher sees.
	if _, ok := treeFiles(t, g.Path())[".git/HEAD"]; ok {
		t.Error("the working copy contains .git")
	}
	if _, err := os.Stat(filepath.Join(g.repoDir(), "HEAD")); err != nil {
		t.Errorf("no bare repository: %v", err)
	}
}

func TestGitSyncBranch(t *testing.T) {
	r := newGitRemote(t)
	r.change("main", map[string]string{"a.md": "main"})
	dev := r.change("dev", map[string]string{"a.md": "dev"})
	g := openTestGit(t, r.url("dev"))
	st := mustSync(t, g)
	if st.Commit != dev || st.Branch != "dev" {
		t.Errorf("status: %+v", st)
	}
	sameFiles(t, treeFiles(t, g.Path()), map[string]string{"a.md": "dev"})
}

func TestGitSyncBranchNotFound(t *testing.T) {
	r := newGitRemote(t)
	r.change("main", map[string]string{"a.md": "a"})
	g := openTestGit(t, r.url("nope"))
	st, err := g.Sync(context.Background())
	if !errors.Is(err, ErrBranchNotFound) {
		t.Fatalf("err = %v", err)
	}
	t.Log(err)
	for _, s := range []string{`branch not found`, `has no branch "nope"`, "fix the #branch", "branches: main"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q lacks %q", err, s)
		}
	}
	if st.Ready || st.LastError != err.Error() || st.LastAttempt.IsZero() || !st.LastSync.IsZero() {
		t.Errorf("status: %+v", st)
	}
}

func TestGitSyncEmptyRemote(t *testing.T) {
	r := newGitRemote(t)
	g := openTestGit(t, r.url(""))
	_, err := g.Sync(context.Background())
	if err == nil || !strings.Contains(err.Error(), "push the guides to it first") {
		t.Errorf("err = %v", err)
	}
	t.Log(err)
}

func TestGitSyncForcePush(t *testing.T) {
	r := newGitRemote(t)
	r.change("main", map[string]string{"a.md": "a1", "keep.md": "k"})
	c2 := r.change("main", map[string]string{"a.md": "a2"})
	g := openTestGit(t, r.url("main"))
	mustSync(t, g)

	// Rewrite history: drop c2, commit something else in its place.
	r.git(r.work, "reset", "-q", "--hard", "HEAD~1")
	c2b := r.change("main", map[string]string{"b.md": "rewritten"})
	st := mustSync(t, g)
	if st.Commit != c2b || !st.Changed || st.LastError != "" ||
		!strings.Contains(st.Notice, "remote history was rewritten") || !strings.Contains(st.Notice, c2[:7]) {
		t.Errorf("after a force-push: %+v", st)
	}
	sameFiles(t, treeFiles(t, g.Path()), map[string]string{"a.md": "a1", "b.md": "rewritten", "keep.md": "k"})
	if got := g.Status().Notice; got != st.Notice {
		t.Errorf("notice not kept: %q", got)
	}

	// The notice stays while nothing changes, and goes with the next
	// ordinary update.
	if st := mustSync(t, g); st.Notice == "" {
		t.Error("notice dropped by an up-to-date sync")
	}
	r.change("main", map[string]string{"c.md": "c"})
	if st := mustSync(t, g); st.Notice != "" || !st.Changed {
		t.Errorf("after a fast-forward: %+v", st)
	}

	// The branch moved back to an older commit.
	r.git(r.work, "reset", "-q", "--hard", "HEAD~2")
	r.git(r.work, "push", "-q", "-f", "origin", "HEAD:refs/heads/main")
	st = mustSync(t, g)
	if !strings.Contains(st.Notice, "moved back") || st.Commit != r.git(r.work, "rev-parse", "HEAD") {
		t.Errorf("after moving back: %+v", st)
	}
	sameFiles(t, treeFiles(t, g.Path()), map[string]string{"a.md": "a1", "keep.md": "k"})
}

func TestGitSyncUnreachable(t *testing.T) {
	r := newGitRemote(t)
	c1 := r.change("main", map[string]string{"a.md": "a1"})
	g := openTestGit(t, r.url(""))
	good := mustSync(t, g)

	if err := os.RemoveAll(r.bare); err != nil {
		t.Fatal(err)
	}
	st, err := g.Sync(context.Background())
	if err == nil {
		t.Fatal("sync from a removed remote succeeded")
	}
	t.Log(err)
	if !strings.Contains(err.Error(), "not found") || !strings.Contains(err.Error(), "check the address") {
		t.Errorf("error %q does not say what to do", err)
	}
	if !st.Ready || st.Commit != c1 || st.LastError != err.Error() || !st.LastSync.Equal(good.LastSync) ||
		!st.LastAttempt.After(good.LastSync) || st.Changed {
		t.Errorf("status after failing: %+v", st)
	}
	sameFiles(t, treeFiles(t, g.Path()), map[string]string{"a.md": "a1"})
	// Recorded for `cuecard status` in another process.
	if got := OpenGit(g.url, g.branch, g.dir).Status(); got.LastError != st.LastError || !got.Ready || got.Commit != c1 {
		t.Errorf("recorded status: %+v", got)
	}

	// A source that never synced: not ready, with the error.
	g2 := OpenGit("file://"+filepath.ToSlash(filepath.Join(t.TempDir(), "missing.git")), "", filepath.Join(t.TempDir(), "src"))
	st, err = g2.Sync(context.Background())
	if err == nil || st.Ready || st.LastError == "" {
		t.Errorf("fresh source, missing remote: %v %+v", err, st)
	}
	t.Log(err)
}

func TestGitSyncCredentialsNotRecorded(t *testing.T) {
	// An https remote that refuses connections: the error and the status
	// must not carry the token.
	g := OpenGit("https://tok_abcdefghijklmnopqrstuvwxyz@127.0.0.1:1/org/guides.git", "", t.TempDir())
	st, err := g.Sync(context.Background())
	if err == nil {
		t.Fatal("sync succeeded")
	}
	data, _ := os.ReadFile(g.statePath())
	for _, s := range []string{err.Error(), st.LastError, st.URL, string(data)} {
		if strings.Contains(s, "tok_") {
			t.Errorf("token recorded: %s", s)
		}
	}
	t.Log(err)
	if !strings.Contains(err.Error(), "cannot reach") {
		t.Errorf("err = %v", err)
	}
	if cfg, err := os.ReadFile(filepath.Join(g.repoDir(), "config")); err == nil && strings.Contains(string(cfg), "tok_") {
		t.Errorf("token in the repository config:\n%s", cfg)
	}
}

// TestGitSwitchIsAtomic reads the library through Path while syncs replace
// it: every read sees a complete tree.
func TestGitSwitchIsAtomic(t *testing.T) {
	r := newGitRemote(t)
	files := map[string]string{"keep.md": "k", "zz-last.md": "last"}
	for i := range 300 {
		files[fmt.Sprintf("many/%03d.md", i)] = "x"
	}
	r.change("main", files)
	g := openTestGit(t, r.url(""))
	mustSync(t, g)

	var stop atomic.Bool
	var reads, bad atomic.Int64
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstBad string
	for range 1 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				for _, name := range []string{"keep.md", "zz-last.md", "many/150.md"} {
					if _, err := os.ReadFile(filepath.Join(g.Path(), name)); err != nil {
						bad.Add(1)
						mu.Lock()
						if firstBad == "" {
							firstBad = err.Error()
						}
						mu.Unlock()
					}
					reads.Add(1)
				}
			}
		}()
	}
	for i := range 6 {
		changed := map[string]string{fmt.Sprintf("many/%03d.md", i): fmt.Sprintf("v%d", i), fmt.Sprintf("new-%d.md", i): "n"}
		r.change("main", changed)
		if st := mustSync(t, g); !st.Changed {
			t.Errorf("sync %d did not switch", i)
		}
	}
	stop.Store(true)
	wg.Wait()
	if bad.Load() > 0 {
		t.Errorf("%d of %d reads failed; first: %s", bad.Load(), reads.Load(), firstBad)
	}
	t.Logf("%d reads during 6 switches", reads.Load())
}

func TestGitRun(t *testing.T) {
	r := newGitRemote(t)
	r.change("main", map[string]string{"a.md": "a1"})
	g := openTestGit(t, r.url(""))
	ctx, cancel := context.WithCancel(context.Background())
	statuses := make(chan GitStatus, 100)
	done := make(chan struct{})
	go func() {
		defer close(done)
		g.Run(ctx, 20*time.Millisecond, func(st GitStatus) { statuses <- st })
	}()
	wait := func(what string, ok func(GitStatus) bool) {
		t.Helper()
		timeout := time.After(5 * time.Second)
		for {
			select {
			case st := <-statuses:
				if ok(st) {
					return
				}
			case <-timeout:
				t.Fatalf("timed out waiting for %s", what)
			}
		}
	}
	wait("the first sync", func(st GitStatus) bool { return st.Ready && st.Changed })
	c2 := r.change("main", map[string]string{"a.md": "a2"})
	wait("the pushed change", func(st GitStatus) bool { return st.Commit == c2 })
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop")
	}
	sameFiles(t, treeFiles(t, g.Path()), map[string]string{"a.md": "a2"})
}

// TestGitSourceWatched follows a git source with the real watcher: a pushed
// change reaches it as one upsert, and unchanged guides are not parsed again.
func TestGitSourceWatched(t *testing.T) {
	r := newGitRemote(t)
	r.change("main", map[string]string{
		"a.md":     string(guideText("How to a", "a1")),
		"sub/b.md": string(guideText("How to b", "b1")),
		"c.md":     string(guideText("How to c", "c1")),
	})
	g := openTestGit(t, r.url(""))
	mustSync(t, g)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w, err := Watch(ctx, g.Path(), WatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// The watcher lets go of the folder before TempDir removes it
	// (Windows cannot delete a folder that is still watched).
	defer func() { cancel(); <-w.Done() }()
	next := func() guide.Change {
		t.Helper()
		select {
		case c := <-w.Changes():
			return c
		case <-time.After(5 * time.Second):
			t.Fatal("no change from the watcher")
		}
		return guide.Change{}
	}
	if c := next(); len(c.Upserts) != 3 {
		t.Fatalf("first change: %d upserts", len(c.Upserts))
	}
	r.change("main", map[string]string{"a.md": string(guideText("How to a", "a2")), "c.md": ""})
	mustSync(t, g)
	var ups, rms []string
	for len(ups) == 0 && len(rms) == 0 {
		c := next()
		for _, gd := range c.Upserts {
			ups = append(ups, gd.ID)
		}
		rms = append(rms, c.Removes...)
	}
	if strings.Join(ups, " ") != "a.md" || strings.Join(rms, " ") != "c.md" {
		t.Errorf("after the switch: upserts %v, removes %v; want [a.md], [c.md]", ups, rms)
	}
}

// TestGitTreeWriterRefusesEscapes checks out a crafted tree whose entries
// try to leave the working copy or plant a .git folder.
func TestGitTreeWriterRefusesEscapes(t *testing.T) {
	requireSymlinks(t)
	repo, err := git.Init(memory.NewStorage(), nil)
	if err != nil {
		t.Fatal(err)
	}
	blob := func(s string) plumbing.Hash {
		obj := repo.Storer.NewEncodedObject()
		obj.SetType(plumbing.BlobObject)
		w, _ := obj.Writer()
		w.Write([]byte(s))
		w.Close()
		h, err := repo.Storer.SetEncodedObject(obj)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	tree := func(entries ...object.TreeEntry) plumbing.Hash {
		sort.Stable(object.TreeEntrySorter(entries))
		obj := repo.Storer.NewEncodedObject()
		if err := (&object.Tree{Entries: entries}).Encode(obj); err != nil {
			t.Fatal(err)
		}
		h, err := repo.Storer.SetEncodedObject(obj)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	sub := tree(object.TreeEntry{Name: "x.md", Mode: filemode.Regular, Hash: blob("x")},
		object.TreeEntry{Name: "up.md", Mode: filemode.Symlink, Hash: blob("../ok.md")})
	dotgit := tree(object.TreeEntry{Name: "config", Mode: filemode.Regular, Hash: blob("evil")})
	root := tree(
		object.TreeEntry{Name: "..", Mode: filemode.Dir, Hash: sub},
		object.TreeEntry{Name: ".GIT", Mode: filemode.Dir, Hash: dotgit},
		object.TreeEntry{Name: "a/b.md", Mode: filemode.Regular, Hash: blob("slash")},
		object.TreeEntry{Name: "abs", Mode: filemode.Symlink, Hash: blob("/etc/passwd")},
		object.TreeEntry{Name: "escape", Mode: filemode.Symlink, Hash: blob("sub/../../x")},
		object.TreeEntry{Name: "link.md", Mode: filemode.Symlink, Hash: blob("ok.md")},
		object.TreeEntry{Name: "module", Mode: filemode.Submodule, Hash: plumbing.NewHash("0123456789012345678901234567890123456789")},
		object.TreeEntry{Name: "ok.md", Mode: filemode.Regular, Hash: blob("ok")},
		object.TreeEntry{Name: "run.sh", Mode: filemode.Executable, Hash: blob("#!/bin/sh")},
		object.TreeEntry{Name: "sub", Mode: filemode.Dir, Hash: sub},
	)
	tr, err := repo.TreeObject(root)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	w := &treeWriter{ctx: context.Background(), repo: repo, root: dir}
	if err := w.tree(tr, ""); err != nil {
		t.Fatal(err)
	}
	sameFiles(t, treeFiles(t, dir), map[string]string{
		"ok.md": "ok", "link.md": "ok", "run.sh": "#!/bin/sh", "sub/x.md": "x", "sub/up.md": "ok",
	})
	if fi, err := os.Stat(filepath.Join(dir, "run.sh")); err != nil || fi.Mode().Perm() != 0o755 {
		t.Errorf("run.sh: %v %v", fi, err)
	}
	for _, name := range []string{"abs", "escape", "module", ".GIT"} {
		if _, err := os.Lstat(filepath.Join(dir, name)); err == nil {
			t.Errorf("%s was checked out", name)
		}
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(dir), "x.md")); err == nil {
		t.Error("an entry was written outside the tree")
	}

	// Duplicate names (as a case-insensitive file system sees "Docs" and
	// "docs"): the first one wins, and nothing is written through a link.
	other := tree(object.TreeEntry{Name: "y.md", Mode: filemode.Regular, Hash: blob("merged")})
	viaLink := tree(object.TreeEntry{Name: "z.md", Mode: filemode.Regular, Hash: blob("through the link")})
	dup := tree(
		object.TreeEntry{Name: "d", Mode: filemode.Symlink, Hash: blob("sub")},
		object.TreeEntry{Name: "d", Mode: filemode.Dir, Hash: viaLink},
		object.TreeEntry{Name: "f.md", Mode: filemode.Regular, Hash: blob("first")},
		object.TreeEntry{Name: "f.md", Mode: filemode.Regular, Hash: blob("second")},
		object.TreeEntry{Name: "ok.md", Mode: filemode.Regular, Hash: blob("ok2")},
		object.TreeEntry{Name: "sub", Mode: filemode.Dir, Hash: sub},
		object.TreeEntry{Name: "sub", Mode: filemode.Dir, Hash: other},
	)
	tr, _ = repo.TreeObject(dup)
	dir = t.TempDir()
	w = &treeWriter{ctx: context.Background(), repo: repo, root: dir}
	if err := w.tree(tr, ""); err != nil {
		t.Fatal(err)
	}
	sameFiles(t, treeFiles(t, dir), map[string]string{
		"f.md": "first", "ok.md": "ok2", "sub/x.md": "x", "sub/y.md": "merged", "sub/up.md": "ok2",
	})
	if fi, err := os.Lstat(filepath.Join(dir, "d")); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("d: %v %v", fi, err)
	}
}

// TestGitSourceScanned: a one-off scan (cuecard lint, index) of Path reads
// the current tree through the symbolic link.
func TestGitSourceScanned(t *testing.T) {
	r := newGitRemote(t)
	r.change("main", map[string]string{"a.md": string(guideText("How to a", "a1")), "sub/b.md": string(guideText("How to b", "b1"))})
	g := openTestGit(t, r.url(""))
	mustSync(t, g)
	res, err := Scan(context.Background(), g.Path(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Guides) != 2 || len(res.Problems) != 0 {
		t.Errorf("scan of %s: %d guides, problems %v", g.Path(), len(res.Guides), res.Problems)
	}
}
