package ui

import "golang.org/x/sys/windows"

// idleSupported: on Windows the idler parks fyne's loop.
const idleSupported = true

// mainTID is the process's first thread: package initialisation runs
// there, and fyne's loop is locked to it.
var mainTID = windows.GetCurrentThreadId()

// mainThread reports whether the caller runs on fyne's loop thread.
func mainThread() bool { return windows.GetCurrentThreadId() == mainTID }
