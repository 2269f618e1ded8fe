//go:build !(linux || freebsd || openbsd || netbsd)

package ui

// trayAvailable: the tray is native on Windows and macOS.
func trayAvailable() bool { return true }

// trayHostPresent: Windows and macOS always show tray icons.
func trayHostPresent() bool { return true }
