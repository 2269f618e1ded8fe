package hotkey

import (
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"unicode"
)

// GNOME's custom keyboard shortcuts (Settings > Keyboard > Custom
// Shortcuts): a list of paths, each a relocatable settings object with a
// name, a command and a binding.
const (
	gnomeMediaKeys   = "org.gnome.settings-daemon.plugins.media-keys"
	gnomeCustomKey   = gnomeMediaKeys + ".custom-keybinding"
	gnomeCustomPaths = "/org/gnome/settings-daemon/plugins/media-keys/custom-keybindings/"
)

// GnomeShortcut is a custom keyboard shortcut in GNOME's settings: where
// GNOME Shell offers no GlobalShortcuts portal (GNOME 43), the search
// hotkey is a desktop shortcut that runs `cuecard search --show`. Add it
// only with the user's consent.
type GnomeShortcut struct {
	// Name is what GNOME's keyboard settings show ("Cuecard search").
	Name string
	// Command is the command line the key runs.
	Command string
	// Key is the key.
	Key Key
	// Env is the environment of gsettings; nil means this process's.
	Env []string
}

// GnomeBinding is k as GNOME writes key bindings: "<Control><Alt>space".
func GnomeBinding(k Key) (string, error) {
	if _, err := k.keysym(); err != nil {
		return "", err
	}
	var b strings.Builder
	for _, m := range []struct {
		mod  Modifier
		name string
	}{{Ctrl, "<Control>"}, {Alt, "<Alt>"}, {Shift, "<Shift>"}, {Super, "<Super>"}} {
		if k.Mods&m.mod != 0 {
			b.WriteString(m.name)
		}
	}
	b.WriteString(xkbName(k.Name))
	return b.String(), nil
}

// Add writes the shortcut into GNOME's settings, or updates the one with
// the same name or command, and returns its settings path. GNOME applies
// it at once; no login is needed.
func (g GnomeShortcut) Add() (string, error) {
	binding, err := GnomeBinding(g.Key)
	if err != nil {
		return "", err
	}
	if g.Name == "" || g.Command == "" {
		return "", fmt.Errorf("a GNOME shortcut needs a name and a command")
	}
	gs := gsettings{env: g.Env}
	out, err := gs.run("get", gnomeMediaKeys, "custom-keybindings")
	if err != nil {
		return "", err
	}
	paths := parseStrv(out)
	path := ""
	for _, p := range paths {
		name, err1 := gs.run("get", gnomeCustomKey+":"+p, "name")
		cmd, err2 := gs.run("get", gnomeCustomKey+":"+p, "command")
		if err1 == nil && err2 == nil && (parseStr(name) == g.Name || parseStr(cmd) == g.Command) {
			path = p
			break
		}
	}
	if path == "" {
		for i := 0; ; i++ {
			path = gnomeCustomPaths + "cuecard/"
			if i > 0 {
				path = fmt.Sprintf("%scuecard%d/", gnomeCustomPaths, i)
			}
			if !slices.Contains(paths, path) {
				break
			}
		}
	}
	for _, kv := range [][2]string{{"name", g.Name}, {"command", g.Command}, {"binding", binding}} {
		if _, err := gs.run("set", gnomeCustomKey+":"+path, kv[0], formatStr(kv[1])); err != nil {
			return "", err
		}
	}
	if !slices.Contains(paths, path) {
		if _, err := gs.run("set", gnomeMediaKeys, "custom-keybindings", formatStrv(append(paths, path))); err != nil {
			return "", err
		}
	}
	return path, nil
}

// xkbNames are the xkb keysym names of the named keys whose name differs.
var xkbNames = map[string]string{
	"Space": "space", "Enter": "Return", "Backspace": "BackSpace", "PageUp": "Prior", "PageDown": "Next",
	"Plus": "plus", "`": "grave", "-": "minus", "=": "equal", "[": "bracketleft", "]": "bracketright",
	`\`: "backslash", ";": "semicolon", "'": "apostrophe", ",": "comma", ".": "period", "/": "slash",
}

// xkbName is the keysym name of a canonical key name.
func xkbName(name string) string {
	if n, ok := xkbNames[name]; ok {
		return n
	}
	r := []rune(name)
	if len(r) != 1 {
		return name // Tab, Escape, Home, F1, ...: the same in xkb
	}
	c := unicode.ToLower(r[0])
	if c < 0x80 {
		return string(c)
	}
	return fmt.Sprintf("U%04X", c)
}

// gsettings runs the gsettings tool.
type gsettings struct{ env []string }

func (g gsettings) run(args ...string) (string, error) {
	if _, err := exec.LookPath("gsettings"); err != nil {
		return "", fmt.Errorf("gsettings is not installed (Debian and Ubuntu: libglib2.0-bin)")
	}
	cmd := exec.Command("gsettings", args...)
	cmd.Env = g.env
	if cmd.Env == nil {
		cmd.Env = os.Environ()
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("gsettings %s: %v: %s", strings.Join(args[:min(len(args), 3)], " "), err, strings.TrimSpace(string(out)))
	}
	return string(out), nil
}

var strvItem = regexp.MustCompile(`'((?:[^'\\]|\\.)*)'`)

// parseStrv reads a GVariant string array as gsettings prints it.
func parseStrv(s string) []string {
	var list []string
	for _, m := range strvItem.FindAllStringSubmatch(s, -1) {
		list = append(list, unquote(m[1]))
	}
	return list
}

// parseStr reads a GVariant string as gsettings prints it.
func parseStr(s string) string {
	if m := strvItem.FindStringSubmatch(s); m != nil {
		return unquote(m[1])
	}
	return strings.TrimSpace(s)
}

func unquote(s string) string { return strings.NewReplacer(`\'`, `'`, `\\`, `\`).Replace(s) }

func formatStr(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

func formatStrv(list []string) string {
	if len(list) == 0 {
		return "@as []"
	}
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = formatStr(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}
