// Package autostart starts Cuecard's desktop app when the user logs in:
// an XDG autostart entry on Linux and the BSDs, a value under the user's
// Run key on Windows. It needs no cgo, so that its Windows side is tested
// under Wine without a C cross-compiler.
package autostart

import (
	"fmt"
	"os"
)

// Command is the command line that starts the desktop app: the program,
// quoted for paths with spaces, and "app".
func Command(exe string) string { return `"` + exe + `" app` }

// Set turns starting at login on (for this program) or off.
func Set(on bool) error {
	if !on {
		if err := remove(); err != nil {
			return fmt.Errorf("start at login: %w", err)
		}
		return nil
	}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("start at login: %w", err)
	}
	if err := write(exe); err != nil {
		return fmt.Errorf("start at login: %w", err)
	}
	return nil
}

// Enabled reports whether Cuecard starts at login.
func Enabled() bool { return enabled() }
