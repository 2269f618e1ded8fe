// Command testwin opens X11 windows for the focus tracker's tests, with the
// titles, WM_CLASS and _NET_WM_PID the test chooses, and asks the window
// manager to activate them. It is written with robotn/xgb and xgbutil, the
// same X stack as the tracker, and reads tab-separated commands on stdin:
//
//	open	NAME	PID	INSTANCE	CLASS	TITLE   (PID: a number, "self" or 0 for none)
//	title	NAME	TITLE
//	activate	NAME
//	close	NAME
//	size	NAME	WIDTH	HEIGHT
//	button	NAME	X	Y	WIDTH	HEIGHT	RGB [LABEL]   (a child window of another colour: a button, with a label drawn on it)
//	clicks	NAME   (how many button presses the window's buttons got: "ok N"; the window itself
//	               selects none, so a test may listen to its clicks)
//	sync
//
// After each command has reached the X server it prints "ok" and, for open,
// the window id ("ok 0x400001"); on failure "error: ...".
package main

import (
	"bufio"
	"fmt"
	"io"
	"log"
	"os"
	"strconv"
	"strings"
	"sync"

	"github.com/robotn/xgb"
	"github.com/robotn/xgb/xproto"
	"github.com/robotn/xgbutil"
	"github.com/robotn/xgbutil/ewmh"
	"github.com/robotn/xgbutil/icccm"
)

func main() {
	xgb.Logger = log.New(io.Discard, "", 0)
	xgbutil.Logger = log.New(io.Discard, "", 0)
	xu, err := xgbutil.NewConn()
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	host, _ := os.Hostname()
	wins := map[string]xproto.Window{}
	ev := newEvents(xu)
	go ev.loop()
	colors := []uint32{0x3465a4, 0x73d216, 0xcc0000, 0xf57900, 0x75507b, 0xc4a000}
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		f := strings.Split(in.Text(), "\t")
		var out string
		var err error
		switch {
		case f[0] == "open" && len(f) == 6:
			var w xproto.Window
			w, err = open(xu, f[2], f[3], f[4], f[5], host, colors[len(wins)%len(colors)], len(wins))
			if err == nil {
				wins[f[1]] = w
				out = fmt.Sprintf(" 0x%x", uint32(w))
			}
		case f[0] == "title" && len(f) == 3:
			w, ok := wins[f[1]]
			if !ok {
				err = fmt.Errorf("no window %q", f[1])
				break
			}
			if err = ewmh.WmNameSet(xu, w, f[2]); err == nil {
				err = icccm.WmNameSet(xu, w, f[2])
			}
		case f[0] == "activate" && len(f) == 2:
			w, ok := wins[f[1]]
			if !ok {
				err = fmt.Errorf("no window %q", f[1])
				break
			}
			err = ewmh.ActiveWindowReq(xu, w)
		case f[0] == "close" && len(f) == 2:
			w, ok := wins[f[1]]
			if !ok {
				err = fmt.Errorf("no window %q", f[1])
				break
			}
			xproto.DestroyWindow(xu.Conn(), w)
			delete(wins, f[1])
		case f[0] == "fullscreen" && len(f) == 3:
			w, ok := wins[f[1]]
			if !ok {
				err = fmt.Errorf("no window %q", f[1])
				break
			}
			action := ewmh.StateRemove
			if f[2] == "on" {
				action = ewmh.StateAdd
			}
			err = ewmh.WmStateReq(xu, w, action, "_NET_WM_STATE_FULLSCREEN")
		case f[0] == "size" && len(f) == 4:
			w, ok := wins[f[1]]
			if !ok {
				err = fmt.Errorf("no window %q", f[1])
				break
			}
			var n []uint32
			if n, err = numbers(f[2:]); err == nil {
				err = xproto.ConfigureWindowChecked(xu.Conn(), w, xproto.ConfigWindowWidth|xproto.ConfigWindowHeight, n).Check()
			}
		case f[0] == "clicks" && len(f) == 2:
			w, ok := wins[f[1]]
			if !ok {
				err = fmt.Errorf("no window %q", f[1])
				break
			}
			out = fmt.Sprintf(" %d", ev.clicks(w))
		case f[0] == "button" && (len(f) == 7 || len(f) == 8):
			w, ok := wins[f[1]]
			if !ok {
				err = fmt.Errorf("no window %q", f[1])
				break
			}
			var n []uint32
			if n, err = numbers(f[2:6]); err != nil {
				break
			}
			var rgb uint64
			if rgb, err = strconv.ParseUint(f[6], 16, 32); err != nil {
				break
			}
			var b xproto.Window
			if b, err = xproto.NewWindowId(xu.Conn()); err != nil {
				break
			}
			s := xu.Screen()
			label := ""
			if len(f) == 8 {
				label = f[7]
			}
			// A 2-pixel dark border, like a button's, and the label drawn
			// on each Expose.
			xproto.CreateWindow(xu.Conn(), s.RootDepth, b, w, int16(n[0]), int16(n[1]), uint16(n[2]), uint16(n[3]), 2,
				xproto.WindowClassInputOutput, s.RootVisual, xproto.CwBackPixel|xproto.CwBorderPixel|xproto.CwEventMask,
				[]uint32{uint32(rgb), 0x202020, xproto.EventMaskExposure | xproto.EventMaskButtonPress})
			ev.addButton(b, w, label, int(n[2]), int(n[3]))
			err = xproto.MapWindowChecked(xu.Conn(), b).Check()
		case f[0] == "sync" && len(f) == 1:
		default:
			err = fmt.Errorf("bad command %q", in.Text())
		}
		if err != nil {
			fmt.Println("error:", err)
			continue
		}
		// A round trip: every request above has been processed.
		if _, err := xproto.GetInputFocus(xu.Conn()).Reply(); err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		fmt.Println("ok" + out)
	}
}

func numbers(fs []string) ([]uint32, error) {
	out := make([]uint32, len(fs))
	for i, f := range fs {
		n, err := strconv.ParseUint(f, 10, 16)
		if err != nil {
			return nil, fmt.Errorf("%q is not a number", f)
		}
		out[i] = uint32(n)
	}
	return out, nil
}

func open(xu *xgbutil.XUtil, pid, instance, class, title, host string, color uint32, n int) (xproto.Window, error) {
	w, err := xproto.NewWindowId(xu.Conn())
	if err != nil {
		return 0, err
	}
	s := xu.Screen()
	x, y := int16(40+(n%4)*230), int16(60+(n/4)*200)
	xproto.CreateWindow(xu.Conn(), s.RootDepth, w, s.Root, x, y, 220, 150, 0,
		xproto.WindowClassInputOutput, s.RootVisual, xproto.CwBackPixel, []uint32{color})
	if err := ewmh.WmNameSet(xu, w, title); err != nil {
		return 0, err
	}
	if err := icccm.WmNameSet(xu, w, title); err != nil {
		return 0, err
	}
	if err := icccm.WmClassSet(xu, w, &icccm.WmClass{Instance: instance, Class: class}); err != nil {
		return 0, err
	}
	switch pid {
	case "0", "":
	case "self":
		err = ewmh.WmPidSet(xu, w, uint(os.Getpid()))
	default:
		p, perr := strconv.Atoi(pid)
		if perr != nil {
			return 0, perr
		}
		err = ewmh.WmPidSet(xu, w, uint(p))
	}
	if err != nil {
		return 0, err
	}
	if err := icccm.WmClientMachineSet(xu, w, host); err != nil {
		return 0, err
	}
	// Let the window manager give focus: input hint true.
	if err := icccm.WmHintsSet(xu, w, &icccm.Hints{Flags: icccm.HintInput | icccm.HintState, Input: 1, InitialState: icccm.StateNormal}); err != nil {
		return 0, err
	}
	xproto.MapWindow(xu.Conn(), w)
	return w, nil
}

// events handles the windows' X events: labels drawn on Expose, button
// presses counted (clicks that reached the app).
type events struct {
	xu      *xgbutil.XUtil
	gc      xproto.Gcontext
	mu      sync.Mutex
	buttons map[xproto.Window]button
	presses map[xproto.Window]int // by top-level window
}

type button struct {
	top   xproto.Window
	label string
	w, h  int
}

func newEvents(xu *xgbutil.XUtil) *events {
	e := &events{xu: xu, buttons: map[xproto.Window]button{}, presses: map[xproto.Window]int{}}
	c := xu.Conn()
	font, err := xproto.NewFontId(c)
	if err == nil && xproto.OpenFontChecked(c, font, uint16(len("fixed")), "fixed").Check() == nil {
		if gc, err := xproto.NewGcontextId(c); err == nil {
			xproto.CreateGC(c, gc, xproto.Drawable(xu.RootWin()), xproto.GcForeground|xproto.GcFont, []uint32{0x101010, uint32(font)})
			e.gc = gc
		}
	}
	return e
}

func (e *events) addButton(b, top xproto.Window, label string, w, h int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.buttons[b] = button{top: top, label: label, w: w, h: h}
}

func (e *events) clicks(top xproto.Window) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.presses[top]
}

func (e *events) loop() {
	c := e.xu.Conn()
	for {
		ev, err := c.WaitForEvent()
		if ev == nil && err == nil {
			return // the connection closed
		}
		switch v := ev.(type) {
		case xproto.ExposeEvent:
			e.mu.Lock()
			b, ok := e.buttons[v.Window]
			e.mu.Unlock()
			if ok && b.label != "" && e.gc != 0 && v.Count == 0 {
				x, y := max(2, (b.w-6*len(b.label))/2), b.h/2+4           // the "fixed" font: 6x13
				item := append([]byte{byte(len(b.label)), 0}, b.label...) // one text item, no delta
				xproto.PolyText8(c, xproto.Drawable(v.Window), e.gc, int16(x), int16(y), item)
			}
		case xproto.ButtonPressEvent:
			e.mu.Lock()
			top := v.Event
			if b, ok := e.buttons[v.Event]; ok {
				top = b.top
			}
			e.presses[top]++
			e.mu.Unlock()
		}
	}
}
