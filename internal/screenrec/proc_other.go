//go:build !windows

package screenrec

import "os/exec"

// hideWindow does nothing here: FFmpeg opens no window of its own.
func hideWindow(*exec.Cmd) {}
