//go:build linux || freebsd || netbsd || openbsd || dragonfly

package a11y

import (
	"context"
	"fmt"
	"image"
	"os"
	"strings"
	"time"

	"github.com/godbus/dbus/v5"
)

// Tree is a connection to the AT-SPI accessibility bus.
type Tree struct {
	conn *dbus.Conn
}

// Timeout bounds one question to an app: an app that hangs must not hold
// the recorder up.
var Timeout = 500 * time.Millisecond

const (
	registry    = "org.a11y.atspi.Registry"
	rootPath    = "/org/a11y/atspi/accessible/root"
	nullPath    = "/org/a11y/atspi/null"
	accessible  = "org.a11y.atspi.Accessible"
	component   = "org.a11y.atspi.Component"
	coordScreen = uint32(0)
)

// ref is an accessible object: its bus name and path.
type ref struct {
	Name string
	Path dbus.ObjectPath
}

func (r ref) null() bool { return r.Name == "" || r.Path == "" || r.Path == nullPath }

// Open connects to the accessibility bus: its address from the session
// bus (org.a11y.Bus), or AT_SPI_BUS_ADDRESS. getenv nil is os.Getenv.
func Open(getenv func(string) string) (*Tree, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	addr := getenv("AT_SPI_BUS_ADDRESS")
	if addr == "" {
		sessionAddr := getenv("DBUS_SESSION_BUS_ADDRESS")
		if sessionAddr == "" {
			return nil, fmt.Errorf("no session bus (DBUS_SESSION_BUS_ADDRESS is not set) to find the accessibility bus on")
		}
		s, err := dbus.Connect(sessionAddr)
		if err != nil {
			return nil, fmt.Errorf("connect to the session bus: %w", err)
		}
		defer s.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.Object("org.a11y.Bus", "/org/a11y/bus").CallWithContext(ctx, "org.a11y.Bus.GetAddress", 0).Store(&addr); err != nil {
			return nil, fmt.Errorf("ask org.a11y.Bus for the accessibility bus: %w", err)
		}
	}
	c, err := dbus.Connect(addr)
	if err != nil {
		return nil, fmt.Errorf("connect to the accessibility bus: %w", err)
	}
	return &Tree{conn: c}, nil
}

// Close closes the connection.
func (t *Tree) Close() error { return t.conn.Close() }

// At is the control at point p of the screen in the windows of process
// pid: the deepest accessible there, or the nearest above it, whose role
// is one of a label's (see labelled) and that has a name. ok is false when
// the tree cannot tell.
func (t *Tree) At(ctx context.Context, pid int, p image.Point) (Control, bool) {
	app, ok := t.app(ctx, pid)
	if !ok {
		return Control{}, false
	}
	var windows []ref
	if err := t.call(ctx, app, accessible+".GetChildren", &windows); err != nil {
		return Control{}, false
	}
	for i := len(windows) - 1; i >= 0; i-- { // the newest window (a dialog) first
		w := windows[i]
		var ext struct{ X, Y, W, H int32 }
		if err := t.call(ctx, w, component+".GetExtents", &ext, coordScreen); err != nil {
			continue
		}
		if !p.In(image.Rect(int(ext.X), int(ext.Y), int(ext.X+ext.W), int(ext.Y+ext.H))) {
			continue
		}
		var path []ref
		for cur, depth := w, 0; !cur.null() && depth < 64; depth++ {
			path = append(path, cur)
			var next ref
			if err := t.call(ctx, cur, component+".GetAccessibleAtPoint", &next, int32(p.X), int32(p.Y), coordScreen); err != nil || next == cur {
				break
			}
			cur = next
		}
		for j := len(path) - 1; j > 0; j-- { // never the window itself: its name is the title
			var role string
			if err := t.call(ctx, path[j], accessible+".GetRoleName", &role); err != nil || !labelled[role] {
				continue
			}
			v, err := t.property(ctx, path[j], "Name")
			if err != nil {
				continue
			}
			if name, _ := v.Value().(string); strings.TrimSpace(name) != "" {
				return Control{Role: role, Name: strings.Join(strings.Fields(name), " ")}, true
			}
		}
		return Control{}, false
	}
	return Control{}, false
}

// app is the registry's application whose connection belongs to pid.
func (t *Tree) app(ctx context.Context, pid int) (ref, bool) {
	if pid <= 0 {
		return ref{}, false
	}
	var apps []ref
	if err := t.call(ctx, ref{registry, rootPath}, accessible+".GetChildren", &apps); err != nil {
		return ref{}, false
	}
	for _, a := range apps {
		var p uint32
		if err := t.conn.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.GetConnectionUnixProcessID", 0, a.Name).Store(&p); err == nil && int(p) == pid {
			return a, true
		}
	}
	return ref{}, false
}

func (t *Tree) call(ctx context.Context, r ref, method string, out any, args ...any) error {
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	return t.conn.Object(r.Name, r.Path).CallWithContext(ctx, method, 0, args...).Store(out)
}

func (t *Tree) property(ctx context.Context, r ref, name string) (dbus.Variant, error) {
	var v dbus.Variant
	err := t.call(ctx, r, "org.freedesktop.DBus.Properties.Get", &v, accessible, name)
	return v, err
}

// labelled are the roles whose names are labels, not the user's data.
var labelled = map[string]bool{
	"push button": true, "toggle button": true, "check box": true, "radio button": true,
	"menu": true, "menu item": true, "check menu item": true, "radio menu item": true,
	"page tab": true,
}
