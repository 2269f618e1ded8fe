package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/paths"
	"github.com/cuecard/cuecard/internal/search"
)

// TestConcurrentSearches runs four `cuecard search` processes at once,
// again and again, on a library without an index (all four race to create
// it) and on one with an index (all four want bleve's lock): every one
// must answer.
func TestConcurrentSearches(t *testing.T) {
	if testing.Short() {
		t.Skip("starts 40 processes")
	}
	for _, fresh := range []bool{true, false} {
		name := "existing index"
		if fresh {
			name = "no index yet"
		}
		t.Run(name, func(t *testing.T) {
			e := env(t)
			cache := envValue(e, "CUECARD_CACHE")
			failed := 0
			for round := range 5 {
				if fresh {
					os.RemoveAll(cache)
				}
				type proc struct {
					cmd      *exec.Cmd
					out, err bytes.Buffer
				}
				ps := make([]*proc, 4)
				for i := range ps {
					p := &proc{cmd: exec.Command(binary, "--library", sample, "search", "--json", "refund")}
					p.cmd.Env = e
					p.cmd.Stdout, p.cmd.Stderr = &p.out, &p.err
					if err := p.cmd.Start(); err != nil {
						t.Fatal(err)
					}
					ps[i] = p
				}
				for i, p := range ps {
					err := p.cmd.Wait()
					if err != nil || !strings.Contains(p.out.String(), `"title"`) {
						failed++
						t.Errorf("round %d, process %d: %v\nstdout: %s\nstderr: %s", round, i, err, p.out.String(), p.err.String())
					}
				}
			}
			if failed > 0 {
				t.Errorf("%d of 20 searches failed", failed)
			}
		})
	}
}

// holdIndex opens the sample library's index in the test process, as
// another cuecard command would while it searches.
func holdIndex(t *testing.T, e []string) *search.Index {
	t.Helper()
	t.Setenv("CUECARD_CACHE", envValue(e, "CUECARD_CACHE"))
	root, err := filepath.Abs(sample)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := search.Open(paths.Index(root), root)
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

// TestSearchWaitsForTheIndex: a search that finds the index held by
// another process (not one that answers on a socket) waits for it and
// then answers.
func TestSearchWaitsForTheIndex(t *testing.T) {
	e := env(t)
	ix := holdIndex(t, e)
	time.AfterFunc(700*time.Millisecond, func() { ix.Close() })
	r := run(t, append(e, "CUECARD_LOCK_WAIT=20s"), "--library", sample, "search", "refund")
	if r.code != 0 || !strings.Contains(r.stdout, "1. ") {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
}

// TestSearchLockTimeout: when the holder neither answers nor lets go, the
// search gives up after CUECARD_LOCK_WAIT with an error that says so and
// what to do.
func TestSearchLockTimeout(t *testing.T) {
	e := env(t)
	ix := holdIndex(t, e)
	defer ix.Close()
	r := run(t, append(e, "CUECARD_LOCK_WAIT=1s"), "--library", sample, "search", "refund")
	if r.code == 0 {
		t.Fatalf("a held index gave exit 0\n%s", r.stdout)
	}
	for _, want := range []string{"index in use by another cuecard process", "nor released the index within 1s", "try again"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("error lacks %q: %s", want, r.stderr)
		}
	}
	// status waits and explains the same way.
	s := run(t, append(e, "CUECARD_LOCK_WAIT=1s"), "--library", sample, "status")
	if s.code == 0 || !strings.Contains(s.stderr, "nor released the index within 1s") {
		t.Errorf("status: exit %d: %s", s.code, s.stderr)
	}
}

// TestAppWaitsForTheIndex: the desktop app, started while another
// command holds the index, waits for it like the other commands and says
// what holds it when the wait runs out. (DISPLAY only has to be set: the
// app gives up before it opens a window.)
func TestAppWaitsForTheIndex(t *testing.T) {
	e := env(t)
	ix := holdIndex(t, e)
	defer ix.Close()
	start := time.Now()
	r := run(t, append(e, "CUECARD_LOCK_WAIT=1s", "DISPLAY=:9999"), "--library", sample, "app")
	if r.code == 0 || !strings.Contains(r.stderr, "already running") || !strings.Contains(r.stderr, "nor released the index within 1s") {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if time.Since(start) < time.Second {
		t.Errorf("gave up after %s, before CUECARD_LOCK_WAIT", time.Since(start))
	}
}
