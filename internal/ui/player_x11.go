//go:build linux || freebsd || openbsd || netbsd

package ui

import (
	"time"

	"github.com/robotn/xgb"
	"github.com/robotn/xgb/xproto"
)

// keepPlayerAbove puts the window of the player process pid above the
// others (_NET_WM_STATE_ABOVE, asked of the window manager as a pager
// would) once it is managed, and keeps the focus where it was: mpv 0.35
// asks for "on top" before its window is mapped, which openbox ignores,
// and openbox focuses it although mpv is told not to ask for the focus.
// The player's input hint is turned off (its buttons still answer the
// mouse), and for 3 s after the player is managed, when it has the focus,
// the window active before it gets it back. It looks for the player for
// up to 10 s, on its own goroutine.
func keepPlayerAbove(pid int) {
	c := panelConn()
	if c == nil || pid <= 0 {
		return
	}
	go func() {
		defer func() { recover() }() // the X server went away: xgb panics
		root := xproto.Setup(c).DefaultScreen(c).Root
		list, wmPID, state := atom(c, "_NET_CLIENT_LIST"), atom(c, "_NET_WM_PID"), atom(c, "_NET_WM_STATE")
		activeAtom := atom(c, "_NET_ACTIVE_WINDOW")
		active := func() xproto.Window {
			r, err := xproto.GetProperty(c, false, root, activeAtom, xproto.AtomWindow, 0, 1).Reply()
			if err != nil || r.Format != 32 || len(r.Value) < 4 {
				return 0
			}
			return xproto.Window(xgb.Get32(r.Value))
		}
		send := func(w xproto.Window, typ xproto.Atom, data ...uint32) {
			d := make([]uint32, 5)
			copy(d, data)
			ev := xproto.ClientMessageEvent{Format: 32, Window: w, Type: typ, Data: xproto.ClientMessageDataUnionData32New(d)}
			xproto.SendEvent(c, false, root, xproto.EventMaskSubstructureNotify|xproto.EventMaskSubstructureRedirect, string(ev.Bytes()))
		}
		// The window active before the player took the focus: followed
		// until the player is managed (the viewer may open meanwhile).
		var player xproto.Window
		last, prev := active(), xproto.Window(0)
		found := time.Time{}
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			a := active()
			if player != 0 {
				if a == player && last != 0 {
					send(last, activeAtom, 2, 0, 0)
				} else if a != 0 && a != player {
					last = a
				}
				if time.Since(found) > 3*time.Second {
					break
				}
				continue
			}
			if a != 0 && a != last {
				prev, last = last, a
			}
			r, err := xproto.GetProperty(c, false, root, list, xproto.AtomWindow, 0, 1024).Reply()
			if err != nil || r.Format != 32 {
				continue
			}
			for i := 0; i+4 <= len(r.Value); i += 4 {
				w := xproto.Window(xgb.Get32(r.Value[i:]))
				p, err := xproto.GetProperty(c, false, w, wmPID, xproto.AtomCardinal, 0, 1).Reply()
				if err != nil || p.Format != 32 || len(p.Value) < 4 || int(xgb.Get32(p.Value)) != pid {
					continue
				}
				player, found = w, time.Now()
				if last == w { // it took the focus before it was seen
					last = prev
				}
				send(w, state, 1, uint32(atom(c, "_NET_WM_STATE_ABOVE")), 0, 2)
				hints := make([]byte, 9*4)
				xgb.Put32(hints[0:], 1) // InputHint, input false
				xproto.ChangeProperty(c, xproto.PropModeReplace, w, atom(c, "WM_HINTS"), atom(c, "WM_HINTS"), 32, 9, hints)
				break
			}
		}
		xproto.GetInputFocus(c).Reply() // a round trip: all sent
	}()
}
