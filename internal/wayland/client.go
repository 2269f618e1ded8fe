package wayland

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Interface names.
const (
	IfaceDisplay          = "wl_display"
	IfaceRegistry         = "wl_registry"
	IfaceCallback         = "wl_callback"
	IfaceToplevelManager  = "zwlr_foreign_toplevel_manager_v1"
	IfaceToplevelHandle   = "zwlr_foreign_toplevel_handle_v1"
	displayID             = 1
	firstServerID         = 0xff000000
	maxToplevelManagerVer = 3
)

// ToplevelManagerVersion is the highest version of
// zwlr_foreign_toplevel_manager_v1 this package speaks.
const ToplevelManagerVersion = maxToplevelManagerVer

// Toplevel states (zwlr_foreign_toplevel_handle_v1.state).
const (
	StateMaximized  = 0
	StateMinimized  = 1
	StateActivated  = 2
	StateFullscreen = 3
)

// SocketPath is the compositor's socket as libwayland finds it:
// WAYLAND_DISPLAY when it is an absolute path, else WAYLAND_DISPLAY inside
// XDG_RUNTIME_DIR. Unlike libwayland it does not default to "wayland-0":
// an unset WAYLAND_DISPLAY means no Wayland session.
func SocketPath(getenv func(string) string) (string, error) {
	name := getenv("WAYLAND_DISPLAY")
	if name == "" {
		return "", errors.New("WAYLAND_DISPLAY is not set")
	}
	if filepath.IsAbs(name) {
		return name, nil
	}
	dir := getenv("XDG_RUNTIME_DIR")
	if dir == "" {
		return "", fmt.Errorf("XDG_RUNTIME_DIR is not set, so the Wayland socket %q cannot be found", name)
	}
	return filepath.Join(dir, name), nil
}

// ProtocolError is a wl_display.error event: the compositor found a fatal
// error in what this client sent and closes the connection.
type ProtocolError struct {
	Object    uint32
	Interface string // "" when the object is unknown here
	Code      uint32
	Message   string
}

func (e *ProtocolError) Error() string {
	return fmt.Sprintf("Wayland protocol error on %s@%d, code %d: %s", e.Interface, e.Object, e.Code, e.Message)
}

// Conn is a connection to a Wayland compositor. Next is for one goroutine
// at a time; requests may be sent from another goroutine meanwhile, and
// Close from any goroutine makes a blocked Next return.
type Conn struct {
	sock    *net.UnixConn
	r       *bufio.Reader
	buf     []byte
	mu      sync.Mutex // guards what follows
	out     []byte
	next    uint32            // next client object id
	objects map[uint32]string // live objects and their interface
	// Registry is the wl_registry object, once GetRegistry was called.
	Registry uint32
	closeMu  sync.Mutex
	closed   bool
}

// Dial connects to the socket at path.
func Dial(path string, timeout time.Duration) (*Conn, error) {
	d := net.Dialer{Timeout: timeout}
	c, err := d.Dial("unix", path)
	if err != nil {
		return nil, fmt.Errorf("cannot connect to the Wayland compositor at %s: %w", path, err)
	}
	return NewConn(c.(*net.UnixConn)), nil
}

// NewConn speaks the protocol over an established socket.
func NewConn(sock *net.UnixConn) *Conn {
	return &Conn{
		sock:    sock,
		r:       bufio.NewReaderSize(sock, 4096),
		next:    displayID + 1,
		objects: map[uint32]string{displayID: IfaceDisplay},
	}
}

// Close closes the connection.
func (c *Conn) Close() error {
	c.closeMu.Lock()
	defer c.closeMu.Unlock()
	if c.closed {
		return nil
	}
	c.closed = true
	return c.sock.Close()
}

// SetDeadline bounds the following reads and writes (zero: none).
func (c *Conn) SetDeadline(t time.Time) error { return c.sock.SetDeadline(t) }

// newID allocates a client object id. c.mu is held.
func (c *Conn) newID(iface string) uint32 {
	id := c.next
	c.next++
	c.objects[id] = iface
	return id
}

// send sends a request. c.mu is held.
func (c *Conn) send(obj uint32, op uint16, e Encoder) error {
	var err error
	c.out, err = Message{Object: obj, Opcode: op, Args: e.B}.Encode(c.out[:0])
	if err != nil {
		return err
	}
	if _, err := c.sock.Write(c.out); err != nil {
		return fmt.Errorf("cannot send to the Wayland compositor: %w", err)
	}
	return nil
}

// GetRegistry sends wl_display.get_registry; the globals follow as Global
// events.
func (c *Conn) GetRegistry() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	id := c.newID(IfaceRegistry)
	c.Registry = id
	var e Encoder
	e.Uint(id)
	return c.send(displayID, 1, e)
}

// Sync sends wl_display.sync: a CallbackDone for the returned callback
// arrives after every event caused by earlier requests.
func (c *Conn) Sync() (uint32, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	id := c.newID(IfaceCallback)
	var e Encoder
	e.Uint(id)
	return id, c.send(displayID, 0, e)
}

// Bind binds a global announced by the registry.
func (c *Conn) Bind(g Global, version uint32) (uint32, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.Registry == 0 {
		return 0, errors.New("wayland: Bind before GetRegistry")
	}
	id := c.newID(g.Interface)
	var e Encoder
	e.Uint(g.Name)
	e.String(g.Interface)
	e.Uint(version)
	e.Uint(id)
	return id, c.send(c.Registry, 0, e)
}

// StopToplevels sends zwlr_foreign_toplevel_manager_v1.stop: the
// compositor answers with Finished.
func (c *Conn) StopToplevels(manager uint32) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.send(manager, 0, Encoder{})
}

// DestroyToplevel sends zwlr_foreign_toplevel_handle_v1.destroy (after
// Closed). Later events for the handle are ignored.
func (c *Conn) DestroyToplevel(handle uint32) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.objects[handle] != IfaceToplevelHandle {
		return nil
	}
	delete(c.objects, handle)
	return c.send(handle, 7, Encoder{})
}

// Next reads until the next event of an object this connection knows and
// returns it decoded. Events for objects already destroyed here are
// skipped, as are wl_display.delete_id (handled here) and events newer than
// the versions bound. A wl_display.error is returned as *ProtocolError; a
// closed connection as an error wrapping io.EOF.
func (c *Conn) Next() (Event, error) {
	for {
		var m Message
		var err error
		m, c.buf, err = ReadMessage(c.r, c.buf)
		if err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				return nil, fmt.Errorf("the Wayland compositor closed the connection: %w", io.EOF)
			}
			if errors.Is(err, ErrMalformed) {
				return nil, err
			}
			if errors.Is(err, os.ErrDeadlineExceeded) {
				return nil, fmt.Errorf("the Wayland compositor did not answer: %w", err)
			}
			return nil, fmt.Errorf("cannot read from the Wayland compositor: %w", err)
		}
		c.mu.Lock()
		iface, ok := c.objects[m.Object]
		c.mu.Unlock()
		if !ok {
			continue
		}
		ev, err := DecodeEvent(iface, m)
		if err != nil {
			return nil, err
		}
		ev, err = c.track(ev)
		if err != nil || ev != nil {
			return ev, err
		}
	}
}

// track updates the object table for ev. It returns nil for an event
// handled here, and a wl_display.error as *ProtocolError.
func (c *Conn) track(ev Event) (Event, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch e := ev.(type) {
	case deleteID:
		delete(c.objects, e.id)
		return nil, nil
	case displayError:
		return nil, &ProtocolError{Object: e.object, Interface: c.objects[e.object], Code: e.code, Message: e.message}
	case NewToplevel:
		if e.Handle == 0 {
			return nil, fmt.Errorf("%w: toplevel event with a null new_id", ErrMalformed)
		}
		c.objects[e.Handle] = IfaceToplevelHandle
	case CallbackDone:
		delete(c.objects, e.Callback) // destroyed by the compositor
	case ToplevelsFinished:
		delete(c.objects, e.Manager)
	}
	return ev, nil
}

// Roundtrip sends a sync and returns the events that arrive before its
// answer.
func (c *Conn) Roundtrip() ([]Event, error) {
	cb, err := c.Sync()
	if err != nil {
		return nil, err
	}
	var evs []Event
	for {
		ev, err := c.Next()
		if err != nil {
			return evs, err
		}
		if d, ok := ev.(CallbackDone); ok && d.Callback == cb {
			return evs, nil
		}
		evs = append(evs, ev)
	}
}
