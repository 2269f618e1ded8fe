//go:build !windows

package autostart

import (
	"os"
	"regexp"
	"testing"

	"github.com/cuecard/cuecard/internal/paths"
)

func isolate(t *testing.T) { t.Setenv("XDG_CONFIG_HOME", t.TempDir()) }

// stored is the Exec line of the entry.
func stored(t *testing.T) string {
	b, err := os.ReadFile(paths.Autostart())
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^Exec=(.*)$`).FindSubmatch(b)
	if m == nil {
		t.Fatalf("no Exec line in\n%s", b)
	}
	return string(m[1])
}
