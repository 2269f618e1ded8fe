package library

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/testlog"
)

var (
	churnOps  = flag.Int("churn", 2000, "operations in the watcher churn test (20000 for a long run)")
	churnSeed = flag.Int64("seed", 0, "seed of the churn test (0: a new one each run)")
)

func TestMain(m *testing.M) {
	// Shrink the watcher's timings so tests settle fast.
	Quiet = 30 * time.Millisecond
	MaxDelay = 300 * time.Millisecond
	RootPoll = 100 * time.Millisecond
	FallbackRescan = 200 * time.Millisecond
	os.Exit(m.Run())
}

// model is what a consumer (the index) holds after applying every Change.
type model struct {
	mu       sync.Mutex
	state    map[string]guide.FileState
	titles   map[string]string
	problems []guide.Problem
	statuses []string
	rescans  int
	changes  int
	last     time.Time
}

func consume(t *testing.T, w *Watcher) *model {
	m := &model{state: map[string]guide.FileState{}, titles: map[string]string{}}
	go func() {
		for c := range w.Changes() {
			m.mu.Lock()
			for _, id := range c.Removes {
				delete(m.state, id)
				delete(m.titles, id)
			}
			for _, g := range c.Upserts {
				m.state[g.ID] = g.State()
				m.titles[g.ID] = g.Title
			}
			if c.ProblemsChanged {
				m.problems = c.Problems
			}
			if c.Status != "" {
				m.statuses = append(m.statuses, c.Status)
			}
			if c.Rescan {
				m.rescans++
			}
			m.changes++
			m.last = time.Now()
			m.mu.Unlock()
		}
	}()
	return m
}

func startWatch(t *testing.T, root string, known map[string]guide.FileState) (*Watcher, *model) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	w, err := Watch(ctx, root, WatchOptions{Known: known, Now: func() time.Time { return today }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		<-w.Done()
	})
	m := consume(t, w)
	waitFor(t, "the first change", func() bool { return m.count() > 0 })
	return w, m
}

func (m *model) count() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.changes
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// settle waits until the model equals a fresh scan of the library, and
// fails with the difference if it never does.
func settle(t *testing.T, root string, m *model) {
	t.Helper()
	var diff string
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		res, err := Scan(context.Background(), root, Options{})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]guide.FileState{}
		for _, g := range res.Guides {
			want[g.ID] = g.State()
		}
		m.mu.Lock()
		diff = diffStates(want, m.state)
		quiet := time.Since(m.last) > 3*Quiet
		m.mu.Unlock()
		if diff == "" && quiet {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("index never equalled a fresh scan:\n%s", diff)
}

func diffStates(want, got map[string]guide.FileState) string {
	var out []string
	for id, st := range want {
		g, ok := got[id]
		switch {
		case !ok:
			out = append(out, "missing "+id)
		case g.Hash != st.Hash:
			out = append(out, "stale "+id)
		}
	}
	for id := range got {
		if _, ok := want[id]; !ok {
			out = append(out, "extra "+id)
		}
	}
	sort.Strings(out)
	if len(out) > 20 {
		out = append(out[:20], fmt.Sprintf("... and %d more", len(out)-20))
	}
	return strings.Join(out, "\n")
}

func guideText(title, body string) []byte {
	return []byte("---\ntitle: " + title + "\nowner: a@example.com\nreviewed: 2026-10-01\ntags: [x]\n---\n" + body + "\n")
}

func TestWatchBasics(t *testing.T) {
	root := t.TempDir()
	write(t, root, "a.md", guideText("How to a", "first"))
	write(t, root, "old/b.md", guideText("How to b", "b"))
	_, m := startWatch(t, root, nil)
	settle(t, root, m)

	// Create, edit, delete.
	write(t, root, "c.md", guideText("How to c", "c"))
	write(t, root, "a.md", guideText("How to a", "second"))
	os.Remove(filepath.Join(root, "old/b.md"))
	settle(t, root, m)

	// Atomic save: write a temp file, rename over the guide.
	write(t, root, ".a.md.tmp", guideText("How to a", "third"))
	os.Rename(filepath.Join(root, ".a.md.tmp"), filepath.Join(root, "a.md"))
	settle(t, root, m)

	// A new folder with files created right after it.
	for i := 0; i < 20; i++ {
		write(t, root, fmt.Sprintf("new/deep/er/g%d.md", i), guideText(fmt.Sprintf("How to g%d", i), "g"))
	}
	settle(t, root, m)
	// Move a whole folder within, then out of, the library; then one in.
	os.Rename(filepath.Join(root, "new"), filepath.Join(root, "moved"))
	settle(t, root, m)
	outside := t.TempDir()
	os.Rename(filepath.Join(root, "moved"), filepath.Join(outside, "moved"))
	settle(t, root, m)
	os.Rename(filepath.Join(outside, "moved"), filepath.Join(root, "back"))
	settle(t, root, m)
	// Sync-client and editor temp files are never indexed or reported.
	for _, name := range []string{".~lock.a.md#", "~$a.md", "x.md.part", ".syncthing.a.md.tmp", ".git/HEAD.md", "a.md.swp", "a.md~",
		"_training/kim@example.com/notes.md", "_people/kim@example.com.md", "sub/_training/x.md"} {
		write(t, root, name, []byte("\x00 junk"))
	}
	settle(t, root, m)
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, p := range m.problems {
		t.Errorf("unexpected problem: %s", p)
	}
	if len(m.state) != 22 {
		t.Errorf("%d guides, want 22", len(m.state))
	}
}

func TestWatchChunkedWrite(t *testing.T) {
	root := t.TempDir()
	_, m := startWatch(t, root, nil)
	f, err := os.Create(filepath.Join(root, "big.md"))
	if err != nil {
		t.Fatal(err)
	}
	full := guideText("How to write in chunks", strings.Repeat("chunk text ", 5000))
	for i := 0; i < len(full); i += 4096 {
		f.Write(full[i:min(i+4096, len(full))])
		time.Sleep(2 * time.Millisecond)
	}
	f.Close()
	settle(t, root, m)
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.titles["big.md"] != "How to write in chunks" {
		t.Errorf("title %q", m.titles["big.md"])
	}
}

func TestWatchProblemsLive(t *testing.T) {
	root := t.TempDir()
	write(t, root, "a.md", guideText("How to a", "see [b](b.md)"))
	_, m := startWatch(t, root, nil)
	problemCodes := func() string {
		m.mu.Lock()
		defer m.mu.Unlock()
		var cs []string
		for _, p := range m.problems {
			cs = append(cs, p.Path+":"+p.Code)
		}
		return strings.Join(cs, ",")
	}
	waitFor(t, "the broken link problem", func() bool { return problemCodes() == "a.md:broken-link" })
	// The link target appears: the problem leaves.
	write(t, root, "b.md", guideText("How to b", "b"))
	waitFor(t, "the problem list to clear", func() bool { return problemCodes() == "" })
	// A broken file enters the list, with lint's message; fixing it clears it.
	write(t, root, "b.md", []byte("---\ntitle: [oops\n---\n"))
	waitFor(t, "the yaml problem", func() bool { return strings.Contains(problemCodes(), "b.md:yaml") })
	m.mu.Lock()
	msg := m.problems[0].String()
	m.mu.Unlock()
	rep, _ := Lint(context.Background(), root, today, nil)
	var lintMsgs []string
	for _, p := range rep.Problems {
		lintMsgs = append(lintMsgs, p.String())
	}
	if !strings.Contains(strings.Join(lintMsgs, "\n"), msg) {
		t.Errorf("watcher problem %q not among lint's %q", msg, lintMsgs)
	}
	write(t, root, "b.md", guideText("How to b", "fixed"))
	waitFor(t, "the fix", func() bool { return problemCodes() == "" })
	settle(t, root, m)
}

func TestWatchRootDeletedAndRecreated(t *testing.T) {
	parent := t.TempDir()
	root := filepath.Join(parent, "lib")
	write(t, root, "a.md", guideText("How to a", "a"))
	_, m := startWatch(t, root, nil)
	settle(t, root, m)
	if err := os.RemoveAll(root); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(root); err == nil {
		// Wine 8 keeps a deleted folder, empty and delete pending, while a
		// handle on it is open (the watcher's), so it never goes. Windows
		// deletes with POSIX semantics on NTFS (Windows 10 1607 and later):
		// the name goes at once there.
		t.Skip("the deleted library folder is still there while the watcher holds it open (delete pending)")
	}
	waitFor(t, "everything removed", func() bool {
		m.mu.Lock()
		defer m.mu.Unlock()
		return len(m.state) == 0 && len(m.statuses) > 0
	})
	write(t, root, "b.md", guideText("How to b", "b"))
	settle(t, root, m)
	// Replaced: a different folder renamed into place.
	other := filepath.Join(parent, "other")
	write(t, other, "c.md", guideText("How to c", "c"))
	os.Rename(root, filepath.Join(parent, "gone"))
	os.Rename(other, root)
	settle(t, root, m)
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.state["c.md"]; !ok || len(m.state) != 1 {
		t.Errorf("after replace: %v", m.state)
	}
	if !strings.Contains(strings.Join(m.statuses, "|"), "missing") {
		t.Errorf("statuses %q", m.statuses)
	}
}

func TestWatchStartsFromKnown(t *testing.T) {
	root := t.TempDir()
	write(t, root, "a.md", guideText("How to a", "a"))
	write(t, root, "b.md", guideText("How to b", "b"))
	res, _ := Scan(context.Background(), root, Options{})
	known := map[string]guide.FileState{}
	for _, g := range res.Guides {
		known[g.ID] = g.State()
	}
	known["gone.md"] = guide.FileState{Hash: "x"}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w, err := Watch(ctx, root, WatchOptions{Known: known})
	if err != nil {
		t.Fatal(err)
	}
	// The watcher lets go of the folder before TempDir removes it
	// (Windows cannot delete a folder that is still watched).
	defer func() { cancel(); <-w.Done() }()
	c := <-w.Changes()
	if len(c.Upserts) != 0 || strings.Join(c.Removes, ",") != "gone.md" || !c.Rescan {
		t.Errorf("first change upserts %d removes %v", len(c.Upserts), c.Removes)
	}
}

func TestWatchOverflowRescans(t *testing.T) {
	if testing.Short() {
		t.Skip("creates thousands of files")
	}
	orig := QueueLimit
	QueueLimit = 1000
	defer func() { QueueLimit = orig }()
	root := t.TempDir()
	// The folders exist and are watched before the flood, so every file
	// gives events, not only the folders (slow writes under Wine let the
	// watcher scan whole new folders instead).
	for i := 0; i < 50; i++ {
		if err := os.MkdirAll(filepath.Join(root, fmt.Sprintf("d%d", i)), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w, err := Watch(ctx, root, WatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// The watcher lets go of the folder before TempDir removes it
	// (Windows cannot delete a folder that is still watched).
	defer func() { cancel(); <-w.Done() }()
	<-w.Changes()
	// Nobody reads changes now, so the watcher blocks and its event queue
	// passes QueueLimit: the events are dropped and a rescan replaces them.
	n := 7000
	if runtime.GOOS == "windows" {
		// Under Wine a scan of 7,000 files (the watcher's rescan, and each
		// of settle's) takes longer than settle waits: fewer files, and a
		// queue limit they still pass.
		n, QueueLimit = 2500, 200
	}
	for i := 0; i < n; i++ {
		write(t, root, fmt.Sprintf("d%d/g%d.md", i%50, i), guideText(fmt.Sprintf("How to %d", i), "x"))
	}
	m := consume(t, w)
	settle(t, root, m)
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.state) != n {
		t.Errorf("%d guides", len(m.state))
	}
	if m.rescans == 0 {
		t.Error("the overflow did not lead to a rescan")
	}
}

func TestWatchLimitFallsBackToRescans(t *testing.T) {
	orig := addWatch
	defer func() { addWatch = orig }()
	var mu sync.Mutex
	n := 0
	addWatch = func(w *fsnotify.Watcher, dir string) error {
		mu.Lock()
		defer mu.Unlock()
		if n >= 2 {
			return syscall.ENOSPC
		}
		n++
		return w.Add(dir)
	}
	root := t.TempDir()
	for _, d := range []string{"a", "b", "c", "d"} {
		write(t, root, d+"/x.md", guideText("How to "+d, d))
	}
	_, m := startWatch(t, root, nil)
	waitFor(t, "the watch-limit problem", func() bool {
		m.mu.Lock()
		defer m.mu.Unlock()
		for _, p := range m.problems {
			if p.Code == "watch-limit" && strings.Contains(p.Message, "max_user_watches") {
				return true
			}
		}
		return false
	})
	// A change in a folder that could not be watched still arrives.
	write(t, root, "d/y.md", guideText("How to y", "y"))
	settle(t, root, m)
}

func TestWatchSymlinkLoopAndPermissions(t *testing.T) {
	requireSymlinks(t)
	root := t.TempDir()
	write(t, root, "a.md", guideText("How to a", "a"))
	os.Symlink(root, filepath.Join(root, "loop"))
	os.Symlink(filepath.Join(root, "loop"), filepath.Join(root, "loop2"))
	_, m := startWatch(t, root, nil)
	write(t, root, "sub/b.md", guideText("How to b", "b"))
	os.Symlink(filepath.Join(root, "sub"), filepath.Join(root, "sub/self"))
	settle(t, root, m)
}

// TestWatchChurn runs a seeded random sequence of file operations and
// checks that the index the watcher drives equals a fresh scan.
func TestWatchChurn(t *testing.T) {
	var logs testlog.Buffer
	DebugEvents = true
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	defer func() { DebugEvents = false; slog.SetDefault(prev) }()
	defer func() {
		if t.Failed() {
			os.WriteFile(filepath.Join(os.TempDir(), "cuecard-churn.log"), logs.Bytes(), 0o644)
			t.Logf("watcher log in %s", filepath.Join(os.TempDir(), "cuecard-churn.log"))
		}
	}()
	root := t.TempDir()
	_, m := startWatch(t, root, nil)
	seed := *churnSeed
	if seed == 0 {
		seed = time.Now().UnixNano()
	}
	rng := rand.New(rand.NewSource(seed))
	ops := *churnOps
	if runtime.GOOS == "windows" && ops > 600 {
		// Under Wine every file operation is slow: 2,000 take minutes.
		ops = 600
	}
	t.Logf("seed %d, %d operations", seed, ops)
	dirs := []string{"", "a", "a/b", "c", "c/d/e"}
	pick := func() string {
		d := dirs[rng.Intn(len(dirs))]
		return filepath.Join(root, d, fmt.Sprintf("g%d.md", rng.Intn(40)))
	}
	existing := func() string {
		var files []string
		filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
			if err == nil && !info.IsDir() && strings.HasSuffix(p, ".md") {
				files = append(files, p)
			}
			return nil
		})
		if len(files) == 0 {
			return pick()
		}
		return files[rng.Intn(len(files))]
	}
	n := 0
	for i := 0; i < ops; i++ {
		n++
		switch op := rng.Intn(12); op {
		case 0, 1: // create or edit
			p := pick()
			os.MkdirAll(filepath.Dir(p), 0o755)
			os.WriteFile(p, guideText(fmt.Sprintf("How to %d", n), fmt.Sprint("body ", n)), 0o644)
		case 2: // atomic save
			p := existing()
			tmp := p + ".tmp"
			os.WriteFile(tmp, guideText(fmt.Sprintf("How to %d", n), "atomic"), 0o644)
			os.Rename(tmp, p)
		case 3: // chunked write
			p := pick()
			os.MkdirAll(filepath.Dir(p), 0o755)
			if f, err := os.Create(p); err == nil {
				data := guideText(fmt.Sprintf("How to %d", n), strings.Repeat("x ", 3000))
				f.Write(data[:len(data)/2])
				f.Write(data[len(data)/2:])
				f.Close()
			}
		case 4: // delete
			os.Remove(existing())
		case 5: // rename a file
			os.MkdirAll(filepath.Dir(pick()), 0o755)
			os.Rename(existing(), pick())
		case 6: // move a folder
			from := filepath.Join(root, dirs[1+rng.Intn(len(dirs)-1)])
			to := filepath.Join(root, fmt.Sprintf("m%d", rng.Intn(5)))
			os.Rename(from, to)
			if rng.Intn(2) == 0 {
				os.Rename(to, from)
			}
		case 7: // mkdir / rmdir
			d := filepath.Join(root, dirs[rng.Intn(len(dirs))], fmt.Sprintf("e%d", rng.Intn(3)))
			if rng.Intn(2) == 0 {
				os.MkdirAll(d, 0o755)
			} else {
				os.RemoveAll(d)
			}
		case 8: // sync-client temp files
			p := pick()
			os.MkdirAll(filepath.Dir(p), 0o755)
			os.WriteFile(filepath.Join(filepath.Dir(p), ".syncthing."+filepath.Base(p)+".tmp"), []byte("x"), 0o644)
			os.WriteFile(filepath.Join(filepath.Dir(p), ".~lock."+filepath.Base(p)+"#"), []byte("x"), 0o644)
		case 9: // a broken guide
			p := pick()
			os.MkdirAll(filepath.Dir(p), 0o755)
			os.WriteFile(p, []byte("---\ntitle: [broken\n"), 0o644)
		case 10: // move a folder out of the library and back in elsewhere
			from := filepath.Join(root, dirs[1+rng.Intn(len(dirs)-1)])
			out := filepath.Join(os.TempDir(), fmt.Sprintf("cuecard-churn-%d-%d", seed, i))
			if os.Rename(from, out) == nil {
				if rng.Intn(2) == 0 {
					os.Rename(out, filepath.Join(root, fmt.Sprintf("in%d", i)))
				} else {
					os.RemoveAll(out)
				}
			}
		case 11:
			if rng.Intn(20) == 0 {
				time.Sleep(time.Duration(rng.Intn(int(2 * Quiet))))
			}
		}
	}
	settle(t, root, m)
}

// TestWatchSymlinkedRootSwitch follows a library root that is a symbolic
// link switched atomically to another folder (how the git source updates).
func TestWatchSymlinkedRootSwitch(t *testing.T) {
	requireSymlinks(t)
	base := t.TempDir()
	a, b := filepath.Join(base, "trees", "a"), filepath.Join(base, "trees", "b")
	write(t, a, "x.md", guideText("How to x", "a"))
	write(t, a, "sub/y.md", guideText("How to y", "a"))
	write(t, b, "x.md", guideText("How to x", "b"))
	write(t, b, "z.md", guideText("How to z", "b"))
	root := filepath.Join(base, "current")
	if err := os.Symlink(a, root); err != nil {
		t.Fatal(err)
	}
	_, m := startWatch(t, root, nil)
	settle(t, root, m)
	// Edits inside the current tree are followed.
	write(t, a, "sub/y.md", guideText("How to y", "a2"))
	settle(t, root, m)
	tmp := filepath.Join(base, "current.tmp")
	os.Symlink(b, tmp)
	if err := os.Rename(tmp, root); err != nil {
		t.Fatal(err)
	}
	settle(t, root, m)
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.state["z.md"]; !ok || len(m.state) != 2 {
		t.Errorf("after the switch: %v", m.state)
	}
}

// TestWatchFollowsLibrarySettings: the live problem list keeps what lint
// keeps: no house-style warnings until cuecard.yaml says managed: true,
// silenced codes left out, hidden folders not read.
func TestWatchFollowsLibrarySettings(t *testing.T) {
	root := t.TempDir()
	write(t, root, "a.md", []byte("# Notes\n\nSee [the guide](/guide.md).\n"))
	write(t, root, ".github/b.md", []byte("---\ntitle: [broken\n---\n"))
	_, m := startWatch(t, root, nil)
	problems := func() string {
		m.mu.Lock()
		defer m.mu.Unlock()
		var cs []string
		for _, p := range m.problems {
			cs = append(cs, p.Path+":"+p.Code)
		}
		return strings.Join(cs, ",")
	}
	waitFor(t, "the broken site-root link only", func() bool { return problems() == "a.md:broken-link" })
	write(t, root, "guide.md", []byte("# Guide\n"))
	waitFor(t, "the link to resolve from the folder's top", func() bool { return problems() == "" })
	write(t, root, SettingsFile, []byte("managed: true\nsilence: [title, unreachable]\n"))
	want := "a.md:1:no-owner,a.md:1:no-reviewed,a.md:3:broken-link,guide.md:1:no-owner,guide.md:1:no-reviewed"
	waitFor(t, "the managed checks, less the silenced ones", func() bool {
		m.mu.Lock()
		defer m.mu.Unlock()
		var cs []string
		for _, p := range m.problems {
			cs = append(cs, fmt.Sprintf("%s:%d:%s", p.Path, p.Line, p.Code))
		}
		return strings.Join(cs, ",") == want
	})
}

// TestWatchTrackProblemsLive: the app's problem list has lint's track
// checks: a required guide without a due date, a role the library does not
// list; fixing the guide, or listing the role, clears them.
func TestWatchTrackProblemsLive(t *testing.T) {
	root := t.TempDir()
	write(t, root, SettingsFile, []byte("roles: [sales]\n"))
	write(t, root, "a.md", []byte("---\ntitle: How to a\nowner: a@example.com\nreviewed: 2026-10-01\ntags: [x]\nroles: [salse]\nrequired: true\n---\nbody\n"))
	_, m := startWatch(t, root, nil)
	problems := func() string {
		m.mu.Lock()
		defer m.mu.Unlock()
		var cs []string
		for _, p := range m.problems {
			cs = append(cs, fmt.Sprintf("%s:%d:%s", p.Path, p.Line, p.Code))
		}
		return strings.Join(cs, ",")
	}
	waitFor(t, "the track problems", func() bool { return problems() == "a.md:6:unknown-role,a.md:7:required-due" })
	m.mu.Lock()
	got := append([]guide.Problem(nil), m.problems...)
	m.mu.Unlock()
	rep, _ := Lint(context.Background(), root, today, nil)
	var lintMsgs []string
	for _, p := range rep.Problems {
		lintMsgs = append(lintMsgs, p.String())
	}
	for _, p := range got {
		if !slices.Contains(lintMsgs, p.String()) {
			t.Errorf("watcher problem %q not among lint's %q", p, lintMsgs)
		}
	}
	write(t, root, "a.md", []byte("---\ntitle: How to a\nowner: a@example.com\nreviewed: 2026-10-01\ntags: [x]\nroles: [salse]\nrequired: true\ndue: 14d\n---\nbody\n"))
	waitFor(t, "the due fix", func() bool { return problems() == "a.md:6:unknown-role" })
	write(t, root, SettingsFile, []byte("roles: [sales, salse]\n"))
	write(t, root, "b.md", guideText("How to b", "a file comes, the settings are read again"))
	waitFor(t, "the role listed", func() bool { return problems() == "" })
	settle(t, root, m)
}
