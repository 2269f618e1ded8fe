//go:build !(linux || freebsd || netbsd || openbsd || dragonfly)

package main

// checkXDisplay: windows open without X11 here.
func checkXDisplay() error { return nil }
