//go:build linux || freebsd || netbsd || openbsd || dragonfly

package capture

import (
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/robotn/xgb"
	"github.com/robotn/xgb/composite"
	"github.com/robotn/xgb/record"
	"github.com/robotn/xgb/xproto"

	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/xconn"
)

// Timeouts; tests may shorten them.
var (
	dialTimeout  = 5 * time.Second
	closeTimeout = 2 * time.Second
)

// X11 event codes and keysyms used here.
const (
	keyPress    = 2
	keyRelease  = 3
	buttonPress = 4

	xkReturn  = 0xff0d
	xkKPEnter = 0xff8d
)

// Capture is a running capture. Close stops it.
type Capture struct {
	opts   Options
	disp   xconn.Display
	c      *xgb.Conn
	g      *xconn.Guard
	data   net.Conn
	rctx   record.Context
	out    chan Event
	input  chan rawEvent
	paused atomic.Bool
	own    map[int]bool

	atoms map[string]xproto.Atom
	root  xproto.Window
	scr   image.Rectangle
	pix   pixelFormat
	keys  keymap
	// composited: the top-level windows are redirected (Composite,
	// automatic), so each window's own contents can be read even where
	// another window covers it.
	composited bool
	depth      byte         // the root window's
	bpp        map[byte]int // bits per pixel of each depth

	stop      chan struct{}
	readEnded chan struct{}
	readErr   error // set before readEnded closes
	workDone  chan struct{}
	abandon   chan struct{} // closed when Close stops waiting for the consumer
	once      sync.Once
	closeErr  error

	chMu     sync.Mutex // Changes'
	changes  chan struct{}
	chStop   chan struct{}
	chFailed bool

	winMu     sync.Mutex // cachedWindow's and focusedClient's
	actID     xproto.Window
	actClient xproto.Window
	winID     xproto.Window
	winVal    guide.Window
	winAt     time.Time
}

type rawEvent struct {
	typ, detail  byte
	rootX, rootY int16
	at           time.Time
}

// Start connects to the X display, checks the RECORD extension and starts
// reporting events.
func Start(o Options) (*Capture, error) {
	o = o.withDefaults()
	name := o.Display
	if name == "" {
		name = o.Getenv("DISPLAY")
	}
	if name == "" {
		if o.Getenv("WAYLAND_DISPLAY") != "" {
			return nil, fmt.Errorf("%w: this is a Wayland session without X11 (WAYLAND_DISPLAY is set, DISPLAY is not); the recorder needs X11 (XWayland does not see other apps' input)", ErrNoDisplay)
		}
		return nil, fmt.Errorf("%w: DISPLAY is not set; the recorder needs an X11 graphical session", ErrNoDisplay)
	}
	d, err := xconn.ParseDisplay(name)
	if err != nil {
		return nil, fmt.Errorf("%w: DISPLAY: %v", ErrNoDisplay, err)
	}
	xconn.Silence(io.Discard)
	c, g, err := xconn.Dial(d, dialTimeout, o.Getenv)
	if err != nil {
		return nil, fmt.Errorf("%w: cannot connect to X display %s: %v", ErrNoDisplay, name, err)
	}
	k := &Capture{opts: o, disp: d, c: c, g: g, out: make(chan Event, QueueLen), input: make(chan rawEvent, 256),
		own: map[int]bool{}, stop: make(chan struct{}), readEnded: make(chan struct{}), workDone: make(chan struct{}), abandon: make(chan struct{})}
	for _, p := range o.OwnPIDs {
		k.own[p] = true
	}
	if err := k.setup(); err != nil {
		xconn.Close(c, g)
		return nil, err
	}
	go k.read()
	go k.work()
	return k, nil
}

// setup checks RECORD, reads the screen format and the keyboard map, and
// creates and enables the record context on a second connection.
func (k *Capture) setup() (err error) {
	defer func() {
		if r := recover(); r != nil { // xgb panics when used after its socket failed
			err = fmt.Errorf("the connection to X display %s failed: %v", k.disp.Name, r)
		}
	}()
	// QueryExtension by hand: record.Init also registers RECORD's error
	// decoder in xgb's global tables, which other connections' readers
	// (focus, hotkey) read concurrently.
	ext, err := xproto.QueryExtension(k.c, 6, "RECORD").Reply()
	if err != nil {
		return fmt.Errorf("query the RECORD extension on X display %s: %w", k.disp.Name, err)
	}
	if !ext.Present {
		return fmt.Errorf("%w on X display %s: the recorder needs it to see clicks without grabbing the mouse (Xorg and Xvfb have it unless started with -extension RECORD; enable it with Load \"record\" in xorg.conf)", ErrNoRecord, k.disp.Name)
	}
	k.c.ExtLock.Lock()
	k.c.Extensions["RECORD"] = ext.MajorOpcode
	k.c.ExtLock.Unlock()
	if _, err := record.QueryVersion(k.c, 1, 13).Reply(); err != nil {
		return fmt.Errorf("query the RECORD version on X display %s: %w", k.disp.Name, err)
	}
	setup := xproto.Setup(k.c)
	screen := setup.DefaultScreen(k.c)
	k.root = screen.Root
	k.scr = image.Rect(0, 0, int(screen.WidthInPixels), int(screen.HeightInPixels))
	if k.pix, err = newPixelFormat(setup, screen); err != nil {
		return fmt.Errorf("read the pixel format of X display %s: %w", k.disp.Name, err)
	}
	if k.keys, err = readKeymap(k.c, setup); err != nil {
		return fmt.Errorf("read the keyboard map of X display %s: %w", k.disp.Name, err)
	}
	k.depth, k.bpp = screen.RootDepth, map[byte]int{}
	for _, f := range setup.PixmapFormats {
		k.bpp[f.Depth] = int(f.BitsPerPixel)
	}
	k.composited = k.redirect()
	k.atoms = map[string]xproto.Atom{}
	for _, n := range []string{"_NET_ACTIVE_WINDOW", "_NET_WM_NAME", "WM_NAME", "WM_CLASS", "_NET_WM_PID", "WM_STATE", "UTF8_STRING"} {
		r, err := xproto.InternAtom(k.c, false, uint16(len(n)), n).Reply()
		if err != nil {
			return fmt.Errorf("intern atom %s on X display %s: %w", n, k.disp.Name, err)
		}
		k.atoms[n] = r.Atom
	}

	if k.rctx, err = record.NewContextId(k.c); err != nil {
		return fmt.Errorf("allocate a record context id on X display %s: %w", k.disp.Name, err)
	}
	const allClients = 3 // XRecordAllClients
	rng := record.Range{DeviceEvents: record.Range8{First: keyPress, Last: buttonPress}}
	if err := record.CreateContextChecked(k.c, k.rctx, 0, 1, 1, []record.ClientSpec{allClients}, []record.Range{rng}).Check(); err != nil {
		return fmt.Errorf("create the record context on X display %s: %w", k.disp.Name, err)
	}
	data, err := xconn.DialRaw(k.disp, dialTimeout, k.opts.Getenv)
	if err != nil {
		record.FreeContext(k.c, k.rctx)
		return fmt.Errorf("open the RECORD data connection to X display %s: %w", k.disp.Name, err)
	}
	req := make([]byte, 8)
	req[0], req[1] = ext.MajorOpcode, 5 // EnableContext
	binary.LittleEndian.PutUint16(req[2:], 2)
	binary.LittleEndian.PutUint32(req[4:], uint32(k.rctx))
	if _, err := data.Write(req); err != nil {
		data.Close()
		record.FreeContext(k.c, k.rctx)
		return fmt.Errorf("enable the record context on X display %s: %w", k.disp.Name, err)
	}
	k.data = data
	return nil
}

// redirect asks the server to keep every top-level window's contents off
// screen (Composite's automatic redirection: the server still draws the
// screen itself), so that a screenshot of a window never shows Cuecard's
// own windows above it (the recording control). It reports whether that
// worked; without Composite, screenshots are what the screen shows. The
// redirection ends with the connection.
func (k *Capture) redirect() bool {
	// By hand, as RECORD: composite.Init writes xgb's global tables.
	ext, err := xproto.QueryExtension(k.c, 9, "Composite").Reply()
	if err != nil || !ext.Present {
		k.opts.Logger.Debug("capture: no Composite extension: screenshots show whatever covers the window")
		return false
	}
	k.c.ExtLock.Lock()
	k.c.Extensions["Composite"] = ext.MajorOpcode
	k.c.ExtLock.Unlock()
	if _, err := composite.QueryVersion(k.c, 0, 4).Reply(); err != nil {
		return false
	}
	if err := composite.RedirectSubwindowsChecked(k.c, k.root, composite.RedirectAutomatic).Check(); err != nil {
		k.opts.Logger.Debug("capture: Composite redirection", "err", err)
		return false
	}
	return true
}

// Events delivers the captured events; it is closed by Close or when the X
// connection is lost (Err then says why).
func (k *Capture) Events() <-chan Event { return k.out }

// SetPaused stops (true) or resumes capturing: while paused, input is
// dropped before any window is read or captured.
func (k *Capture) SetPaused(p bool) { k.paused.Store(p) }

// Err is why the capture ended by itself, or nil.
func (k *Capture) Err() error {
	select {
	case <-k.workDone:
		return k.closeErr
	default:
		return nil
	}
}

// Close stops capturing: it disables the record context (the server ends
// the reply stream), delivers the events of the input seen before that
// (keep reading Events until it closes; after closeTimeout without a
// reader they are dropped), closes both connections and closes Events.
func (k *Capture) Close() error {
	k.once.Do(func() {
		close(k.stop)
		k.stopChanges()
		// No request on a connection the server dropped: xgb closes its
		// request channel then, and a send would race with (or panic on)
		// that close. The record stream ending before we disabled it means
		// the server went away too.
		streamDied := false
		select {
		case <-k.readEnded:
			streamDied = true
		default:
		}
		alive := func() bool {
			select {
			case <-k.g.Dead():
				return false
			default:
				return !streamDied
			}
		}
		if alive() {
			func() {
				defer func() { _ = recover() }()
				record.DisableContextChecked(k.c, k.rctx).Check()
			}()
		}
		select {
		case <-k.readEnded:
		case <-time.After(closeTimeout):
		}
		k.data.Close()
		if alive() {
			func() {
				defer func() { _ = recover() }()
				record.FreeContextChecked(k.c, k.rctx).Check()
			}()
		}
		select {
		case <-k.workDone:
		case <-time.After(closeTimeout):
			close(k.abandon)
			<-k.workDone
		}
		xconn.Close(k.c, k.g)
	})
	return nil
}

// read reads the RECORD reply stream: a StartOfData reply, then a reply
// per batch of intercepted device events (32-byte wire events), and an
// EndOfData reply when the context is disabled.
func (k *Capture) read() {
	var err error
	defer func() {
		k.readErr = err
		close(k.readEnded)
		close(k.input)
	}()
	head := make([]byte, 32)
	for {
		if _, err = io.ReadFull(k.data, head); err != nil {
			err = fmt.Errorf("RECORD data connection: %w", err)
			return
		}
		switch head[0] {
		case 0: // an error
			err = fmt.Errorf("RECORD: X error %d (major %d, minor %d)", head[1], head[10], binary.LittleEndian.Uint16(head[8:]))
			return
		case 1: // a reply
		default: // an event on the data connection: none expected
			continue
		}
		body := make([]byte, int(binary.LittleEndian.Uint32(head[4:]))*4)
		if _, err = io.ReadFull(k.data, body); err != nil {
			err = fmt.Errorf("RECORD data connection: %w", err)
			return
		}
		const fromServer, endOfData = 0, 5
		switch head[1] {
		case endOfData:
			return
		case fromServer:
		default:
			continue
		}
		now := time.Now()
		for b := body; len(b) >= 32; b = b[32:] {
			typ := b[0] & 0x7f
			if typ != keyPress && typ != keyRelease && typ != buttonPress {
				continue
			}
			ev := rawEvent{typ: typ, detail: b[1], rootX: int16(binary.LittleEndian.Uint16(b[20:])), rootY: int16(binary.LittleEndian.Uint16(b[22:])), at: now}
			select {
			case k.input <- ev:
			default: // the worker is far behind: drop rather than block the stream
			}
		}
	}
}

// work turns raw input into events: it tracks the modifier keys and
// whether text was typed since the last step (never which text).
func (k *Capture) work() {
	defer close(k.workDone)
	defer close(k.out)
	kb := newKeyboard[byte]()
	for ev := range k.input {
		if k.paused.Load() {
			kb.reset()
			continue
		}
		switch ev.typ {
		case keyRelease:
			kb.release(ev.detail)
		case keyPress:
			if k.opts.OnEscape != nil && kb.escape(k.keys[ev.detail]) {
				k.opts.OnEscape()
			}
			if kind, keys, ok := kb.press(ev.detail, k.keys[ev.detail]); ok {
				k.emit(k.key(ev, kind, keys))
			}
		case buttonPress:
			if ev.detail < 1 || ev.detail > 3 { // 4-7: the scroll wheel
				continue
			}
			kb.reset()
			k.emit(k.click(ev))
		}
	}
	<-k.readEnded
	if k.readErr != nil {
		select {
		case <-k.stop:
		default:
			k.closeErr = k.readErr
			k.opts.Logger.Warn("recording stopped", "err", k.readErr)
		}
	}
}

func (k *Capture) emit(e *Event) { send(k.out, k.abandon, e) }

// click describes a click: the window under the point and its screenshot.
func (k *Capture) click(ev rawEvent) (e *Event) {
	defer k.guard(&e)
	pt := image.Pt(int(ev.rootX), int(ev.rootY))
	tr, err := xproto.TranslateCoordinates(k.c, k.root, k.root, ev.rootX, ev.rootY).Reply()
	if err != nil || tr.Child == 0 {
		return nil // the desktop
	}
	top := tr.Child
	client := k.clientOf(top, 4)
	var rect image.Rectangle
	popup := client == 0
	if popup {
		// An override-redirect popup (a menu, a drop-down): the step is
		// in the active window, and the screenshot shows both.
		attr, err := xproto.GetWindowAttributes(k.c, top).Reply()
		if err != nil || !attr.OverrideRedirect {
			return nil
		}
		if client = k.active(); client == 0 {
			return nil
		}
		pr, err := k.rect(top)
		if err != nil {
			return nil
		}
		rect = pr
	}
	w, err := k.window(client)
	if err != nil {
		k.opts.Logger.Debug("capture: read window", "err", err)
		return nil
	}
	if w.PID > 0 && k.own[w.PID] {
		return nil
	}
	if k.opts.Hide(w) {
		return &Event{Kind: Click, Hidden: true, At: ev.at}
	}
	cr, err := k.rect(client)
	if err != nil {
		return nil
	}
	if rect.Empty() && !pt.In(cr) {
		return nil // the window manager's frame: a title bar, a border
	}
	rect = rect.Union(cr).Intersect(k.scr)
	e = &Event{Kind: Click, Window: w, Screen: pt, At: ev.at}
	wins := []xproto.Window{client}
	if popup {
		wins = append(wins, top) // above the window
	}
	if img, err := k.shot(rect, wins...); err != nil {
		k.opts.Logger.Debug("capture: screenshot", "err", err)
	} else {
		e.Image, e.Point, e.HasPoint = img, pt.Sub(rect.Min), true
	}
	return e
}

// key describes Enter or a shortcut pressed in the active window.
func (k *Capture) key(ev rawEvent, kind Kind, keys string) (e *Event) {
	defer k.guard(&e)
	client := k.active()
	if client == 0 {
		return nil
	}
	if c := k.clientOf(client, 4); c != 0 {
		client = c
	}
	w, err := k.window(client)
	if err != nil || (w.PID > 0 && k.own[w.PID]) {
		return nil
	}
	if k.opts.Hide(w) {
		return &Event{Kind: kind, Hidden: true, At: ev.at}
	}
	e = &Event{Kind: kind, Window: w, Keys: keys, At: ev.at}
	if r, err := k.rect(client); err == nil {
		if img, err := k.shot(r.Intersect(k.scr), client); err == nil {
			e.Image = img
		}
	}
	return e
}

// Active is the screen area of the active window, frame included, for the
// recording control to keep clear of; ok is false when there is none or it
// is one of Cuecard's own windows.
func (k *Capture) Active() (r image.Rectangle, ok bool) {
	defer func() {
		if recover() != nil { // xgb panics when used after its socket failed
			r, ok = image.Rectangle{}, false
		}
	}()
	client := k.active()
	if client == 0 {
		return r, false
	}
	if c := k.clientOf(client, 4); c != 0 {
		client = c
	}
	if w, err := k.window(client); err != nil || (w.PID > 0 && k.own[w.PID]) {
		return r, false
	}
	top := client
	for i := 0; i < 8; i++ { // up to the window manager's frame, a child of the root
		t, err := xproto.QueryTree(k.c, top).Reply()
		if err != nil {
			return r, false
		}
		if t.Parent == k.root || t.Parent == 0 {
			break
		}
		top = t.Parent
	}
	r, err := k.rect(top)
	return r, err == nil && !r.Empty()
}

// guard turns an xgb panic (its socket failed) into no event.
func (k *Capture) guard(e **Event) {
	if r := recover(); r != nil {
		k.opts.Logger.Debug("capture: X connection failed", "err", r)
		*e = nil
	}
}

func (k *Capture) active() xproto.Window {
	r, err := xproto.GetProperty(k.c, false, k.root, k.atoms["_NET_ACTIVE_WINDOW"], xproto.AtomWindow, 0, 1).Reply()
	if err != nil || r.Format != 32 || len(r.Value) < 4 {
		return 0
	}
	return xproto.Window(xgb.Get32(r.Value))
}

// clientOf finds the client window (the one with WM_STATE) at or below w,
// as xprop and xdotool do: window managers reparent clients into frames.
func (k *Capture) clientOf(w xproto.Window, depth int) xproto.Window {
	r, err := xproto.GetProperty(k.c, false, w, k.atoms["WM_STATE"], xproto.GetPropertyTypeAny, 0, 0).Reply()
	if err != nil {
		return 0
	}
	if r.Format != 0 {
		return w
	}
	if depth == 0 {
		return 0
	}
	t, err := xproto.QueryTree(k.c, w).Reply()
	if err != nil {
		return 0
	}
	for i := len(t.Children) - 1; i >= 0; i-- { // top-most first
		if c := k.clientOf(t.Children[i], depth-1); c != 0 {
			return c
		}
	}
	return 0
}

// rect is a window's area on the screen.
func (k *Capture) rect(w xproto.Window) (image.Rectangle, error) {
	gc := xproto.GetGeometry(k.c, xproto.Drawable(w))
	tc := xproto.TranslateCoordinates(k.c, w, k.root, 0, 0)
	g, err := gc.Reply()
	if err != nil {
		return image.Rectangle{}, err
	}
	t, err := tc.Reply()
	if err != nil {
		return image.Rectangle{}, err
	}
	return image.Rect(int(t.DstX), int(t.DstY), int(t.DstX)+int(g.Width), int(t.DstY)+int(g.Height)), nil
}

// window reads a client window's exe, class, instance, title and pid in one
// round trip.
func (k *Capture) window(win xproto.Window) (guide.Window, error) {
	get := func(atom string) xproto.GetPropertyCookie {
		return xproto.GetProperty(k.c, false, win, k.atoms[atom], xproto.GetPropertyTypeAny, 0, 1<<12)
	}
	cs := []xproto.GetPropertyCookie{get("_NET_WM_NAME"), get("WM_NAME"), get("WM_CLASS"), get("_NET_WM_PID")}
	rs := make([]*xproto.GetPropertyReply, len(cs))
	for i, c := range cs {
		r, err := c.Reply()
		if err != nil {
			return guide.Window{}, err
		}
		rs[i] = r
	}
	var w guide.Window
	if r := rs[0]; r.Format == 8 {
		w.Title = xconn.Text(r.Value, true)
	}
	if r := rs[1]; w.Title == "" && r.Format == 8 {
		w.Title = xconn.Text(r.Value, r.Type == k.atoms["UTF8_STRING"])
	}
	if r := rs[2]; r.Format == 8 {
		parts := strings.SplitN(string(r.Value), "\x00", 3)
		w.Instance = xconn.Text([]byte(parts[0]), false)
		if len(parts) > 1 {
			w.Class = xconn.Text([]byte(parts[1]), false)
		}
	}
	if r := rs[3]; r.Format == 32 && len(r.Value) >= 4 {
		w.PID = int(xgb.Get32(r.Value))
		w.Exe = xconn.Exe(w.PID)
	}
	return w, nil
}

// shot takes a screenshot of a screen area: what the screen shows there
// (GetImage on the root window), with, when the windows are redirected
// (see redirect), the own contents of wins (bottom to top) drawn over it,
// so that a window that covers them (Cuecard's recording control, above
// all others) is not in the picture.
func (k *Capture) shot(r image.Rectangle, wins ...xproto.Window) (*image.RGBA, error) {
	if r.Empty() {
		return nil, errors.New("the window is off screen")
	}
	var img *image.RGBA
	if k.composited && len(wins) > 0 {
		if wr, err := k.rect(wins[0]); err == nil && r.In(wr) {
			img, _ = k.grab(xproto.Drawable(wins[0]), r.Sub(wr.Min)) // the window covers it all
		}
	}
	if img == nil {
		var err error
		if img, err = k.grab(xproto.Drawable(k.root), r); err != nil {
			return nil, err
		}
		if !k.composited {
			return img, nil
		}
		for _, w := range wins {
			wr, err := k.rect(w)
			if err != nil {
				continue
			}
			a := wr.Intersect(r)
			if a.Empty() {
				continue
			}
			if m, err := k.grab(xproto.Drawable(w), a.Sub(wr.Min)); err == nil {
				draw.Draw(img, a.Sub(r.Min), m, image.Point{}, draw.Src)
			}
		}
	}
	return img, nil
}

// grab reads an area of a drawable (in its coordinates) with GetImage.
func (k *Capture) grab(d xproto.Drawable, r image.Rectangle) (*image.RGBA, error) {
	rep, err := xproto.GetImage(k.c, xproto.ImageFormatZPixmap, d,
		int16(r.Min.X), int16(r.Min.Y), uint16(r.Dx()), uint16(r.Dy()), 0xffffffff).Reply()
	if err != nil {
		return nil, fmt.Errorf("GetImage: %w", err)
	}
	if rep.Depth != k.depth && k.bpp[rep.Depth] != k.pix.bpp {
		// A window of another depth (an ARGB window) with another pixel
		// size: not decoded.
		return nil, fmt.Errorf("GetImage: a window of depth %d", rep.Depth)
	}
	return k.pix.decode(rep.Data, r.Dx(), r.Dy())
}

// Focused is the active window and the screen area its click images are
// of (the client window, without the window manager's frame); ok is false
// when no window is active, or it is one of Cuecard's own windows or a
// hidden one. It costs a few X round trips: Guide me asks it a few times a
// second to follow the window when it moves.
func (k *Capture) Focused() (w guide.Window, area image.Rectangle, ok bool) {
	defer func() {
		if recover() != nil { // xgb panics when used after its socket failed
			w, area, ok = guide.Window{}, image.Rectangle{}, false
		}
	}()
	client := k.focusedClient()
	if client == 0 {
		return w, area, false
	}
	w, err := k.cachedWindow(client)
	if err != nil || (w.PID > 0 && k.own[w.PID]) || k.opts.Hide(w) {
		return guide.Window{}, area, false
	}
	area, err = k.rect(client)
	if err != nil || area.Empty() {
		return guide.Window{}, image.Rectangle{}, false
	}
	return w, area, true
}

// Snapshot is an image of the active window's area (see Focused), as a
// click's image is taken; its bounds are in the area's coordinates (they
// start at 0,0 unless the window is partly off the screen): the window's own contents where the server
// keeps them (Composite), so Cuecard's windows above it are not in it.
func (k *Capture) Snapshot() (img *image.RGBA, w guide.Window, area image.Rectangle, err error) {
	defer func() {
		if r := recover(); r != nil {
			img, err = nil, fmt.Errorf("snapshot: the X connection failed: %v", r)
		}
	}()
	w, area, ok := k.Focused()
	if !ok {
		return nil, w, area, errors.New("snapshot: no window of another app is active")
	}
	client := k.focusedClient()
	if client == 0 {
		return nil, w, area, errors.New("snapshot: the active window went away")
	}
	in := area.Intersect(k.scr)
	if img, err = k.shot(in, client); err == nil {
		img.Rect = img.Rect.Add(in.Min.Sub(area.Min)) // a window partly off screen
	}
	return img, w, area, err
}

// focusedClient is the client window of the active window (0: none),
// its client looked for once per active window.
func (k *Capture) focusedClient() xproto.Window {
	act := k.active()
	if act == 0 {
		return 0
	}
	k.winMu.Lock()
	if act == k.actID {
		c := k.actClient
		k.winMu.Unlock()
		return c
	}
	k.winMu.Unlock()
	client := act
	if c := k.clientOf(act, 4); c != 0 {
		client = c
	}
	k.winMu.Lock()
	k.actID, k.actClient = act, client
	k.winMu.Unlock()
	return client
}

// cachedWindow is window(win), read again at most once a second: Focused
// is asked often, and the window's properties rarely change.
func (k *Capture) cachedWindow(win xproto.Window) (guide.Window, error) {
	k.winMu.Lock()
	defer k.winMu.Unlock()
	if win == k.winID && time.Since(k.winAt) < time.Second {
		return k.winVal, nil
	}
	w, err := k.window(win)
	if err != nil {
		return w, err
	}
	k.winID, k.winVal, k.winAt = win, w, time.Now()
	return w, nil
}
