//go:build !linux && !windows

package ui

import (
	"log/slog"
	"time"
)

// idleSupported: elsewhere fyne's loop runs as it is.
const idleSupported = false

func mainThread() bool { return false }

const defaultIdleSlice = 100 * time.Millisecond

func watchTray(*idler, *slog.Logger) {}
