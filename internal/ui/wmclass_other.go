//go:build !((linux || freebsd || openbsd || netbsd) && !wayland)

package ui

// setWindowClass does nothing without X11: WM_CLASS is an X11 property.
func setWindowClass() {}
