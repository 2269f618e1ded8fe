//go:build linux

package focus

import (
	"bufio"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/focus/waylandtest"
	"github.com/cuecard/cuecard/internal/guide"
)

// testwin runs focustest's testwin helper on sway's XWayland display, as
// the session's user (XWayland accepts only that user), and returns a
// function that sends it one command.
func testwin(t *testing.T, s *waylandtest.Sway, display string) func(args ...string) {
	t.Helper()
	bin := filepath.Join(s.RuntimeDir, "testwin")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/cuecard/cuecard/internal/focus/focustest/testwin").CombinedOutput(); err != nil {
		t.Fatalf("build testwin: %v\n%s", err, out)
	}
	cmd := s.Command(append(s.ClientEnv(), "DISPLAY="+display), bin)
	cmd.Stdout = nil
	in, _ := cmd.StdinPipe()
	outp, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { in.Close(); cmd.Process.Kill(); cmd.Wait() })
	out := bufio.NewReader(outp)
	return func(args ...string) {
		t.Helper()
		fmt.Fprintln(in, strings.Join(args, "\t"))
		line, err := out.ReadString('\n')
		if err != nil || !strings.HasPrefix(line, "ok") {
			t.Fatalf("testwin %v: %q %v", args, line, err)
		}
	}
}

// TestWlrootsXWayland: on sway with XWayland, the wlroots backend is chosen
// even though DISPLAY is set, and it reports X11 windows too: their
// WM_CLASS class is the app_id. Cuecard's own windows (WM_CLASS Cuecard)
// are silenced.
func TestWlrootsXWayland(t *testing.T) {
	defer func(d time.Duration) { noneDelay = d }(noneDelay)
	noneDelay = 250 * time.Millisecond
	s := waylandtest.StartSway(t)
	s.Open("cuecard-one", "first window")
	xd := s.XDisplay()
	tr := New(Options{Getenv: envOf("WAYLAND_DISPLAY="+s.Display, "XDG_RUNTIME_DIR="+s.RuntimeDir, "DISPLAY="+xd)})
	defer tr.Close()
	r := recorder{t, tr}
	r.status(true, "(backend wlroots")
	r.window(foot("cuecard-one", "first window"))

	x := testwin(t, s, xd)
	x("open", "x", "self", "xapp", "XApp", "X window")
	r.window(guide.Window{Exe: "XApp", Class: "XApp", Title: "X window"})
	s.Focus("cuecard-one")
	r.window(foot("cuecard-one", "first window"))
	x("open", "own", "self", "cuecard", "Cuecard", "Cuecard")
	r.quiet(300 * time.Millisecond)
}
