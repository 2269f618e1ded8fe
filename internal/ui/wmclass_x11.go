//go:build (linux || freebsd || openbsd || netbsd) && !wayland

package ui

import "github.com/go-gl/glfw/v3.3/glfw"

// setWindowClass names every window created from now on in WM_CLASS:
// instance "cuecard", class "Cuecard", so that task bars group Cuecard's
// windows and window manager rules can name them. Without the hints GLFW
// takes both from the window's title when it creates the window ("Settings
// - Cuecard"). WM_CLASS has to be there when the window is first mapped (the
// window manager reads it then), and fyne creates and maps a window in one
// step on its first Show, so the X property cannot be set in between: the
// hints are set once, on the UI goroutine after the driver has started
// GLFW, and GLFW keeps them for every later window (fyne never resets them).
func setWindowClass() {
	glfw.WindowHintString(glfw.X11InstanceName, "cuecard")
	glfw.WindowHintString(glfw.X11ClassName, "Cuecard")
}
