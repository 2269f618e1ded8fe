//go:build windows

package capture

import (
	"errors"
	"fmt"
	"image"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sys/windows"

	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/win32"
)

// closeTimeout is how long Close waits for a consumer to take the last
// events; tests may shorten it.
var closeTimeout = 2 * time.Second

// Capture is a running capture. Close stops it.
//
// On Windows the mouse and the keyboard are watched through low-level hooks
// (WH_MOUSE_LL, WH_KEYBOARD_LL) set on a thread of their own with a message
// loop (internal/win32): the hooks only queue what they saw and return, as
// the system waits for them before the input goes on; a worker goroutine
// reads the window under the click (WindowFromPoint, its top-level
// ancestor) and takes the screenshot with GDI.
type Capture struct {
	opts   Options
	out    chan Event
	input  chan rawEvent
	paused atomic.Bool
	own    map[uint32]bool
	exes   map[uint32]string // the worker's: pid -> executable

	focusMu  sync.Mutex
	focusExe map[uint32]string // Focused's: pid -> executable

	thread   *win32.Thread
	mouse    win32.InputHook
	keyboard win32.InputHook

	workDone chan struct{}
	abandon  chan struct{} // closed when Close stops waiting for the consumer
	once     sync.Once
}

type rawEvent struct {
	click bool
	vk    uint32
	down  bool
	pt    image.Point
	at    time.Time
}

// Start sets the hooks and starts reporting events.
func Start(o Options) (*Capture, error) {
	o = o.withDefaults()
	k := &Capture{opts: o, out: make(chan Event, QueueLen), input: make(chan rawEvent, 256), own: map[uint32]bool{},
		exes: map[uint32]string{}, focusExe: map[uint32]string{}, workDone: make(chan struct{}), abandon: make(chan struct{})}
	for _, p := range o.OwnPIDs {
		k.own[uint32(p)] = true
	}
	th, err := win32.Start(k.setup, func(*win32.Msg) {}, k.teardown)
	if err != nil {
		return nil, err
	}
	k.thread = th
	go k.work()
	return k, nil
}

// setup sets both hooks on the capture's thread.
func (k *Capture) setup(uint32) error {
	var err error
	if k.mouse, err = win32.HookMouse(k.onMouse); err != nil {
		return fmt.Errorf("cannot watch the mouse: %w", err)
	}
	if k.keyboard, err = win32.HookKeyboard(k.onKey); err != nil {
		k.mouse.Unhook()
		return fmt.Errorf("cannot watch the keyboard: %w", err)
	}
	return nil
}

func (k *Capture) teardown() {
	k.mouse.Unhook()
	k.keyboard.Unhook()
}

// onMouse and onKey run in the hooks: they only queue the event.
func (k *Capture) onMouse(msg uint32, ev *win32.MouseLL) {
	switch msg {
	case win32.WM_LBUTTONDOWN, win32.WM_RBUTTONDOWN, win32.WM_MBUTTONDOWN:
		k.queue(rawEvent{click: true, pt: image.Pt(int(ev.Pt.X), int(ev.Pt.Y)), at: time.Now()})
	}
}

func (k *Capture) onKey(msg uint32, ev *win32.KeyLL) {
	switch msg {
	case win32.WM_KEYDOWN, win32.WM_SYSKEYDOWN:
		k.queue(rawEvent{vk: ev.VK, down: true, at: time.Now()})
	case win32.WM_KEYUP, win32.WM_SYSKEYUP:
		k.queue(rawEvent{vk: ev.VK, at: time.Now()})
	}
}

func (k *Capture) queue(ev rawEvent) {
	if k.paused.Load() {
		return
	}
	select {
	case k.input <- ev:
	default: // the worker is far behind: drop rather than hold the input up
	}
}

// Events delivers the captured events; it is closed by Close.
func (k *Capture) Events() <-chan Event { return k.out }

// SetPaused stops (true) or resumes capturing: while paused, input is
// dropped before any window is read or captured.
func (k *Capture) SetPaused(p bool) { k.paused.Store(p) }

// Err is nil: the hooks cannot be lost the way an X connection can.
func (k *Capture) Err() error { return nil }

// Close removes the hooks, delivers the events of the input seen before
// that (keep reading Events until it closes; after closeTimeout without a
// reader they are dropped) and closes Events.
func (k *Capture) Close() error {
	k.once.Do(func() {
		// The hooks run only on the thread, from its message loop: once it
		// has stopped nothing sends on input any more.
		k.thread.Stop()
		close(k.input)
		select {
		case <-k.workDone:
		case <-time.After(closeTimeout):
			close(k.abandon)
			<-k.workDone
		}
	})
	return nil
}

// work turns raw input into events: it tracks the modifier keys and
// whether text was typed since the last step (never which text).
func (k *Capture) work() {
	defer close(k.workDone)
	defer close(k.out)
	kb := newKeyboard[uint32]()
	kb.altGr = true
	for ev := range k.input {
		if k.paused.Load() {
			kb.reset()
			continue
		}
		switch {
		case ev.click:
			kb.reset()
			k.emit(k.click(ev))
		case !ev.down:
			kb.release(ev.vk)
		default:
			if k.opts.OnEscape != nil && kb.escape(vkKey(ev.vk)) {
				k.opts.OnEscape()
			}
			if kind, keys, ok := kb.press(ev.vk, vkKey(ev.vk)); ok {
				k.emit(k.key(ev, kind, keys))
			}
		}
	}
}

// vkKey describes a virtual key for the keyboard rule.
func vkKey(vk uint32) key {
	switch vk {
	case win32.VK_SHIFT, win32.VK_LSHIFT, win32.VK_RSHIFT:
		return key{mod: shiftMod}
	case win32.VK_CONTROL, win32.VK_LCONTROL, win32.VK_RCONTROL:
		return key{mod: ctrlMod}
	case win32.VK_MENU, win32.VK_LMENU, win32.VK_RMENU:
		return key{mod: altMod}
	case win32.VK_LWIN, win32.VK_RWIN:
		return key{mod: superMod}
	case win32.VK_RETURN:
		return key{enter: true, name: "Enter"}
	}
	return key{text: win32.KeyTypes(vk), name: vkName(vk)}
}

func (k *Capture) emit(e *Event) { send(k.out, k.abandon, e) }

// Shell windows whose clicks are not steps in an app: the desktop and the
// taskbar.
var shellClasses = map[string]bool{"Progman": true, "WorkerW": true, "Shell_TrayWnd": true, "Shell_SecondaryTrayWnd": true}

// Popups that belong to the step of the window they were opened from.
var popupClasses = map[string]bool{"#32768": true, "ComboLBox": true, "DropDown": true}

// click describes a click: the window under the point and its screenshot.
func (k *Capture) click(ev rawEvent) *Event {
	under := win32.WindowFromPoint(ev.pt)
	if under == 0 {
		return nil
	}
	top := win32.Ancestor(under, win32.GA_ROOT)
	if top == 0 || top == windows.GetDesktopWindow() {
		return nil
	}
	class := win32.ClassName(top)
	if shellClasses[class] {
		return nil
	}
	var popup image.Rectangle
	if isPopup(top, class) {
		// A menu or a drop-down list: the step is in the window it was
		// opened from (the foreground window), and the screenshot shows
		// both.
		r, ok := win32.WindowRect(top)
		fg := windows.GetForegroundWindow()
		if !ok || fg == 0 || fg == top {
			return nil
		}
		popup, top = r, fg
	}
	w, ok := k.window(top)
	if !ok {
		return nil
	}
	if k.opts.Hide(w) {
		return &Event{Kind: Click, Hidden: true, At: ev.at}
	}
	frame, ok := win32.WindowRect(top)
	if !ok {
		return nil
	}
	if popup.Empty() && !k.inContent(top, ev.pt) {
		return nil // the title bar, a border, the window's buttons
	}
	area := frame.Union(popup).Intersect(win32.VirtualScreen())
	e := &Event{Kind: Click, Window: w, Screen: ev.pt, At: ev.at}
	if img, err := shot(area); err != nil {
		k.opts.Logger.Debug("capture: screenshot", "err", err)
	} else {
		e.Image, e.Point, e.HasPoint = img, ev.pt.Sub(area.Min), true
	}
	return e
}

// isPopup reports whether a top-level window is a menu or a drop-down
// list: a known class, or an owned pop-up window without a caption.
func isPopup(h windows.HWND, class string) bool {
	if popupClasses[class] {
		return true
	}
	style := win32.WindowLongPtr(h, win32.GWLStyle)
	return win32.Owner(h) != 0 && style&win32.WSPopup != 0 && style&win32.WSCaption != win32.WSCaption
}

// inContent reports whether a point is in a window's client area or its
// menu bar (what the app draws), rather than on its frame.
func (k *Capture) inContent(h windows.HWND, p image.Point) bool {
	if r, ok := win32.ClientRect(h); ok && p.In(r) {
		return true
	}
	r, ok := win32.MenuBarRect(h)
	return ok && p.In(r)
}

// key describes Enter or a shortcut pressed in the foreground window.
func (k *Capture) key(ev rawEvent, kind Kind, keys string) *Event {
	top := windows.GetForegroundWindow()
	if top == 0 || top == windows.GetDesktopWindow() {
		return nil
	}
	w, ok := k.window(top)
	if !ok {
		return nil
	}
	if k.opts.Hide(w) {
		return &Event{Kind: kind, Hidden: true, At: ev.at}
	}
	e := &Event{Kind: kind, Window: w, Keys: keys, At: ev.at}
	if r, ok := win32.WindowRect(top); ok {
		if img, err := shot(r.Intersect(win32.VirtualScreen())); err == nil {
			e.Image = img
		}
	}
	return e
}

// Active is the screen area of the foreground window, for the recording
// control to keep clear of; ok is false when there is none or it is one of
// Cuecard's own windows.
func (k *Capture) Active() (image.Rectangle, bool) {
	fg := windows.GetForegroundWindow()
	if fg == 0 || fg == windows.GetDesktopWindow() || k.own[win32.ProcessOf(fg)] {
		return image.Rectangle{}, false
	}
	return win32.WindowRect(fg)
}

// window reads a top-level window's title, class, pid and executable; ok
// is false for Cuecard's own windows.
func (k *Capture) window(h windows.HWND) (guide.Window, bool) {
	pid := win32.ProcessOf(h)
	if k.own[pid] {
		return guide.Window{}, false
	}
	w := guide.Window{Title: win32.WindowText(h), Class: win32.ClassName(h), PID: int(pid), Exe: k.exe(pid)}
	if app := win32.HostedApp(h, w.Exe, pid); app != 0 {
		w.PID, w.Exe = int(app), k.exe(app)
	}
	return w, true
}

func (k *Capture) exe(pid uint32) string {
	if e, ok := k.exes[pid]; ok {
		return e
	}
	e, err := win32.ExeName(pid)
	if err != nil { // an elevated program: title and class still tell
		k.opts.Logger.Debug("capture: cannot read the executable", "pid", pid, "err", err)
	}
	k.exes[pid] = e
	return e
}

func shot(r image.Rectangle) (*image.RGBA, error) {
	if r.Empty() {
		return nil, errors.New("the window is off screen")
	}
	return win32.Screenshot(r)
}

// Focused is the foreground window and the screen area its click images
// are of (the window's rectangle); ok is false when there is none, or it
// is one of Cuecard's own windows or a hidden one.
func (k *Capture) Focused() (guide.Window, image.Rectangle, bool) {
	fg := windows.GetForegroundWindow()
	if fg == 0 || fg == windows.GetDesktopWindow() {
		return guide.Window{}, image.Rectangle{}, false
	}
	pid := win32.ProcessOf(fg)
	if k.own[pid] {
		return guide.Window{}, image.Rectangle{}, false
	}
	k.focusMu.Lock()
	exe, known := k.focusExe[pid]
	k.focusMu.Unlock()
	if !known {
		exe, _ = win32.ExeName(pid)
		k.focusMu.Lock()
		k.focusExe[pid] = exe
		k.focusMu.Unlock()
	}
	w := guide.Window{Title: win32.WindowText(fg), Class: win32.ClassName(fg), PID: int(pid), Exe: exe}
	if k.opts.Hide(w) {
		return guide.Window{}, image.Rectangle{}, false
	}
	r, ok := win32.WindowRect(fg)
	if !ok || r.Empty() {
		return guide.Window{}, image.Rectangle{}, false
	}
	return w, r, true
}

// Snapshot is a screenshot of the foreground window's area (see Focused).
func (k *Capture) Snapshot() (*image.RGBA, guide.Window, image.Rectangle, error) {
	w, r, ok := k.Focused()
	if !ok {
		return nil, w, r, errors.New("snapshot: no window of another app is in the foreground")
	}
	in := r.Intersect(win32.VirtualScreen())
	img, err := shot(in)
	if err == nil {
		img.Rect = img.Rect.Add(in.Min.Sub(r.Min)) // a window partly off screen
	}
	return img, w, r, err
}

// Changes is nil here: Focused is cheap enough to poll.
func (k *Capture) Changes() <-chan struct{} { return nil }

// OwnContents is false: Snapshot copies the screen, with whatever is
// above the window (hide Guide me's ring first).
func (k *Capture) OwnContents() bool { return false }
