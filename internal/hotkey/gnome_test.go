//go:build linux

package hotkey

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestGnomeBinding(t *testing.T) {
	for in, want := range map[string]string{
		"Ctrl+Alt+Space": "<Control><Alt>space",
		"Super+F1":       "<Super>F1",
		"Ctrl+Shift+K":   "<Control><Shift>k",
		"Alt+`":          "<Alt>grave",
	} {
		k, err := Parse(in)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := GnomeBinding(k); err != nil || got != want {
			t.Errorf("GnomeBinding(%s) = %q, %v; want %q", in, got, err, want)
		}
	}
}

// TestGnomeShortcut writes the shortcut with the real gsettings into a
// private keyfile settings backend (never the user's dconf database) and
// reads it back with `gsettings get`, as GNOME's settings daemon would.
func TestGnomeShortcut(t *testing.T) {
	if _, err := exec.LookPath("gsettings"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("gsettings is missing (libglib2.0-bin)")
		}
		t.Skip("gsettings is missing (libglib2.0-bin)")
	}
	if exec.Command("gsettings", "list-keys", gnomeCustomKey).Run() != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("GNOME's media-keys settings schema is missing (gnome-settings-daemon-common)")
		}
		t.Skip("GNOME's media-keys settings schema is missing (gnome-settings-daemon-common)")
	}
	home := t.TempDir()
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "XDG_CONFIG_HOME=" + filepath.Join(home, ".config"), "GSETTINGS_BACKEND=keyfile"}
	get := func(schema, key string) string {
		t.Helper()
		cmd := exec.Command("gsettings", "get", schema, key)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("gsettings get %s %s: %v: %s", schema, key, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	set := func(schema, key, value string) {
		t.Helper()
		cmd := exec.Command("gsettings", "set", schema, key, value)
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("gsettings set: %v: %s", err, out)
		}
	}
	// The user already has a shortcut of their own.
	mine := gnomeCustomPaths + "custom0/"
	set(gnomeCustomKey+":"+mine, "name", "'Terminal'")
	set(gnomeCustomKey+":"+mine, "command", "'gnome-terminal'")
	set(gnomeMediaKeys, "custom-keybindings", formatStrv([]string{mine}))

	g := GnomeShortcut{Name: "Cuecard search", Command: "/opt/it's cuecard/cuecard search --show", Key: Default, Env: env}
	path, err := g.Add()
	if err != nil {
		t.Fatal(err)
	}
	if got := parseStrv(get(gnomeMediaKeys, "custom-keybindings")); len(got) != 2 || got[0] != mine || got[1] != path {
		t.Fatalf("custom-keybindings = %q, want the user's and %s", got, path)
	}
	if got := get(gnomeCustomKey+":"+path, "binding"); got != "'<Control><Alt>space'" {
		t.Errorf("binding = %s", got)
	}
	if got := get(gnomeCustomKey+":"+path, "name"); got != "'Cuecard search'" {
		t.Errorf("name = %s", got)
	}
	if got := get(gnomeCustomKey+":"+path, "command"); !strings.Contains(got, "it's cuecard/cuecard search --show") {
		t.Errorf("command = %s", got)
	}
	if got := get(gnomeCustomKey+":"+mine, "command"); got != "'gnome-terminal'" {
		t.Errorf("the user's shortcut changed: %s", got)
	}

	// Adding it again with another key updates the same entry.
	g.Key = Key{Mods: Super, Name: "F1"}
	again, err := g.Add()
	if err != nil || again != path {
		t.Fatalf("second Add = %s, %v; want %s", again, err, path)
	}
	if got := parseStrv(get(gnomeMediaKeys, "custom-keybindings")); len(got) != 2 {
		t.Errorf("custom-keybindings after the second Add = %q", got)
	}
	if got := get(gnomeCustomKey+":"+path, "binding"); got != "'<Super>F1'" {
		t.Errorf("binding after the second Add = %s", got)
	}
}
