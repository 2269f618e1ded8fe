//go:build linux || freebsd || netbsd || openbsd || dragonfly

// Package xconn opens X11 connections with robotn/xgb safely: it parses
// display names, reads the Xauthority cookie, dials with a timeout, and wraps
// the socket so that xgb's own goroutines cannot panic the process when the
// server goes away ("close of closed channel" in robotn/xgb v0.10.0). The
// focus tracker, the hotkey and the panel hints share it.
package xconn

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/robotn/xgb"
)

// robotn/xgb panics inside its own reader goroutine when the X server goes
// away ("close of closed channel": it closes its request channel once per
// failed read, and a dead socket fails every read). A panic in a goroutine we
// do not own cannot be recovered, so the socket is wrapped in Guard:
//
//   - the first read error is passed on (xgb shuts its connection down) and
//     closes dead, which tells the tracker;
//   - later reads, and reads failing while we close the connection ourselves,
//     never return an error: they return a harmless event with no decoder
//     (xgb drops it) until xgb's shutdown handshake ends, so xgb never closes
//     twice.
//
// Because the connection is dialled here, not by xgb, the X authority cookie
// is looked up here too and put into the setup request (xgb would look up an
// empty display name for a connection it did not dial).
type Guard struct {
	net.Conn
	setup []byte // replacement connection setup request; nil keeps xgb's

	mu      sync.Mutex
	wrote   bool
	closing bool
	failed  bool
	err     error
	dead    chan struct{}
	closed  chan struct{}
	closeMu sync.Once
}

func newGuard(c net.Conn, setup []byte) *Guard {
	return &Guard{Conn: c, setup: setup, dead: make(chan struct{}), closed: make(chan struct{})}
}

func (g *Guard) Write(p []byte) (int, error) {
	g.mu.Lock()
	first := !g.wrote
	g.wrote = true
	g.mu.Unlock()
	if first && g.setup != nil && len(p) >= 12 && p[0] == 0x6c {
		if _, err := g.Conn.Write(g.setup); err != nil {
			return 0, err
		}
		return len(p), nil
	}
	return g.Conn.Write(p)
}

// noDecoder is an X event number xgb has no decoder for: it logs and skips it.
const noDecoder = 127

func (g *Guard) Read(p []byte) (int, error) {
	g.mu.Lock()
	failed := g.failed
	g.mu.Unlock()
	if !failed {
		n, err := g.Conn.Read(p)
		if err == nil || n > 0 {
			return n, nil
		}
		g.mu.Lock()
		if !g.failed && !g.closing {
			g.failed, g.err = true, err
			close(g.dead)
			g.mu.Unlock()
			return 0, err
		}
		g.failed = true
		g.mu.Unlock()
	}
	// Keep xgb's reader going without another error (it would close its
	// connection a second time and panic) until it sees its shutdown
	// request; then it stops reading. It checks for that request before
	// every read, so this ends within a few reads.
	wait := time.Millisecond
	select {
	case <-g.closed:
		wait = 50 * time.Millisecond
	default:
	}
	time.Sleep(wait)
	for i := range p {
		p[i] = 0
	}
	if len(p) > 0 {
		p[0] = noDecoder
	}
	return len(p), nil
}

// markClosing is called before closing the xgb connection ourselves. It
// reports whether xgb already closed it (after a read error), in which case
// closing it again would panic.
func (g *Guard) markClosing() (alreadyClosed bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.closing = true
	return g.failed
}

// Dead is closed when the connection to the server is lost.
func (g *Guard) Dead() <-chan struct{} { return g.dead }

func (g *Guard) Close() error {
	g.closeMu.Do(func() { close(g.closed) })
	return g.Conn.Close()
}

// LostErr is the error that ended the connection.
func (g *Guard) LostErr() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.err == nil {
		return errors.New("connection closed")
	}
	return g.err
}

var silenceOnce sync.Once

// Silence sends robotn/xgb's log lines to w (it prints "Could not get
// authority info" and protocol notes on stderr otherwise). Unlike
// internal/focus it does not replace xgb.Logger, which xgb's goroutines read
// without a lock: it redirects the logger in place (log.Logger is safe for
// concurrent use), and only while it still writes to stderr, so whichever
// package came first keeps its sink.
func Silence(w io.Writer) {
	silenceOnce.Do(func() {
		if xgb.Logger != nil && xgb.Logger.Writer() == os.Stderr {
			xgb.Logger.SetOutput(w)
			xgb.Logger.SetFlags(0)
			xgb.Logger.SetPrefix("")
		}
	})
}

// Display is a parsed X display name.
type Display struct {
	Network, Addr string // for net.Dial
	Host          string // "" for the local machine
	Number        string
	Name          string
}

// ParseDisplay parses an X display name the way Xlib and xgb do: ":0",
// ":0.0", "unix:0", "host:0", "tcp/host:0", "/path/to/socket:0".
func ParseDisplay(name string) (Display, error) {
	d := Display{Name: name}
	bad := fmt.Errorf("%q is not an X display name (expected :N, host:N or /socket:N)", name)
	colon := strings.LastIndex(name, ":")
	if colon < 0 {
		return d, bad
	}
	rest := name[colon+1:]
	if dot := strings.Index(rest, "."); dot >= 0 {
		if _, err := strconv.Atoi(rest[dot+1:]); err != nil {
			return d, bad
		}
		rest = rest[:dot]
	}
	if n, err := strconv.Atoi(rest); err != nil || n < 0 {
		return d, bad
	}
	d.Number = rest
	before := name[:colon]
	switch {
	case strings.HasPrefix(before, "/"):
		d.Network, d.Addr = "unix", before+":"+rest
	default:
		proto := ""
		if slash := strings.LastIndex(before, "/"); slash >= 0 {
			proto, before = before[:slash], before[slash+1:]
		}
		d.Host = before
		if before == "" || before == "unix" {
			d.Host = ""
			d.Network, d.Addr = "unix", "/tmp/.X11-unix/X"+rest
			break
		}
		if proto == "" {
			proto = "tcp"
		}
		n, _ := strconv.Atoi(rest)
		d.Network, d.Addr = proto, net.JoinHostPort(before, strconv.Itoa(6000+n))
	}
	return d, nil
}

// Dial connects to the display and completes the X handshake within timeout.
func Dial(d Display, timeout time.Duration, getenv func(string) string) (*xgb.Conn, *Guard, error) {
	raw, err := net.DialTimeout(d.Network, d.Addr, timeout)
	if err != nil {
		return nil, nil, err
	}
	var setup []byte
	if name, data, ok := Xauthority(d, getenv); ok {
		setup = setupRequest(name, data)
	} else {
		setup = setupRequest("", nil)
	}
	g := newGuard(raw, setup)
	timer := time.AfterFunc(timeout, func() { raw.Close() })
	c, err := xgb.NewConnNet(g)
	if !timer.Stop() {
		if err == nil {
			Close(c, g)
		}
		return nil, nil, fmt.Errorf("the X server did not answer within %s", timeout)
	}
	if err != nil {
		raw.Close()
		return nil, nil, err
	}
	return c, g, nil
}

// DialRaw connects to the display and completes the X handshake within
// timeout without xgb, for a protocol xgb cannot speak: a request answered
// by a stream of replies, such as the RECORD extension's EnableContext.
// The caller writes requests and reads replies itself (little-endian).
func DialRaw(d Display, timeout time.Duration, getenv func(string) string) (net.Conn, error) {
	c, err := net.DialTimeout(d.Network, d.Addr, timeout)
	if err != nil {
		return nil, err
	}
	setup := setupRequest("", nil)
	if name, data, ok := Xauthority(d, getenv); ok {
		setup = setupRequest(name, data)
	}
	c.SetDeadline(time.Now().Add(timeout))
	if _, err := c.Write(setup); err != nil {
		c.Close()
		return nil, fmt.Errorf("handshake with the X server: %w", err)
	}
	head := make([]byte, 8)
	if _, err := io.ReadFull(c, head); err != nil {
		c.Close()
		return nil, fmt.Errorf("handshake with the X server: %w", err)
	}
	rest := make([]byte, int(binary.LittleEndian.Uint16(head[6:]))*4)
	if _, err := io.ReadFull(c, rest); err != nil {
		c.Close()
		return nil, fmt.Errorf("handshake with the X server: %w", err)
	}
	if head[0] != 1 {
		c.Close()
		reason := ""
		if head[0] == 0 && int(head[1]) <= len(rest) {
			reason = ": " + strings.TrimSpace(string(rest[:head[1]]))
		}
		return nil, fmt.Errorf("the X server refused the connection%s", reason)
	}
	c.SetDeadline(time.Time{})
	return c, nil
}

// Close closes an xgb connection without ever closing it twice.
func Close(c *xgb.Conn, g *Guard) {
	if g.markClosing() {
		return // xgb closed it after the read error, and closes the socket itself
	}
	defer func() { _ = recover() }() // xgb may have failed between the check and here
	c.Close()
}

// setupRequest is the X connection setup request (little-endian, protocol
// 11.0) with the given authorization.
func setupRequest(name string, data []byte) []byte {
	pad := func(n int) int { return (n + 3) &^ 3 }
	buf := make([]byte, 12+pad(len(name))+pad(len(data)))
	buf[0] = 0x6c
	binary.LittleEndian.PutUint16(buf[2:], 11)
	binary.LittleEndian.PutUint16(buf[6:], uint16(len(name)))
	binary.LittleEndian.PutUint16(buf[8:], uint16(len(data)))
	copy(buf[12:], name)
	copy(buf[12+pad(len(name)):], data)
	return buf
}

// Xauthority finds the MIT-MAGIC-COOKIE-1 for the display in $XAUTHORITY
// or ~/.Xauthority, matching entries as Xlib does for local connections:
// family local with this host's name, or family wild, and the display
// number (or any display).
func Xauthority(d Display, getenv func(string) string) (string, []byte, bool) {
	fname := getenv("XAUTHORITY")
	if fname == "" {
		home := getenv("HOME")
		if home == "" {
			return "", nil, false
		}
		fname = home + "/.Xauthority"
	}
	b, err := os.ReadFile(fname)
	if err != nil {
		return "", nil, false
	}
	host := d.Host
	if host == "" || host == "localhost" || host == "127.0.0.1" {
		host, _ = os.Hostname()
	}
	const familyLocal, familyWild = 256, 65535
	next := func() ([]byte, bool) {
		if len(b) < 2 {
			return nil, false
		}
		n := int(binary.BigEndian.Uint16(b))
		if len(b) < 2+n {
			return nil, false
		}
		v := b[2 : 2+n]
		b = b[2+n:]
		return v, true
	}
	for len(b) >= 2 {
		family := binary.BigEndian.Uint16(b)
		b = b[2:]
		addr, ok1 := next()
		disp, ok2 := next()
		name, ok3 := next()
		data, ok4 := next()
		if !ok1 || !ok2 || !ok3 || !ok4 {
			return "", nil, false
		}
		addrOK := family == familyWild || (family == familyLocal && string(addr) == host)
		dispOK := len(disp) == 0 || string(disp) == d.Number
		if addrOK && dispOK && string(name) == "MIT-MAGIC-COOKIE-1" && len(data) == 16 {
			return string(name), append([]byte(nil), data...), true
		}
	}
	return "", nil, false
}

// Events reads c's events and errors on a goroutine of its own and sends
// each (an xgb.Event or an xgb.Error) on the returned channel, so that a
// loop can select on it together with other channels. After quit is closed
// it keeps draining without sending, so xgb's reader never blocks. The
// channel closes when the connection does.
func Events(c *xgb.Conn, quit <-chan struct{}) <-chan any {
	events := make(chan any, 64)
	go func() {
		defer close(events)
		for {
			ev, xerr := c.WaitForEvent()
			if ev == nil && xerr == nil {
				return
			}
			var item any = ev
			if ev == nil {
				item = xerr
			}
			select {
			case events <- item:
			case <-quit:
			}
		}
	}()
	return events
}
