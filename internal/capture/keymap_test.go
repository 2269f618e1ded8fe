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

// TestEscape: Esc alone cancels a one-shot capture (Options.OnEscape);
// Esc with a modifier held does not, nor does another key. X11's and
// Windows' names for the key are both "Esc".
func TestEscape(t *testing.T) {
	kb := newKeyboard[int]()
	esc := keyOf(0xff1b)
	if esc != vkKeyName(0x1b) || !kb.escape(esc) {
		t.Fatalf("Esc is %+v (Windows %+v): not an escape", esc, vkKeyName(0x1b))
	}
	if kb.escape(keyOf(0xff09)) {
		t.Error("Tab is an escape")
	}
	kb.press(1, key{mod: ctrlMod})
	if kb.escape(esc) {
		t.Error("Ctrl+Esc is an escape")
	}
	kb.release(1)
	if !kb.escape(esc) {
		t.Error("Esc after Ctrl was released is not an escape")
	}
}

// vkKeyName is how the Windows side describes a virtual key that is no
// modifier and not Enter (vkKey without the Windows-only typing check).
func vkKeyName(vk uint32) key { return key{name: vkName(vk)} }
