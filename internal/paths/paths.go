// Package paths names every per-user path Cuecard uses, in one place, each
// with an environment override:
//
//	CUECARD_CONFIG   settings            (default: $XDG_CONFIG_HOME/cuecard)
//	CUECARD_CACHE    search index        (default: $XDG_CACHE_HOME/cuecard)
//	CUECARD_DATA     state, sample guides (default: $XDG_DATA_HOME/cuecard)
//	CUECARD_RUNTIME  sockets             (default: $XDG_RUNTIME_DIR/cuecard)
//	CUECARD_LIBRARY  the library folder  (default: the installed sample library)
//
// On Windows the defaults are %APPDATA%\cuecard (settings),
// %APPDATA%\cuecard\data (state, sample guides), %LOCALAPPDATA%\cuecard
// (index) and the named-pipe namespace \\.\pipe (sockets).
package paths

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

// App is the folder name used under each base directory.
const App = "cuecard"

func home() string {
	if h, err := os.UserHomeDir(); err == nil && h != "" {
		return h
	}
	return os.TempDir()
}

func xdg(env, fallback string) string {
	if v := os.Getenv(env); v != "" && filepath.IsAbs(v) {
		return v
	}
	return filepath.Join(home(), fallback)
}

// Config is the folder of the settings file.
func Config() string {
	if v := os.Getenv("CUECARD_CONFIG"); v != "" {
		return v
	}
	if d, err := os.UserConfigDir(); err == nil {
		return filepath.Join(d, App)
	}
	return filepath.Join(xdg("XDG_CONFIG_HOME", ".config"), App)
}

// Cache is the folder of the search index (a cache: safe to delete).
func Cache() string {
	if v := os.Getenv("CUECARD_CACHE"); v != "" {
		return v
	}
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, App)
	}
	return filepath.Join(xdg("XDG_CACHE_HOME", ".cache"), App)
}

// Data is the folder of per-user state and the installed sample library.
func Data() string {
	if v := os.Getenv("CUECARD_DATA"); v != "" {
		return v
	}
	switch runtime.GOOS {
	case "windows", "darwin":
		if d, err := os.UserConfigDir(); err == nil {
			return filepath.Join(d, App, "data")
		}
	}
	return filepath.Join(xdg("XDG_DATA_HOME", filepath.Join(".local", "share")), App)
}

// Runtime is where the local socket goes: a folder (owner-only), or on
// Windows, which has no per-user runtime folder, the named-pipe namespace
// \\.\pipe (each pipe's security descriptor keeps other users out).
func Runtime() string {
	if v := os.Getenv("CUECARD_RUNTIME"); v != "" {
		return v
	}
	if runtime.GOOS == "windows" {
		return `\\.\pipe`
	}
	if v := os.Getenv("XDG_RUNTIME_DIR"); v != "" {
		return filepath.Join(v, App)
	}
	return filepath.Join(os.TempDir(), fmt.Sprintf("%s-%d", App, os.Getuid()))
}

// SampleLibrary is where the bundled sample library is installed.
func SampleLibrary() string { return filepath.Join(Data(), "library") }

// Index is the index folder of the library at root: one per library, so
// switching libraries does not throw an index away.
func Index(root string) string {
	abs, err := filepath.Abs(root)
	if err != nil {
		abs = root
	}
	sum := sha256.Sum256([]byte(abs))
	return filepath.Join(Cache(), "index", hex.EncodeToString(sum[:8]))
}

// State is the per-user state database.
func State() string { return filepath.Join(Data(), "state.db") }

// Autostart is the XDG autostart entry that starts Cuecard at login
// ($XDG_CONFIG_HOME/autostart/io.github.cuecard.desktop).
func Autostart() string {
	return filepath.Join(xdg("XDG_CONFIG_HOME", ".config"), "autostart", "io.github.cuecard.desktop")
}

// URLHandler is the desktop entry that makes Cuecard the handler of
// cuecard:// links ($XDG_DATA_HOME/applications/cuecard-url.desktop).
func URLHandler() string {
	return filepath.Join(xdg("XDG_DATA_HOME", filepath.Join(".local", "share")), "applications", "cuecard-url.desktop")
}

// DesktopLibrary records the library the desktop app last ran on, as it
// was given (--library or CUECARD_LIBRARY; empty: the settings' or the
// sample), so that cuecard:// links open in that library.
func DesktopLibrary() string { return filepath.Join(Data(), "desktop-library") }

// ReaderKey is the default private key of a reader of the library's sealed
// usage and training files (cuecard keys new writes it, mode 0600).
func ReaderKey() string { return filepath.Join(Config(), "reader-key.txt") }

// SharingSecret is this installation's random secret that keys the names
// of what it shares (its monthly install id); it never leaves the computer.
func SharingSecret() string { return filepath.Join(Data(), "sharing-secret") }
