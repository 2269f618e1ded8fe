//go:build linux || freebsd || netbsd || openbsd || dragonfly

package capture

import (
	"github.com/robotn/xgb"
	"github.com/robotn/xgb/xproto"
)

// keymap classifies keycodes by their first keysym: Enter keys, the
// modifiers that make a key a shortcut rather than typing (Ctrl, Alt,
// Super, Meta, Hyper), and keys that type text. Which key was typed is
// never kept: a text key only counts.
type keymap struct {
	enter, modifier, text [256]bool
}

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
		ks := uint32(r.Keysyms[i*per])
		switch {
		case ks == xkReturn || ks == xkKPEnter:
			k.enter[code] = true
		case ks >= 0xffe3 && ks <= 0xffe4, ks >= 0xffe7 && ks <= 0xffee: // Control, Meta, Alt, Super, Hyper
			k.modifier[code] = true
		case ks >= 0x20 && ks < 0xff00, ks >= 0x1000000, ks >= 0xffaa && ks <= 0xffb9: // printable, Unicode, keypad
			k.text[code] = true
		}
	}
	return k, nil
}
