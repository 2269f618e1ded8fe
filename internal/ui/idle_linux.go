package ui

import (
	"log/slog"
	"os"
	"syscall"
	"time"
)

// defaultIdleSlice: how long one wait lasts at most; the panel, the
// hotkey and a tray-menu click (Shell.Do) end it at once.
const defaultIdleSlice = 100 * time.Millisecond

// watchTray does nothing on Linux: the tray menu's clicks wake the idler
// themselves (systrayMenu runs them with Shell.Do).
func watchTray(*idler, *slog.Logger) {}

// idleSupported: on Linux the idler parks fyne's loop.
const idleSupported = true

// mainThread reports whether the caller runs on the process's first
// thread, the one fyne's loop is locked to.
func mainThread() bool { return syscall.Gettid() == os.Getpid() }
