//go:build windows

// Package win32 holds the Win32 user-interface calls that
// golang.org/x/sys/windows lacks, and the one thing every user of them
// needs: a locked OS thread with a message queue. WinEvent hooks, hotkeys
// and thread timers deliver to the thread that asked for them, and only
// while it pumps messages, so internal/focus and internal/hotkey each run
// their Win32 side on a Thread.
//
// Every call is a documented user32 function, loaded at first use: no cgo.
package win32

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"unsafe"

	"golang.org/x/sys/windows"
)

var (
	user32 = windows.NewLazySystemDLL("user32.dll")

	procGetMessageW         = user32.NewProc("GetMessageW")
	procPeekMessageW        = user32.NewProc("PeekMessageW")
	procPostThreadMessageW  = user32.NewProc("PostThreadMessageW")
	procDispatchMessageW    = user32.NewProc("DispatchMessageW")
	procSetTimer            = user32.NewProc("SetTimer")
	procKillTimer           = user32.NewProc("KillTimer")
	procSetWinEventHook     = user32.NewProc("SetWinEventHook")
	procUnhookWinEvent      = user32.NewProc("UnhookWinEvent")
	procGetWindowTextW      = user32.NewProc("GetWindowTextW")
	procGetWindowTextLength = user32.NewProc("GetWindowTextLengthW")
	procSetWindowTextW      = user32.NewProc("SetWindowTextW")
	procGetWindowRect       = user32.NewProc("GetWindowRect")
	procMonitorFromWindow   = user32.NewProc("MonitorFromWindow")
	procGetMonitorInfoW     = user32.NewProc("GetMonitorInfoW")
	procRegisterHotKey      = user32.NewProc("RegisterHotKey")
	procUnregisterHotKey    = user32.NewProc("UnregisterHotKey")
	procVkKeyScanW          = user32.NewProc("VkKeyScanW")
	procSetForegroundWindow = user32.NewProc("SetForegroundWindow")
	procSendInput           = user32.NewProc("SendInput")
	procPostMessageW        = user32.NewProc("PostMessageW")
	procNotifyWinEvent      = user32.NewProc("NotifyWinEvent")
	procEnumWindows         = user32.NewProc("EnumWindows")
	procEnumChildWindows    = user32.NewProc("EnumChildWindows")
)

// Window messages.
const (
	WM_CLOSE  = 0x0010
	WM_TIMER  = 0x0113
	WM_HOTKEY = 0x0312
	WM_APP    = 0x8000
)

// wmStop ends a Thread's message loop.
const wmStop = WM_APP + 0x3c5

// Msg is a MSG.
type Msg struct {
	Hwnd     windows.HWND
	Message  uint32
	WParam   uintptr
	LParam   uintptr
	Time     uint32
	Pt       struct{ X, Y int32 }
	LPrivate uint32
}

// Thread is a locked OS thread with a message queue that hands its messages
// to a function until Stop.
type Thread struct {
	id   uint32
	done chan struct{}
	once sync.Once
}

// Start runs setup on a new OS thread, locked to its goroutine, that has a
// message queue; then it hands every message of that thread's queue to
// handle until Stop, and runs teardown on the same thread. When setup fails,
// Start returns its error and the thread ends without teardown. setup,
// handle and teardown, and the callbacks of hooks and timers set up on the
// thread, all run on it, one at a time.
func Start(setup func(threadID uint32) error, handle func(*Msg), teardown func()) (*Thread, error) {
	t := &Thread{done: make(chan struct{})}
	ready := make(chan error, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread ends with the goroutine
		defer close(t.done)
		var m Msg
		// The first call to a message function gives the thread its queue,
		// so PostThreadMessage can reach it from now on.
		procPeekMessageW.Call(uintptr(unsafe.Pointer(&m)), 0, 0, 0, 0)
		t.id = windows.GetCurrentThreadId()
		if err := setup(t.id); err != nil {
			ready <- err
			return
		}
		ready <- nil
		defer teardown()
		for {
			r, _, _ := procGetMessageW.Call(uintptr(unsafe.Pointer(&m)), 0, 0, 0)
			if int32(r) <= 0 { // WM_QUIT or an error: nothing more will come
				return
			}
			if m.Message == wmStop && m.Hwnd == 0 {
				return
			}
			handle(&m)
			if m.Hwnd != 0 {
				procDispatchMessageW.Call(uintptr(unsafe.Pointer(&m)))
			}
		}
	}()
	if err := <-ready; err != nil {
		<-t.done
		return nil, err
	}
	return t, nil
}

// ID is the thread's id.
func (t *Thread) ID() uint32 { return t.id }

// Stop ends the message loop, runs teardown on the thread and waits for it.
// It is safe to call more than once.
func (t *Thread) Stop() {
	t.once.Do(func() {
		// It fails only when the thread has already ended.
		procPostThreadMessageW.Call(uintptr(t.id), wmStop, 0, 0)
	})
	<-t.done
}

// SetTimer starts a thread timer: a WM_TIMER message with WParam set to the
// returned id every interval milliseconds, on the calling thread's queue.
func SetTimer(ms uint32) (uintptr, error) {
	id, _, err := procSetTimer.Call(0, 0, uintptr(ms), 0)
	if id == 0 {
		return 0, fmt.Errorf("SetTimer: %w", err)
	}
	return id, nil
}

// KillTimer stops a thread timer of the calling thread.
func KillTimer(id uintptr) { procKillTimer.Call(0, id) }

// WinEvent constants.
const (
	EVENT_SYSTEM_FOREGROUND = 0x0003
	EVENT_OBJECT_NAMECHANGE = 0x800C
	WINEVENT_OUTOFCONTEXT   = 0x0000
	OBJID_WINDOW            = 0
	CHILDID_SELF            = 0
)

// WinEventFunc receives a WinEvent: the event, the window, and the object
// and child ids (OBJID_WINDOW and CHILDID_SELF for the window itself).
type WinEventFunc func(event uint32, hwnd windows.HWND, object, child int32)

// Hook is a WinEvent hook; Unhook removes it.
type Hook uintptr

var (
	hooksMu      sync.Mutex
	hooks        = map[Hook]WinEventFunc{}
	hookCallback uintptr
	hookOnce     sync.Once
)

// SetWinEventHook hooks the events min..max of the process pid and thread
// tid (0: all) out of context: fn runs on the calling thread, from within
// its message loop. The calling thread must be a Thread's.
func SetWinEventHook(min, max uint32, pid, tid uint32, fn WinEventFunc) (Hook, error) {
	// One callback for all hooks: each NewCallback takes a slot that is
	// never freed, and there are only a couple of thousand.
	hookOnce.Do(func() {
		hookCallback = windows.NewCallback(func(hook, event, hwnd, object, child, thread, time uintptr) uintptr {
			hooksMu.Lock()
			fn := hooks[Hook(hook)]
			hooksMu.Unlock()
			if fn != nil {
				// idObject and idChild are LONGs: only the low 32 bits count.
				fn(uint32(event), windows.HWND(hwnd), int32(uint32(object)), int32(uint32(child)))
			}
			return 0
		})
	})
	h, _, err := procSetWinEventHook.Call(uintptr(min), uintptr(max), 0, hookCallback, uintptr(pid), uintptr(tid), WINEVENT_OUTOFCONTEXT)
	if h == 0 {
		return 0, fmt.Errorf("SetWinEventHook(%#x..%#x): %w", min, max, err)
	}
	// Out-of-context events reach the callback only from the message loop,
	// which has not run since SetWinEventHook returned.
	hooksMu.Lock()
	hooks[Hook(h)] = fn
	hooksMu.Unlock()
	return Hook(h), nil
}

// Unhook removes the hook; the zero Hook is ignored.
func (h Hook) Unhook() {
	if h == 0 {
		return
	}
	procUnhookWinEvent.Call(uintptr(h))
	hooksMu.Lock()
	delete(hooks, h)
	hooksMu.Unlock()
}

// NotifyWinEvent sends a WinEvent to the hooks that watch it, as the system
// does when the event happens.
func NotifyWinEvent(event uint32, h windows.HWND, object, child int32) {
	procNotifyWinEvent.Call(uintptr(event), uintptr(h), uintptr(object), uintptr(child))
}

// WindowText is a window's title (GetWindowTextW, which does not wait for
// the window's process: a hung program cannot block the caller).
func WindowText(h windows.HWND) string {
	// One call for the usual title; a long one needs its length first.
	var short [256]uint16
	got, _, _ := procGetWindowTextW.Call(uintptr(h), uintptr(unsafe.Pointer(&short[0])), uintptr(len(short)))
	if int32(got) <= 0 {
		return ""
	}
	if int(got) < len(short)-1 {
		return windows.UTF16ToString(short[:got])
	}
	n, _, _ := procGetWindowTextLength.Call(uintptr(h))
	if int32(n) <= 0 {
		return ""
	}
	buf := make([]uint16, int(int32(n))+1)
	got, _, _ = procGetWindowTextW.Call(uintptr(h), uintptr(unsafe.Pointer(&buf[0])), uintptr(len(buf)))
	if int32(got) <= 0 {
		return ""
	}
	return windows.UTF16ToString(buf[:got])
}

// SetWindowText sets a window's title.
func SetWindowText(h windows.HWND, s string) error {
	p, err := windows.UTF16PtrFromString(s)
	if err != nil {
		return err
	}
	if r, _, err := procSetWindowTextW.Call(uintptr(h), uintptr(unsafe.Pointer(p))); r == 0 {
		return fmt.Errorf("SetWindowText: %w", err)
	}
	return nil
}

// ClassName is a window's class name.
func ClassName(h windows.HWND) string {
	var buf [257]uint16 // class names have at most 256 characters
	n, err := windows.GetClassName(h, &buf[0], int32(len(buf)))
	if err != nil || n <= 0 {
		return ""
	}
	return windows.UTF16ToString(buf[:n])
}

type rect struct{ Left, Top, Right, Bottom int32 }

type monitorInfo struct {
	Size    uint32
	Monitor rect
	Work    rect
	Flags   uint32
}

// CoversMonitor reports whether the window covers the whole of its monitor
// (a fullscreen program: a presentation, a video, a game).
func CoversMonitor(h windows.HWND) bool {
	var w rect
	if r, _, _ := procGetWindowRect.Call(uintptr(h), uintptr(unsafe.Pointer(&w))); r == 0 {
		return false
	}
	mi, ok := monitorOf(h, MonitorDefaultToNull)
	if !ok {
		return false
	}
	return w.Left <= mi.Monitor.Left && w.Top <= mi.Monitor.Top && w.Right >= mi.Monitor.Right && w.Bottom >= mi.Monitor.Bottom
}

var (
	enumMu       sync.Mutex
	enumLists    = map[uintptr]*[]windows.HWND{}
	enumNext     uintptr
	enumCallback uintptr
	enumOnce     sync.Once
)

// enum collects the windows an Enum*Windows function passes to its
// callback. One callback serves every call (see SetWinEventHook); the list
// is found through an id passed as the callback's parameter.
func enum(call func(cb, param uintptr)) []windows.HWND {
	enumOnce.Do(func() {
		enumCallback = windows.NewCallback(func(h, param uintptr) uintptr {
			enumMu.Lock()
			if l := enumLists[param]; l != nil {
				*l = append(*l, windows.HWND(h))
			}
			enumMu.Unlock()
			return 1
		})
	})
	var list []windows.HWND
	enumMu.Lock()
	enumNext++
	id := enumNext
	enumLists[id] = &list
	enumMu.Unlock()
	call(enumCallback, id)
	enumMu.Lock()
	delete(enumLists, id)
	enumMu.Unlock()
	return list
}

// Children lists a window's child windows, at every depth.
func Children(h windows.HWND) []windows.HWND {
	return enum(func(cb, param uintptr) { procEnumChildWindows.Call(uintptr(h), cb, param) })
}

// TopWindows lists the top-level windows.
func TopWindows() []windows.HWND {
	return enum(func(cb, param uintptr) { procEnumWindows.Call(cb, param) })
}

// Hotkey modifiers.
const (
	MOD_ALT      = 0x0001
	MOD_CONTROL  = 0x0002
	MOD_SHIFT    = 0x0004
	MOD_WIN      = 0x0008
	MOD_NOREPEAT = 0x4000
)

// RegisterHotKey registers a hotkey for the calling thread: WM_HOTKEY with
// WParam id reaches its queue. A key that is taken fails with
// windows.ERROR_HOTKEY_ALREADY_REGISTERED.
func RegisterHotKey(id int32, mods uint32, vk uint32) error {
	if r, _, err := procRegisterHotKey.Call(0, uintptr(id), uintptr(mods), uintptr(vk)); r == 0 {
		var errno windows.Errno
		if errors.As(err, &errno) && errno != 0 {
			return errno
		}
		return errors.New("RegisterHotKey failed")
	}
	return nil
}

// UnregisterHotKey releases a hotkey of the calling thread.
func UnregisterHotKey(id int32) error {
	if r, _, err := procUnregisterHotKey.Call(0, uintptr(id)); r == 0 {
		return fmt.Errorf("UnregisterHotKey: %w", err)
	}
	return nil
}

// VkKeyScan is the virtual-key code that types c in the calling thread's
// keyboard layout, and the shift state it needs (1 Shift, 2 Ctrl, 4 Alt);
// ok is false when no key types c.
func VkKeyScan(c uint16) (vk uint8, shift uint8, ok bool) {
	r, _, _ := procVkKeyScanW.Call(uintptr(c))
	v := int16(r)
	if v == -1 {
		return 0, 0, false
	}
	return uint8(v), uint8(v >> 8), true
}

// SetForegroundWindow brings a window to the foreground.
func SetForegroundWindow(h windows.HWND) error {
	if r, _, err := procSetForegroundWindow.Call(uintptr(h)); r == 0 {
		return fmt.Errorf("SetForegroundWindow: %w", err)
	}
	return nil
}

// PostMessage posts a message to a window's queue.
func PostMessage(h windows.HWND, msg uint32, w, l uintptr) error {
	if r, _, err := procPostMessageW.Call(uintptr(h), uintptr(msg), w, l); r == 0 {
		return fmt.Errorf("PostMessage: %w", err)
	}
	return nil
}

// keyInput is an INPUT of type INPUT_KEYBOARD (40 bytes on amd64: the
// union is as large as MOUSEINPUT).
type keyInput struct {
	Type      uint32
	_         uint32
	Vk        uint16
	Scan      uint16
	Flags     uint32
	Time      uint32
	_         uint32
	ExtraInfo uintptr
	_         [8]byte
}

// SendKeys synthesizes key presses and releases: vks are pressed in order
// and released in reverse order.
func SendKeys(vks ...uint16) error {
	const inputKeyboard, keyeventfKeyUp = 1, 0x0002
	var in []keyInput
	for _, vk := range vks {
		in = append(in, keyInput{Type: inputKeyboard, Vk: vk})
	}
	for i := len(vks) - 1; i >= 0; i-- {
		in = append(in, keyInput{Type: inputKeyboard, Vk: vks[i], Flags: keyeventfKeyUp})
	}
	n, _, err := procSendInput.Call(uintptr(len(in)), uintptr(unsafe.Pointer(&in[0])), unsafe.Sizeof(in[0]))
	if int(n) != len(in) {
		return fmt.Errorf("SendInput sent %d of %d inputs: %w", n, len(in), err)
	}
	return nil
}

var procSetCursorPos = user32.NewProc("SetCursorPos")

// mouseInput is an INPUT of type INPUT_MOUSE (40 bytes on amd64).
type mouseInput struct {
	Type      uint32
	_         uint32
	Dx, Dy    int32
	MouseData uint32
	Flags     uint32
	Time      uint32
	_         uint32
	ExtraInfo uintptr
}

// SendClick moves the pointer to a point of the screen and synthesizes a
// left click there.
func SendClick(x, y int) error {
	if r, _, err := procSetCursorPos.Call(uintptr(int32(x)), uintptr(int32(y))); r == 0 {
		return fmt.Errorf("SetCursorPos: %w", err)
	}
	const inputMouse, leftDown, leftUp = 0, 0x0002, 0x0004
	in := []mouseInput{{Type: inputMouse, Flags: leftDown}, {Type: inputMouse, Flags: leftUp}}
	n, _, err := procSendInput.Call(uintptr(len(in)), uintptr(unsafe.Pointer(&in[0])), unsafe.Sizeof(in[0]))
	if int(n) != len(in) {
		return fmt.Errorf("SendInput sent %d of %d inputs: %w", n, len(in), err)
	}
	return nil
}
