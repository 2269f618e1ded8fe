package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/bench"
	"github.com/cuecard/cuecard/internal/library"
	"github.com/cuecard/cuecard/internal/search"
)

// Fault tests: the binary is killed, its index and state files are damaged,
// its disk fills up. After each fault the next run must be exactly right.

// quietEnv is env with a locale fyne can parse, so that stderr holds only
// what cuecard itself says (with LANG=C fyne prints a locale error).
func quietEnv(t *testing.T) []string {
	t.Helper()
	var e []string
	for _, kv := range env(t) {
		if !strings.HasPrefix(kv, "LANG=") && !strings.HasPrefix(kv, "LC_ALL=") {
			e = append(e, kv)
		}
	}
	return append(e, "LANG=en_US.UTF-8")
}

// setEnv replaces (or adds) key in e.
func setEnv(e []string, key, value string) []string {
	out := make([]string, 0, len(e)+1)
	for _, kv := range e {
		if !strings.HasPrefix(kv, key+"=") {
			out = append(out, kv)
		}
	}
	return append(out, key+"="+value)
}

var (
	generatedMu sync.Mutex
	generated   = map[int]string{}
)

// generatedLibrary copies a library of n synthetic guides (internal/bench,
// seed 1) to a new folder; the library is generated once per test binary.
func generatedLibrary(t *testing.T, n int) string {
	t.Helper()
	generatedMu.Lock()
	src, ok := generated[n]
	if !ok {
		dir, err := os.MkdirTemp("", "cuecard-generated-")
		if err != nil {
			generatedMu.Unlock()
			t.Fatal(err)
		}
		if err := bench.Generate(dir, n, 1); err != nil {
			generatedMu.Unlock()
			t.Fatal(err)
		}
		generated[n], src = dir, dir
	}
	generatedMu.Unlock()
	dst := filepath.Join(t.TempDir(), "lib")
	if out, err := exec.Command("cp", "-a", src, dst).CombinedOutput(); err != nil {
		t.Fatalf("copy the generated library: %v\n%s", err, out)
	}
	return dst
}

// removeGenerated removes the generated libraries (TestMain calls it).
func removeGenerated() {
	generatedMu.Lock()
	defer generatedMu.Unlock()
	for _, dir := range generated {
		os.RemoveAll(dir)
	}
}

// indexEqualsScan checks that the index of lib holds exactly what a fresh
// scan of lib gives: the same guide ids, titles, sizes, modification times
// and content hashes. It returns the number of guides.
func indexEqualsScan(t *testing.T, e []string, lib string) int {
	t.Helper()
	ix, err := search.Open(indexDirFor(t, e, lib), lib)
	if err != nil {
		t.Fatalf("open the index: %v", err)
	}
	defer ix.Close()
	res, err := library.Scan(context.Background(), lib, library.Options{})
	if err != nil {
		t.Fatal(err)
	}
	indexed := map[string]string{}
	for _, g := range ix.Guides() {
		indexed[g.ID] = fmt.Sprintf("%q %d %s %s", g.Title, g.Size, g.ModTime.UTC().Format(time.RFC3339Nano), g.Hash)
	}
	bad := 0
	for _, g := range res.Guides {
		want := fmt.Sprintf("%q %d %s %s", g.Title, g.Size, g.ModTime.UTC().Format(time.RFC3339Nano), g.Hash)
		if got, ok := indexed[g.ID]; !ok {
			t.Errorf("%s: in the library, not in the index", g.ID)
			bad++
		} else if got != want {
			t.Errorf("%s: index has %s, the file is %s", g.ID, got, want)
			bad++
		}
		delete(indexed, g.ID)
		if bad > 10 {
			t.FailNow()
		}
	}
	for id := range indexed {
		t.Errorf("%s: in the index, not (or no longer valid) in the library", id)
	}
	if len(res.Guides) == 0 {
		t.Fatal("the library has no guides: nothing was compared")
	}
	return len(res.Guides)
}

// TestKillDuringIndexBuildRecovers kills `cuecard index` with SIGKILL at
// several points of a full build of a few thousand guides (the index just
// created, the first segment written, several written) and checks that the
// next run leaves the index equal to a fresh scan of the library.
func TestKillDuringIndexBuildRecovers(t *testing.T) {
	if testing.Short() {
		t.Skip("a few thousand guides")
	}
	const guides = 3000
	stages := []struct {
		name string
		// reached reports whether the build got far enough to be killed,
		// from the index folder's files.
		reached func(zaps int, bolt bool) bool
	}{
		{"index created", func(zaps int, bolt bool) bool { return bolt }},
		{"first segment", func(zaps int, bolt bool) bool { return zaps >= 1 }},
		{"several segments", func(zaps int, bolt bool) bool { return zaps >= 3 }},
	}
	for _, st := range stages {
		t.Run(st.name, func(t *testing.T) {
			lib := generatedLibrary(t, guides)
			e := quietEnv(t)
			dir := indexDirFor(t, e, lib)
			cmd := exec.Command(binary, "--library", lib, "index")
			cmd.Env = e
			var stderr strings.Builder
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			seen := map[string]bool{}
			killed := false
			// Poll the index folder; a generous deadline guards a hang.
			for deadline := time.Now().Add(2 * time.Minute); !killed && time.Now().Before(deadline); {
				select {
				case err := <-exited:
					t.Logf("the build finished before the kill point (%v): checking the result anyway", err)
					exited <- err
					deadline = time.Time{}
					continue
				default:
				}
				zs, _ := filepath.Glob(filepath.Join(dir, "store", "*.zap"))
				for _, z := range zs {
					seen[filepath.Base(z)] = true
				}
				_, err := os.Stat(filepath.Join(dir, "store", "root.bolt"))
				if st.reached(len(seen), err == nil) {
					if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
						t.Fatal(err)
					}
					killed = true
				}
				time.Sleep(2 * time.Millisecond)
			}
			err := <-exited
			if killed {
				if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
					t.Logf("exited on its own before the signal landed: %v", err)
				}
			}
			if ix, err := search.Open(dir, lib); err != nil {
				t.Fatalf("the killed build left an index that does not open: %v", err)
			} else {
				t.Logf("killed at %q (%d segment files seen): the index held %d of %d guides", st.name, len(seen), ix.Count(), guides)
				ix.Close()
			}
			r := run(t, e, "--library", lib, "index")
			if r.code != 0 {
				t.Fatalf("index after the kill: exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			if n := indexEqualsScan(t, e, lib); n != guides {
				t.Errorf("%d guides in a fresh scan, want %d", n, guides)
			}
			if hs := searchJSON(t, e, "--library", lib, "refund"); len(hs) == 0 {
				t.Error("no search results after recovery")
			}
		})
	}
}

// warnings is stderr's lines, without blank ones.
func warnings(stderr string) []string {
	var out []string
	for _, l := range strings.Split(stderr, "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}

// TestDamagedIndexGivesOneWarning damages the index files in several ways:
// the next command works (same results as before), says so in exactly one
// warning line, and the run after it says nothing.
func TestDamagedIndexGivesOneWarning(t *testing.T) {
	garbage := []byte(strings.Repeat("not an index \x00\xff", 300))
	damage := map[string]func(t *testing.T, dir string){
		"garbage meta": func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, "index_meta.json"), garbage)
		},
		"garbage root.bolt": func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, "store", "root.bolt"), garbage)
		},
		"truncated root.bolt": func(t *testing.T, dir string) {
			if err := os.Truncate(filepath.Join(dir, "store", "root.bolt"), 100); err != nil {
				t.Fatal(err)
			}
		},
		"store removed": func(t *testing.T, dir string) {
			if err := os.RemoveAll(filepath.Join(dir, "store")); err != nil {
				t.Fatal(err)
			}
		},
	}
	for name, fn := range damage {
		t.Run(name, func(t *testing.T) {
			e := quietEnv(t)
			before := searchJSON(t, e, "--library", sample, "refund")
			fn(t, indexDirFor(t, e, sample))
			r := run(t, e, "--library", sample, "search", "--json", "refund")
			if r.code != 0 {
				t.Fatalf("search on a damaged index: exit %d\n%s", r.code, r.stderr)
			}
			lines := warnings(r.stderr)
			if len(lines) != 1 || !strings.Contains(lines[0], "level=WARN") || !strings.Contains(lines[0], "rebuilding") {
				t.Errorf("want exactly one warning that the index is rebuilt, got:\n%s", r.stderr)
			}
			after := searchJSON(t, e, "--library", sample, "refund")
			if len(after) != len(before) || len(after) == 0 || after[0].ID != before[0].ID {
				t.Errorf("results before the damage %v, after %v", before, after)
			}
			if again := run(t, e, "--library", sample, "search", "refund"); len(warnings(again.stderr)) != 0 {
				t.Errorf("the next run warns again:\n%s", again.stderr)
			}
			indexEqualsScan(t, e, sample)
		})
	}
}

func write(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestDamagedStateGivesOneWarning damages the state file: cuecard report
// (which reads it) still works, says in exactly one warning line that the
// file was moved aside and where, and the moved-aside file holds the
// damaged bytes.
func TestDamagedStateGivesOneWarning(t *testing.T) {
	e := quietEnv(t)
	state := filepath.Join(envValue(e, "CUECARD_DATA"), "state.db")
	if err := os.MkdirAll(filepath.Dir(state), 0o700); err != nil {
		t.Fatal(err)
	}
	damaged := []byte(strings.Repeat("this is not a database\n", 500))
	write(t, state, damaged)
	r := run(t, e, "--library", sample, "report", "--format", "json")
	if r.code != 0 {
		t.Fatalf("report with a damaged state file: exit %d\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "{") {
		t.Errorf("no report:\n%s", r.stdout)
	}
	lines := warnings(r.stderr)
	if len(lines) != 1 || !strings.Contains(lines[0], "level=WARN") || !strings.Contains(lines[0], "state file was damaged") {
		t.Fatalf("want exactly one warning that the state file was damaged, got:\n%s", r.stderr)
	}
	aside, _ := filepath.Glob(state + ".corrupt-*")
	if len(aside) != 1 || !strings.Contains(lines[0], aside[0]) {
		t.Fatalf("moved-aside files %v; the warning must name it: %s", aside, lines[0])
	}
	if got, err := os.ReadFile(aside[0]); err != nil || string(got) != string(damaged) {
		t.Errorf("the moved-aside file does not hold the damaged bytes (%v)", err)
	}
	if again := run(t, e, "--library", sample, "report", "--format", "json"); again.code != 0 || len(warnings(again.stderr)) != 0 {
		t.Errorf("the next run: exit %d\n%s", again.code, again.stderr)
	}
}

// TestDiskFullWhileIndexing fills the index's disk during a build: a small
// tmpfs as the cache folder (when this process may mount one), and a
// file-size limit (ulimit -f) in a child shell. The build fails with exit 1
// and one error line that names the cause and says what to do; a second try
// on the still-full disk fails the same way (it must not crash); with room
// again, the next run finishes and the index equals a fresh scan.
func TestDiskFullWhileIndexing(t *testing.T) {
	if testing.Short() {
		t.Skip("a few thousand guides")
	}
	if runtime.GOOS != "linux" {
		t.Skip("tmpfs and ulimit -f are Linux tests")
	}
	const guides = 3000
	check := func(t *testing.T, r result, cause string) {
		t.Helper()
		if r.code != 1 {
			t.Fatalf("exit %d on a full disk, want 1\n%s%s", r.code, r.stdout, r.stderr)
		}
		if strings.Contains(r.stderr, "panic") || strings.Contains(r.stderr, "goroutine ") {
			t.Fatalf("crashed on a full disk:\n%s", r.stderr)
		}
		msg := strings.Join(warnings(r.stderr), "\n")
		for _, want := range []string{"cuecard: ", "no space left for the search index", cause, "Free some space", "CUECARD_CACHE"} {
			if !strings.Contains(msg, want) {
				t.Errorf("the error lacks %q:\n%s", want, msg)
			}
		}
		if n := len(warnings(r.stderr)); n != 2 {
			t.Errorf("want the error and what to do (2 lines), got %d:\n%s", n, r.stderr)
		}
	}

	t.Run("tmpfs", func(t *testing.T) {
		lib := generatedLibrary(t, guides)
		e := quietEnv(t)
		cache := filepath.Join(t.TempDir(), "small-disk")
		os.MkdirAll(cache, 0o700)
		if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", cache).CombinedOutput(); err != nil {
			t.Skipf("cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN; the ulimit case still runs): %v %s", err, out)
		}
		t.Cleanup(func() { exec.Command("umount", cache).Run() })
		e = setEnv(e, "CUECARD_CACHE", cache)
		check(t, run(t, e, "--library", lib, "index"), "no space left on device")
		check(t, run(t, e, "--library", lib, "index"), "no space left on device")
		if out, err := exec.Command("mount", "-o", "remount,size=256m", cache).CombinedOutput(); err != nil {
			t.Fatalf("grow the tmpfs: %v %s", err, out)
		}
		r := run(t, e, "--library", lib, "index")
		if r.code != 0 {
			t.Fatalf("index with room again: exit %d\n%s", r.code, r.stderr)
		}
		if n := indexEqualsScan(t, e, lib); n != guides {
			t.Errorf("%d guides, want %d", n, guides)
		}
	})

	t.Run("ulimit", func(t *testing.T) {
		lib := generatedLibrary(t, guides)
		e := quietEnv(t)
		// 512 blocks: no file of the index may grow past 256-512 KiB (the
		// block size depends on the shell). Go ignores SIGXFSZ, so the write
		// fails with EFBIG instead of killing the process.
		limited := func() result {
			cmd := exec.Command("sh", "-c", `ulimit -f 512 && exec "$0" "$@"`, binary, "--library", lib, "index")
			cmd.Env = e
			var out, errb strings.Builder
			cmd.Stdout, cmd.Stderr = &out, &errb
			err := cmd.Run()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			return result{code, out.String(), errb.String()}
		}
		check(t, limited(), "file too large")
		check(t, limited(), "file too large")
		r := run(t, e, "--library", lib, "index")
		if r.code != 0 {
			t.Fatalf("index without the limit: exit %d\n%s", r.code, r.stderr)
		}
		if n := indexEqualsScan(t, e, lib); n != guides {
			t.Errorf("%d guides, want %d", n, guides)
		}
	})
}
