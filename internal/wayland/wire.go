// Package wayland is a minimal Wayland client written against the wire
// protocol: a Unix socket carrying messages with an 8-byte header (object
// id, then opcode and size in one 32-bit word, host byte order) and 32-bit
// aligned arguments. It knows wl_display, wl_registry and wl_callback, and
// the one protocol Cuecard needs from wlroots compositors,
// zwlr_foreign_toplevel_management_unstable_v1 (the toplevel windows with
// their title, app_id and state).
//
// No Go Wayland library is used: none is served by the module proxy this
// project builds from, and the subset needed is small. File descriptors
// passed by the compositor are not needed by any interface bound here and
// are discarded.
//
// A protocol error from the compositor, a malformed message or a closed
// socket is returned as an error; nothing here panics on input.
package wayland

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
)

// HeaderSize is the size of a message header in bytes.
const HeaderSize = 8

// MaxMessage is the largest message the protocol allows (the size field is
// 16 bits wide).
const MaxMessage = math.MaxUint16

// order is the byte order of the wire protocol: the host's. Every platform
// Cuecard builds for is little-endian.
var order = binary.LittleEndian

// Message is one request or event: the object it is sent to or from, the
// opcode and the encoded arguments.
type Message struct {
	Object uint32
	Opcode uint16
	Args   []byte
}

// ErrMalformed wraps every decoding error.
var ErrMalformed = errors.New("malformed Wayland message")

// ReadMessage reads one message from r. io.EOF means the peer closed the
// connection between two messages.
func ReadMessage(r io.Reader, buf []byte) (Message, []byte, error) {
	var hdr [HeaderSize]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return Message{}, buf, err
	}
	obj := order.Uint32(hdr[0:])
	word := order.Uint32(hdr[4:])
	op, size := uint16(word), int(word>>16)
	if size < HeaderSize || size%4 != 0 {
		return Message{}, buf, fmt.Errorf("%w: size %d in header of object %d opcode %d", ErrMalformed, size, obj, op)
	}
	n := size - HeaderSize
	if cap(buf) < n {
		buf = make([]byte, n, max(n, 256))
	}
	buf = buf[:n]
	if _, err := io.ReadFull(r, buf); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return Message{}, buf, err
	}
	return Message{Object: obj, Opcode: op, Args: buf}, buf, nil
}

// Encode appends m with its header to b.
func (m Message) Encode(b []byte) ([]byte, error) {
	size := HeaderSize + len(m.Args)
	if size > MaxMessage || len(m.Args)%4 != 0 {
		return b, fmt.Errorf("%w: cannot encode %d argument bytes", ErrMalformed, len(m.Args))
	}
	b = order.AppendUint32(b, m.Object)
	b = order.AppendUint32(b, uint32(size)<<16|uint32(m.Opcode))
	return append(b, m.Args...), nil
}

// Fixed is a signed 24.8 fixed-point number.
type Fixed int32

// Float returns f as a float64.
func (f Fixed) Float() float64 { return float64(f) / 256 }

// Encoder appends arguments in wire format.
type Encoder struct{ B []byte }

// Uint appends a uint, an object or a new_id.
func (e *Encoder) Uint(v uint32) { e.B = order.AppendUint32(e.B, v) }

// Int appends an int.
func (e *Encoder) Int(v int32) { e.Uint(uint32(v)) }

// Fixed appends a fixed.
func (e *Encoder) Fixed(v Fixed) { e.Uint(uint32(v)) }

// String appends a string: its length with the terminating NUL, the bytes,
// the NUL and padding to 4 bytes.
func (e *Encoder) String(s string) {
	e.Uint(uint32(len(s) + 1))
	e.B = append(e.B, s...)
	e.B = append(e.B, 0)
	e.pad()
}

// Array appends an array: its length, the bytes and padding.
func (e *Encoder) Array(a []byte) {
	e.Uint(uint32(len(a)))
	e.B = append(e.B, a...)
	e.pad()
}

func (e *Encoder) pad() {
	for len(e.B)%4 != 0 {
		e.B = append(e.B, 0)
	}
}

// Decoder reads arguments in wire format. The first error sticks: later
// reads return zero values and Err reports it.
type Decoder struct {
	b   []byte
	err error
}

// NewDecoder decodes args.
func NewDecoder(args []byte) *Decoder { return &Decoder{b: args} }

// Err is the first decoding error, if any.
func (d *Decoder) Err() error { return d.err }

// Done reports an error if bytes are left over or a read failed.
func (d *Decoder) Done() error {
	if d.err == nil && len(d.b) != 0 {
		d.err = fmt.Errorf("%w: %d bytes after the last argument", ErrMalformed, len(d.b))
	}
	return d.err
}

func (d *Decoder) fail(format string, a ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: "+format, append([]any{ErrMalformed}, a...)...)
	}
}

// Uint reads a uint, an object or a new_id.
func (d *Decoder) Uint() uint32 {
	if d.err != nil {
		return 0
	}
	if len(d.b) < 4 {
		d.fail("truncated argument")
		return 0
	}
	v := order.Uint32(d.b)
	d.b = d.b[4:]
	return v
}

// Int reads an int.
func (d *Decoder) Int() int32 { return int32(d.Uint()) }

// Fixed reads a fixed.
func (d *Decoder) Fixed() Fixed { return Fixed(d.Uint()) }

// bytes reads n bytes and their padding.
func (d *Decoder) bytes(n uint32) []byte {
	padded := (uint64(n) + 3) &^ 3
	if uint64(len(d.b)) < padded {
		d.fail("argument of %d bytes, %d left", n, len(d.b))
		return nil
	}
	v := d.b[:n]
	d.b = d.b[padded:]
	return v
}

// String reads a string. A null string (length 0) reads as "" with ok
// false.
func (d *Decoder) String() (s string, ok bool) {
	n := d.Uint()
	if d.err != nil || n == 0 {
		return "", false
	}
	v := d.bytes(n)
	if d.err != nil {
		return "", false
	}
	if v[n-1] != 0 {
		d.fail("string not terminated by NUL")
		return "", false
	}
	return string(v[:n-1]), true
}

// Array reads an array. The result aliases the message.
func (d *Decoder) Array() []byte {
	n := d.Uint()
	if d.err != nil {
		return nil
	}
	return d.bytes(n)
}
