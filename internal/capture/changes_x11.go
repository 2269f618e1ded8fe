//go:build linux || freebsd || netbsd || openbsd || dragonfly

package capture

import (
	"github.com/robotn/xgb"
	"github.com/robotn/xgb/xproto"

	"github.com/cuecard/cuecard/internal/xconn"
)

// Changes delivers a signal (coalesced: one waits at most) each time the
// active window changes, or its frame moves or is resized, so that Guide
// me follows the window without polling it. It watches on an X connection
// of its own, opened on the first call; the channel is nil when that
// fails (poll Focused then). Close stops it.
func (k *Capture) Changes() <-chan struct{} {
	k.chMu.Lock()
	defer k.chMu.Unlock()
	if k.changes != nil || k.chFailed {
		return k.changes
	}
	c, g, err := xconn.Dial(k.disp, dialTimeout, k.opts.Getenv)
	if err != nil {
		k.opts.Logger.Debug("capture: no connection to watch the active window", "err", err)
		k.chFailed = true
		return nil
	}
	k.changes = make(chan struct{}, 1)
	k.chStop = make(chan struct{})
	go k.watchActive(c, g, k.changes, k.chStop)
	return k.changes
}

func (k *Capture) watchActive(c *xgb.Conn, g *xconn.Guard, out chan struct{}, stop chan struct{}) {
	defer xconn.Close(c, g)
	defer func() { _ = recover() }() // xgb panics on a failed socket
	root := xproto.Setup(c).DefaultScreen(c).Root
	xproto.ChangeWindowAttributes(c, root, xproto.CwEventMask, []uint32{xproto.EventMaskPropertyChange})
	active := k.atoms["_NET_ACTIVE_WINDOW"]
	signal := func() {
		select {
		case out <- struct{}{}:
		default:
		}
	}
	var frame xproto.Window
	follow := func() {
		r, err := xproto.GetProperty(c, false, root, active, xproto.AtomWindow, 0, 1).Reply()
		if err != nil || r.Format != 32 || len(r.Value) < 4 {
			return
		}
		top := xproto.Window(xgb.Get32(r.Value))
		for i := 0; top != 0 && i < 8; i++ { // up to the frame, a child of the root
			t, err := xproto.QueryTree(c, top).Reply()
			if err != nil || t.Parent == root || t.Parent == 0 {
				break
			}
			top = t.Parent
		}
		if top == frame {
			return
		}
		if frame != 0 {
			xproto.ChangeWindowAttributes(c, frame, xproto.CwEventMask, []uint32{0})
		}
		frame = top
		if frame != 0 {
			xproto.ChangeWindowAttributes(c, frame, xproto.CwEventMask, []uint32{xproto.EventMaskStructureNotify})
		}
	}
	follow()
	events := xconn.Events(c, stop)
	for {
		select {
		case <-stop:
			return
		case ev, ok := <-events:
			if !ok {
				return
			}
			switch e := ev.(type) {
			case xproto.PropertyNotifyEvent:
				if e.Atom == active {
					follow()
					signal()
				}
			case xproto.ConfigureNotifyEvent:
				if e.Window == frame {
					signal()
				}
			case xproto.DestroyNotifyEvent, xproto.UnmapNotifyEvent:
				signal()
			}
		}
	}
}

// stopChanges stops the watcher of Changes, if it runs.
func (k *Capture) stopChanges() {
	k.chMu.Lock()
	defer k.chMu.Unlock()
	if k.chStop != nil {
		close(k.chStop)
		k.chStop = nil
	}
}

// OwnContents reports whether Snapshot reads the window's own contents
// (Composite), so that windows above it, such as Guide me's ring, are not
// in the image.
func (k *Capture) OwnContents() bool { return k.composited }
