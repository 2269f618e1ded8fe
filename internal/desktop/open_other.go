//go:build !windows

package desktop

import (
	"errors"
	"fmt"
	"os/exec"
	"runtime"
	"time"

	"github.com/cuecard/cuecard/internal/ui"
)

// openWait is how long OpenPath waits to hear that the desktop could not
// open something: xdg-open fails at once when no program is associated or
// the program cannot start, and may run as long as the program when one
// starts.
var openWait = 2 * time.Second

// OpenPath opens a file, folder or web address with the desktop's default
// program (xdg-open; open on macOS). When that fails the error is a
// *ui.OpenError, which the UI shows with the path and a Copy button.
func OpenPath(p string) error {
	name := "xdg-open"
	if runtime.GOOS == "darwin" {
		name = "open"
	}
	return start(p, name, p)
}

// OpenPDFPage opens the PDF at p at page (from 1) when the desktop's PDF
// viewer (xdg-mime's default for application/pdf) is one that takes a page
// on its command line (pdfViewers); otherwise, or when that viewer is not
// installed, it opens the PDF as OpenPath does, at its first page.
func OpenPDFPage(p string, page int) error {
	out, err := exec.Command("xdg-mime", "query", "default", "application/pdf").Output()
	if err == nil {
		if name, args, ok := pdfPageCommand(string(out), p, page); ok {
			if _, err := exec.LookPath(name); err == nil {
				return start(p, name, args...)
			}
		}
	}
	return OpenPath(p)
}

// start runs the program name with args to open target, as OpenPath
// describes.
func start(target, name string, args ...string) error {
	p := target
	cmd := exec.Command(name, args...)
	if err := cmd.Start(); err != nil {
		return &ui.OpenError{Target: p, Err: fmt.Errorf("%s cannot run: %w", name, err)}
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return &ui.OpenError{Target: p, Err: fmt.Errorf("no program on this desktop opened it (%s exit status %d)", name, exit.ExitCode())}
		}
		if err != nil {
			return &ui.OpenError{Target: p, Err: err}
		}
		return nil
	case <-time.After(openWait):
		return nil // still running: the program started
	}
}
