package library

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestOpenablePath: the desktop opens documents and media inside the
// library only; programs, scripts, launchers, escapes and links out are
// refused with the reason.
func TestOpenablePath(t *testing.T) {
	requireSymlinks(t)
	root := t.TempDir()
	outside := t.TempDir()
	write := func(dir, name string, mode os.FileMode) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), mode); err != nil {
			t.Fatal(err)
		}
	}
	write(root, "templates/quote.odt", 0o644)
	write(root, "videos/intro.mp4", 0o644)
	write(root, "tools/run.sh", 0o755)
	write(root, "tools/setup.desktop", 0o644)
	write(root, "tools/page.html", 0o644)
	write(root, "tools/report.pdf", 0o755) // a document with the execute bit
	write(outside, "secret.pdf", 0o644)
	write(root, "noext", 0o644)
	link := func(target, name string) {
		t.Helper()
		if err := os.Symlink(target, filepath.Join(root, name)); err != nil {
			t.Skip("symbolic links:", err)
		}
	}
	link(filepath.Join(outside, "secret.pdf"), "templates/leak.pdf")
	link(outside, "shared")
	link("../tools/run.sh", "templates/innocent.pdf")
	link("quote.odt", "templates/alias.odt")

	for _, ok := range []string{"templates/quote.odt", "videos/intro.mp4", "templates/alias.odt", "templates/../videos/intro.mp4"} {
		p, err := OpenablePath(root, ok)
		if err != nil {
			t.Errorf("%s: %v", ok, err)
			continue
		}
		if !filepath.IsAbs(p) {
			t.Errorf("%s: %q is not absolute", ok, p)
		}
	}
	for name, why := range map[string]string{
		"../secret.pdf":          "outside the library",
		"/etc/passwd":            "not a path inside",
		"templates/leak.pdf":     "leads outside the library",
		"shared/secret.pdf":      "leads outside the library",
		"templates/innocent.pdf": "executable",
		"tools/run.sh":           "executable",
		"tools/setup.desktop":    `not ".desktop" files`,
		"tools/page.html":        `not ".html" files`,
		"tools/report.pdf":       "executable",
		"noext":                  `not "" files`,
		"templates":              "is a folder",
		"tools\\run.sh":          "not a path inside",
	} {
		_, err := OpenablePath(root, name)
		if runtime.GOOS == "windows" && why == "executable" {
			continue
		}
		if err == nil || !errors.Is(err, ErrNotOpenable) || !strings.Contains(err.Error(), why) {
			t.Errorf("%s: %v, want a refusal saying %q", name, err, why)
		}
	}
	if _, err := OpenablePath(root, "templates/missing.odt"); err == nil || !strings.Contains(err.Error(), "not found in the library") {
		t.Errorf("missing file: %v", err)
	}
}

// TestFS: reading through the library FS stays inside the library.
func TestFS(t *testing.T) {
	requireSymlinks(t)
	root := t.TempDir()
	outside := t.TempDir()
	os.WriteFile(filepath.Join(root, "a.png"), []byte("inside"), 0o644)
	os.WriteFile(filepath.Join(outside, "secret.png"), []byte("secret"), 0o644)
	if err := os.Symlink(filepath.Join(outside, "secret.png"), filepath.Join(root, "leak.png")); err != nil {
		t.Skip(err)
	}
	os.Symlink("a.png", filepath.Join(root, "alias.png"))
	lib := FS(root)
	for name, want := range map[string]string{"a.png": "inside", "alias.png": "inside"} {
		if b, err := fs.ReadFile(lib, name); err != nil || string(b) != want {
			t.Errorf("%s: %q %v", name, b, err)
		}
	}
	for _, name := range []string{"leak.png", "../" + filepath.Base(outside) + "/secret.png", "/etc/passwd"} {
		if b, err := fs.ReadFile(lib, name); err == nil {
			t.Errorf("%s: read %q through the library FS", name, b)
		}
	}
}
