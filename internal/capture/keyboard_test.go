package capture

import "testing"

// TestKeyboard is the keyboard rule of X11 and Windows: Enter is a step
// only when pressed with no modifier held after typing; a key pressed with
// Ctrl, Alt or Super held is a step named by its keys (and types nothing);
// plain keys and Shift+key are typing, never a step; a reset forgets the
// typing. On Windows Ctrl+Alt with a key that types is AltGr: typing.
func TestKeyboard(t *testing.T) {
	keys := map[string]key{
		"shift": {mod: shiftMod}, "ctrl": {mod: ctrlMod}, "alt": {mod: altMod}, "altgr": {mod: altMod}, "super": {mod: superMod},
		"a": {text: true, name: "A"}, "q": {text: true, name: "Q"}, "s": {text: true, name: "S"},
		"enter": {enter: true, name: "Enter"}, "f5": {name: "F5"}, "tab": {name: "Tab"}, "odd": {},
	}
	type step struct {
		kind Kind
		keys string
	}
	none := step{-1, ""}
	enter := step{Enter, ""}
	sc := func(k string) step { return step{Shortcut, k} }
	for _, c := range []struct {
		name  string
		altGr bool
		// events: "+k" presses k, "-k" releases it, "reset" resets.
		events []string
		want   []step // one per press, in order
	}{
		{"Enter with nothing typed", false, []string{"+enter"}, []step{none}},
		{"Enter after typing", false, []string{"+a", "-a", "+enter"}, []step{none, enter}},
		{"a second Enter", false, []string{"+a", "+enter", "+enter"}, []step{none, enter, none}},
		{"Shift+letter is typing", false, []string{"+shift", "+a", "-shift", "+enter"}, []step{none, none, enter}},
		{"Shift+Enter is a new line", false, []string{"+a", "+shift", "+enter"}, []step{none, none, none}},
		{"Ctrl+A is a shortcut, not typing", false, []string{"+ctrl", "+a", "-ctrl", "+enter"}, []step{none, sc("Ctrl+A"), none}},
		{"Ctrl+Shift+S", false, []string{"+ctrl", "+shift", "+s", "-s", "-shift", "-ctrl"}, []step{none, none, sc("Ctrl+Shift+S")}},
		{"a shortcut ends the typing", false, []string{"+a", "+ctrl", "+s", "-ctrl", "+enter"}, []step{none, none, sc("Ctrl+S"), none}},
		{"Alt+F5", false, []string{"+alt", "+f5"}, []step{none, sc("Alt+F5")}},
		{"Super+Tab", false, []string{"+super", "+tab"}, []step{none, sc("Super+Tab")}},
		{"Ctrl+Enter", false, []string{"+a", "+ctrl", "+enter"}, []step{none, none, sc("Ctrl+Enter")}},
		{"a key without a name", false, []string{"+ctrl", "+odd"}, []step{none, sc("")}},
		{"held twice, one release", false, []string{"+ctrl", "+s", "+s", "-ctrl", "+s"}, []step{none, sc("Ctrl+S"), sc("Ctrl+S"), none}},
		{"F5 alone is no step", false, []string{"+f5", "+tab"}, []step{none, none}},
		{"reset", false, []string{"+a", "reset", "+enter"}, []step{none, none}},
		{"X11: Ctrl+Alt+Q is a shortcut", false, []string{"+ctrl", "+alt", "+q"}, []step{none, none, sc("Ctrl+Alt+Q")}},
		{"Windows: AltGr+Q types @", true, []string{"+ctrl", "+altgr", "+q", "-q", "-altgr", "-ctrl", "+enter"}, []step{none, none, none, enter}},
		{"Windows: Ctrl+Alt+F5 is a shortcut", true, []string{"+ctrl", "+alt", "+f5"}, []step{none, none, sc("Ctrl+Alt+F5")}},
		{"Windows: Ctrl+Q is a shortcut", true, []string{"+ctrl", "+q"}, []step{none, sc("Ctrl+Q")}},
	} {
		kb := newKeyboard[string]()
		kb.altGr = c.altGr
		var got []step
		for _, ev := range c.events {
			switch {
			case ev == "reset":
				kb.reset()
			case ev[0] == '-':
				kb.release(ev[1:])
			default:
				k, ok := keys[ev[1:]]
				if !ok {
					t.Fatalf("%s: no key %q", c.name, ev)
				}
				kind, name, isStep := kb.press(ev[1:], k)
				if !isStep {
					got = append(got, none)
				} else {
					got = append(got, step{kind, name})
				}
			}
		}
		if len(got) != len(c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%s: press %d: %v, want %v", c.name, i+1, got[i], c.want[i])
			}
		}
	}
}

// The names of Windows virtual keys in a shortcut.
func TestVKName(t *testing.T) {
	for vk, want := range map[uint32]string{'S': "S", '7': "7", 0x70: "F1", 0x87: "F24", 0x09: "Tab", 0x2e: "Delete", 0x61: "Num1", 0xbb: "=", 0xdc: `\`, 0xff: ""} {
		if got := vkName(vk); got != want {
			t.Errorf("vkName(%#x) = %q, want %q", vk, got, want)
		}
	}
}
