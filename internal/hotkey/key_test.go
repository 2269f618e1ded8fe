package hotkey

import (
	"context"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Key
		str  string
	}{
		{"Ctrl+Alt+Space", Key{Ctrl | Alt, "Space"}, "Ctrl+Alt+Space"},
		{"ctrl+alt+space", Key{Ctrl | Alt, "Space"}, "Ctrl+Alt+Space"},
		{" Alt + Control + SPACE ", Key{Ctrl | Alt, "Space"}, "Ctrl+Alt+Space"},
		{"ctrl+shift+k", Key{Ctrl | Shift, "K"}, "Ctrl+Shift+K"},
		{"Shift+Ctrl+K", Key{Ctrl | Shift, "K"}, "Ctrl+Shift+K"},
		{"Super+F1", Key{Super, "F1"}, "Super+F1"},
		{"win+f12", Key{Super, "F12"}, "Super+F12"},
		{"Meta+F24", Key{Super, "F24"}, "Super+F24"},
		{"Alt+`", Key{Alt, "`"}, "Alt+`"},
		{"alt+grave", Key{Alt, "`"}, "Alt+`"},
		{"Ctrl+Alt+Shift+Super+Return", Key{Ctrl | Alt | Shift | Super, "Enter"}, "Ctrl+Alt+Shift+Super+Enter"},
		{"Ctrl+Esc", Key{Ctrl, "Escape"}, "Ctrl+Escape"},
		{"Ctrl+PgDn", Key{Ctrl, "PageDown"}, "Ctrl+PageDown"},
		{"Ctrl+Alt+7", Key{Ctrl | Alt, "7"}, "Ctrl+Alt+7"},
		{"Ctrl+Alt+-", Key{Ctrl | Alt, "-"}, "Ctrl+Alt+-"},
		{"Ctrl+Alt+minus", Key{Ctrl | Alt, "-"}, "Ctrl+Alt+-"},
		{`Ctrl+\`, Key{Ctrl, `\`}, `Ctrl+\`},
		{"Ctrl++", Key{Ctrl, "Plus"}, "Ctrl+Plus"},
		{"Ctrl + +", Key{Ctrl, "Plus"}, "Ctrl+Plus"},
		{"Ctrl+plus", Key{Ctrl, "Plus"}, "Ctrl+Plus"},
		{"Ctrl+Alt+é", Key{Ctrl | Alt, "É"}, "Ctrl+Alt+É"},
		{"Ctrl+Alt+ж", Key{Ctrl | Alt, "Ж"}, "Ctrl+Alt+Ж"},
		{"Ctrl+!", Key{Ctrl, "!"}, "Ctrl+!"},
	} {
		got, err := Parse(tc.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.in, err)
			continue
		}
		if got != tc.want || got.String() != tc.str {
			t.Errorf("Parse(%q) = %#v (%s), want %#v (%s)", tc.in, got, got, tc.want, tc.str)
		}
		if _, err := got.keysym(); err != nil {
			t.Errorf("Parse(%q) made an invalid key: %v", tc.in, err)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "empty hotkey: write one like Ctrl+Alt+Space"},
		{"   ", "empty hotkey"},
		{"Ctrl+Alt+Spcae", `hotkey "Ctrl+Alt+Spcae": unknown key "Spcae": did you mean Space?`},
		{"Ctrl+Alt+Spaec", `unknown key "Spaec": did you mean Space?`},
		{"Ctrl+Alt+Entr", `did you mean Enter?`},
		{"Ctrl+Alt+Pageup", ``}, // accepted: names are case-insensitive (checked below)
		{"Ctrl+Alt+Page Up", `unknown key "Page Up": did you mean PageUp?`},
		{"Ctrl+Alt+F25", `unknown key "F25"`},
		{"Ctrl+Alt+F0", `unknown key "F0"`},
		{"Ctrl+Alt+Foo", `unknown key "Foo"`},
		{"Crtl+Alt+Space", `unknown modifier "Crtl": did you mean Ctrl? (modifiers: Ctrl, Alt, Shift, Super)`},
		{"Hyper+K", `unknown modifier "Hyper" (modifiers: Ctrl, Alt, Shift, Super)`},
		{"Space", "a hotkey needs at least one modifier besides Shift"},
		{"K", "a hotkey needs at least one modifier besides Shift"},
		{"Shift+K", "a hotkey needs at least one modifier besides Shift (Ctrl, Alt or Super), e.g. Ctrl+Alt+Space"},
		{"F1", "at least one modifier"},
		{"+", "at least one modifier"},
		{"Ctrl+Alt", "no key after the modifiers: add one, e.g. Ctrl+Alt+Space"},
		{"Shift", "no key after the modifiers: add one, e.g. Ctrl+Shift+Space"},
		{"Ctrl+Alt+", "no key after the last +"},
		{"Ctrl++Space", "an empty part between two +"},
		{"++", "an empty part"},
		{"Ctrl+Ctrl+K", "Ctrl is given twice"},
		{"Ctrl+Control", "Ctrl is given twice"},
		{"Space+Ctrl", `"Space" is a key, not a modifier: write the modifiers first and one key last`},
		{"Ctrl+A+B", `"A" is a key, not a modifier`},
		{"Ctrl+Alt+ab", `unknown key "ab"`},
		{"Ctrl+\x00", `unknown key "\x00"`},
		{"Ctrl+\u0301", `unknown key`}, // a combining mark alone
		{"Ctrl+\xff", "not valid UTF-8"},
		{strings.Repeat("Ctrl+", 20) + "K", "too long"},
	} {
		_, err := Parse(tc.in)
		if tc.want == "" {
			if err != nil {
				t.Errorf("Parse(%q): %v", tc.in, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("Parse(%q) accepted", tc.in)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Parse(%q) error %q, want it to contain %q", tc.in, err, tc.want)
		}
	}
}

func TestKeyText(t *testing.T) {
	var k Key
	if err := k.UnmarshalText([]byte("alt+shift+F5")); err != nil {
		t.Fatal(err)
	}
	b, err := k.MarshalText()
	if err != nil || string(b) != "Alt+Shift+F5" {
		t.Fatalf("MarshalText = %q, %v", b, err)
	}
	if err := k.UnmarshalText([]byte("Alt")); err == nil {
		t.Fatal("UnmarshalText accepted a bare modifier")
	}
	if _, err := (Key{Mods: Ctrl, Name: "k"}).MarshalText(); err == nil {
		t.Fatal("MarshalText accepted a key name not in canonical form")
	}
	if b, err := (Key{}).MarshalText(); err != nil || len(b) != 0 {
		t.Fatalf("zero Key: MarshalText = %q, %v", b, err)
	}
	if err := k.UnmarshalText([]byte(" ")); err != nil || !k.IsZero() {
		t.Fatalf("blank text: %#v, %v", k, err)
	}
	if Default.String() != "Ctrl+Alt+Space" {
		t.Fatalf("Default = %s", Default)
	}
}

// TestRegisterInvalid: keys Parse would not make are refused before any
// system call.
func TestRegisterInvalid(t *testing.T) {
	for _, k := range []Key{{}, {Mods: Shift, Name: "K"}, {Mods: Ctrl, Name: "k"}, {Mods: Ctrl, Name: "Spacebar"}, {Mods: 1 << 6, Name: "K"}} {
		if h, err := Register(context.Background(), k, Options{}); err == nil {
			h.Close()
			t.Errorf("Register(%#v) accepted", k)
		} else if errors.Is(err, ErrUnavailable) || errors.Is(err, ErrTaken) {
			t.Errorf("Register(%#v): %v", k, err)
		}
	}
}

// FuzzParse: Parse never panics; what it accepts is a valid key whose
// canonical form parses back to the same key.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"Ctrl+Alt+Space", "ctrl+shift+k", "Super+F1", "Alt+`", "Ctrl++", "Ctrl + +", "Ctrl+Alt+é",
		"Ctrl+Alt+Spcae", "Shift+K", "", "+", "++", "Ctrl+ı", "Alt+ß", "Alt+ǅ", "Win+\u0301"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k, err := Parse(s)
		if err != nil {
			if err.Error() == "" {
				t.Fatalf("Parse(%q): empty error", s)
			}
			return
		}
		if _, err := k.keysym(); err != nil {
			t.Fatalf("Parse(%q) = %#v, invalid: %v", s, k, err)
		}
		str := k.String()
		if !utf8.ValidString(str) {
			t.Fatalf("Parse(%q).String() = %q", s, str)
		}
		k2, err := Parse(str)
		if err != nil || k2 != k {
			t.Fatalf("Parse(%q) = %#v; its form %q parses to %#v, %v", s, k, str, k2, err)
		}
	})
}
