//go:build !windows

package urlhandler

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/cuecard/cuecard/internal/atomicfile"
	"github.com/cuecard/cuecard/internal/paths"
)

// MimeType is the MIME type a desktop entry handles cuecard:// links with.
const MimeType = "x-scheme-handler/cuecard"

// Entry is the desktop entry that opens cuecard:// links with exe: hidden
// from menus, its Exec line `exe open %u`.
func Entry(exe string) string {
	return "[Desktop Entry]\nType=Application\nName=Cuecard link\nComment=Opens cuecard:// links to guides in Cuecard\n" +
		"Exec=" + ExecQuote(exe) + " open %u\nIcon=io.github.cuecard\nTerminal=false\nNoDisplay=true\n" +
		"MimeType=" + MimeType + ";\n"
}

// ExecQuote quotes a program's path for a desktop entry's Exec line (the
// Desktop Entry Specification's rules: double quotes around an argument
// with reserved characters, a backslash before ", `, $ and \ inside them,
// that backslash itself doubled as the file's string escape; % doubled).
func ExecQuote(p string) string {
	p = strings.ReplaceAll(p, "%", "%%")
	if !strings.ContainsAny(p, " \t\n\"'\\><~|&;$*?#()`") {
		return p
	}
	r := strings.NewReplacer(`\`, `\\\\`, `"`, `\\"`, "`", "\\\\`", `$`, `\\$`)
	return `"` + r.Replace(p) + `"`
}

// toolWait bounds each call of xdg-mime and update-desktop-database.
const toolWait = 10 * time.Second

// register writes the desktop entry when it is missing or different (it
// starts another program), then makes it the default handler with
// xdg-mime and refreshes the folder's MIME cache, when those tools are
// installed.
func register(exe string) (bool, error) {
	p := paths.URLHandler()
	want := []byte(Entry(exe))
	if have, err := os.ReadFile(p); err == nil && bytes.Equal(have, want) {
		return false, nil
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return false, err
	}
	if err := atomicfile.Write(p, want, 0o644); err != nil {
		return false, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), toolWait)
	defer cancel()
	if _, err := exec.LookPath("update-desktop-database"); err == nil {
		_ = exec.CommandContext(ctx, "update-desktop-database", "-q", filepath.Dir(p)).Run()
	}
	if _, err := exec.LookPath("xdg-mime"); err != nil {
		return true, nil // no xdg-utils: the entry's MimeType line is what desktops read
	}
	if out, err := exec.CommandContext(ctx, "xdg-mime", "default", filepath.Base(p), MimeType).CombinedOutput(); err != nil {
		return true, &toolError{"xdg-mime default", err, strings.TrimSpace(string(out))}
	}
	return true, nil
}

type toolError struct {
	tool string
	err  error
	out  string
}

func (e *toolError) Error() string {
	if e.out == "" {
		return e.tool + ": " + e.err.Error()
	}
	return e.tool + ": " + e.err.Error() + ": " + e.out
}
