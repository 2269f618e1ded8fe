package library

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cuecard/cuecard/internal/seal"
)

// TestReadersSettings: readers are age recipients, checked with the file
// and line of a mistake; the k of the team report and the retention too.
func TestReadersSettings(t *testing.T) {
	root := t.TempDir()
	_, r1, _ := seal.NewKey()
	_, r2, _ := seal.NewKey()
	write := func(text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(root, SettingsFile), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if s, _ := LoadSettings(root); !strings.Contains(s.SharingOff(), "names no readers") {
		t.Errorf("no settings: %q", s.SharingOff())
	}
	write("managed: true\nreaders:\n  - " + r1 + "  # content owner\n  - " + r2 + "\ninsights_min_installs: 5\ninsights_retention_months: 6\n")
	s, err := LoadSettings(root)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(s.Readers, ",") != r1+","+r2 || s.MinInstalls != 5 || s.Retention != 6 || s.SharingOff() != "" {
		t.Errorf("settings %+v", s)
	}
	if rs, err := s.SharingReaders(); err != nil || len(rs.Strings()) != 2 {
		t.Errorf("readers %v %v", rs, err)
	}
	for text, want := range map[string]string{
		"readers: " + r1 + "\n":                      ":1: readers must be a list of age recipients",
		"readers:\n  - age1notakey\n":                `:2: readers: "age1notakey" is not an age recipient`,
		"readers:\n  - AGE-SECRET-KEY-1XYZ\n":        `:2: readers: "AGE-SECRET-KEY-1XYZ" is not an age recipient`,
		"readers:\n  - " + r1 + "\n  - " + r1 + "\n": ":3: readers: " + r1 + " is listed twice",
		"insights_min_installs: 2\n":                 ":1: insights_min_installs must be a whole number from 3",
		"insights_retention_months: forever\n":       ":1: insights_retention_months must be a whole number of months",
	} {
		write(text)
		if _, err := LoadSettings(root); err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), SettingsFile) {
			t.Errorf("%q: %v, want %q", text, err, want)
		}
	}
}
