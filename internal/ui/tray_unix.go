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

// trayHostName is the D-Bus name of the StatusNotifierItem host that shows
// tray icons (KDE, the GNOME AppIndicator extension, Xfce, LXQt, waybar...).
const trayHostName = "org.kde.StatusNotifierWatcher"

// trayHostPresent reports whether a tray host runs on the session bus: with
// none, the tray icon and its menu cannot be seen.
func trayHostPresent() bool {
	if !trayAvailable() {
		return false
	}
	conn, err := dbus.SessionBus()
	if err != nil {
		return false
	}
	var has bool
	if err := conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, trayHostName).Store(&has); err != nil {
		slog.Debug("tray host", "err", err)
		return false
	}
	return has
}
