package hotkey

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cuecard/cuecard/internal/edit"
)

// Modifier is a set of modifier keys.
type Modifier uint8

// The modifiers a hotkey can use. Super is the Windows/logo key (Mod4 on
// usual X11 keymaps); Alt is Mod1.
const (
	Ctrl Modifier = 1 << iota
	Alt
	Shift
	Super
)

var modifierNames = []struct {
	mod  Modifier
	name string
}{{Ctrl, "Ctrl"}, {Alt, "Alt"}, {Shift, "Shift"}, {Super, "Super"}}

// modifierAliases maps the lower-case names Parse accepts to modifiers.
var modifierAliases = map[string]Modifier{
	"ctrl": Ctrl, "control": Ctrl,
	"alt":   Alt,
	"shift": Shift,
	"super": Super, "win": Super, "meta": Super,
}

// String is the canonical form: "Ctrl+Alt+Shift+Super", in that order.
func (m Modifier) String() string {
	var parts []string
	for _, n := range modifierNames {
		if m&n.mod != 0 {
			parts = append(parts, n.name)
		}
	}
	return strings.Join(parts, "+")
}

// Key is a hotkey: modifiers and one key. Parse makes one from text; the
// zero Key is not a valid hotkey.
type Key struct {
	// Mods are the modifiers held with the key: at least one besides Shift.
	Mods Modifier
	// Name is the key in canonical form: "Space", "K", "F1", "`", "Plus".
	Name string
}

// Default is the search window's hotkey unless the settings say otherwise.
var Default = Key{Mods: Ctrl | Alt, Name: "Space"}

// String is the canonical form, which Parse reads back: the modifiers in the
// order Ctrl, Alt, Shift, Super, then the key ("Ctrl+Alt+Space").
func (k Key) String() string {
	if k.Mods == 0 {
		return k.Name
	}
	return k.Mods.String() + "+" + k.Name
}

// IsZero reports whether k is the zero Key (no hotkey set).
func (k Key) IsZero() bool { return k == Key{} }

// MarshalText writes the canonical form, so a Key can sit in a settings
// file; the zero Key is written as empty text.
func (k Key) MarshalText() ([]byte, error) {
	if k.IsZero() {
		return []byte{}, nil
	}
	if _, err := k.keysym(); err != nil {
		return nil, err
	}
	return []byte(k.String()), nil
}

// UnmarshalText parses a hotkey as Parse does; empty text (or only spaces)
// is the zero Key, for a setting left blank.
func (k *Key) UnmarshalText(b []byte) error {
	if strings.TrimSpace(string(b)) == "" {
		*k = Key{}
		return nil
	}
	p, err := Parse(string(b))
	if err != nil {
		return err
	}
	*k = p
	return nil
}

// named keys: canonical name, X keysym, other names Parse accepts.
var namedKeys = []struct {
	name    string
	sym     uint32
	aliases []string
}{
	{"Space", 0x20, nil},
	{"Enter", 0xff0d, []string{"Return"}},
	{"Tab", 0xff09, nil},
	{"Escape", 0xff1b, []string{"Esc"}},
	{"Backspace", 0xff08, nil},
	{"Delete", 0xffff, []string{"Del"}},
	{"Insert", 0xff63, []string{"Ins"}},
	{"Home", 0xff50, nil},
	{"End", 0xff57, nil},
	{"PageUp", 0xff55, []string{"PgUp", "Prior"}},
	{"PageDown", 0xff56, []string{"PgDn", "Next"}},
	{"Left", 0xff51, nil},
	{"Up", 0xff52, nil},
	{"Right", 0xff53, nil},
	{"Down", 0xff54, nil},
	{"Print", 0xff61, []string{"PrintScreen", "PrtSc"}},
	{"Pause", 0xff13, []string{"Break"}},
	{"Menu", 0xff67, nil},
	{"Plus", '+', nil},
	// Punctuation: the character is the canonical name; words are aliases.
	{"`", '`', []string{"Grave", "Backtick", "Backquote"}},
	{"-", '-', []string{"Minus"}},
	{"=", '=', []string{"Equal", "Equals"}},
	{"[", '[', []string{"BracketLeft"}},
	{"]", ']', []string{"BracketRight"}},
	{`\`, '\\', []string{"Backslash"}},
	{";", ';', []string{"Semicolon"}},
	{"'", '\'', []string{"Apostrophe", "Quote"}},
	{",", ',', []string{"Comma"}},
	{".", '.', []string{"Period", "Dot"}},
	{"/", '/', []string{"Slash"}},
}

// maxF is the highest function key Parse accepts (X keysyms go to F35).
const maxF = 24

type keyInfo struct {
	name string
	sym  uint32
}

// keyAliases maps every lower-case key name Parse accepts (except single
// characters and function keys) to the key.
var keyAliases = func() map[string]keyInfo {
	m := map[string]keyInfo{}
	for _, n := range namedKeys {
		info := keyInfo{n.name, n.sym}
		m[strings.ToLower(n.name)] = info
		for _, a := range n.aliases {
			m[strings.ToLower(a)] = info
		}
	}
	return m
}()

// lookupKey resolves a key name (any case) to its canonical name and keysym.
func lookupKey(s string) (keyInfo, bool) {
	if info, ok := keyAliases[strings.ToLower(s)]; ok {
		return info, true
	}
	if n, ok := functionKey(s); ok {
		return keyInfo{fmt.Sprintf("F%d", n), 0xffbe + uint32(n-1)}, true
	}
	r, size := utf8.DecodeRuneInString(s)
	if size != len(s) || r == utf8.RuneError || !unicode.IsGraphic(r) || unicode.IsSpace(r) || unicode.IsMark(r) || r == '+' {
		return keyInfo{}, false
	}
	// A letter is named by its capital and grabbed by its small letter (the
	// symbol of the key without Shift), when the two map to each other.
	lower := unicode.ToLower(r)
	name := lower
	if up := unicode.ToUpper(lower); unicode.ToLower(up) == lower {
		name = up
	}
	return keyInfo{string(name), runeKeysym(lower)}, true
}

// functionKey parses "F1".."F24".
func functionKey(s string) (int, bool) {
	if len(s) < 2 || len(s) > 3 || (s[0] != 'F' && s[0] != 'f') {
		return 0, false
	}
	n := 0
	for _, c := range s[1:] {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	if s[1] == '0' || n < 1 || n > maxF {
		return 0, false
	}
	return n, true
}

// runeKeysym is the X keysym of a character: Latin-1 characters are their
// own keysym, others are 0x01000000 plus the code point.
func runeKeysym(r rune) uint32 {
	if r < 0x100 {
		return uint32(r)
	}
	return 0x01000000 | uint32(r)
}

// keysym is the key's X keysym, or why the key is not a valid hotkey.
func (k Key) keysym() (uint32, error) {
	if k.Mods&^(Ctrl|Alt|Shift|Super) != 0 {
		return 0, fmt.Errorf("hotkey %q: unknown modifier bits %#x", k.String(), uint8(k.Mods))
	}
	if k.Mods&^Shift == 0 {
		return 0, fmt.Errorf("hotkey %q: %w", k.String(), errNeedModifier)
	}
	info, ok := lookupKey(k.Name)
	if !ok || info.name != k.Name {
		return 0, fmt.Errorf("hotkey %q: %q is not a key name in canonical form (Parse makes one)", k.String(), k.Name)
	}
	return info.sym, nil
}

var errNeedModifier = errors.New("a hotkey needs at least one modifier besides Shift (Ctrl, Alt or Super), e.g. Ctrl+Alt+Space")

// maxLen bounds the text Parse reads; real hotkeys are far shorter.
const maxLen = 64

// Parse reads a hotkey such as "Ctrl+Alt+Space", "ctrl+shift+k",
// "Super+F1" or "Alt+`": modifiers and then one key, joined by "+", in any
// case, with optional spaces around each part.
//
// Modifiers: Ctrl (or Control), Alt, Shift, Super (or Win, Meta). At least
// one besides Shift is needed, so that typing never triggers the hotkey.
// Keys: letters and digits, Space, Enter, Tab, Escape, Backspace, Delete,
// Insert, Home, End, PageUp, PageDown, the arrows Left/Up/Right/Down, Print,
// Pause, Menu, F1 to F24, Plus (also written "Ctrl++"), punctuation by
// character or name ("`" or Grave, "-" or Minus, "=", "[", "]", "\", ";",
// "'", ",", ".", "/"), and any other single character of the keyboard layout
// ("Ctrl+Alt+é"). A character the layout types only with Shift (such as "!"
// on US keyboards) is grabbed with Shift.
func Parse(s string) (Key, error) {
	if !utf8.ValidString(s) {
		return Key{}, fmt.Errorf("hotkey %q is not valid UTF-8 text", s)
	}
	t := strings.TrimSpace(s)
	if t == "" {
		return Key{}, errors.New("empty hotkey: write one like Ctrl+Alt+Space")
	}
	if len(t) > maxLen {
		return Key{}, fmt.Errorf("hotkey %.20q... is too long (%d bytes): write one like Ctrl+Alt+Space", t, len(t))
	}
	fail := func(format string, a ...any) (Key, error) {
		return Key{}, fmt.Errorf("hotkey %q: "+format, append([]any{t}, a...)...)
	}
	parts := strings.Split(t, "+")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	// "Ctrl++" (and "Ctrl+ +") is Ctrl with the plus key.
	if n := len(parts); n >= 2 && parts[n-1] == "" && parts[n-2] == "" {
		parts = append(parts[:n-2], "+")
	}
	last := len(parts) - 1
	var k Key
	for _, p := range parts[:last] {
		if p == "" {
			return fail("an empty part between two +: write modifiers and a key, e.g. Ctrl+Alt+Space")
		}
		m, ok := modifierAliases[strings.ToLower(p)]
		if !ok {
			if _, isKey := lookupKey(p); isKey || p == "+" {
				return fail("%q is a key, not a modifier: write the modifiers first and one key last, e.g. Ctrl+Alt+Space", p)
			}
			return fail("unknown modifier %q%s (modifiers: Ctrl, Alt, Shift, Super)", p, suggest(p, false))
		}
		if k.Mods&m != 0 {
			return fail("%s is given twice", m)
		}
		k.Mods |= m
	}
	p := parts[last]
	switch {
	case p == "":
		return fail("no key after the last +: add one, e.g. %s", example(k.Mods))
	case p == "+":
		k.Name = "Plus"
	default:
		if m, ok := modifierAliases[strings.ToLower(p)]; ok {
			if k.Mods&m != 0 {
				return fail("%s is given twice", m)
			}
			return fail("no key after the modifiers: add one, e.g. %s", example(k.Mods|m))
		}
		info, ok := lookupKey(p)
		if !ok {
			return fail("unknown key %q%s", p, suggest(p, true))
		}
		k.Name = info.name
	}
	if k.Mods&^Shift == 0 {
		return fail("%w", errNeedModifier)
	}
	return k, nil
}

// example is a valid hotkey with the given modifiers and Space.
func example(m Modifier) Key {
	if m&^Shift == 0 {
		m |= Ctrl
	}
	return Key{Mods: m, Name: "Space"}
}

// suggest is ": did you mean X?" for the nearest known name, or "".
func suggest(s string, key bool) string {
	in := strings.ToLower(s)
	if utf8.RuneCountInString(in) < 2 {
		return ""
	}
	best, bestD := "", 3
	try := func(alias, canonical string) {
		if d := edit.Distance(in, alias); d < bestD || (d == bestD && canonical < best) {
			best, bestD = canonical, d
		}
	}
	for a, m := range modifierAliases {
		try(a, m.String())
	}
	if key {
		for a, info := range keyAliases {
			if len(a) > 1 {
				try(a, info.name)
			}
		}
	}
	// One edit in a three-letter word is already a different word.
	if best == "" || bestD*3 > utf8.RuneCountInString(in) {
		return ""
	}
	return ": did you mean " + best + "?"
}
