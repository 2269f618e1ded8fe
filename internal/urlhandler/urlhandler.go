// Package urlhandler makes Cuecard the handler of cuecard:// links for
// the user: a desktop entry for the x-scheme-handler/cuecard MIME type,
// made the default with xdg-mime, on Linux and the BSDs; the per-user URL
// protocol key HKCU\Software\Classes\cuecard on Windows. It needs no cgo,
// so that its Windows side is tested under Wine.
package urlhandler

import (
	"fmt"
	"os"
)

// Register makes exe the handler of cuecard:// links when it is not
// already: when nothing is registered, or the registration starts another
// program. It reports whether it changed anything. The desktop app calls
// it at start.
func Register(exe string) (changed bool, err error) {
	changed, err = register(exe)
	if err != nil {
		return changed, fmt.Errorf("register the handler of cuecard:// links: %w", err)
	}
	return changed, nil
}

// RegisterSelf is Register for the running program.
func RegisterSelf() (bool, error) {
	exe, err := os.Executable()
	if err != nil {
		return false, fmt.Errorf("register the handler of cuecard:// links: %w", err)
	}
	return Register(exe)
}
