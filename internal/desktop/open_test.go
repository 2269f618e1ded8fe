//go:build !windows

package desktop

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/ui"
)

// TestOpenPathSaysWhenNothingOpens: xdg-open failing (no program for the
// file, a browser that cannot start) is an *ui.OpenError with the path;
// one still running after openWait (the program started) is success.
func TestOpenPathSaysWhenNothingOpens(t *testing.T) {
	bin := t.TempDir()
	script := func(body string) {
		if err := os.WriteFile(filepath.Join(bin, "xdg-open"), []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("PATH", bin)
	old := openWait
	openWait = 500 * time.Millisecond
	t.Cleanup(func() { openWait = old })

	script("exit 3")
	err := OpenPath("/library/report.html")
	var oe *ui.OpenError
	if !errors.As(err, &oe) || oe.Target != "/library/report.html" {
		t.Fatalf("a failing xdg-open: %v", err)
	}
	script("exit 0")
	if err := OpenPath("/library"); err != nil {
		t.Errorf("xdg-open that succeeded: %v", err)
	}
	script("exec /bin/sleep 5")
	start := time.Now()
	if err := OpenPath("https://example.com"); err != nil {
		t.Errorf("a program that keeps running: %v", err)
	}
	if time.Since(start) > 4*time.Second {
		t.Error("OpenPath waited for the program to end")
	}
	os.Remove(filepath.Join(bin, "xdg-open"))
	if err := OpenPath("/library"); !errors.As(err, &oe) {
		t.Errorf("no xdg-open at all: %v", err)
	}
}
