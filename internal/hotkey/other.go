//go:build !(linux || freebsd || netbsd || openbsd || dragonfly)

package hotkey

import (
	"context"
	"fmt"
	"runtime"
	"sync"
)

// register reports that this system has no global hotkey backend yet.
func register(context.Context, Key, Options) (*Hotkey, error) {
	return nil, unavailable(fmt.Sprintf("global hotkeys are not supported on this system (%s) yet", runtime.GOOS), nil)
}

// Hotkey is a registered global hotkey. Close releases it. (Register never
// makes one on this system.)
type Hotkey struct {
	key      Key
	events   chan struct{}
	status   chan Status
	stop     chan struct{}
	stopOnce sync.Once
	done     chan struct{}
}
