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
//	button	NAME	X	Y	WIDTH	HEIGHT	RGB   (a child window of another colour: a button)
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
		case f[0] == "button" && len(f) == 7:
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
			xproto.CreateWindow(xu.Conn(), s.RootDepth, b, w, int16(n[0]), int16(n[1]), uint16(n[2]), uint16(n[3]), 0,
				xproto.WindowClassInputOutput, s.RootVisual, xproto.CwBackPixel, []uint32{uint32(rgb)})
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
