//go:build linux || freebsd || netbsd || openbsd || dragonfly

package capture

import (
	"unicode"

	"github.com/robotn/xgb"
	"github.com/robotn/xgb/xproto"
)

// keymap classifies keycodes by their first keysym: Enter keys, Shift and
// the modifiers that make a key a shortcut rather than typing (Ctrl, Alt,
// Super, Meta, Hyper), keys that type text, and the names of keys for a
// shortcut. Which key was typed is never kept: a text key pressed without
// Ctrl, Alt or Super only counts.
type keymap [256]key

func readKeymap(c *xgb.Conn, setup *xproto.SetupInfo) (keymap, error) {
	var k keymap
	first, n := setup.MinKeycode, int(setup.MaxKeycode)-int(setup.MinKeycode)+1
	r, err := xproto.GetKeyboardMapping(c, first, byte(n)).Reply()
	if err != nil {
		return k, err
	}
	per := int(r.KeysymsPerKeycode)
	for i := 0; i < n && per > 0 && (i+1)*per <= len(r.Keysyms); i++ {
		code := int(first) + i
		if code < len(k) {
			k[code] = keyOf(uint32(r.Keysyms[i*per]))
		}
	}
	return k, nil
}

// keyOf describes a key by its keysym.
func keyOf(ks uint32) key {
	switch {
	case ks == xkReturn || ks == xkKPEnter:
		return key{enter: true, name: "Enter"}
	case ks == 0xffe1 || ks == 0xffe2:
		return key{mod: shiftMod}
	case ks == 0xffe3 || ks == 0xffe4:
		return key{mod: ctrlMod}
	case ks == 0xffe7 || ks == 0xffe8 || ks == 0xffe9 || ks == 0xffea: // Meta, Alt
		return key{mod: altMod}
	case ks >= 0xffeb && ks <= 0xffee: // Super, Hyper
		return key{mod: superMod}
	case ks == 0x20:
		return key{text: true, name: "Space"}
	case ks > 0x20 && ks < 0x100: // Latin-1
		return key{text: true, name: upper(rune(ks))}
	case ks >= 0x1000100 && ks <= 0x110ffff: // Unicode
		return key{text: true, name: upper(rune(ks - 0x1000000))}
	case ks >= 0xffaa && ks <= 0xffb9: // the keypad's digits and operators
		return key{text: true, name: "Num" + upper(rune(ks-0xff80))}
	case ks >= 0xffbe && ks <= 0xffd5:
		return key{name: "F" + itoa(int(ks-0xffbe+1))}
	case ks >= 0x100 && ks < 0xfe00: // other legacy keysyms: letters (0xfe..: ISO keys, AltGr, dead keys)
		return key{text: true}
	}
	return key{name: xNames[ks]}
}

// xNames are the names of the keys that type nothing.
var xNames = map[uint32]string{
	0xff08: "Backspace", 0xff09: "Tab", 0xff1b: "Esc", 0xffff: "Delete", 0xff63: "Insert",
	0xff50: "Home", 0xff57: "End", 0xff55: "PageUp", 0xff56: "PageDown",
	0xff51: "Left", 0xff52: "Up", 0xff53: "Right", 0xff54: "Down", 0xff61: "Print", 0xff67: "Menu",
}

// upper is a key's character as a key name: upper-cased ("S", "Ä", ",").
func upper(r rune) string {
	if !unicode.IsPrint(r) {
		return ""
	}
	return string(unicode.ToUpper(r))
}
