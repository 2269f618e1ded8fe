package ui

import (
	"log/slog"
	"os"
	"syscall"
	"time"
)

// defaultIdleSlice: a click in the tray menu (over D-Bus) waits for the
// end of the current slice.
const defaultIdleSlice = 100 * time.Millisecond

// watchTray does nothing on Linux: the tray's D-Bus calls do not wake the
// idler.
func watchTray(*idler, *slog.Logger) {}

// idleSupported: on Linux the idler parks fyne's loop.
const idleSupported = true

// mainThread reports whether the caller runs on the process's first
// thread, the one fyne's loop is locked to.
func mainThread() bool { return syscall.Gettid() == os.Getpid() }
