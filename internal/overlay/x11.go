//go:build linux || freebsd || netbsd || openbsd || dragonfly

package overlay

import (
	"errors"
	"fmt"
	"image"
	"io"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/robotn/xgb"
	"github.com/robotn/xgb/shape"
	"github.com/robotn/xgb/xproto"

	"github.com/cuecard/cuecard/internal/xconn"
)

var (
	// dialTimeout bounds the connection to the X server.
	dialTimeout = 5 * time.Second
	// shapeName is the extension the ring needs. Xvfb cannot run without
	// SHAPE, so a test asks for an extension no server has instead.
	shapeName = "SHAPE"
)

// Ring is the ring window. Open makes it; Show places and shows it.
type Ring struct {
	log  *slog.Logger
	disp string
	c    *xgb.Conn
	g    *xconn.Guard
	quit chan struct{}
	done chan struct{} // the event reader ended

	mu     sync.Mutex
	closed bool
	win    xproto.Window
	root   xproto.Window
	depth  byte
	edgeGC xproto.Gcontext
	fillGC map[Style]xproto.Gcontext
	// what the window holds now
	radius int
	style  Style
	side   int
	shaped bool
	mapped bool
}

// Open connects to the X display and creates the ring's window (not shown
// yet). It fails with ErrNoDisplay when there is no X display to connect
// to, and with ErrUnsupported when the X server lacks the SHAPE extension.
func Open(o Options) (*Ring, error) {
	getenv := o.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	name := o.Display
	if name == "" {
		name = getenv("DISPLAY")
	}
	if name == "" {
		if getenv("WAYLAND_DISPLAY") != "" {
			return nil, fmt.Errorf("%w: this is a Wayland session without X11 (WAYLAND_DISPLAY is set, DISPLAY is not); the click overlay needs X11", ErrNoDisplay)
		}
		return nil, fmt.Errorf("%w: DISPLAY is not set; the click overlay needs an X11 graphical session", ErrNoDisplay)
	}
	d, err := xconn.ParseDisplay(name)
	if err != nil {
		return nil, fmt.Errorf("%w: DISPLAY: %v", ErrNoDisplay, err)
	}
	xconn.Silence(io.Discard)
	c, g, err := xconn.Dial(d, dialTimeout, getenv)
	if err != nil {
		return nil, fmt.Errorf("%w: cannot connect to X display %s: %v", ErrNoDisplay, name, err)
	}
	r := &Ring{log: log, disp: name, c: c, g: g, quit: make(chan struct{}), done: make(chan struct{}), fillGC: map[Style]xproto.Gcontext{}}
	if err := r.guard(r.setup); err != nil {
		xconn.Close(c, g)
		return nil, err
	}
	go r.events()
	return r, nil
}

// guard runs fn, turning xgb's panic on a dead connection into an error.
func (r *Ring) guard(fn func() error) (err error) {
	select {
	case <-r.g.Dead():
		return fmt.Errorf("%w: the connection to X display %s was lost: %v", ErrClosed, r.disp, r.g.LostErr())
	default:
	}
	// fn runs aside: a reply xgb waits for on a connection that has just
	// died can never come (its reader is gone), so the wait ends when the
	// connection is seen dead too (Close still frees the rest).
	done := make(chan error, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil { // xgb panics when used after its socket failed
				done <- fmt.Errorf("%w: the connection to X display %s failed: %v", ErrClosed, r.disp, p)
			}
		}()
		done <- fn()
	}()
	select {
	case err := <-done:
		return err
	case <-r.g.Dead():
		return fmt.Errorf("%w: the connection to X display %s was lost: %v", ErrClosed, r.disp, r.g.LostErr())
	}
}

// setup checks SHAPE, allocates the colours and creates the window.
func (r *Ring) setup() error {
	// QueryExtension by hand: shape.Init would also write SHAPE's event
	// decoders into xgb's global tables, which other connections' readers
	// (focus, hotkey, capture) read concurrently.
	ext, err := xproto.QueryExtension(r.c, uint16(len(shapeName)), shapeName).Reply()
	if err != nil {
		return fmt.Errorf("query the SHAPE extension on X display %s: %w", r.disp, err)
	}
	if !ext.Present {
		return fmt.Errorf("%w: X display %s has no %s extension, which the click overlay needs to draw a ring that clicks pass through (every Xorg and Xvfb has it)", ErrUnsupported, r.disp, shapeName)
	}
	r.c.ExtLock.Lock()
	r.c.Extensions["SHAPE"] = ext.MajorOpcode
	r.c.ExtLock.Unlock()
	v, err := shape.QueryVersion(r.c).Reply()
	if err != nil {
		return fmt.Errorf("query the SHAPE version on X display %s: %w", r.disp, err)
	}
	if v.MajorVersion < 1 || (v.MajorVersion == 1 && v.MinorVersion < 1) {
		// Input shapes came with SHAPE 1.1.
		return fmt.Errorf("%w: X display %s has SHAPE %d.%d; the click overlay needs 1.1 or later (input shapes)", ErrUnsupported, r.disp, v.MajorVersion, v.MinorVersion)
	}

	screen := xproto.Setup(r.c).DefaultScreen(r.c)
	r.root, r.depth = screen.Root, screen.RootDepth
	pixel := func(rgb uint32) (uint32, error) {
		c, err := xproto.AllocColor(r.c, screen.DefaultColormap, uint16(rgb>>16&0xff)*0x101, uint16(rgb>>8&0xff)*0x101, uint16(rgb&0xff)*0x101).Reply()
		if err != nil {
			return 0, fmt.Errorf("allocate the colour #%06x on X display %s: %w", rgb, r.disp, err)
		}
		return c.Pixel, nil
	}
	gc := func(rgb uint32) (xproto.Gcontext, error) {
		p, err := pixel(rgb)
		if err != nil {
			return 0, err
		}
		g, err := xproto.NewGcontextId(r.c)
		if err != nil {
			return 0, err
		}
		if err := xproto.CreateGCChecked(r.c, g, xproto.Drawable(r.root), xproto.GcForeground|xproto.GcGraphicsExposures, []uint32{p, 0}).Check(); err != nil {
			return 0, fmt.Errorf("create a graphics context on X display %s: %w", r.disp, err)
		}
		return g, nil
	}
	if r.edgeGC, err = gc(edgeRGB); err != nil {
		return err
	}
	for _, s := range []Style{Found, About} {
		if r.fillGC[s], err = gc(fillRGB(s)); err != nil {
			return err
		}
	}
	edgePixel, err := pixel(edgeRGB)
	if err != nil {
		return err
	}

	if r.win, err = xproto.NewWindowId(r.c); err != nil {
		return fmt.Errorf("allocate a window id on X display %s: %w", r.disp, err)
	}
	// Override-redirect: the window manager leaves it alone (no frame, no
	// focus, placed where asked). The background pixel is replaced by the
	// ring's image (a background pixmap) at the first Show.
	if err := xproto.CreateWindowChecked(r.c, r.depth, r.win, r.root, 0, 0, 1, 1, 0,
		xproto.WindowClassInputOutput, screen.RootVisual,
		xproto.CwBackPixel|xproto.CwOverrideRedirect,
		[]uint32{edgePixel, 1}).Check(); err != nil {
		return fmt.Errorf("create the overlay window on X display %s: %w", r.disp, err)
	}
	// No input at all: an empty input shape sends every click, including
	// one on the ring line, to the window below.
	if err := shape.RectanglesChecked(r.c, shape.SoSet, shape.SkInput, xproto.ClipOrderingUnsorted, r.win, 0, 0, nil).Check(); err != nil {
		return fmt.Errorf("empty the overlay's input shape on X display %s: %w", r.disp, err)
	}
	r.hints()
	return nil
}

// hints sets properties for whoever looks at the window: a name and class
// (a compositor's rules can match them), no input (WM_HINTS), and the EWMH
// type and state of an always-on-top helper. The window is override-redirect,
// so the window manager does not act on them; failures only get logged.
func (r *Ring) hints() {
	atom := func(name string) xproto.Atom {
		a, err := xproto.InternAtom(r.c, false, uint16(len(name)), name).Reply()
		if err != nil {
			r.log.Debug("overlay: intern atom", "atom", name, "err", err)
			return 0
		}
		return a.Atom
	}
	set := func(prop, typ xproto.Atom, format byte, data []byte) {
		if prop == 0 || typ == 0 {
			return
		}
		xproto.ChangeProperty(r.c, xproto.PropModeReplace, r.win, prop, typ, format, uint32(len(data)*8/int(format)), data)
	}
	atoms := func(names ...string) []byte {
		b := make([]byte, 4*len(names))
		for i, n := range names {
			xgb.Put32(b[4*i:], uint32(atom(n)))
		}
		return b
	}
	set(xproto.AtomWmName, xproto.AtomString, 8, []byte("Cuecard click overlay"))
	set(xproto.AtomWmClass, xproto.AtomString, 8, []byte("cuecard-overlay\x00Cuecard\x00"))
	// WM_HINTS: flags InputHint (1), input False.
	hints := make([]byte, 9*4)
	xgb.Put32(hints, 1)
	set(xproto.AtomWmHints, xproto.AtomWmHints, 32, hints)
	set(atom("_NET_WM_WINDOW_TYPE"), xproto.AtomAtom, 32, atoms("_NET_WM_WINDOW_TYPE_DND"))
	set(atom("_NET_WM_STATE"), xproto.AtomAtom, 32, atoms("_NET_WM_STATE_ABOVE", "_NET_WM_STATE_SKIP_TASKBAR", "_NET_WM_STATE_SKIP_PAGER"))
}

// events drains the connection's events and errors (xgb stalls when nobody
// reads them) and logs the errors, which can only come from the unchecked
// requests that Show checks with its round trip anyway.
func (r *Ring) events() {
	defer close(r.done)
	for item := range xconn.Events(r.c, r.quit) {
		if err, ok := item.(xgb.Error); ok {
			r.log.Debug("overlay: X error", "err", err)
		}
	}
	select {
	case <-r.g.Dead():
		r.log.Warn("overlay: the connection to the X display was lost", "display", r.disp, "err", r.g.LostErr())
	default:
	}
}

// Show draws the ring around center (screen coordinates) in style s, with
// a hole of the given radius (clamped to MinRadius..MaxRadius; the line,
// Thickness pixels wide, lies outside it, so a target that size stays
// uncovered), above every other window: it raises the ring again if
// another window has been raised above it since. Moving the ring only moves its window; a new
// radius or style also reshapes and repaints it.
func (r *Ring) Show(center image.Point, radius int, s Style) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return ErrClosed
	}
	return r.guard(func() error { return r.show(center, clampRadius(radius), known(s)) })
}

func (r *Ring) show(center image.Point, radius int, s Style) error {
	if !r.shaped || radius != r.radius || s != r.style {
		if err := r.reshape(radius, s); err != nil {
			return err
		}
	}
	half := r.side / 2
	// Move and raise in one request; checked: its round trip also reports
	// errors from the unchecked requests before it.
	err := xproto.ConfigureWindowChecked(r.c, r.win,
		xproto.ConfigWindowX|xproto.ConfigWindowY|xproto.ConfigWindowWidth|xproto.ConfigWindowHeight|xproto.ConfigWindowStackMode,
		[]uint32{uint32(int32(center.X - half)), uint32(int32(center.Y - half)), uint32(r.side), uint32(r.side), xproto.StackModeAbove}).Check()
	if err != nil {
		return fmt.Errorf("move the overlay on X display %s: %w", r.disp, err)
	}
	if !r.mapped {
		if err := xproto.MapWindowChecked(r.c, r.win).Check(); err != nil {
			return fmt.Errorf("show the overlay on X display %s: %w", r.disp, err)
		}
		r.mapped = true
	}
	return nil
}

// reshape gives the window the ring of radius and style s: its bounding
// shape and its background image.
func (r *Ring) reshape(radius int, s Style) error {
	sh := ringShape(radius, s)
	var all, fill []xproto.Rectangle
	for _, rn := range sh.runs {
		rect := xproto.Rectangle{X: int16(rn.x0), Y: int16(rn.y), Width: uint16(rn.x1 - rn.x0), Height: 1}
		if rn.kind == pixColor {
			fill = append(fill, rect)
		}
		// Neighbouring runs of one row make one rectangle of the shape.
		if n := len(all); n > 0 && all[n-1].Y == rect.Y && int(all[n-1].X)+int(all[n-1].Width) == rn.x0 {
			all[n-1].Width += rect.Width
			continue
		}
		all = append(all, rect)
	}
	// The ring's image: the dark edge colour everywhere, the ring's colour
	// on its line; the shape cuts out the rest. As the window's background
	// the server repaints it itself whenever it is uncovered.
	pix, err := xproto.NewPixmapId(r.c)
	if err != nil {
		return fmt.Errorf("allocate a pixmap id on X display %s: %w", r.disp, err)
	}
	side := uint16(sh.side)
	xproto.CreatePixmap(r.c, r.depth, pix, xproto.Drawable(r.root), side, side)
	xproto.PolyFillRectangle(r.c, xproto.Drawable(pix), r.edgeGC, []xproto.Rectangle{{Width: side, Height: side}})
	for _, part := range chunks(fill) {
		xproto.PolyFillRectangle(r.c, xproto.Drawable(pix), r.fillGC[s], part)
	}
	xproto.ChangeWindowAttributes(r.c, r.win, xproto.CwBackPixmap, []uint32{uint32(pix)})
	xproto.FreePixmap(r.c, pix) // the window keeps it
	op := shape.Op(shape.SoSet)
	for _, part := range chunks(all) {
		shape.Rectangles(r.c, op, shape.SkBounding, xproto.ClipOrderingYSorted, r.win, 0, 0, part)
		op = shape.SoUnion
	}
	if r.mapped {
		// Repaint with the new background now.
		xproto.ClearArea(r.c, false, r.win, 0, 0, 0, 0)
	}
	r.radius, r.style, r.side, r.shaped = radius, s, sh.side, true
	return nil
}

// chunks splits rectangles into requests well below the core protocol's
// largest request (256 KiB without BIG-REQUESTS).
func chunks(rs []xproto.Rectangle) [][]xproto.Rectangle {
	const most = 8000 // 8 bytes each
	var out [][]xproto.Rectangle
	for len(rs) > most {
		out = append(out, rs[:most])
		rs = rs[most:]
	}
	return append(out, rs)
}

// Hide takes the ring off the screen; Show brings it back.
func (r *Ring) Hide() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return ErrClosed
	}
	if !r.mapped {
		return nil
	}
	return r.guard(func() error {
		if err := xproto.UnmapWindowChecked(r.c, r.win).Check(); err != nil {
			return fmt.Errorf("hide the overlay on X display %s: %w", r.disp, err)
		}
		r.mapped = false
		return nil
	})
}

// Close removes the window and closes the connection. It is safe to call
// more than once, and after the X server went away.
func (r *Ring) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil
	}
	r.closed = true
	err := r.guard(func() error {
		xproto.DestroyWindow(r.c, r.win)
		_, err := xproto.GetInputFocus(r.c).Reply()
		return err
	})
	if errors.Is(err, ErrClosed) {
		err = nil // the server is gone, and the window with it
	}
	close(r.quit)
	xconn.Close(r.c, r.g)
	select {
	case <-r.done:
	case <-time.After(2 * time.Second):
		r.log.Warn("overlay: the X event reader did not stop")
	}
	if err != nil {
		return fmt.Errorf("close the overlay on X display %s: %w", r.disp, err)
	}
	return nil
}
