package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/owner"
	"github.com/cuecard/cuecard/internal/paths"
	"github.com/cuecard/cuecard/internal/search"
)

// watcher runs `cuecard index --watch` and collects its output lines.
type watcher struct {
	cmd   *exec.Cmd
	mu    sync.Mutex
	lines []string
	done  chan struct{}
}

func startWatcher(t *testing.T, e []string, lib string) *watcher {
	t.Helper()
	cmd := exec.Command(binary, "--library", lib, "index", "--watch")
	cmd.Env = e
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w := &watcher{cmd: cmd, done: make(chan struct{})}
	go func() {
		defer close(w.done)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			w.mu.Lock()
			w.lines = append(w.lines, sc.Text())
			w.mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		select {
		case <-w.done:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
		}
		cmd.Wait()
	})
	w.waitLine(t, "watching ")
	return w
}

func (w *watcher) waitLine(t *testing.T, prefix string) string {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		w.mu.Lock()
		for _, l := range w.lines {
			if strings.HasPrefix(l, prefix) {
				w.mu.Unlock()
				return l
			}
		}
		w.mu.Unlock()
		time.Sleep(20 * time.Millisecond)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	t.Fatalf("no line starting %q in:\n%s", prefix, strings.Join(w.lines, "\n"))
	return ""
}

func envValue(e []string, key string) string {
	for _, kv := range e {
		if v, ok := strings.CutPrefix(kv, key+"="); ok {
			return v
		}
	}
	return ""
}

func guideFile(title, body string) string {
	return "---\ntitle: " + title + "\nowner: a@example.com\nreviewed: 2026-10-01\ntags: [x]\n---\n" + body + "\n"
}

func TestIndexWatchKeepsIndexLiveAndAnswersOthers(t *testing.T) {
	lib := t.TempDir()
	os.WriteFile(filepath.Join(lib, "a.md"), []byte(guideFile("How to feed the fish", "Pellets twice a day.")), 0o644)
	e := append(env(t), "CUECARD_RUNTIME="+t.TempDir())
	w := startWatcher(t, e, lib)

	// A new guide is printed and searchable through the running process
	// (which holds the index lock: the search must not hang on it).
	os.WriteFile(filepath.Join(lib, "b.md"), []byte(guideFile("How to water the ficus", "Once a week.")), 0o644)
	w.waitLine(t, "+ b.md  How to water the ficus")
	hs := searchJSON(t, e, "--library", lib, "ficus")
	if len(hs) != 1 || hs[0].ID != "b.md" {
		t.Fatalf("search through the running process: %+v", hs)
	}
	// A broken file enters the problem list; fixing it leaves it.
	os.WriteFile(filepath.Join(lib, "b.md"), []byte("---\ntitle: [oops\n---\n"), 0o644)
	w.waitLine(t, "- b.md")
	w.waitLine(t, "  ! b.md:2: error: invalid YAML")
	st := run(t, e, "--library", lib, "status", "--json")
	var s owner.Status
	if err := json.Unmarshal([]byte(st.stdout), &s); err != nil || !s.Watching || s.Errors != 1 || s.Guides != 1 {
		t.Fatalf("status: %v %+v\n%s", err, s, st.stdout)
	}
	os.Remove(filepath.Join(lib, "b.md"))
	w.waitLine(t, "  fixed: b.md:2: error: invalid YAML")
	m := run(t, e, "--library", lib, "match", "--title", "x")
	if m.code != 0 {
		t.Errorf("match through the running process: %d %s", m.code, m.stderr)
	}
	// The socket is the user's only.
	fi, err := os.Stat(filepath.Join(envValue(e, "CUECARD_RUNTIME"), filepath.Base(indexDirFor(t, e, lib))+".sock"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("socket: %v %v", fi, err)
	}
}

// indexDirFor computes the index folder the binary uses for lib.
func indexDirFor(t *testing.T, e []string, lib string) string {
	t.Helper()
	t.Setenv("CUECARD_CACHE", envValue(e, "CUECARD_CACHE"))
	abs, _ := filepath.Abs(lib)
	return paths.Index(abs)
}

// TestKillDuringBigChangeRecovers kills `cuecard index --watch` with SIGKILL
// while 10,000 files arrive at once, then checks that the next start brings
// the index to exactly what a fresh scan of the library gives.
func TestKillDuringBigChangeRecovers(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 files")
	}
	stage := t.TempDir()
	for i := 0; i < 10000; i++ {
		p := filepath.Join(stage, "checkout", fmt.Sprintf("team%d", i%40), fmt.Sprintf("guide-%d.md", i))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(guideFile(fmt.Sprintf("How to handle case %d", i), "body text")), 0o644)
	}
	// Kill at several moments of the change: while it is read, while it is
	// indexed, after.
	for _, delay := range []time.Duration{300 * time.Millisecond, 900 * time.Millisecond, 1800 * time.Millisecond} {
		t.Run(delay.String(), func(t *testing.T) {
			lib := t.TempDir()
			os.WriteFile(filepath.Join(lib, "start.md"), []byte(guideFile("How to start", "s")), 0o644)
			e := append(env(t), "CUECARD_RUNTIME="+t.TempDir())
			w := startWatcher(t, e, lib)
			if err := exec.Command("cp", "-r", filepath.Join(stage, "checkout"), filepath.Join(lib, ".incoming")).Run(); err != nil {
				t.Fatal(err)
			}
			os.Rename(filepath.Join(lib, ".incoming"), filepath.Join(lib, "checkout"))
			time.Sleep(delay)
			if err := w.cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			<-w.done
			w.cmd.Wait()

			dir := indexDirFor(t, e, lib)
			ix, err := search.Open(dir, lib)
			if err != nil {
				t.Fatalf("the killed process left an index that does not open: %v", err)
			}
			t.Logf("killed %s after the change began: the index held %d of 10,001 guides", delay, ix.Count())
			ix.Close()

			r := run(t, e, "--library", lib, "index")
			if r.code != 0 {
				t.Fatalf("index after the kill: %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			if n := indexEqualsScan(t, e, lib); n != 10001 {
				t.Fatalf("a fresh scan finds %d guides, want 10,001", n)
			}
			ix, err = search.Open(dir, lib)
			if err != nil {
				t.Fatal(err)
			}
			defer ix.Close()
			if hs, _ := ix.Search(context.Background(), search.Query{Text: "case 9999"}); len(hs) == 0 {
				t.Error("the last guide is not searchable")
			}
		})
	}
}

func TestGitLibrary(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	base := t.TempDir()
	bare := filepath.Join(base, "guides.git")
	work := filepath.Join(base, "work")
	gitRun := func(dir string, args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com", "GIT_CONFIG_GLOBAL=/dev/null")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	gitRun(base, "init", "--bare", "-b", "main", bare)
	gitRun(base, "clone", bare, work)
	os.WriteFile(filepath.Join(work, "ship.md"), []byte(guideFile("How to ship a parcel", "Use the courier portal.")), 0o644)
	gitRun(work, "add", ".")
	gitRun(work, "commit", "-m", "first guide")
	gitRun(work, "push", "origin", "main")

	e := append(env(t), "CUECARD_RUNTIME="+t.TempDir())
	src := "git+file://" + bare + "#main"
	hs := searchJSON(t, e, "--library", src, "courier")
	if len(hs) != 1 || hs[0].ID != "ship.md" {
		t.Fatalf("search a git library: %+v", hs)
	}
	st := run(t, e, "--library", src, "status")
	if st.code != 0 || !strings.Contains(st.stdout, "first guide") {
		t.Errorf("status of a git library:\n%s%s", st.stdout, st.stderr)
	}
	if r := run(t, e, "--library", "git+file://"+bare+"#nope", "search", "x"); r.code == 0 || !strings.Contains(r.stderr, "nope") {
		t.Errorf("missing branch: %d %s", r.code, r.stderr)
	}
}

// TestProblemFloodIsSummarised: index --watch prints problems one by one
// up to ProblemLines, and a summary line for a flood (the first report of a
// folder with thousands of problems).
func TestProblemFloodIsSummarised(t *testing.T) {
	var out strings.Builder
	m := &Main{Stdout: &out}
	var ps []guide.Problem
	for i := range ProblemLines + 1 {
		ps = append(ps, guide.Problem{Path: fmt.Sprintf("g%d.md", i), Line: 1, Level: guide.LevelWarning, Code: "no-owner", Message: "no owner"})
	}
	m.printProblemChange(context.Background(), nil, ps)
	if got := out.String(); strings.Count(got, "\n") != 2 || !strings.Contains(got, fmt.Sprintf("%d new, 0 fixed: run 'cuecard lint'", len(ps))) {
		t.Errorf("flood printed as:\n%s", got)
	}
	out.Reset()
	m.printProblemChange(context.Background(), ps, ps[1:])
	if got := out.String(); !strings.Contains(got, "fixed: g0.md:1: warning: no owner") {
		t.Errorf("one fix printed as:\n%s", got)
	}
}
