//go:build linux || freebsd || netbsd || openbsd || dragonfly

package capture

import "testing"

// X11 keysyms as keys of the keyboard rule.
func TestKeyOf(t *testing.T) {
	for ks, want := range map[uint32]key{
		0x73: {text: true, name: "S"}, 0x2c: {text: true, name: ","}, 0x20: {text: true, name: "Space"},
		0xe4: {text: true, name: "Ä"}, 0x10004d0: {text: true, name: "Ӑ"}, 0xffb1: {text: true, name: "Num1"},
		0xff0d: {enter: true, name: "Enter"}, 0xff8d: {enter: true, name: "Enter"},
		0xffe1: {mod: shiftMod}, 0xffe3: {mod: ctrlMod}, 0xffe9: {mod: altMod}, 0xffeb: {mod: superMod},
		0xfe03: {}, // ISO_Level3_Shift (AltGr): neither a modifier of shortcuts nor text
		0xffbe: {name: "F1"}, 0xffc2: {name: "F5"}, 0xff09: {name: "Tab"}, 0xffff: {name: "Delete"},
	} {
		if got := keyOf(ks); got != want {
			t.Errorf("keyOf(%#x) = %+v, want %+v", ks, got, want)
		}
	}
}
