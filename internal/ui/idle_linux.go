package ui

import (
	"os"
	"syscall"
)

// idleSupported: on Linux the idler parks fyne's loop.
const idleSupported = true

// mainThread reports whether the caller runs on the process's first
// thread, the one fyne's loop is locked to.
func mainThread() bool { return syscall.Gettid() == os.Getpid() }
