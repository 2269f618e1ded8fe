package library

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLibrarySettingsWebBase: web_base is the web address the library is
// published at; anything else is an error with its line.
func TestLibrarySettingsWebBase(t *testing.T) {
	root := t.TempDir()
	write := func(text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(root, SettingsFile), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for text, want := range map[string]string{
		"web_base: https://wiki.example.com/guides/\n": "https://wiki.example.com/guides/",
		"web_base: ' http://intranet/kb '\n":           "http://intranet/kb",
		"managed: true\n":                              "",
	} {
		write(text)
		s, err := LoadSettings(root)
		if err != nil || s.WebBase != want {
			t.Errorf("%q: web base %q, %v; want %q", text, s.WebBase, err, want)
		}
	}
	for _, text := range []string{
		"web_base: wiki.example.com/guides\n",
		"web_base: ftp://wiki.example.com/\n",
		"web_base: https:///guides/\n",
		"web_base: https://me@wiki.example.com/\n",
		"web_base: https://wiki.example.com/?page=\n",
		"web_base: [https://wiki.example.com/]\n",
		"managed: true\nweb_base: javascript:alert(1)\n",
	} {
		write(text)
		_, err := LoadSettings(root)
		if err == nil || !strings.Contains(err.Error(), "web_base must be the web address") {
			t.Errorf("%q: %v", text, err)
		}
	}
	write("managed: true\nweb_base: nope\n")
	if _, err := LoadSettings(root); err == nil || !strings.Contains(err.Error(), SettingsFile+":2:") {
		t.Errorf("the error does not name line 2: %v", err)
	}
}
