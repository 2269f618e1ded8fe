package screenrec

import (
	"os/exec"
	"syscall"
)

// hideWindow keeps FFmpeg's console window from opening over the screen
// being recorded.
func hideWindow(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{HideWindow: true, CreationFlags: 0x08000000} // CREATE_NO_WINDOW
}
