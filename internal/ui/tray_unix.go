//go:build linux || freebsd || openbsd || netbsd

package ui

import (
	"log/slog"
	"sync"

	"github.com/godbus/dbus/v5"
)

var (
	trayOnce sync.Once
	trayOK   bool
)

// trayAvailable reports whether the D-Bus session bus the tray speaks
// StatusNotifierItem on can be reached. Without it fyne's systray crashes
// the process on Quit (it closes a connection it never opened), so the tray
// is not set up at all; the panel and the hotkey still work.
func trayAvailable() bool {
	trayOnce.Do(func() {
		if _, err := dbus.SessionBus(); err != nil {
			slog.Warn("no system tray: the D-Bus session bus cannot be reached; the panel and the search hotkey still work", "err", err)
			return
		}
		trayOK = true
	})
	return trayOK
}
