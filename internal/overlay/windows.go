//go:build windows

package overlay

import (
	"errors"
	"fmt"
	"image"
	"log/slog"
	"sync"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/cuecard/cuecard/internal/win32"
)

var (
	user32   = windows.NewLazySystemDLL("user32.dll")
	gdi32    = windows.NewLazySystemDLL("gdi32.dll")
	kernel32 = windows.NewLazySystemDLL("kernel32.dll")

	procRegisterClassExW           = user32.NewProc("RegisterClassExW")
	procCreateWindowExW            = user32.NewProc("CreateWindowExW")
	procDefWindowProcW             = user32.NewProc("DefWindowProcW")
	procDestroyWindow              = user32.NewProc("DestroyWindow")
	procShowWindow                 = user32.NewProc("ShowWindow")
	procSetWindowRgn               = user32.NewProc("SetWindowRgn")
	procSetLayeredWindowAttributes = user32.NewProc("SetLayeredWindowAttributes")
	procBeginPaint                 = user32.NewProc("BeginPaint")
	procEndPaint                   = user32.NewProc("EndPaint")
	procInvalidateRect             = user32.NewProc("InvalidateRect")
	procUpdateWindow               = user32.NewProc("UpdateWindow")
	procPostThreadMessageW         = user32.NewProc("PostThreadMessageW")
	procFillRgn                    = gdi32.NewProc("FillRgn")
	procCreateSolidBrush           = gdi32.NewProc("CreateSolidBrush")
	procExtCreateRegion            = gdi32.NewProc("ExtCreateRegion")
	procDeleteObject               = gdi32.NewProc("DeleteObject")
	procGetModuleHandleW           = kernel32.NewProc("GetModuleHandleW")
)

// Window styles and messages used here.
const (
	wsPopup = 0x80000000

	wsExTopmost     = 0x00000008
	wsExTransparent = 0x00000020
	wsExToolWindow  = 0x00000080
	wsExLayered     = 0x00080000
	wsExNoActivate  = 0x08000000

	wmPaint         = 0x000F
	wmNCHitTest     = 0x0084
	wmMouseActivate = 0x0021

	maNoActivate  = 3
	htTransparent = ^uintptr(0) // -1

	swHide           = 0
	swShowNoActivate = 4

	swpNoActivate = 0x0010
	swpShowWindow = 0x0040

	lwaAlpha = 0x2

	// wmCall asks the ring's thread to run the calls queued for it.
	wmCall = win32.WM_APP + 0x2f1
)

// Ring is the ring window. Open makes it; Show places and shows it.
type Ring struct {
	log    *slog.Logger
	thread *win32.Thread
	calls  chan func()

	mu     sync.Mutex
	closed bool

	// Only the ring's thread uses these.
	hwnd    windows.HWND
	brushes map[Style]uintptr
	fill    uintptr // the region of the ring's colour (window coordinates)
	radius  int
	style   Style
	side    int
	shaped  bool
	visible bool
}

// rings finds a window's Ring from the window procedure.
var (
	ringsMu sync.Mutex
	rings   = map[windows.HWND]*Ring{}
)

var (
	classOnce sync.Once
	classErr  error
	className = windows.StringToUTF16Ptr("CuecardClickOverlay")
)

// wndClassEx is WNDCLASSEXW.
type wndClassEx struct {
	Size       uint32
	Style      uint32
	WndProc    uintptr
	ClsExtra   int32
	WndExtra   int32
	Instance   uintptr
	Icon       uintptr
	Cursor     uintptr
	Background uintptr
	MenuName   *uint16
	ClassName  *uint16
	IconSm     uintptr
}

// registerClass registers a window class: proc is its window procedure,
// background a brush (0: none).
func registerClass(name *uint16, proc uintptr, background uintptr) error {
	inst, _, _ := procGetModuleHandleW.Call(0)
	wc := wndClassEx{WndProc: proc, Instance: inst, Background: background, ClassName: name}
	wc.Size = uint32(unsafe.Sizeof(wc))
	if r, _, err := procRegisterClassExW.Call(uintptr(unsafe.Pointer(&wc))); r == 0 {
		return fmt.Errorf("RegisterClassEx: %w", err)
	}
	return nil
}

// createWindow is CreateWindowExW with no parent, menu or parameter.
func createWindow(class *uint16, exStyle, style uint32, x, y, w, h int32) (windows.HWND, error) {
	inst, _, _ := procGetModuleHandleW.Call(0)
	hw, _, err := procCreateWindowExW.Call(uintptr(exStyle), uintptr(unsafe.Pointer(class)), 0, uintptr(style),
		uintptr(x), uintptr(y), uintptr(w), uintptr(h), 0, 0, inst, 0)
	if hw == 0 {
		return 0, fmt.Errorf("CreateWindowEx: %w", err)
	}
	return windows.HWND(hw), nil
}

func colorRef(rgb uint32) uintptr { // 0x00BBGGRR
	return uintptr(rgb>>16&0xff | rgb&0xff00 | (rgb&0xff)<<16)
}

// Open creates the ring's window (not shown yet) on an OS thread of its
// own that pumps its messages.
func Open(o Options) (*Ring, error) {
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	classOnce.Do(func() {
		// The dark edge colour is the window's background; WM_PAINT fills
		// the ring's line with its colour.
		edge, _, _ := procCreateSolidBrush.Call(colorRef(edgeRGB))
		classErr = registerClass(className, windows.NewCallback(wndProc), edge)
	})
	if classErr != nil {
		return nil, fmt.Errorf("%w: register the overlay's window class: %v", ErrUnsupported, classErr)
	}
	r := &Ring{log: log, calls: make(chan func(), 1), brushes: map[Style]uintptr{}}
	t, err := win32.Start(r.setup, r.handle, r.teardown)
	if err != nil {
		return nil, fmt.Errorf("%w: create the overlay window: %v", ErrUnsupported, err)
	}
	r.thread = t
	return r, nil
}

// setup runs on the ring's thread: the window and its brushes.
func (r *Ring) setup(uint32) error {
	for _, s := range []Style{Found, About} {
		b, _, _ := procCreateSolidBrush.Call(colorRef(fillRGB(s)))
		if b == 0 {
			r.teardown()
			return errors.New("CreateSolidBrush failed")
		}
		r.brushes[s] = b
	}
	// Topmost and never activated; layered and transparent: clicks go to
	// the window below, even on the ring's line; a tool window: not in
	// the taskbar or Alt+Tab.
	h, err := createWindow(className, wsExTopmost|wsExTransparent|wsExToolWindow|wsExLayered|wsExNoActivate, wsPopup, 0, 0, 1, 1)
	if err != nil {
		r.teardown()
		return err
	}
	// A layered window shows nothing until it has its attributes: opaque.
	if ok, _, err := procSetLayeredWindowAttributes.Call(uintptr(h), 0, 255, lwaAlpha); ok == 0 {
		procDestroyWindow.Call(uintptr(h))
		r.teardown()
		return fmt.Errorf("SetLayeredWindowAttributes: %w", err)
	}
	r.hwnd = h
	ringsMu.Lock()
	rings[h] = r
	ringsMu.Unlock()
	return nil
}

// handle runs the calls queued for the thread.
func (r *Ring) handle(m *win32.Msg) {
	if m.Hwnd != 0 || m.Message != wmCall {
		return
	}
	for {
		select {
		case fn := <-r.calls:
			fn()
		default:
			return
		}
	}
}

// teardown runs on the ring's thread when it stops.
func (r *Ring) teardown() {
	if r.hwnd != 0 {
		ringsMu.Lock()
		delete(rings, r.hwnd)
		ringsMu.Unlock()
		procDestroyWindow.Call(uintptr(r.hwnd)) // and its window region
		r.hwnd = 0
	}
	if r.fill != 0 {
		procDeleteObject.Call(r.fill)
		r.fill = 0
	}
	for s, b := range r.brushes {
		procDeleteObject.Call(b)
		delete(r.brushes, s)
	}
}

// call runs fn on the ring's thread and waits for it.
func (r *Ring) call(fn func() error) error {
	done := make(chan error, 1)
	r.calls <- func() { done <- fn() }
	if ok, _, err := procPostThreadMessageW.Call(uintptr(r.thread.ID()), wmCall, 0, 0); ok == 0 {
		<-r.calls // not delivered: take it back
		return fmt.Errorf("%w: the overlay's thread: %v", ErrClosed, err)
	}
	return <-done
}

func wndProc(hwnd, msg, wp, lp uintptr) uintptr {
	switch msg {
	case wmMouseActivate:
		return maNoActivate
	case wmNCHitTest:
		return htTransparent
	case wmPaint:
		ringsMu.Lock()
		r := rings[windows.HWND(hwnd)]
		ringsMu.Unlock()
		var ps [72]byte // PAINTSTRUCT
		dc, _, _ := procBeginPaint.Call(hwnd, uintptr(unsafe.Pointer(&ps[0])))
		if dc != 0 && r != nil && r.fill != 0 {
			procFillRgn.Call(dc, r.fill, r.brushes[r.style])
		}
		procEndPaint.Call(hwnd, uintptr(unsafe.Pointer(&ps[0])))
		return 0
	}
	ret, _, _ := procDefWindowProcW.Call(hwnd, msg, wp, lp)
	return ret
}

// Show draws the ring around center (screen coordinates, in the pixels
// of the process's DPI awareness) in style s, with a hole of the given
// radius (clamped to MinRadius..MaxRadius; the line, Thickness pixels
// wide, lies outside it, so a target that size stays uncovered), topmost:
// it puts the ring back on top of topmost windows shown since. Moving the ring only moves its window; a new
// radius or style also reshapes and repaints it.
func (r *Ring) Show(center image.Point, radius int, s Style) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return ErrClosed
	}
	radius, s = clampRadius(radius), known(s)
	return r.call(func() error {
		reshaped := false
		if !r.shaped || radius != r.radius || s != r.style {
			if err := r.reshape(radius, s); err != nil {
				return err
			}
			reshaped = true
		}
		half := int32(r.side / 2)
		if err := win32.SetWindowPos(r.hwnd, win32.HWNDTopmost, int32(center.X)-half, int32(center.Y)-half, int32(r.side), int32(r.side), swpNoActivate|swpShowWindow); err != nil {
			return fmt.Errorf("place the overlay: SetWindowPos: %w", err)
		}
		if !r.visible {
			procShowWindow.Call(uintptr(r.hwnd), swShowNoActivate)
			r.visible = true
		}
		if reshaped {
			procInvalidateRect.Call(uintptr(r.hwnd), 0, 1)
		}
		procUpdateWindow.Call(uintptr(r.hwnd)) // paint now, not at the next idle moment
		return nil
	})
}

// reshape gives the window the ring of radius and style s: its window
// region, and the region WM_PAINT fills with the ring's colour.
func (r *Ring) reshape(radius int, s Style) error {
	sh := ringShape(radius, s)
	var all, fill []rect
	for _, rn := range sh.runs {
		rc := rect{int32(rn.x0), int32(rn.y), int32(rn.x1), int32(rn.y + 1)}
		if rn.kind == pixColor {
			fill = append(fill, rc)
		}
		if n := len(all); n > 0 && all[n-1].Top == rc.Top && all[n-1].Right == rc.Left {
			all[n-1].Right = rc.Right
			continue
		}
		all = append(all, rc)
	}
	whole, err := region(all, sh.side)
	if err != nil {
		return err
	}
	colour, err := region(fill, sh.side)
	if err != nil {
		procDeleteObject.Call(whole)
		return err
	}
	// The system owns the region from now on.
	if ok, _, err := procSetWindowRgn.Call(uintptr(r.hwnd), whole, 1); ok == 0 {
		procDeleteObject.Call(whole)
		procDeleteObject.Call(colour)
		return fmt.Errorf("shape the overlay: SetWindowRgn: %w", err)
	}
	if r.fill != 0 {
		procDeleteObject.Call(r.fill)
	}
	r.fill, r.radius, r.style, r.side, r.shaped = colour, radius, s, sh.side, true
	return nil
}

type rect struct{ Left, Top, Right, Bottom int32 }

// region makes a GDI region of rectangles (ExtCreateRegion with an
// RGNDATA: a header, then the rectangles).
func region(rs []rect, side int) (uintptr, error) {
	type header struct {
		Size, Type, Count, RgnSize uint32
		Bound                      rect
	}
	// Words, not bytes: the structures want 4-byte alignment.
	words := make([]uint32, (int(unsafe.Sizeof(header{}))+len(rs)*int(unsafe.Sizeof(rect{})))/4)
	buf := unsafe.Slice((*byte)(unsafe.Pointer(&words[0])), len(words)*4)
	h := (*header)(unsafe.Pointer(&buf[0]))
	*h = header{Size: uint32(unsafe.Sizeof(header{})), Type: 1, Count: uint32(len(rs)), // RDH_RECTANGLES
		RgnSize: uint32(len(rs)) * uint32(unsafe.Sizeof(rect{})), Bound: rect{0, 0, int32(side), int32(side)}}
	if len(rs) > 0 {
		copy(unsafe.Slice((*rect)(unsafe.Pointer(&buf[unsafe.Sizeof(header{})])), len(rs)), rs)
	}
	rg, _, err := procExtCreateRegion.Call(0, uintptr(len(buf)), uintptr(unsafe.Pointer(&buf[0])))
	if rg == 0 {
		return 0, fmt.Errorf("ExtCreateRegion(%d rectangles): %w", len(rs), err)
	}
	return rg, nil
}

// Hide takes the ring off the screen; Show brings it back.
func (r *Ring) Hide() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return ErrClosed
	}
	return r.call(func() error {
		if r.visible {
			procShowWindow.Call(uintptr(r.hwnd), swHide)
			r.visible = false
		}
		return nil
	})
}

// Close destroys the window and ends its thread. It is safe to call more
// than once.
func (r *Ring) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil
	}
	r.closed = true
	r.thread.Stop()
	return nil
}
