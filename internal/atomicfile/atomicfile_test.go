package atomicfile_test

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/cuecard/cuecard/internal/atomicfile"
)

func TestWrite(t *testing.T) {
	for _, tc := range []struct {
		name string
		old  string // "" for no file before
		data string
		perm os.FileMode
	}{
		{"new file", "", "hello\n", 0o644},
		{"replace", "old content that is longer\n", "new\n", 0o600},
		{"empty", "old\n", "", 0o640},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, "state.json")
			if tc.old != "" {
				if err := os.WriteFile(p, []byte(tc.old), 0o666); err != nil {
					t.Fatal(err)
				}
			}
			if err := atomicfile.Write(p, []byte(tc.data), tc.perm); err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(p)
			if err != nil || string(got) != tc.data {
				t.Errorf("content %q, %v; want %q", got, err, tc.data)
			}
			st, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			if runtime.GOOS != "windows" && st.Mode().Perm() != tc.perm {
				t.Errorf("perm %v, want %v", st.Mode().Perm(), tc.perm)
			}
			noTemp(t, dir)
		})
	}
}

func TestWriteRelative(t *testing.T) {
	t.Chdir(t.TempDir())
	if err := atomicfile.Write("a.txt", []byte("a"), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile("a.txt"); string(b) != "a" {
		t.Errorf("content %q", b)
	}
	noTemp(t, ".")
}

// TestWriteFails checks that a failed write leaves the old file as it was
// and no temporary file behind. The tests run as root, so a read-only
// folder would not stop them: the failures come from the file system's
// shape instead.
func TestWriteFails(t *testing.T) {
	for _, tc := range []struct {
		name string
		// setup returns the path to write and the path of an old file
		// that must stay unchanged.
		setup func(t *testing.T, dir string) (target, old string)
	}{
		{"parent is a regular file", func(t *testing.T, dir string) (string, string) {
			old := filepath.Join(dir, "report.html")
			mustWrite(t, old, "old")
			return filepath.Join(old, "x.html"), old
		}},
		{"parent does not exist", func(t *testing.T, dir string) (string, string) {
			old := filepath.Join(dir, "keep.txt")
			mustWrite(t, old, "old")
			return filepath.Join(dir, "missing", "x.txt"), old
		}},
		{"target is a non-empty folder", func(t *testing.T, dir string) (string, string) {
			target := filepath.Join(dir, "target")
			old := filepath.Join(target, "inside.txt")
			if err := os.Mkdir(target, 0o755); err != nil {
				t.Fatal(err)
			}
			mustWrite(t, old, "old")
			return target, old
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			target, old := tc.setup(t, dir)
			err := atomicfile.Write(target, []byte("new"), 0o644)
			if err == nil {
				t.Fatal("Write succeeded")
			}
			if !strings.Contains(err.Error(), target) {
				t.Errorf("error %q does not name %s", err, target)
			}
			if b, err := os.ReadFile(old); err != nil || string(b) != "old" {
				t.Errorf("old file: %q, %v", b, err)
			}
			noTemp(t, dir)
			noTemp(t, filepath.Dir(target))
		})
	}
}

func mustWrite(t *testing.T, p, s string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// noTemp fails when dir (if it is a folder) holds a temporary file.
func noTemp(t *testing.T, dir string) {
	t.Helper()
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file left behind: %s", filepath.Join(dir, e.Name()))
		}
	}
}
