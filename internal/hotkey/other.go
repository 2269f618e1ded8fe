//go:build !(linux || freebsd || netbsd || openbsd || dragonfly || windows)

package hotkey

import (
	"context"
	"fmt"
	"runtime"
)

// register reports that this system has no global hotkey backend yet.
func register(context.Context, Key, Options) (*Hotkey, error) {
	return nil, unavailable(fmt.Sprintf("global hotkeys are not supported on this system (%s) yet", runtime.GOOS), nil)
}
