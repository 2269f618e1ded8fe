package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Library edge cases: each is indexed, searched, and watched by a running
// `cuecard index --watch` (a change shows up in a search through it).

var bigLibrary = flag.Int("big", 20000, "number of guide files in TestBigLibrary (the issue's figure is 200000)")

// watchedChange writes rel in lib while w runs and waits until a search
// through the running process finds it by its unique word.
func watchedChange(t *testing.T, w *watcher, e []string, lib, rel, word string) {
	t.Helper()
	p := filepath.Join(lib, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(guideFile("How to "+word, "Added while watching.")), 0o644); err != nil {
		t.Fatal(err)
	}
	w.waitLine(t, "+ "+rel+"  How to "+word)
	hs := searchJSON(t, e, "--library", lib, word)
	if len(hs) != 1 || hs[0].ID != rel {
		t.Fatalf("search %q through the watching process: %+v", word, hs)
	}
}

// TestLibraryPathWithSpacesAndUnicode: the library folder, its subfolders
// and its files have spaces and non-ASCII names.
func TestLibraryPathWithSpacesAndUnicode(t *testing.T) {
	lib := filepath.Join(t.TempDir(), "Guides für Ops", "Ünïcode dir")
	rel := "Équipe Paie/Clôture du mois — März.md"
	p := filepath.Join(lib, filepath.FromSlash(rel))
	os.MkdirAll(filepath.Dir(p), 0o755)
	os.WriteFile(p, []byte(guideFile("How to close the month in Lohnbüro", "Prüfen Sie die Zahlen.")), 0o644)
	e := append(quietEnv(t), "CUECARD_RUNTIME="+t.TempDir())
	r := run(t, e, "--library", lib, "index")
	if r.code != 0 || !strings.Contains(r.stdout, "1 guides in the index") || !strings.Contains(r.stdout, lib) {
		t.Fatalf("index: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if hs := searchJSON(t, e, "--library", lib, "Lohnbüro"); len(hs) != 1 || hs[0].ID != rel {
		t.Fatalf("search: %+v", hs)
	}
	if l := run(t, e, "lint", lib); l.code != 0 {
		t.Errorf("lint: exit %d\n%s%s", l.code, l.stdout, l.stderr)
	}
	w := startWatcher(t, e, lib)
	watchedChange(t, w, e, lib, "Équipe Paie/Ünïcode sub dir/Überweisung prüfen.md", "zahlungslauf")
	w.stop()
	indexEqualsScan(t, e, lib)
}

// TestLibraryNested100Deep: a guide at the bottom of folders nested 100
// deep is indexed, and one added there later is seen by the watcher.
func TestLibraryNested100Deep(t *testing.T) {
	lib := t.TempDir()
	parts := make([]string, 100)
	for i := range parts {
		parts[i] = fmt.Sprintf("level%03d", i)
	}
	deep := strings.Join(parts, "/")
	if len(filepath.Join(lib, deep)) < 900 {
		t.Fatalf("the nested path is only %d bytes", len(filepath.Join(lib, deep)))
	}
	p := filepath.Join(lib, filepath.FromSlash(deep), "bottom.md")
	os.MkdirAll(filepath.Dir(p), 0o755)
	os.WriteFile(p, []byte(guideFile("How to reach the bottom", "Deep down.")), 0o644)
	e := append(quietEnv(t), "CUECARD_RUNTIME="+t.TempDir())
	if hs := searchJSON(t, e, "--library", lib, "bottom"); len(hs) != 1 || hs[0].ID != deep+"/bottom.md" {
		t.Fatalf("search: %+v", hs)
	}
	w := startWatcher(t, e, lib)
	watchedChange(t, w, e, lib, deep+"/level100/later.md", "spelunking")
	w.stop()
	indexEqualsScan(t, e, lib)
}

// TestLibrarySymlinkLoop: folder symlinks that point back up (a loop) and
// at each other neither hang nor repeat guides; the watcher keeps working.
func TestLibrarySymlinkLoop(t *testing.T) {
	lib := t.TempDir()
	os.MkdirAll(filepath.Join(lib, "a", "b"), 0o755)
	os.WriteFile(filepath.Join(lib, "a", "b", "guide.md"), []byte(guideFile("How to avoid loops", "Once.")), 0o644)
	for link, target := range map[string]string{"a/b/up": "../..", "a/self": ".", "x": "y", "y": "x"} {
		if err := os.Symlink(target, filepath.Join(lib, filepath.FromSlash(link))); err != nil {
			t.Fatal(err)
		}
	}
	e := append(quietEnv(t), "CUECARD_RUNTIME="+t.TempDir())
	done := make(chan result, 1)
	go func() { done <- run(t, e, "--library", lib, "index") }()
	var r result
	select {
	case r = <-done:
	case <-time.After(time.Minute): // a hang guard, not a timing assertion
		t.Fatal("indexing a library with a symlink loop did not finish")
	}
	if r.code != 0 || !strings.Contains(r.stdout, "1 guides in the index") {
		t.Fatalf("index: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if hs := searchJSON(t, e, "--library", lib, "loops"); len(hs) != 1 || hs[0].ID != "a/b/guide.md" {
		t.Fatalf("search: %+v", hs)
	}
	w := startWatcher(t, e, lib)
	watchedChange(t, w, e, lib, "a/b/second.md", "recursion")
	w.stop()
	indexEqualsScan(t, e, lib)
}

// TestLibraryReadOnly: a library the user cannot write to is indexed,
// searched and watched (the index lives in the cache folder), and `cuecard
// new` says it cannot write there. As root, file permissions are not
// enforced, so the library is also mounted read-only (a bind mount), which
// binds root too; without the right to mount, that case is skipped.
func TestLibraryReadOnly(t *testing.T) {
	check := func(t *testing.T, lib string, change func(rel, word string)) {
		e := append(quietEnv(t), "CUECARD_RUNTIME="+t.TempDir())
		if hs := searchJSON(t, e, "--library", lib, "permissions"); len(hs) != 1 || hs[0].ID != "ops/guide.md" {
			t.Fatalf("search: %+v", hs)
		}
		w := startWatcher(t, e, lib)
		change("ops/later.md", "immutable")
		w.waitLine(t, "+ ops/later.md  How to immutable")
		if hs := searchJSON(t, e, "--library", lib, "immutable"); len(hs) != 1 {
			t.Fatalf("search through the watcher: %+v", hs)
		}
		// The watcher owns the index; stop it so `new` may write.
		w.stop()
		r := run(t, e, "--library", lib, "new", "--format", "guide", "How to write somewhere else")
		if r.code == 0 {
			t.Fatalf("cuecard new in a read-only library succeeded:\n%s", r.stdout)
		}
		if !strings.Contains(r.stderr, lib) || !strings.Contains(r.stderr, "read-only") || strings.Contains(r.stderr, "panic") {
			t.Errorf("cuecard new: the error does not name the library folder and say it is read-only:\n%s", r.stderr)
		}
		t.Logf("cuecard new in a read-only library: %s", strings.TrimSpace(r.stderr))
		indexEqualsScan(t, e, lib)
	}
	setup := func(t *testing.T) string {
		lib := filepath.Join(t.TempDir(), "lib")
		os.MkdirAll(filepath.Join(lib, "ops"), 0o755)
		os.WriteFile(filepath.Join(lib, "ops", "guide.md"), []byte(guideFile("How to live without write permissions", "Read only.")), 0o644)
		return lib
	}

	t.Run("chmod", func(t *testing.T) {
		if os.Geteuid() == 0 {
			t.Skip("root is not bound by file permissions: the bind-mount case covers it")
		}
		lib := setup(t)
		exec.Command("chmod", "-R", "a-w", lib).Run()
		t.Cleanup(func() { exec.Command("chmod", "-R", "u+w", lib).Run() })
		check(t, lib, func(rel, word string) {
			dir := filepath.Join(lib, filepath.Dir(rel))
			os.Chmod(dir, 0o755)
			os.WriteFile(filepath.Join(lib, rel), []byte(guideFile("How to "+word, "x")), 0o444)
			os.Chmod(dir, 0o555)
		})
	})

	t.Run("read-only mount", func(t *testing.T) {
		if runtime.GOOS != "linux" {
			t.Skip("bind mounts are a Linux test")
		}
		src := setup(t)
		ro := filepath.Join(t.TempDir(), "read-only library")
		os.MkdirAll(ro, 0o755)
		if out, err := exec.Command("mount", "--bind", src, ro).CombinedOutput(); err != nil {
			t.Skipf("cannot bind-mount here (needs root or CAP_SYS_ADMIN): %v %s", err, out)
		}
		t.Cleanup(func() { exec.Command("umount", ro).Run() })
		if out, err := exec.Command("mount", "-o", "remount,bind,ro", ro).CombinedOutput(); err != nil {
			t.Skipf("cannot make the bind mount read-only: %v %s", err, out)
		}
		if err := os.WriteFile(filepath.Join(ro, "probe"), nil, 0o644); err == nil {
			t.Fatal("the read-only mount is writable")
		}
		check(t, ro, func(rel, word string) {
			// Another machine (a sync client) changes the folder: here,
			// through the writable original.
			os.WriteFile(filepath.Join(src, rel), []byte(guideFile("How to "+word, "x")), 0o644)
		})
	})
}

// procStatus reads a field of /proc/PID/status in kB.
func procStatus(t *testing.T, pid int, field string) int {
	t.Helper()
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			n, _ := strconv.Atoi(strings.Fields(v)[0])
			return n
		}
	}
	t.Fatalf("no %s in /proc/%d/status", field, pid)
	return 0
}

// inotifyWatches counts the inotify watches a process holds.
func inotifyWatches(pid int) int {
	fds, _ := filepath.Glob(fmt.Sprintf("/proc/%d/fdinfo/*", pid))
	n := 0
	for _, fd := range fds {
		b, _ := os.ReadFile(fd)
		n += strings.Count(string(b), "inotify wd:")
	}
	return n
}

// TestBigLibrary indexes a library of -big small guide files (20,000 by
// default; the 200,000 with -big 200000) in folders of 50, watches
// it, and checks a change is seen and the index equals a fresh scan. It
// reports indexing time, the watcher's memory and its inotify watches.
func TestBigLibrary(t *testing.T) {
	if testing.Short() {
		t.Skip("a big library")
	}
	n := *bigLibrary
	lib := t.TempDir()
	for i := 0; i < n; i++ {
		p := filepath.Join(lib, fmt.Sprintf("dept%02d", i%20), fmt.Sprintf("team%04d", i/1000), fmt.Sprintf("g%06d.md", i))
		if i%50 == 0 {
			p = filepath.Join(filepath.Dir(p), fmt.Sprintf("sub%03d", i/50%1000), filepath.Base(p))
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(guideFile(fmt.Sprintf("How to handle case %d", i), fmt.Sprintf("Step one for ticket%d. Step two.", i))), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dirs := 0
	filepath.WalkDir(lib, func(_ string, d os.DirEntry, _ error) error {
		if d.IsDir() {
			dirs++
		}
		return nil
	})
	e := append(quietEnv(t), "CUECARD_RUNTIME="+t.TempDir())
	r := run(t, e, "--library", lib, "index")
	if r.code != 0 || !strings.Contains(r.stdout, fmt.Sprintf("%d guides in the index", n)) {
		t.Fatalf("index: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	took := regexp.MustCompile(`\(([0-9.]+)s\)`).FindStringSubmatch(r.stdout)
	w := startWatcher(t, e, lib)
	pid := w.cmd.Process.Pid
	watchedChange(t, w, e, lib, "dept00/team0000/added-later.md", "zeppelin")
	// The watches are added while the watcher already runs.
	watches := inotifyWatches(pid)
	for deadline := time.Now().Add(time.Minute); watches < dirs && time.Now().Before(deadline); watches = inotifyWatches(pid) {
		time.Sleep(100 * time.Millisecond)
	}
	if watches < dirs {
		t.Errorf("%d inotify watches for %d folders", watches, dirs)
	}
	if hs := searchJSON(t, e, "--library", lib, fmt.Sprintf("ticket%d", n-1)); len(hs) != 1 {
		t.Errorf("the last guide is not found: %+v", hs)
	}
	rss, hwm := procStatus(t, pid, "VmRSS"), procStatus(t, pid, "VmHWM")
	t.Logf("%d guide files in %d folders: full index %ss; index --watch: %d inotify watches, RSS %d MB (peak %d MB)",
		n, dirs, took[1], watches, rss/1024, hwm/1024)
	w.stop()
	if got := indexEqualsScan(t, e, lib); got != n+1 {
		t.Errorf("%d guides, want %d", got, n+1)
	}
}

// stop interrupts the watcher and waits for it to exit (so that the index
// may be opened).
func (w *watcher) stop() {
	w.cmd.Process.Signal(os.Interrupt)
	<-w.done
	w.cmd.Wait()
}
