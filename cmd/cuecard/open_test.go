package main

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/cuecard/cuecard/internal/link"
)

// TestResolveOpen: the forms `cuecard open` takes, and what it refuses.
func TestResolveOpen(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "library")
	for _, f := range []string{"sales/monthly-sales-report.md", "it/vpn setup.md", "notes.txt"} {
		p := filepath.Join(root, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("# x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	outside := filepath.Join(base, "outside.md")
	if err := os.WriteFile(outside, []byte("# secret\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	symlinks := runtime.GOOS != "windows"
	if symlinks {
		if err := os.Symlink(outside, filepath.Join(root, "sales", "escape.md")); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(filepath.Join(root, "sales"))

	guide := func(id, anchor string) link.Link { return link.Link{Kind: link.Guide, ID: id, Anchor: anchor} }
	for _, tc := range []struct {
		arg   string
		want  link.Link
		err   string
		usage bool
	}{
		{arg: "cuecard://guide/sales/monthly-sales-report.md#totals", want: guide("sales/monthly-sales-report.md", "totals")},
		{arg: "cuecard://guide/it/vpn%20setup.md", want: guide("it/vpn setup.md", "")},
		{arg: "cuecard://search?q=vpn", want: link.Link{Kind: link.Search, Query: "vpn"}},
		{arg: "sales/monthly-sales-report.md", want: guide("sales/monthly-sales-report.md", "")},
		{arg: "sales/monthly-sales-report", want: guide("sales/monthly-sales-report.md", "")},
		{arg: "it/vpn setup.md", want: guide("it/vpn setup.md", "")},
		{arg: "./monthly-sales-report.md", want: guide("sales/monthly-sales-report.md", "")},
		{arg: "monthly-sales-report.md", want: guide("sales/monthly-sales-report.md", "")}, // a file here, in the library
		{arg: filepath.Join(root, "it", "vpn setup.md"), want: guide("it/vpn setup.md", "")},
		{arg: "../it/vpn setup.md", want: guide("it/vpn setup.md", "")},

		{arg: "cuecard://guide/sales/nope.md", err: "no guide sales/nope.md in the library " + root + ": find it with 'cuecard search WORDS'"},
		{arg: "sales/nope.md", err: "no guide sales/nope.md in the library"},
		{arg: "cuecard://guide/../outside.md", err: "leaves the library", usage: true},
		{arg: "cuecard://nothing", err: "not \"nothing\"", usage: true},
		{arg: outside, err: "is not in the library " + root + ": cuecard opens the guides of its library only"},
		{arg: "../../outside.md", err: "is not in the library"},
		{arg: "./nope.md", err: "open ./nope.md:"},
		{arg: "notes.txt", err: "not a guide"},
		{arg: "../notes.txt", err: "not a guide"},
		{arg: "cuecard://guide/sales", err: "Markdown", usage: true},
		{arg: "", err: "is empty", usage: true},
	} {
		got, err := resolveOpen(root, tc.arg)
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("open %q: %v", tc.arg, err)
		case tc.err == "" && got != tc.want:
			t.Errorf("open %q = %+v, want %+v", tc.arg, got, tc.want)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("open %q = %+v, %v; want an error with %q", tc.arg, got, err, tc.err)
		case tc.err != "" && errors.Is(err, errUsage) != tc.usage:
			t.Errorf("open %q: %v is a usage error: %v, want %v", tc.arg, err, errors.Is(err, errUsage), tc.usage)
		}
	}
	if symlinks {
		for _, arg := range []string{"cuecard://guide/sales/escape.md", "sales/escape.md", "./escape.md"} {
			if _, err := resolveOpen(root, arg); err == nil || !strings.Contains(err.Error(), "library") {
				t.Errorf("open %q (a symbolic link out of the library): %v", arg, err)
			}
		}
	}
}

// TestOpenCommand runs the binary: a guide that is not there is named,
// with a pointer to cuecard search; a bad link is a usage error; with no
// app running and no display, it says it cannot start one. A link to a
// guide that is not there, with no terminal to say so on (a clicked
// link), goes to the app, which says it on the desktop.
func TestOpenCommand(t *testing.T) {
	e := append(env(t), "DISPLAY=", "WAYLAND_DISPLAY=")
	r := run(t, e, "--library", sample, "open", "sales/nope.md")
	if r.code != exitFail || !strings.Contains(r.stderr, "no guide sales/nope.md in the library") || !strings.Contains(r.stderr, "cuecard search") {
		t.Errorf("a missing guide: %+v", r)
	}
	r = run(t, e, "--library", sample, "cuecard://guide/sales/nope.md")
	if r.code != exitFail || !strings.Contains(r.stderr, "no Cuecard desktop app is running and there is no display") {
		t.Errorf("a link to a missing guide, from no terminal: %+v", r)
	}
	r = run(t, e, "--library", sample, "open", "cuecard://guide/../x.md")
	if r.code != exitUsage || !strings.Contains(r.stderr, "leaves the library") {
		t.Errorf("a link out of the library: %+v", r)
	}
	r = run(t, e, "--library", sample, "open")
	if r.code != exitUsage || !strings.Contains(r.stderr, "open takes one guide") {
		t.Errorf("no argument: %+v", r)
	}
	r = run(t, e, "--library", sample, "open", "sales/monthly-sales-report.md")
	if r.code != exitFail || !strings.Contains(r.stderr, "no Cuecard desktop app is running and there is no display") {
		t.Errorf("no app and no display: %+v", r)
	}
}

// TestDesktopLibrary: the library the app last ran on, as it was given;
// a folder that is gone gives the default.
func TestDesktopLibrary(t *testing.T) {
	t.Setenv("CUECARD_DATA", t.TempDir())
	t.Setenv("CUECARD_LIBRARY", "")
	lib := t.TempDir()
	m := NewMain()
	m.library = lib
	m.setupLog()
	m.recordDesktopLibrary(lib)
	if got := desktopLibrary(); got != lib {
		t.Errorf("desktop library %q, want %q", got, lib)
	}
	if err := os.Remove(lib); err != nil {
		t.Fatal(err)
	}
	if got := desktopLibrary(); got != "" {
		t.Errorf("a folder that is gone: %q", got)
	}
	m.library = "git+https://example.com/guides.git"
	m.recordDesktopLibrary(filepath.Join(t.TempDir(), "clone"))
	if got := desktopLibrary(); got != "git+https://example.com/guides.git" {
		t.Errorf("a git library: %q", got)
	}
	m.library = ""
	m.recordDesktopLibrary(filepath.Join(t.TempDir(), "sample"))
	if got := desktopLibrary(); got != "" {
		t.Errorf("the default library: %q", got)
	}
}
