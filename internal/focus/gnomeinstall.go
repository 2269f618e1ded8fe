//go:build linux

package focus

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/cuecard/cuecard/resources"
)

// GnomeInstall says where and for which GNOME Shell InstallGnomeExtension
// installs the extension. The zero value means the user's.
type GnomeInstall struct {
	// DataHome is the user's data folder; empty means $XDG_DATA_HOME, else
	// ~/.local/share.
	DataHome string
	// ShellVersion is GNOME Shell's major version; 0 means the one that
	// `gnome-shell --version` prints.
	ShellVersion int
	// Env is the environment of gsettings and gnome-shell; nil means this
	// process's.
	Env []string
}

// InstallGnomeExtension installs Cuecard's GNOME Shell extension into the
// user's extensions folder and enables it. Call it only with the user's
// consent. It returns what to tell the user: GNOME Shell loads a new
// extension only at the next login on Wayland.
func InstallGnomeExtension() (string, error) { return GnomeInstall{}.Install() }

// gnomeShellNewest is the newest GNOME Shell the 45 form lists in its
// metadata; a newer shell is added to the list when installing.
const gnomeShellNewest = 49

// Install installs and enables the extension (see InstallGnomeExtension).
func (g GnomeInstall) Install() (string, error) {
	env := g.Env
	if env == nil {
		env = os.Environ()
	}
	getenv := func(k string) string {
		for i := len(env) - 1; i >= 0; i-- {
			if key, v, _ := strings.Cut(env[i], "="); key == k {
				return v
			}
		}
		return ""
	}
	version := g.ShellVersion
	if version == 0 {
		cmd := exec.Command("gnome-shell", "--version")
		cmd.Env = env
		out, err := cmd.Output()
		if err != nil {
			return "", fmt.Errorf("install the GNOME Shell extension: `gnome-shell --version` failed (%v): is this a GNOME desktop?", err)
		}
		if version, err = parseGnomeVersion(string(out)); err != nil {
			return "", fmt.Errorf("install the GNOME Shell extension: %w", err)
		}
	}
	form := "45"
	switch {
	case version < 43:
		return "", fmt.Errorf("install the GNOME Shell extension: GNOME Shell %d is too old (Cuecard's extension needs 43 or newer)", version)
	case version < 45:
		form = "43"
	}
	dataHome := g.DataHome
	if dataHome == "" {
		dataHome = getenv("XDG_DATA_HOME")
	}
	if dataHome == "" {
		home := getenv("HOME")
		if home == "" {
			return "", fmt.Errorf("install the GNOME Shell extension: neither XDG_DATA_HOME nor HOME is set")
		}
		dataHome = filepath.Join(home, ".local", "share")
	}
	dest := filepath.Join(dataHome, "gnome-shell", "extensions", GnomeExtensionUUID)
	src, err := fs.Sub(resources.GnomeExtension, path.Join("gnome-extension", form, GnomeExtensionUUID))
	if err != nil {
		return "", fmt.Errorf("install the GNOME Shell extension: %w", err)
	}
	if err := os.MkdirAll(dest, 0o755); err != nil {
		return "", fmt.Errorf("install the GNOME Shell extension: %w", err)
	}
	for _, name := range []string{"metadata.json", "extension.js"} {
		b, err := fs.ReadFile(src, name)
		if err != nil {
			return "", fmt.Errorf("install the GNOME Shell extension: %w", err)
		}
		if name == "metadata.json" && version > gnomeShellNewest {
			if b, err = addShellVersion(b, version); err != nil {
				return "", fmt.Errorf("install the GNOME Shell extension: %w", err)
			}
		}
		if err := os.WriteFile(filepath.Join(dest, name), b, 0o644); err != nil {
			return "", fmt.Errorf("install the GNOME Shell extension: %w", err)
		}
	}
	if err := enableGnomeExtension(env); err != nil {
		return "", fmt.Errorf("installed the GNOME Shell extension in %s but could not enable it: %w; "+
			"enable it with: gnome-extensions enable %s", dest, err, GnomeExtensionUUID)
	}
	return fmt.Sprintf("Installed Cuecard's GNOME Shell extension in %s and enabled it. "+
		"GNOME Shell loads new extensions only when you log in: log out and back in, "+
		"and Cuecard will then follow the focused window. (If all extensions are turned off in the Extensions app, turn them on.)", dest), nil
}

var gnomeVersion = regexp.MustCompile(`GNOME Shell (\d+)`)

func parseGnomeVersion(s string) (int, error) {
	m := gnomeVersion.FindStringSubmatch(s)
	if m == nil {
		return 0, fmt.Errorf("cannot read GNOME Shell's version from %q", strings.TrimSpace(s))
	}
	return strconv.Atoi(m[1])
}

func addShellVersion(metadata []byte, version int) ([]byte, error) {
	var m map[string]any
	if err := json.Unmarshal(metadata, &m); err != nil {
		return nil, err
	}
	list, _ := m["shell-version"].([]any)
	m["shell-version"] = append(list, strconv.Itoa(version))
	return json.MarshalIndent(m, "", "  ")
}

// enableGnomeExtension adds the extension to org.gnome.shell
// enabled-extensions and removes it from disabled-extensions (what
// `gnome-extensions enable` does when no shell runs; with a shell running,
// that command refuses an extension the shell has not loaded yet).
func enableGnomeExtension(env []string) error {
	if _, err := exec.LookPath("gsettings"); err != nil {
		return fmt.Errorf("gsettings is not installed")
	}
	run := func(args ...string) (string, error) {
		cmd := exec.Command("gsettings", args...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			return "", fmt.Errorf("gsettings %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(string(out)))
		}
		return string(out), nil
	}
	for _, key := range []string{"enabled-extensions", "disabled-extensions"} {
		out, err := run("get", "org.gnome.shell", key)
		if err != nil {
			return err
		}
		list := parseStrv(out)
		has := slices.Contains(list, GnomeExtensionUUID)
		switch {
		case key == "enabled-extensions" && !has:
			list = append(list, GnomeExtensionUUID)
		case key == "disabled-extensions" && has:
			list = slices.DeleteFunc(list, func(s string) bool { return s == GnomeExtensionUUID })
		default:
			continue
		}
		if _, err := run("set", "org.gnome.shell", key, formatStrv(list)); err != nil {
			return err
		}
	}
	return nil
}

var strvItem = regexp.MustCompile(`'((?:[^'\\]|\\.)*)'`)

// parseStrv reads a GVariant string array as gsettings prints it.
func parseStrv(s string) []string {
	var list []string
	for _, m := range strvItem.FindAllStringSubmatch(s, -1) {
		list = append(list, strings.NewReplacer(`\'`, `'`, `\\`, `\`).Replace(m[1]))
	}
	return list
}

func formatStrv(list []string) string {
	if len(list) == 0 {
		return "@as []"
	}
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
	}
	return "[" + strings.Join(q, ", ") + "]"
}
