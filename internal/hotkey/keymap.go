//go:build linux || freebsd || netbsd || openbsd || dragonfly

package hotkey

import (
	"fmt"

	"github.com/robotn/xgb/xproto"
)

// keymap is the server's keyboard mapping (GetKeyboardMapping): per keycodes
// from first, per keysyms each.
type keymap struct {
	first xproto.Keycode
	per   int
	syms  []xproto.Keysym
}

// codes finds the keycodes that type sym. It looks in the first group
// without and then with Shift, then in the second group likewise (columns 0
// to 3; further columns are other levels, such as AltGr's, which a grab
// could not reproduce). shifted is true when Shift is needed.
func (m keymap) codes(sym uint32) (codes []xproto.Keycode, shifted bool) {
	if m.per <= 0 {
		return nil, false
	}
	for col := 0; col < min(m.per, 4); col++ {
		for i := 0; (i+1)*m.per <= len(m.syms); i++ {
			if uint32(m.syms[i*m.per+col]) == sym {
				codes = append(codes, m.first+xproto.Keycode(i))
			}
		}
		if len(codes) > 0 {
			return codes, col%2 == 1
		}
	}
	return nil, false
}

// has reports whether keycode code types sym in any column.
func (m keymap) has(code xproto.Keycode, sym uint32) bool {
	i := int(code) - int(m.first)
	if i < 0 || m.per <= 0 || (i+1)*m.per > len(m.syms) {
		return false
	}
	for _, s := range m.syms[i*m.per : (i+1)*m.per] {
		if uint32(s) == sym {
			return true
		}
	}
	return false
}

// modmap is the server's modifier mapping (GetModifierMapping): per keycodes
// for each of Shift, Lock, Control, Mod1..Mod5.
type modmap struct {
	per   int
	codes []xproto.Keycode
}

// bit is the modifier mask that the keys typing one of syms set, or 0.
func (mm modmap) bit(km keymap, syms ...uint32) uint16 {
	if mm.per <= 0 {
		return 0
	}
	for _, sym := range syms {
		for i, code := range mm.codes {
			if code != 0 && i/mm.per < 8 && km.has(code, sym) {
				return 1 << (i / mm.per)
			}
		}
	}
	return 0
}

// Keysyms of the modifier keys.
const (
	symNumLock    = 0xff7f
	symScrollLock = 0xff14
	symMetaL      = 0xffe7
	symMetaR      = 0xffe8
	symAltL       = 0xffe9
	symAltR       = 0xffea
	symSuperL     = 0xffeb
	symSuperR     = 0xffec
)

// plan is what to grab for a key on one server.
type plan struct {
	codes []xproto.Keycode
	want  uint16 // the modifier state of the hotkey
	locks uint16 // lock modifiers to ignore: every combination is grabbed
	grabs []grab
}

// planGrabs works out the grabs for a key from the server's mappings: the
// keycodes typing sym, the modifier bits of mods (Alt and Super where the
// modifier mapping puts them, Mod1 and Mod4 if it does not say), and each
// keycode with every combination of the lock modifiers (CapsLock's Lock,
// NumLock's bit, Mod2 if the mapping does not say, and ScrollLock's bit if
// it has one).
func planGrabs(km keymap, mm modmap, mods Modifier, sym uint32) (plan, error) {
	var p plan
	codes, shifted := km.codes(sym)
	if len(codes) == 0 {
		return p, fmt.Errorf("no key of the current keyboard layout types keysym %#x", sym)
	}
	p.codes = codes
	alt := mm.bit(km, symAltL, symAltR, symMetaL, symMetaR)
	if alt == 0 {
		alt = xproto.ModMask1
	}
	super := mm.bit(km, symSuperL, symSuperR)
	if super == 0 {
		super = xproto.ModMask4
	}
	if mods&Ctrl != 0 {
		p.want |= xproto.ModMaskControl
	}
	if mods&Shift != 0 || shifted {
		p.want |= xproto.ModMaskShift
	}
	if mods&Alt != 0 {
		p.want |= alt
	}
	if mods&Super != 0 {
		p.want |= super
	}
	num := mm.bit(km, symNumLock)
	if num == 0 {
		num = xproto.ModMask2
	}
	p.locks = (xproto.ModMaskLock | num | mm.bit(km, symScrollLock)) &^ (p.want | xproto.ModMaskShift | xproto.ModMaskControl)
	var variants []uint16
	for sub := p.locks; ; sub = (sub - 1) & p.locks { // every subset of locks
		variants = append(variants, sub)
		if sub == 0 {
			break
		}
	}
	for _, c := range codes {
		for _, v := range variants {
			p.grabs = append(p.grabs, grab{code: c, mods: p.want | v})
		}
	}
	return p, nil
}
