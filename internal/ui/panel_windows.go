//go:build windows

package ui

import (
	"log/slog"
	"sync"
	"unsafe"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver"
	"golang.org/x/sys/windows"
)

var (
	user32               = windows.NewLazySystemDLL("user32.dll")
	procGetWindowLongPtr = user32.NewProc("GetWindowLongPtrW")
	procSetWindowLongPtr = user32.NewProc("SetWindowLongPtrW")
	procCallWindowProc   = user32.NewProc("CallWindowProcW")
	procSetWindowPos     = user32.NewProc("SetWindowPos")
	procMonitorFromWnd   = user32.NewProc("MonitorFromWindow")
	procGetMonitorInfo   = user32.NewProc("GetMonitorInfoW")
	procSetForeground    = user32.NewProc("SetForegroundWindow")
)

const (
	gwlExStyle  = -20
	gwlpWndProc = -4

	wsExTopmost    = 0x00000008
	wsExToolWindow = 0x00000080
	wsExAppWindow  = 0x00040000
	wsExNoActivate = 0x08000000

	swpNoSize       = 0x0001
	swpNoActivate   = 0x0010
	swpFrameChanged = 0x0020
	swpShowWindow   = 0x0040

	monitorDefaultToPrimary = 1
	monitorDefaultToNearest = 2

	wmMouseActivate = 0x0021
	maNoActivate    = 3
)

// hwndTopmost is HWND_TOPMOST, (HWND)-1.
var hwndTopmost = ^uintptr(0)

// monitorInfo is MONITORINFO.
type monitorInfo struct {
	size    uint32
	monitor windows.Rect
	work    windows.Rect
	flags   uint32
}

var (
	// beforeShow is the foreground window just before the panel was last
	// shown (see panelShowing).
	beforeShow windows.HWND
	// panelProc is the panel's window procedure: one callback for the
	// process (windows.NewCallback's are never freed).
	panelProcOnce sync.Once
	panelProc     uintptr
	// oldProcs are the window procedures replaced by panelProc, by window.
	oldProcs sync.Map // uintptr -> uintptr
)

// preparePanel makes the panel a topmost window that is never activated:
// WS_EX_NOACTIVATE (a click does not activate it), WS_EX_TOOLWINDOW (no
// taskbar button, not in Alt+Tab) and WS_EX_TOPMOST, its window procedure
// subclassed (see panelWndProc), shown without activation in a corner of
// the work area (the taskbar excluded) of the monitor that holds the
// foreground window. It runs after every Show, on the UI goroutine.
func preparePanel(w fyne.Window, corner string, size fyne.Size, log *slog.Logger) {
	nw, ok := w.(driver.NativeWindow)
	if !ok {
		return
	}
	var hwnd uintptr
	nw.RunNative(func(ctx any) {
		if c, ok := ctx.(driver.WindowsWindowContext); ok {
			hwnd = c.HWND
		}
	})
	if hwnd == 0 {
		return
	}
	idx := gwlExStyle
	ex, _, _ := procGetWindowLongPtr.Call(hwnd, uintptr(idx))
	want := ex&^wsExAppWindow | wsExNoActivate | wsExToolWindow | wsExTopmost
	if want != ex {
		if r, _, err := procSetWindowLongPtr.Call(hwnd, uintptr(idx), want); r == 0 && err != windows.ERROR_SUCCESS {
			log.Debug("panel style", "err", err)
		}
	}
	subclassPanel(hwnd, log)

	x0, y0, ww, wh, ok := workArea(hwnd)
	if !ok {
		log.Debug("panel: no work area")
		return
	}
	pw, ph := panelPixels(w, size)
	x, y := panelOrigin(corner, x0, y0, ww, wh, pw, ph)
	// fyne sizes the window itself; SWP_FRAMECHANGED applies the new
	// extended style.
	flags := uintptr(swpNoSize | swpNoActivate | swpShowWindow | swpFrameChanged)
	if r, _, err := procSetWindowPos.Call(hwnd, hwndTopmost, uintptr(x), uintptr(y), 0, 0, flags); r == 0 {
		log.Debug("panel position", "err", err)
	}
	// GLFW activates a window it shows (its focus-on-show default, which
	// fyne leaves on), and Windows lets it when Cuecard had the last input
	// (a click on the panel, the tray menu); under Wine it always does.
	// The activation goes back to the window that had it.
	if fg := windows.GetForegroundWindow(); uintptr(fg) == hwnd && beforeShow != 0 && uintptr(beforeShow) != hwnd && windows.IsWindow(beforeShow) {
		if r, _, err := procSetForeground.Call(uintptr(beforeShow)); r == 0 {
			log.Debug("panel: focus back", "err", err)
		}
	}
}

// panelShowing remembers the foreground window before the panel is shown,
// for preparePanel to give the activation back. UI goroutine.
func panelShowing() { beforeShow = windows.GetForegroundWindow() }

// workArea is the work area (the monitor less the taskbar) of the monitor
// that holds the foreground window (the one before the panel, when the
// panel has just been activated), or the primary monitor's.
func workArea(panel uintptr) (x, y, w, h int32, ok bool) {
	fg := uintptr(windows.GetForegroundWindow())
	if fg == panel {
		fg = uintptr(beforeShow)
	}
	var mon uintptr
	if fg != 0 && fg != panel {
		mon, _, _ = procMonitorFromWnd.Call(fg, monitorDefaultToNearest)
	}
	if mon == 0 {
		mon, _, _ = procMonitorFromWnd.Call(panel, monitorDefaultToPrimary)
	}
	if mon == 0 {
		return 0, 0, 0, 0, false
	}
	mi := monitorInfo{size: uint32(unsafe.Sizeof(monitorInfo{}))}
	if r, _, _ := procGetMonitorInfo.Call(mon, uintptr(unsafe.Pointer(&mi))); r == 0 {
		return 0, 0, 0, 0, false
	}
	r := mi.work
	return r.Left, r.Top, r.Right - r.Left, r.Bottom - r.Top, true
}

// subclassPanel puts panelWndProc in front of the window's own procedure,
// once per window.
func subclassPanel(hwnd uintptr, log *slog.Logger) {
	if _, done := oldProcs.Load(hwnd); done {
		return
	}
	panelProcOnce.Do(func() { panelProc = windows.NewCallback(panelWndProc) })
	idx := gwlpWndProc
	// The old procedure is stored before the swap: messages can arrive
	// as soon as it is made.
	old, _, _ := procGetWindowLongPtr.Call(hwnd, uintptr(idx))
	if old == 0 {
		return
	}
	oldProcs.Store(hwnd, old)
	if r, _, err := procSetWindowLongPtr.Call(hwnd, uintptr(idx), panelProc); r == 0 {
		oldProcs.Delete(hwnd)
		log.Debug("panel subclass", "err", err)
	}
}

// panelWndProc keeps a click from activating the panel: WS_EX_NOACTIVATE
// alone does not under Wine, whose DefWindowProc answers WM_MOUSEACTIVATE
// with MA_ACTIVATE. With MA_NOACTIVATE the click is still delivered.
// Everything else goes to the window's own procedure.
func panelWndProc(hwnd, msg, wparam, lparam uintptr) uintptr {
	switch msg {
	case wmMouseActivate:
		return maNoActivate
	}
	old, ok := oldProcs.Load(hwnd)
	if !ok {
		return 0
	}
	r, _, _ := procCallWindowProc.Call(old.(uintptr), hwnd, msg, wparam, lparam)
	return r
}
