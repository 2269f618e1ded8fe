//go:build windows

package win32

import (
	"unsafe"

	"golang.org/x/sys/windows"
)

var (
	procGetWindowLongPtrW = user32.NewProc("GetWindowLongPtrW")
	procSetWindowLongPtrW = user32.NewProc("SetWindowLongPtrW")
	procCallWindowProcW   = user32.NewProc("CallWindowProcW")
	procSetWindowPos      = user32.NewProc("SetWindowPos")
)

// Window-long indexes.
const (
	GWLExStyle  = -20
	GWLPWndProc = -4
)

// HWNDTopmost is HWND_TOPMOST for SetWindowPos.
const HWNDTopmost = ^windows.HWND(0)

// WindowLongPtr is GetWindowLongPtrW.
func WindowLongPtr(h windows.HWND, index int32) uintptr {
	r, _, _ := procGetWindowLongPtrW.Call(uintptr(h), uintptr(index))
	return r
}

// SetWindowLongPtr is SetWindowLongPtrW; it returns the previous value.
func SetWindowLongPtr(h windows.HWND, index int32, v uintptr) (uintptr, error) {
	r, _, err := procSetWindowLongPtrW.Call(uintptr(h), uintptr(index), v)
	if r == 0 && err != windows.ERROR_SUCCESS {
		return 0, err
	}
	return r, nil
}

// CallWindowProc is CallWindowProcW: a subclassed window's own procedure.
func CallWindowProc(prev uintptr, h windows.HWND, msg uint32, w, l uintptr) uintptr {
	r, _, _ := procCallWindowProcW.Call(prev, uintptr(h), uintptr(msg), w, l)
	return r
}

// SetWindowPos is SetWindowPos.
func SetWindowPos(h, after windows.HWND, x, y, cx, cy int32, flags uint32) error {
	if r, _, err := procSetWindowPos.Call(uintptr(h), uintptr(after), uintptr(x), uintptr(y), uintptr(cx), uintptr(cy), uintptr(flags)); r == 0 {
		return err
	}
	return nil
}

// MonitorFromWindow flags.
const (
	MonitorDefaultToNull    = 0
	MonitorDefaultToPrimary = 1
	MonitorDefaultToNearest = 2
)

// monitorOf is the MONITORINFO of the monitor MonitorFromWindow(h, flag)
// gives.
func monitorOf(h windows.HWND, flag uint32) (monitorInfo, bool) {
	m, _, _ := procMonitorFromWindow.Call(uintptr(h), uintptr(flag))
	if m == 0 {
		return monitorInfo{}, false
	}
	mi := monitorInfo{Size: uint32(unsafe.Sizeof(monitorInfo{}))}
	if r, _, _ := procGetMonitorInfoW.Call(m, uintptr(unsafe.Pointer(&mi))); r == 0 {
		return monitorInfo{}, false
	}
	return mi, true
}

// WorkArea is the work area (the monitor less the taskbar) of the monitor
// MonitorFromWindow(h, flag) gives.
func WorkArea(h windows.HWND, flag uint32) (windows.Rect, bool) {
	mi, ok := monitorOf(h, flag)
	if !ok {
		return windows.Rect{}, false
	}
	return windows.Rect{Left: mi.Work.Left, Top: mi.Work.Top, Right: mi.Work.Right, Bottom: mi.Work.Bottom}, true
}

var procSHQueryUserNotificationState = windows.NewLazySystemDLL("shell32.dll").NewProc("SHQueryUserNotificationState")

// User notification states (QUERY_USER_NOTIFICATION_STATE).
const (
	qunsNotPresent          = 1 // a screen saver, the lock screen, a fast user switch
	qunsBusy                = 2 // a fullscreen application
	qunsRunningD3DFullScren = 3 // a Direct3D fullscreen game
	qunsPresentationMode    = 4 // "presentation settings" are on
	qunsAcceptsNotification = 5
	qunsQuietTime           = 6 // the first hour after a new user's first login
	qunsApp                 = 7 // a Windows Store app in fullscreen
)

// Busy reports whether Windows itself says the user must not be
// interrupted now (SHQueryUserNotificationState): a fullscreen program, a
// fullscreen game, presentation mode or a Store app in fullscreen, even
// where the window does not cover its monitor the way CoversMonitor sees.
// False when the state cannot be read.
func Busy() bool {
	if procSHQueryUserNotificationState.Find() != nil {
		return false
	}
	var state int32
	if hr, _, _ := procSHQueryUserNotificationState.Call(uintptr(unsafe.Pointer(&state))); hr != 0 {
		return false
	}
	return busyState(state)
}

func busyState(s int32) bool {
	switch s {
	case qunsBusy, qunsRunningD3DFullScren, qunsPresentationMode, qunsApp:
		return true
	}
	return false
}
