package wayland

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"reflect"
	"testing"
)

// msg encodes one message for tests.
func msg(tb testing.TB, obj uint32, op uint16, args func(*Encoder)) []byte {
	tb.Helper()
	var e Encoder
	if args != nil {
		args(&e)
	}
	b, err := Message{Object: obj, Opcode: op, Args: e.B}.Encode(nil)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func TestEncodeDecode(t *testing.T) {
	var e Encoder
	e.Uint(7)
	e.Int(-3)
	e.Fixed(Fixed(256 + 128))
	e.String("abc") // 4 bytes with NUL: no padding
	e.String("abcd")
	e.Array([]byte{1, 2, 3, 4, 5})
	if len(e.B)%4 != 0 || len(e.B) != 4+4+4+(4+4)+(4+8)+(4+8) {
		t.Fatalf("encoded %d bytes: %x", len(e.B), e.B)
	}
	d := NewDecoder(e.B)
	if v := d.Uint(); v != 7 {
		t.Errorf("uint %d", v)
	}
	if v := d.Int(); v != -3 {
		t.Errorf("int %d", v)
	}
	if v := d.Fixed().Float(); v != 1.5 {
		t.Errorf("fixed %v", v)
	}
	for _, want := range []string{"abc", "abcd"} {
		if s, ok := d.String(); s != want || !ok {
			t.Errorf("string %q %v, want %q", s, ok, want)
		}
	}
	if a := d.Array(); !bytes.Equal(a, []byte{1, 2, 3, 4, 5}) {
		t.Errorf("array %v", a)
	}
	if err := d.Done(); err != nil {
		t.Error(err)
	}
}

func TestDecodeMalformed(t *testing.T) {
	for name, args := range map[string][]byte{
		"truncated uint":       {1, 2},
		"string past the end":  {9, 0, 0, 0, 'a', 'b', 0, 0},
		"string without NUL":   {2, 0, 0, 0, 'a', 'b', 0, 0},
		"huge array":           {0xff, 0xff, 0xff, 0xff},
		"bytes after the args": {1, 0, 0, 0, 'a', 0, 0, 0, 5, 0, 0, 0},
	} {
		d := NewDecoder(args)
		d.String()
		if err := d.Done(); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: err %v, want ErrMalformed", name, err)
		}
	}
	for name, hdr := range map[string][]byte{
		"size below the header": {1, 0, 0, 0, 0, 0, 4, 0},
		"unaligned size":        {1, 0, 0, 0, 0, 0, 9, 0},
	} {
		if _, _, err := ReadMessage(bytes.NewReader(hdr), nil); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: err %v, want ErrMalformed", name, err)
		}
	}
	if _, _, err := ReadMessage(bytes.NewReader([]byte{1, 0, 0, 0, 0, 0, 12, 0, 1}), nil); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("truncated body: err %v", err)
	}
	if _, err := (Message{Args: make([]byte, MaxMessage)}).Encode(nil); !errors.Is(err, ErrMalformed) {
		t.Errorf("oversized message encoded: %v", err)
	}
}

// testConn is a Conn reading data, with a registry (2), a callback (3) and
// a toplevel manager (4).
func testConn(data []byte) *Conn {
	return &Conn{
		r:    bufio.NewReader(bytes.NewReader(data)),
		next: 5,
		objects: map[uint32]string{displayID: IfaceDisplay, 2: IfaceRegistry, 3: IfaceCallback,
			4: IfaceToplevelManager},
		Registry: 2,
	}
}

// conversation is what a compositor sends: globals, a sync answer, a
// toplevel with its properties, an event for an unknown object, an event of
// a newer version, delete_id, closed, and a protocol error.
func conversation(tb testing.TB) []byte {
	const h = 0xff000001
	var b []byte
	add := func(m []byte) { b = append(b, m...) }
	add(msg(tb, 2, 0, func(e *Encoder) { e.Uint(9); e.String(IfaceToplevelManager); e.Uint(3) }))
	add(msg(tb, 2, 1, func(e *Encoder) { e.Uint(8) }))
	add(msg(tb, 3, 0, func(e *Encoder) { e.Uint(42) }))
	add(msg(tb, 4, 0, func(e *Encoder) { e.Uint(h) }))
	add(msg(tb, h, 0, func(e *Encoder) { e.String("Inbox") }))
	add(msg(tb, h, 1, func(e *Encoder) { e.String("org.mozilla.firefox") }))
	add(msg(tb, h, 2, func(e *Encoder) { e.Uint(33) }))
	add(msg(tb, h, 4, func(e *Encoder) { e.Array([]byte{2, 0, 0, 0, 3, 0, 0, 0}) }))
	add(msg(tb, h, 7, func(e *Encoder) { e.Uint(0) }))
	add(msg(tb, h, 5, nil))
	add(msg(tb, 77, 0, func(e *Encoder) { e.String("unknown object") }))
	add(msg(tb, h, 99, nil))
	add(msg(tb, displayID, 1, func(e *Encoder) { e.Uint(3) }))
	add(msg(tb, h, 6, nil))
	add(msg(tb, displayID, 0, func(e *Encoder) { e.Uint(4); e.Uint(1); e.String("bad request") }))
	return b
}

func TestNext(t *testing.T) {
	const h = 0xff000001
	c := testConn(conversation(t))
	var got []Event
	var err error
	for {
		var ev Event
		if ev, err = c.Next(); err != nil {
			break
		}
		got = append(got, ev)
	}
	want := []Event{
		Global{9, IfaceToplevelManager, 3}, GlobalRemove{8}, CallbackDone{3, 42}, NewToplevel{4, h},
		ToplevelTitle{h, "Inbox"}, ToplevelAppID{h, "org.mozilla.firefox"}, ToplevelOutput{h, 33, true},
		ToplevelState{h, []uint32{StateActivated, StateFullscreen}}, ToplevelParent{h, 0}, ToplevelDone{h},
		ToplevelClosed{h},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("events\n%#v\nwant\n%#v", got, want)
	}
	var pe *ProtocolError
	if !errors.As(err, &pe) || pe.Interface != IfaceToplevelManager || pe.Code != 1 || pe.Message != "bad request" {
		t.Errorf("err %v, want the protocol error on the manager", err)
	}
	if _, ok := c.objects[3]; ok {
		t.Error("the callback is still known after done")
	}
	if _, err := testConn(nil).Next(); !errors.Is(err, io.EOF) {
		t.Errorf("closed connection: err %v, want io.EOF", err)
	}
}

// FuzzDecode feeds arbitrary bytes to the connection's reader, as a
// broken or hostile compositor could send them: errors, never panics, and
// never a nil event without an error.
func FuzzDecode(f *testing.F) {
	f.Add(conversation(f))
	f.Add([]byte{1, 0, 0, 0, 0, 0, 8, 0})
	f.Add(msg(f, 4, 0, func(e *Encoder) { e.Uint(5) }))
	f.Add(msg(f, 4, 0, func(e *Encoder) { e.Uint(0xff000002) }))
	f.Fuzz(func(t *testing.T, data []byte) {
		c := testConn(data)
		for { // each message consumes at least 8 bytes
			ev, err := c.Next()
			if err != nil {
				return
			}
			if ev == nil {
				t.Fatal("nil event without an error")
			}
		}
	})
}
