package wayland

import "fmt"

// Event is a decoded event.
type Event interface{ isEvent() }

// Global is wl_registry.global: the compositor offers an interface.
type Global struct {
	Name      uint32
	Interface string
	Version   uint32
}

// GlobalRemove is wl_registry.global_remove.
type GlobalRemove struct{ Name uint32 }

// CallbackDone is wl_callback.done.
type CallbackDone struct{ Callback, Data uint32 }

// NewToplevel is zwlr_foreign_toplevel_manager_v1.toplevel: a new toplevel
// window; its properties follow, then a ToplevelDone.
type NewToplevel struct{ Manager, Handle uint32 }

// ToplevelsFinished is zwlr_foreign_toplevel_manager_v1.finished: the
// compositor sends no more toplevels and destroyed the manager.
type ToplevelsFinished struct{ Manager uint32 }

// ToplevelTitle is zwlr_foreign_toplevel_handle_v1.title.
type ToplevelTitle struct {
	Handle uint32
	Title  string
}

// ToplevelAppID is zwlr_foreign_toplevel_handle_v1.app_id.
type ToplevelAppID struct {
	Handle uint32
	AppID  string
}

// ToplevelOutput is zwlr_foreign_toplevel_handle_v1.output_enter (Enter)
// or output_leave.
type ToplevelOutput struct {
	Handle, Output uint32
	Enter          bool
}

// ToplevelState is zwlr_foreign_toplevel_handle_v1.state: the states that
// are set (StateActivated, ...).
type ToplevelState struct {
	Handle uint32
	States []uint32
}

// Has reports whether s is among the states.
func (e ToplevelState) Has(s uint32) bool {
	for _, v := range e.States {
		if v == s {
			return true
		}
	}
	return false
}

// ToplevelDone is zwlr_foreign_toplevel_handle_v1.done: the properties
// sent since the last done form one atomic change.
type ToplevelDone struct{ Handle uint32 }

// ToplevelClosed is zwlr_foreign_toplevel_handle_v1.closed: the window
// is gone; the client should destroy the handle.
type ToplevelClosed struct{ Handle uint32 }

// ToplevelParent is zwlr_foreign_toplevel_handle_v1.parent (version 3);
// Parent 0 means none.
type ToplevelParent struct{ Handle, Parent uint32 }

// deleteID and displayError are handled inside Conn.Next.
type deleteID struct{ id uint32 }
type displayError struct {
	object, code uint32
	message      string
}

func (Global) isEvent()            {}
func (GlobalRemove) isEvent()      {}
func (CallbackDone) isEvent()      {}
func (NewToplevel) isEvent()       {}
func (ToplevelsFinished) isEvent() {}
func (ToplevelTitle) isEvent()     {}
func (ToplevelAppID) isEvent()     {}
func (ToplevelOutput) isEvent()    {}
func (ToplevelState) isEvent()     {}
func (ToplevelDone) isEvent()      {}
func (ToplevelClosed) isEvent()    {}
func (ToplevelParent) isEvent()    {}
func (deleteID) isEvent()          {}
func (displayError) isEvent()      {}

// DecodeEvent decodes an event sent by an object of interface iface. It
// returns (nil, nil) for an opcode it does not know (an event of a newer
// version) and an error wrapping ErrMalformed for arguments that do not
// fit the event's signature.
func DecodeEvent(iface string, m Message) (Event, error) {
	d := NewDecoder(m.Args)
	var ev Event
	switch iface {
	case IfaceDisplay:
		switch m.Opcode {
		case 0: // error(object_id: object, code: uint, message: string)
			var e displayError
			e.object, e.code = d.Uint(), d.Uint()
			e.message, _ = d.String()
			ev = e
		case 1: // delete_id(id: uint)
			ev = deleteID{d.Uint()}
		}
	case IfaceRegistry:
		switch m.Opcode {
		case 0: // global(name: uint, interface: string, version: uint)
			var g Global
			g.Name = d.Uint()
			var ok bool
			g.Interface, ok = d.String()
			g.Version = d.Uint()
			if d.Err() == nil && !ok {
				return nil, fmt.Errorf("%w: global with a null interface", ErrMalformed)
			}
			ev = g
		case 1: // global_remove(name: uint)
			ev = GlobalRemove{d.Uint()}
		}
	case IfaceCallback:
		if m.Opcode == 0 { // done(callback_data: uint)
			ev = CallbackDone{m.Object, d.Uint()}
		}
	case IfaceToplevelManager:
		switch m.Opcode {
		case 0: // toplevel(toplevel: new_id)
			h := d.Uint()
			if d.Err() == nil && h < firstServerID {
				return nil, fmt.Errorf("%w: toplevel with client-side id %d", ErrMalformed, h)
			}
			ev = NewToplevel{m.Object, h}
		case 1: // finished
			ev = ToplevelsFinished{m.Object}
		}
	case IfaceToplevelHandle:
		h := m.Object
		switch m.Opcode {
		case 0: // title(title: string)
			s, _ := d.String()
			ev = ToplevelTitle{h, s}
		case 1: // app_id(app_id: string)
			s, _ := d.String()
			ev = ToplevelAppID{h, s}
		case 2, 3: // output_enter/output_leave(output: object)
			ev = ToplevelOutput{h, d.Uint(), m.Opcode == 2}
		case 4: // state(state: array of uint)
			a := d.Array()
			if d.Err() == nil && len(a)%4 != 0 {
				return nil, fmt.Errorf("%w: state array of %d bytes", ErrMalformed, len(a))
			}
			st := make([]uint32, 0, len(a)/4)
			for i := 0; i+4 <= len(a); i += 4 {
				st = append(st, order.Uint32(a[i:]))
			}
			ev = ToplevelState{h, st}
		case 5: // done
			ev = ToplevelDone{h}
		case 6: // closed
			ev = ToplevelClosed{h}
		case 7: // parent(parent: object, nullable)
			ev = ToplevelParent{h, d.Uint()}
		}
	}
	if ev == nil {
		return nil, nil
	}
	if err := d.Done(); err != nil {
		return nil, fmt.Errorf("%s event %d: %w", iface, m.Opcode, err)
	}
	return ev, nil
}
