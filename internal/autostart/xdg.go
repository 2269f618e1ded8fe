//go:build !windows

package autostart

import (
	"errors"
	"os"
	"path/filepath"

	"github.com/cuecard/cuecard/internal/paths"
)

// write writes the XDG autostart entry (paths.Autostart).
func write(exe string) error {
	p := paths.Autostart()
	entry := "[Desktop Entry]\nType=Application\nName=Cuecard\nComment=Short guides for the app you are using\n" +
		"Exec=" + Command(exe) + "\nIcon=io.github.cuecard\nTerminal=false\nX-GNOME-Autostart-enabled=true\n"
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, []byte(entry), 0o644)
}

func remove() error {
	if err := os.Remove(paths.Autostart()); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

func enabled() bool {
	_, err := os.Stat(paths.Autostart())
	return err == nil
}
