//go:build linux || freebsd || openbsd || netbsd

package ui

import (
	"image"
	"log/slog"
	"os"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver"
	"github.com/robotn/xgb"
	"github.com/robotn/xgb/xproto"

	"github.com/cuecard/cuecard/internal/xconn"
)

var (
	xOnce  sync.Once
	xConn  *xgb.Conn
	xGuard *xconn.Guard
)

// panelConn is the connection the panel hints are sent on, or nil without
// a usable X display. It is dialled through internal/xconn, whose guard
// keeps xgb from panicking the process when the X server goes away; after
// that it is nil.
func panelConn() *xgb.Conn {
	xOnce.Do(func() {
		name := os.Getenv("DISPLAY")
		if name == "" {
			return
		}
		xgb.Logger.SetOutput(discard{})
		d, err := xconn.ParseDisplay(name)
		if err != nil {
			return
		}
		c, g, err := xconn.Dial(d, 2*time.Second, os.Getenv)
		if err == nil {
			xConn, xGuard = c, g
		}
	})
	if xGuard != nil {
		select {
		case <-xGuard.Dead():
			return nil
		default:
		}
	}
	return xConn
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

func atom(c *xgb.Conn, name string) xproto.Atom {
	r, err := xproto.InternAtom(c, false, uint16(len(name)), name).Reply()
	if err != nil {
		return 0
	}
	return r.Atom
}

// preparePanel makes the panel a floating utility window that never takes
// focus: WM input hint false, type utility, always above, not in the task
// bar, moved to a corner of the work area (bottom-right by default). The window
// manager clears "above" when a window is hidden, so this runs after every
// Show.
func preparePanel(w fyne.Window, corner string, size fyne.Size, log *slog.Logger) {
	prepareFloating(w, size, log, func(work image.Rectangle, pw, ph int32) (int32, int32) {
		return panelOrigin(corner, int32(work.Min.X), int32(work.Min.Y), int32(work.Dx()), int32(work.Dy()), pw, ph)
	})
}

// prepareFloating is preparePanel with the window's origin chosen by
// place, given the work area and the window's size in pixels.
func prepareFloating(w fyne.Window, size fyne.Size, log *slog.Logger, place func(work image.Rectangle, pw, ph int32) (x, y int32)) {
	c := panelConn()
	if c == nil {
		return
	}
	nw, ok := w.(driver.NativeWindow)
	if !ok {
		return
	}
	var win xproto.Window
	nw.RunNative(func(ctx any) {
		if x, ok := ctx.(driver.X11WindowContext); ok {
			win = xproto.Window(x.WindowHandle)
		}
	})
	if win == 0 {
		return
	}
	root := xproto.Setup(c).DefaultScreen(c).Root
	// WM_HINTS: flags InputHint, input false.
	hints := make([]byte, 9*4)
	xgb.Put32(hints[0:], 1)
	xproto.ChangeProperty(c, xproto.PropModeReplace, win, atom(c, "WM_HINTS"), atom(c, "WM_HINTS"), 32, 9, hints)
	// _NET_WM_WINDOW_TYPE_UTILITY.
	ut := make([]byte, 4)
	xgb.Put32(ut, uint32(atom(c, "_NET_WM_WINDOW_TYPE_UTILITY")))
	xproto.ChangeProperty(c, xproto.PropModeReplace, win, atom(c, "_NET_WM_WINDOW_TYPE"), xproto.AtomAtom, 32, 1, ut)
	// _NET_WM_STATE add ABOVE and SKIP_TASKBAR (and SKIP_PAGER).
	send := func(typ xproto.Atom, data ...uint32) {
		d := make([]uint32, 5)
		copy(d, data)
		ev := xproto.ClientMessageEvent{Format: 32, Window: win, Type: typ, Data: xproto.ClientMessageDataUnionData32New(d)}
		xproto.SendEvent(c, false, root, xproto.EventMaskSubstructureNotify|xproto.EventMaskSubstructureRedirect, string(ev.Bytes()))
	}
	state := atom(c, "_NET_WM_STATE")
	send(state, 1, uint32(atom(c, "_NET_WM_STATE_ABOVE")), uint32(atom(c, "_NET_WM_STATE_SKIP_TASKBAR")), 2)
	send(state, 1, uint32(atom(c, "_NET_WM_STATE_SKIP_PAGER")), 0, 2)

	work := workAreaOf(c)
	pw, ph := panelPixels(w, size)
	x, y := place(work, pw, ph)
	// _NET_MOVERESIZE_WINDOW: x and y given (bits 8, 9), source pager
	// (2<<12); fyne resizes the window itself.
	send(atom(c, "_NET_MOVERESIZE_WINDOW"), 1<<8|1<<9|2<<12, uint32(x), uint32(y), 0, 0)
	swayMove(uint32(win), x, y, log)
	if _, err := xproto.GetInputFocus(c).Reply(); err != nil { // a round trip: all sent
		log.Debug("panel hints", "err", err)
	}
}

// workAreaOf is the work area (_NET_WORKAREA), or the whole screen.
func workAreaOf(c *xgb.Conn) image.Rectangle {
	scr := xproto.Setup(c).DefaultScreen(c)
	if r, err := xproto.GetProperty(c, false, scr.Root, atom(c, "_NET_WORKAREA"), xproto.AtomCardinal, 0, 4).Reply(); err == nil && r.Format == 32 && len(r.Value) >= 16 {
		x0, y0 := int(int32(xgb.Get32(r.Value[0:]))), int(int32(xgb.Get32(r.Value[4:])))
		return image.Rect(x0, y0, x0+int(xgb.Get32(r.Value[8:])), y0+int(xgb.Get32(r.Value[12:])))
	}
	return image.Rect(0, 0, int(scr.WidthInPixels), int(scr.HeightInPixels))
}

// workRect is the work area a panel window is placed in.
func workRect(fyne.Window) (image.Rectangle, bool) {
	c := panelConn()
	if c == nil {
		return image.Rectangle{}, false
	}
	return workAreaOf(c), true
}

// panelShowing is called before the panel is shown: nothing to remember on
// X11, where the window manager keeps the focus (the input hint).
func panelShowing() {}

// excludeFromCapture does nothing on X11: X has no way to leave a window
// out of another client's screenshot; the recorder (internal/capture)
// reads the clicked window's own contents instead, and skips clicks in
// Cuecard's own windows.
func excludeFromCapture(fyne.Window, *slog.Logger) {}
