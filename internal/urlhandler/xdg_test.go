//go:build !windows

package urlhandler

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/cuecard/cuecard/internal/paths"
)

func isolate(t *testing.T) {
	t.Setenv("HOME", t.TempDir())
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("XDG_DATA_DIRS", t.TempDir())
	t.Setenv("XDG_CURRENT_DESKTOP", "")
}

func TestEntry(t *testing.T) {
	want := "[Desktop Entry]\nType=Application\nName=Cuecard link\nComment=Opens cuecard:// links to guides in Cuecard\n" +
		"Exec=\"/opt/Cue card/cuecard\" open %u\nIcon=io.github.cuecard\nTerminal=false\nNoDisplay=true\n" +
		"MimeType=x-scheme-handler/cuecard;\n"
	if got := Entry("/opt/Cue card/cuecard"); got != want {
		t.Errorf("Entry =\n%s\nwant\n%s", got, want)
	}
}

func TestExecQuote(t *testing.T) {
	for in, want := range map[string]string{
		"/usr/bin/cuecard":      "/usr/bin/cuecard",
		"/opt/Cue card/cuecard": `"/opt/Cue card/cuecard"`,
		`/opt/a"b/cuecard`:      `"/opt/a\\"b/cuecard"`,
		`/opt/$HOME/cuecard`:    `"/opt/\\$HOME/cuecard"`,
		`/opt/a\b/cuecard`:      `"/opt/a\\\\b/cuecard"`,
		"/opt/100%/cuecard":     "/opt/100%%/cuecard",
		"/opt/a`b`/cuecard":     "\"/opt/a\\\\`b\\\\`/cuecard\"",
		"/home/me/bin (x)/cuec": `"/home/me/bin (x)/cuec"`,
	} {
		if got := ExecQuote(in); got != want {
			t.Errorf("ExecQuote(%q) = %s, want %s", in, got, want)
		}
	}
}

// TestRegister writes the entry in a private XDG_DATA_HOME, makes it the
// default handler with the real xdg-mime (when installed), leaves it alone
// when it already starts the program and rewrites it when it starts
// another.
func TestRegister(t *testing.T) {
	isolate(t)
	exe := "/opt/Cue card/cuecard"
	if changed, err := Register(exe); err != nil || !changed {
		t.Fatalf("Register = %v, %v; want a change", changed, err)
	}
	b, err := os.ReadFile(paths.URLHandler())
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != Entry(exe) {
		t.Errorf("entry:\n%s", b)
	}
	if _, err := exec.LookPath("xdg-mime"); err == nil {
		out, err := exec.Command("xdg-mime", "query", "default", MimeType).Output()
		if got := strings.TrimSpace(string(out)); err != nil || got != "cuecard-url.desktop" {
			t.Errorf("xdg-mime query default %s = %q, %v", MimeType, got, err)
		}
	} else {
		t.Log("xdg-mime is not installed: the default handler is not checked")
	}
	if changed, err := Register(exe); err != nil || changed {
		t.Errorf("Register again = %v, %v; want no change", changed, err)
	}
	if changed, err := Register("/usr/bin/cuecard"); err != nil || !changed {
		t.Errorf("Register another program = %v, %v; want a change", changed, err)
	}
	if b, _ := os.ReadFile(paths.URLHandler()); !strings.Contains(string(b), "\nExec=/usr/bin/cuecard open %u\n") {
		t.Errorf("entry after registering another program:\n%s", b)
	}
}
