//go:build linux || freebsd || netbsd || openbsd || dragonfly

package hotkey

import (
	"slices"
	"strings"
	"testing"

	"github.com/robotn/xgb/xproto"
)

// testMaps is a small keymap (keycodes from 8, 4 keysyms each) and its
// modifier mapping (2 keycodes per modifier).
func testMaps(scrollMod int, altMod int) (keymap, modmap) {
	rows := map[xproto.Keycode][4]uint32{
		9:  {0xff1b},                 // Escape
		10: {'1', '!', '1', '!'},     // 1 !
		11: {'k', 'K', 0x6cb, 0x6eb}, // k K, and a Cyrillic group 2
		12: {0x20},                   // space
		13: {0x20},                   // a second space key
		14: {0xffe3},                 // Control_L
		15: {0xffe9, 0xffe7},         // Alt_L Meta_L
		16: {0xffeb},                 // Super_L
		17: {0xff7f},                 // Num_Lock
		18: {0xff14},                 // Scroll_Lock
		19: {0xffe5},                 // Caps_Lock
		20: {0xfe03},                 // ISO_Level3_Shift
		21: {0, 0, 0, 0},
		22: {'/', '?', 0, 0},
	}
	km := keymap{first: 8, per: 4, syms: make([]xproto.Keysym, 4*16)}
	for code, syms := range rows {
		for i, s := range syms {
			km.syms[int(code-8)*4+i] = xproto.Keysym(s)
		}
	}
	mm := modmap{per: 2, codes: make([]xproto.Keycode, 16)}
	set := func(mod int, code xproto.Keycode) {
		if mod >= 0 {
			mm.codes[mod*2] = code
		}
	}
	set(1, 19)      // Lock: Caps_Lock
	set(2, 14)      // Control
	set(altMod, 15) // Alt
	set(4, 17)      // Mod2: Num_Lock
	set(6, 16)      // Mod4: Super
	set(7, 20)      // Mod5: ISO_Level3_Shift
	set(scrollMod, 18)
	return km, mm
}

func TestPlanGrabs(t *testing.T) {
	const (
		shift, lock, ctrl            = 1, 2, 4
		mod1, mod2, mod3, mod4, mod5 = 8, 16, 32, 64, 128
	)
	for _, tc := range []struct {
		name        string
		scroll, alt int // modifier index of Scroll_Lock and Alt (-1: none)
		mods        Modifier
		sym         uint32
		codes       []xproto.Keycode
		want, locks uint16
		grabs       int
	}{
		{"ctrl+alt+space on two keycodes", -1, 3, Ctrl | Alt, 0x20, []xproto.Keycode{12, 13}, ctrl | mod1, lock | mod2, 8},
		{"scroll lock on mod3", 5, 3, Ctrl | Alt, 0x20, []xproto.Keycode{12, 13}, ctrl | mod1, lock | mod2 | mod3, 16},
		{"alt on mod3", -1, 5, Alt, 'k', []xproto.Keycode{11}, mod3, lock | mod2, 4},
		{"no alt in the mapping", -1, -1, Alt, 'k', []xproto.Keycode{11}, mod1, lock | mod2, 4},
		{"super", -1, 3, Super, 0xff1b, []xproto.Keycode{9}, mod4, lock | mod2, 4},
		{"shifted symbol", -1, 3, Ctrl, '!', []xproto.Keycode{10}, ctrl | shift, lock | mod2, 4},
		{"second group", -1, 3, Ctrl, 0x6cb, []xproto.Keycode{11}, ctrl, lock | mod2, 4},
		{"second group shifted", -1, 3, Ctrl, 0x6eb, []xproto.Keycode{11}, ctrl | shift, lock | mod2, 4},
		{"all modifiers", -1, 3, Ctrl | Alt | Shift | Super, '/', []xproto.Keycode{22}, ctrl | mod1 | shift | mod4, lock | mod2, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			km, mm := testMaps(tc.scroll, tc.alt)
			p, err := planGrabs(km, mm, tc.mods, tc.sym)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(p.codes, tc.codes) || p.want != tc.want || p.locks != tc.locks || len(p.grabs) != tc.grabs {
				t.Fatalf("plan %+v, want codes %v want %#x locks %#x and %d grabs", p, tc.codes, tc.want, tc.locks, tc.grabs)
			}
			seen := map[grab]bool{}
			for _, g := range p.grabs {
				if seen[g] || g.mods&^p.locks != p.want || !slices.Contains(p.codes, g.code) {
					t.Fatalf("bad or repeated grab %+v in %+v", g, p.grabs)
				}
				seen[g] = true
			}
		})
	}
	km, mm := testMaps(-1, 3)
	if _, err := planGrabs(km, mm, Ctrl, 0xe9); err == nil || !strings.Contains(err.Error(), "no key of the current keyboard layout") {
		t.Fatalf("a keysym the layout lacks: %v", err)
	}
	if _, err := planGrabs(keymap{}, modmap{}, Ctrl, 0x20); err == nil {
		t.Fatal("an empty keymap gave a plan")
	}
}
