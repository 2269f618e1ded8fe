//go:build !windows

package main

import (
	"os/exec"
	"syscall"
)

// detach makes cmd a session of its own, so that it outlives the terminal
// or the program (a browser's URL handler) that started cuecard open.
func detach(cmd *exec.Cmd) { cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true} }
