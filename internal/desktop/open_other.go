//go:build !windows

package desktop

import (
	"fmt"
	"os/exec"
	"runtime"
)

// OpenPath opens a file or folder with the desktop's default program
// (xdg-open; open on macOS).
func OpenPath(p string) error {
	name := "xdg-open"
	if runtime.GOOS == "darwin" {
		name = "open"
	}
	cmd := exec.Command(name, p)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("open %s: %w", p, err)
	}
	go cmd.Wait()
	return nil
}
