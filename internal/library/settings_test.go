package library

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/guide"
)

func TestLibrarySettings(t *testing.T) {
	root := t.TempDir()
	if s, err := LoadSettings(root); err != nil || len(s.RemoteImages) != 0 || s.AllowsImage("https://images.example.com/a.png") {
		t.Fatalf("no file: %+v %v", s, err)
	}
	write := func(text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(root, SettingsFile), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("# who may serve images\nremote_images:\n  - Images.Example.com\n  - cdn.example.org\n")
	s, err := LoadSettings(root)
	if err != nil {
		t.Fatal(err)
	}
	for u, want := range map[string]bool{
		"https://images.example.com/a.png":      true,
		"https://IMAGES.example.com:443/b.png":  true,
		"https://cdn.example.org/x/y.jpg?s=1":   true,
		"http://images.example.com/a.png":       false, // not https
		"https://images.example.com:8443/a.png": true,
		"https://evil.com/images.example.com":   false,
		"https://images.example.com.evil.com/":  false,
		"https://user@images.example.com/a.png": false,
		"file:///etc/passwd":                    false,
		"images/local.png":                      false,
	} {
		if got := s.AllowsImage(u); got != want {
			t.Errorf("%s: %v, want %v", u, got, want)
		}
	}
	for text, want := range map[string]string{
		"remote_images: images.example.com\n":          ":1: remote_images must be a list",
		"remote_images:\n  - https://x.example.com/\n": `:2: remote_images: "https://x.example.com/" is not a host name`,
		"remote_image: [x.example.com]\n":              `:1: unknown library setting "remote_image"`,
		"remote_images: [\n":                           "invalid library settings",
		"managed: maybe\n":                             `:1: managed must be true or false, not "maybe"`,
		"hidden_folders: [x]\n":                        ":1: hidden_folders must be true or false",
		"silence: broken-link\n":                       ":1: silence must be a list of problem codes",
		"silence: [Broken Link]\n":                     `:1: silence: "Broken Link" is not a problem code`,
		"links: jekyll\n":                              `:1: links must be relative, site, hugo or obsidian`,
	} {
		write(text)
		if _, err := LoadSettings(root); err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), SettingsFile) {
			t.Errorf("%q: %v, want %q", text, err, want)
		}
	}
}

func TestLibrarySettingsLint(t *testing.T) {
	root := t.TempDir()
	os.WriteFile(filepath.Join(root, SettingsFile), []byte("managed: yes\nsilence: [too-long, broken-link]\nhidden_folders: true\nlinks: Hugo\n"), 0o644)
	s, err := LoadSettings(root)
	if err != nil {
		t.Fatal(err)
	}
	if !s.Managed || !s.HiddenFolders || s.Links != LinksHugo || strings.Join(s.Silence, ",") != "too-long,broken-link" {
		t.Errorf("settings %+v", s)
	}
	for _, tc := range []struct {
		s    Settings
		code string
		keep bool
	}{
		{Settings{}, "no-owner", false},
		{Settings{}, "broken-link", true},
		{Settings{Managed: true}, "no-owner", true},
		{Settings{Managed: true, Silence: []string{"no-owner"}}, "no-owner", false},
		{Settings{Silence: []string{"broken-link"}}, "broken-link", false},
	} {
		if got := tc.s.Keep(guide.Problem{Code: tc.code}); got != tc.keep {
			t.Errorf("%+v keeps %s: %v, want %v", tc.s, tc.code, got, tc.keep)
		}
	}
}

// TestLintReportsSettings: a mistake in cuecard.yaml is a lint error with
// its line, so a content repository's CI catches it.
func TestLintReportsSettings(t *testing.T) {
	root := t.TempDir()
	os.WriteFile(filepath.Join(root, "a.md"), []byte("# How to test\n"), 0o644)
	os.WriteFile(filepath.Join(root, SettingsFile), []byte("# images\nremote_images:\n  - https://x.example.com/\n"), 0o644)
	rep, err := Lint(t.Context(), root, time.Now(), nil)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range rep.Problems {
		if p.Path == SettingsFile && p.Line == 3 && p.Level == guide.LevelError && strings.Contains(p.Message, "not a host name") {
			found = true
		}
	}
	if !found {
		t.Errorf("no settings error in %v", rep.Problems)
	}
}

func FuzzSettings(f *testing.F) {
	f.Add([]byte("remote_images: [images.example.com]\nmanaged: true\nsilence: [too-long]\nhidden_folders: no\nlinks: hugo\n"))
	f.Add([]byte("web_base: https://wiki.example.com/guides/\n"))
	f.Add([]byte("silence:\n  - {a: b}\n"))
	f.Add([]byte("managed: [\n"))
	f.Add([]byte("roles: [sales, 'a b', '']\ntrack_records: named\n"))
	f.Add([]byte("roles: {x: 1}\ntrack_records: [named]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := parseSettings(SettingsFile, data)
		if err == nil && (s.TrackRecords != "" && s.TrackRecords != TrackRecordsNamed || slices.Contains(s.Roles, "")) {
			t.Fatalf("accepted track_records %q roles %q", s.TrackRecords, s.Roles)
		}
		var se *SettingsError
		if err != nil && (!errors.As(err, &se) || se.Line < 1 || se.Message == "") {
			t.Fatalf("error without a line: %v", err)
		}
		if err == nil && s.Links != "" && !s.Links.valid() {
			t.Fatalf("invalid link style %q accepted", s.Links)
		}
	})
}
