//go:build windows

package ui

import (
	"image"
	"log/slog"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver"
	"golang.org/x/sys/windows"

	"github.com/cuecard/cuecard/internal/win32"
)

const (
	wsExTopmost    = 0x00000008
	wsExToolWindow = 0x00000080
	wsExAppWindow  = 0x00040000
	wsExNoActivate = 0x08000000

	swpNoSize       = 0x0001
	swpNoActivate   = 0x0010
	swpFrameChanged = 0x0020
	swpShowWindow   = 0x0040

	wmMouseActivate = 0x0021
	maNoActivate    = 3
)

var (
	// beforeShow is the foreground window just before the panel was last
	// shown (see panelShowing).
	beforeShow windows.HWND
)

// preparePanel makes the panel a topmost window that is never activated:
// WS_EX_NOACTIVATE (a click does not activate it), WS_EX_TOOLWINDOW (no
// taskbar button, not in Alt+Tab) and WS_EX_TOPMOST, its window procedure
// subclassed (see panelWndProc), shown without activation in a corner of
// the work area (the taskbar excluded) of the monitor that holds the
// foreground window. It runs after every Show, on the UI goroutine.
func preparePanel(w fyne.Window, corner string, size fyne.Size, log *slog.Logger) {
	prepareFloating(w, size, log, func(work image.Rectangle, pw, ph int32) (int32, int32) {
		return panelOrigin(corner, int32(work.Min.X), int32(work.Min.Y), int32(work.Dx()), int32(work.Dy()), pw, ph)
	})
}

// prepareFloating is preparePanel with the window's origin chosen by
// place, given the work area and the window's size in pixels.
func prepareFloating(w fyne.Window, size fyne.Size, log *slog.Logger, place func(work image.Rectangle, pw, ph int32) (x, y int32)) {
	nw, ok := w.(driver.NativeWindow)
	if !ok {
		return
	}
	var hwnd windows.HWND
	nw.RunNative(func(ctx any) {
		if c, ok := ctx.(driver.WindowsWindowContext); ok {
			hwnd = windows.HWND(c.HWND)
		}
	})
	if hwnd == 0 {
		return
	}
	ex := win32.WindowLongPtr(hwnd, win32.GWLExStyle)
	want := ex&^wsExAppWindow | wsExNoActivate | wsExToolWindow | wsExTopmost
	if want != ex {
		if _, err := win32.SetWindowLongPtr(hwnd, win32.GWLExStyle, want); err != nil {
			log.Debug("panel style", "err", err)
		}
	}
	subclassPanel(hwnd, log)

	work, ok := workArea(hwnd)
	if !ok {
		log.Debug("panel: no work area")
		return
	}
	pw, ph := panelPixels(w, size)
	x, y := place(image.Rect(int(work.Left), int(work.Top), int(work.Right), int(work.Bottom)), pw, ph)
	// fyne sizes the window itself; SWP_FRAMECHANGED applies the new
	// extended style.
	if err := win32.SetWindowPos(hwnd, win32.HWNDTopmost, x, y, 0, 0, swpNoSize|swpNoActivate|swpShowWindow|swpFrameChanged); err != nil {
		log.Debug("panel position", "err", err)
	}
	// GLFW activates a window it shows (its focus-on-show default, which
	// fyne leaves on), and Windows lets it when Cuecard had the last input
	// (a click on the panel, the tray menu); under Wine it always does.
	// The activation goes back to the window that had it.
	if fg := windows.GetForegroundWindow(); fg == hwnd && beforeShow != 0 && beforeShow != hwnd && windows.IsWindow(beforeShow) {
		if err := win32.SetForegroundWindow(beforeShow); err != nil {
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
func workArea(panel windows.HWND) (windows.Rect, bool) {
	fg := windows.GetForegroundWindow()
	if fg == panel {
		fg = beforeShow
	}
	if fg != 0 && fg != panel {
		if r, ok := win32.WorkArea(fg, win32.MonitorDefaultToNearest); ok {
			return r, true
		}
	}
	return win32.WorkArea(panel, win32.MonitorDefaultToPrimary)
}

// workRect is the work area a panel window is placed in.
func workRect(w fyne.Window) (image.Rectangle, bool) {
	nw, ok := w.(driver.NativeWindow)
	if !ok {
		return image.Rectangle{}, false
	}
	var hwnd windows.HWND
	nw.RunNative(func(ctx any) {
		if c, ok := ctx.(driver.WindowsWindowContext); ok {
			hwnd = windows.HWND(c.HWND)
		}
	})
	if hwnd == 0 {
		return image.Rectangle{}, false
	}
	r, ok := workArea(hwnd)
	return image.Rect(int(r.Left), int(r.Top), int(r.Right), int(r.Bottom)), ok
}

// subclassPanel keeps a click from activating the panel: WS_EX_NOACTIVATE
// alone does not under Wine, whose DefWindowProc answers WM_MOUSEACTIVATE
// with MA_ACTIVATE. With MA_NOACTIVATE the click is still delivered.
func subclassPanel(hwnd windows.HWND, log *slog.Logger) {
	subclass(hwnd, func(msg uint32) (uintptr, bool) {
		if msg == wmMouseActivate {
			return maNoActivate, true
		}
		return 0, false
	}, log)
}

var procSetWindowDisplayAffinity = windows.NewLazySystemDLL("user32.dll").NewProc("SetWindowDisplayAffinity")

// excludeFromCapture keeps a window out of screenshots and screen
// recordings (WDA_EXCLUDEFROMCAPTURE, Windows 10 2004 and later): the
// recorder's control window never shows in the steps it records. Older
// systems (and Wine) refuse it; the window is then captured where it
// overlaps the clicked window.
func excludeFromCapture(w fyne.Window, log *slog.Logger) {
	nw, ok := w.(driver.NativeWindow)
	if !ok {
		return
	}
	nw.RunNative(func(ctx any) {
		c, ok := ctx.(driver.WindowsWindowContext)
		if !ok || c.HWND == 0 {
			return
		}
		const wdaExcludeFromCapture = 0x11
		if r, _, err := procSetWindowDisplayAffinity.Call(c.HWND, wdaExcludeFromCapture); r == 0 {
			log.Debug("the recorder's control window may show in screenshots", "err", err)
		}
	})
}
