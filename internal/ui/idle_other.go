//go:build !linux && !windows

package ui

// idleSupported: elsewhere fyne's loop runs as it is.
const idleSupported = false

func mainThread() bool { return false }
