//go:build !windows

package desktop

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestOpenPDFPage opens a PDF at a page with the desktop's PDF viewer as
// xdg-mime names it: stand-in xdg-mime and viewer scripts on PATH record
// the command line (no real viewer runs in the tests).
func TestOpenPDFPage(t *testing.T) {
	bin := t.TempDir()
	log := filepath.Join(bin, "log")
	script := func(name, body string) {
		if err := os.WriteFile(filepath.Join(bin, name), []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("PATH", bin)
	old := openWait
	openWait = 300 * time.Millisecond
	t.Cleanup(func() { openWait = old })
	for _, name := range []string{"evince", "okular", "zathura", "xdg-open"} {
		script(name, `echo "`+name+` $*" >> `+log)
	}
	for _, c := range []struct{ def, want string }{
		{"org.gnome.Evince.desktop", "evince --page-index=3 /library/report.pdf"},
		{"okularApplication_pdf.desktop", "okular --page=3 /library/report.pdf"},
		{"org.pwmt.zathura-pdf-poppler.desktop", "zathura --page=3 /library/report.pdf"},
		{"firefox.desktop", "xdg-open /library/report.pdf"}, // no page: opened at its start
		{"", "xdg-open /library/report.pdf"},
	} {
		os.Remove(log)
		script("xdg-mime", `echo "`+c.def+`"`)
		if err := OpenPDFPage("/library/report.pdf", 3); err != nil {
			t.Fatal(err)
		}
		got, _ := os.ReadFile(log)
		if strings.TrimSpace(string(got)) != c.want {
			t.Errorf("default %q: ran %q, want %q", c.def, got, c.want)
		}
	}
	// The default viewer is not installed: opened as any file.
	os.Remove(filepath.Join(bin, "evince"))
	os.Remove(log)
	script("xdg-mime", `echo org.gnome.Evince.desktop`)
	if err := OpenPDFPage("/library/report.pdf", 2); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(log); strings.TrimSpace(string(got)) != "xdg-open /library/report.pdf" {
		t.Errorf("without evince: ran %q", got)
	}
}
