package ui

import (
	"log/slog"
	"sync"

	"golang.org/x/sys/windows"

	"github.com/cuecard/cuecard/internal/win32"
)

// A subclassed window: its own procedure, and what runs before it.
type subclassed struct {
	old    uintptr
	before func(msg uint32) (result uintptr, handled bool)
}

var (
	// wndProc is the procedure of every subclassed window: one callback
	// for the process (windows.NewCallback's are never freed).
	wndProcOnce sync.Once
	wndProc     uintptr
	subclasses  sync.Map // windows.HWND -> *subclassed
)

// subclass puts before in front of a window's own procedure (once per
// window): it sees every message first, and a message it handles goes no
// further. The window may belong to another thread of the process.
func subclass(hwnd windows.HWND, before func(msg uint32) (uintptr, bool), log *slog.Logger) {
	if _, done := subclasses.Load(hwnd); done {
		return
	}
	wndProcOnce.Do(func() { wndProc = windows.NewCallback(subclassProc) })
	// The old procedure is stored before the swap: messages can arrive
	// as soon as it is made.
	old := win32.WindowLongPtr(hwnd, win32.GWLPWndProc)
	if old == 0 {
		return
	}
	subclasses.Store(hwnd, &subclassed{old: old, before: before})
	if _, err := win32.SetWindowLongPtr(hwnd, win32.GWLPWndProc, wndProc); err != nil {
		subclasses.Delete(hwnd)
		log.Debug("subclass a window", "err", err)
	}
}

func subclassProc(hwnd, msg, wparam, lparam uintptr) uintptr {
	v, ok := subclasses.Load(windows.HWND(hwnd))
	if !ok {
		return 0
	}
	sc := v.(*subclassed)
	if r, handled := sc.before(uint32(msg)); handled {
		return r
	}
	return win32.CallWindowProc(sc.old, windows.HWND(hwnd), uint32(msg), wparam, lparam)
}
