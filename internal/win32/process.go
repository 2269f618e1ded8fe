//go:build windows

package win32

import (
	"errors"
	"path/filepath"
	"strings"

	"golang.org/x/sys/windows"
)

// FrameHost is the process that draws the frames of UWP apps.
const FrameHost = "ApplicationFrameHost.exe"

// ProcessOf is the id of the process that made a window, or 0.
func ProcessOf(h windows.HWND) uint32 {
	var pid uint32
	windows.GetWindowThreadProcessId(h, &pid)
	return pid
}

// ExeName is the file name of a process's executable ("notepad.exe"). It
// fails when the process cannot be opened (an elevated program seen from
// an unelevated one).
func ExeName(pid uint32) (string, error) {
	p, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, pid)
	if err != nil {
		return "", err
	}
	defer windows.CloseHandle(p)
	buf := make([]uint16, windows.MAX_LONG_PATH)
	n := uint32(len(buf))
	if err := windows.QueryFullProcessImageName(p, 0, &buf[0], &n); err != nil {
		return "", err
	}
	if n == 0 {
		return "", errors.New("empty image name")
	}
	return filepath.Base(windows.UTF16ToString(buf[:n])), nil
}

// HostedApp is, for a UWP app's frame (a window of ApplicationFrameHost.exe
// around the app's own CoreWindow, a child from the app's process), the
// process of the app: the first child window that belongs to another
// process than the frame's. It is 0 for any other window.
func HostedApp(frame windows.HWND, exe string, pid uint32) uint32 {
	if !strings.EqualFold(exe, FrameHost) {
		return 0
	}
	return hostedApp(pid, Children(frame), ProcessOf)
}

func hostedApp(frame uint32, children []windows.HWND, pidOf func(windows.HWND) uint32) uint32 {
	for _, c := range children {
		if p := pidOf(c); p != 0 && p != frame {
			return p
		}
	}
	return 0
}
