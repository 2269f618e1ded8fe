//go:build windows

package win32

import (
	"fmt"
	"image"
	"sync"
	"unsafe"

	"golang.org/x/sys/windows"
)

var (
	procSetWindowsHookExW   = user32.NewProc("SetWindowsHookExW")
	procUnhookWindowsHookEx = user32.NewProc("UnhookWindowsHookEx")
	procCallNextHookEx      = user32.NewProc("CallNextHookEx")
	procWindowFromPoint     = user32.NewProc("WindowFromPoint")
	procGetAncestor         = user32.NewProc("GetAncestor")
	procGetWindow           = user32.NewProc("GetWindow")
	procGetClientRect       = user32.NewProc("GetClientRect")
	procClientToScreen      = user32.NewProc("ClientToScreen")
	procGetMenuBarInfo      = user32.NewProc("GetMenuBarInfo")
	procMapVirtualKeyW      = user32.NewProc("MapVirtualKeyW")
	procGetSystemMetrics    = user32.NewProc("GetSystemMetrics")
	procGetModuleHandleW    = windows.NewLazySystemDLL("kernel32.dll").NewProc("GetModuleHandleW")
)

// Low-level hook kinds.
const (
	WH_KEYBOARD_LL = 13
	WH_MOUSE_LL    = 14
)

// Mouse and keyboard messages a low-level hook sees.
const (
	WM_KEYDOWN     = 0x0100
	WM_KEYUP       = 0x0101
	WM_SYSKEYDOWN  = 0x0104
	WM_SYSKEYUP    = 0x0105
	WM_LBUTTONDOWN = 0x0201
	WM_RBUTTONDOWN = 0x0204
	WM_MBUTTONDOWN = 0x0207
)

// MouseLL is a low-level mouse event (MSLLHOOKSTRUCT): the pointer in
// screen coordinates.
type MouseLL struct {
	Pt        struct{ X, Y int32 }
	MouseData uint32
	Flags     uint32
	Time      uint32
	ExtraInfo uintptr
}

// KeyLL is a low-level keyboard event (KBDLLHOOKSTRUCT).
type KeyLL struct {
	VK        uint32
	Scan      uint32
	Flags     uint32
	Time      uint32
	ExtraInfo uintptr
}

// LowLevelFunc receives a low-level input event: the message (WM_KEYDOWN,
// WM_LBUTTONDOWN, ...) and the event. It must return at once: the system
// waits for it before the input goes on to the program it is for (and
// drops a hook that makes it wait too long).
type LowLevelFunc[T MouseLL | KeyLL] func(msg uint32, ev *T)

// InputHook is a low-level hook; Unhook removes it.
type InputHook struct {
	h    uintptr
	kind int
}

var (
	llMu       sync.Mutex
	llMouse    LowLevelFunc[MouseLL]
	llKeyboard LowLevelFunc[KeyLL]
	llCallback [2]uintptr
	llOnce     sync.Once
)

// The callbacks of the two low-level hooks: each hands the event to the
// function set for its kind and passes it on down the hook chain.
func llCallbacks() {
	llOnce.Do(func() {
		llCallback[0] = windows.NewCallback(func(code int32, w, l uintptr) uintptr {
			if code >= 0 {
				llMu.Lock()
				fn := llMouse
				llMu.Unlock()
				if fn != nil {
					fn(uint32(w), *(**MouseLL)(unsafe.Pointer(&l)))
				}
			}
			r, _, _ := procCallNextHookEx.Call(0, uintptr(code), w, l)
			return r
		})
		llCallback[1] = windows.NewCallback(func(code int32, w, l uintptr) uintptr {
			if code >= 0 {
				llMu.Lock()
				fn := llKeyboard
				llMu.Unlock()
				if fn != nil {
					fn(uint32(w), *(**KeyLL)(unsafe.Pointer(&l)))
				}
			}
			r, _, _ := procCallNextHookEx.Call(0, uintptr(code), w, l)
			return r
		})
	})
}

func setLowLevel(kind int, cb uintptr) (InputHook, error) {
	// The module is this program's: low-level hooks run in the process
	// that set them, but Windows wants a module handle all the same.
	mod, _, err := procGetModuleHandleW.Call(0)
	if mod == 0 {
		return InputHook{}, fmt.Errorf("GetModuleHandle: %w", err)
	}
	h, _, err := procSetWindowsHookExW.Call(uintptr(kind), cb, mod, 0)
	if h == 0 {
		return InputHook{}, err
	}
	return InputHook{h: h, kind: kind}, nil
}

// HookMouse sets a low-level mouse hook (WH_MOUSE_LL) that calls fn for
// every mouse event of the session. One at a time per process; the calling
// thread must be a Thread's: fn runs on it, from within its message loop.
func HookMouse(fn LowLevelFunc[MouseLL]) (InputHook, error) {
	llCallbacks()
	llMu.Lock()
	defer llMu.Unlock()
	if llMouse != nil {
		return InputHook{}, fmt.Errorf("a low-level mouse hook is already set")
	}
	h, err := setLowLevel(WH_MOUSE_LL, llCallback[0])
	if err != nil {
		return InputHook{}, fmt.Errorf("SetWindowsHookEx(WH_MOUSE_LL): %w", err)
	}
	llMouse = fn
	return h, nil
}

// HookKeyboard sets a low-level keyboard hook (WH_KEYBOARD_LL); see
// HookMouse.
func HookKeyboard(fn LowLevelFunc[KeyLL]) (InputHook, error) {
	llCallbacks()
	llMu.Lock()
	defer llMu.Unlock()
	if llKeyboard != nil {
		return InputHook{}, fmt.Errorf("a low-level keyboard hook is already set")
	}
	h, err := setLowLevel(WH_KEYBOARD_LL, llCallback[1])
	if err != nil {
		return InputHook{}, fmt.Errorf("SetWindowsHookEx(WH_KEYBOARD_LL): %w", err)
	}
	llKeyboard = fn
	return h, nil
}

// Unhook removes the hook (on the thread that set it); the zero InputHook
// is ignored.
func (h InputHook) Unhook() {
	if h.h == 0 {
		return
	}
	procUnhookWindowsHookEx.Call(h.h)
	llMu.Lock()
	switch h.kind {
	case WH_MOUSE_LL:
		llMouse = nil
	case WH_KEYBOARD_LL:
		llKeyboard = nil
	}
	llMu.Unlock()
}

// WindowFromPoint is the window at a point of the screen (a child
// control, most often).
func WindowFromPoint(p image.Point) windows.HWND {
	// POINT is passed by value: two LONGs packed in one 64-bit register.
	h, _, _ := procWindowFromPoint.Call(uintptr(uint32(int32(p.X))) | uintptr(uint32(int32(p.Y)))<<32)
	return windows.HWND(h)
}

// GetAncestor flags.
const (
	GA_PARENT    = 1
	GA_ROOT      = 2
	GA_ROOTOWNER = 3
)

// Ancestor is GetAncestor.
func Ancestor(h windows.HWND, flag uint32) windows.HWND {
	r, _, _ := procGetAncestor.Call(uintptr(h), uintptr(flag))
	return windows.HWND(r)
}

// Owner is the window that owns h (a dialog's or a menu's window), or 0.
func Owner(h windows.HWND) windows.HWND {
	const gwOwner = 4
	r, _, _ := procGetWindow.Call(uintptr(h), gwOwner)
	return windows.HWND(r)
}

// Window styles.
const (
	GWLStyle  = -16
	WSPopup   = 0x80000000
	WSCaption = 0x00C00000
)

func toRect(r rect) image.Rectangle {
	return image.Rect(int(r.Left), int(r.Top), int(r.Right), int(r.Bottom))
}

// WindowRect is a window's area on the screen, frame included.
func WindowRect(h windows.HWND) (image.Rectangle, bool) {
	var r rect
	if ok, _, _ := procGetWindowRect.Call(uintptr(h), uintptr(unsafe.Pointer(&r))); ok == 0 {
		return image.Rectangle{}, false
	}
	return toRect(r), true
}

// ClientRect is a window's client area in screen coordinates.
func ClientRect(h windows.HWND) (image.Rectangle, bool) {
	var r rect
	if ok, _, _ := procGetClientRect.Call(uintptr(h), uintptr(unsafe.Pointer(&r))); ok == 0 {
		return image.Rectangle{}, false
	}
	var p struct{ X, Y int32 }
	if ok, _, _ := procClientToScreen.Call(uintptr(h), uintptr(unsafe.Pointer(&p))); ok == 0 {
		return image.Rectangle{}, false
	}
	return toRect(r).Add(image.Pt(int(p.X), int(p.Y))), true
}

// MenuBarRect is the area of a window's menu bar on the screen; ok is
// false when it has none.
func MenuBarRect(h windows.HWND) (image.Rectangle, bool) {
	objidMenu := int32(-3) // OBJID_MENU, a LONG
	var mbi struct {
		Size    uint32
		Bar     rect
		Menu    uintptr
		Focus   windows.HWND
		Flags   uint32
		padding uint32
	}
	mbi.Size = uint32(unsafe.Sizeof(mbi))
	if ok, _, _ := procGetMenuBarInfo.Call(uintptr(h), uintptr(uint32(int32(objidMenu))), 0, uintptr(unsafe.Pointer(&mbi))); ok == 0 {
		return image.Rectangle{}, false
	}
	r := toRect(mbi.Bar)
	return r, !r.Empty()
}

// VirtualScreen is the area of all monitors together, in screen
// coordinates (the primary monitor's top-left corner is 0,0).
func VirtualScreen() image.Rectangle {
	m := func(i uintptr) int {
		r, _, _ := procGetSystemMetrics.Call(i)
		return int(int32(r))
	}
	const smX, smY, smCX, smCY = 76, 77, 78, 79
	x, y := m(smX), m(smY)
	return image.Rect(x, y, x+m(smCX), y+m(smCY))
}

// Virtual keys the recorder tells apart.
const (
	VK_RETURN   = 0x0D
	VK_SHIFT    = 0x10
	VK_CONTROL  = 0x11
	VK_MENU     = 0x12 // Alt
	VK_LWIN     = 0x5B
	VK_RWIN     = 0x5C
	VK_LSHIFT   = 0xA0
	VK_RSHIFT   = 0xA1
	VK_LCONTROL = 0xA2
	VK_RCONTROL = 0xA3
	VK_LMENU    = 0xA4
	VK_RMENU    = 0xA5
)

// KeyTypes reports whether a virtual key types a character (a letter, a
// digit, punctuation, the space bar) in the calling thread's keyboard
// layout.
func KeyTypes(vk uint32) bool {
	const mapvkVKToChar = 2
	r, _, _ := procMapVirtualKeyW.Call(uintptr(vk), mapvkVKToChar)
	return r != 0
}
