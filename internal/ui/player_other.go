//go:build !linux && !freebsd && !openbsd && !netbsd

package ui

// keepPlayerAbove does nothing here: ffplay and mpv keep their own
// windows on top (-alwaysontop, --ontop).
func keepPlayerAbove(int) {}
