//go:build linux

package focus

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/godbus/dbus/v5"

	"github.com/cuecard/cuecard/internal/guide"
)

// The GNOME backend listens to Cuecard's GNOME Shell extension
// (resources/gnome-extension, installed by InstallGnomeExtension). The
// extension owns GnomeBusName; Watch returns the focused window and makes
// the extension send FocusChanged signals to the caller alone (unicast, so
// that titles are not broadcast on the bus) until it calls Unwatch or leaves
// the bus.
const (
	// GnomeExtensionUUID is the extension's UUID: its folder name under
	// ~/.local/share/gnome-shell/extensions.
	GnomeExtensionUUID = "cuecard-focus@cuecard.github.io"
	// GnomeBusName, GnomeObjectPath and GnomeInterface name the
	// extension's D-Bus object.
	GnomeBusName    = "io.github.cuecard.Focus"
	GnomeObjectPath = dbus.ObjectPath("/io/github/cuecard/Focus")
	GnomeInterface  = "io.github.cuecard.Focus"
	gnomeShell      = "org.gnome.Shell"
)

// ErrNoGnomeExtension is wrapped by newGnome's error when GNOME Shell runs
// but Cuecard's extension does not: the app then offers to install it
// (InstallGnomeExtension).
var ErrNoGnomeExtension = errors.New(noGnomeExtension)

type gnomeBackend struct {
	owner atomic.Value // the extension's unique bus name (GNOME Shell's): the only sender accepted
}

// newGnome starts the GNOME Shell backend. It fails at once when the
// extension is not on the session bus; the error wraps ErrNoGnomeExtension
// when GNOME Shell itself is.
func newGnome(o Options) (Tracker, error) {
	return newShell(o, &gnomeBackend{})
}

func (g *gnomeBackend) desktop() string { return "GNOME Shell" }
func (g *gnomeBackend) service() string { return GnomeBusName }

func (g *gnomeBackend) absent(c *dbus.Conn) error {
	var shell bool
	if err := c.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, gnomeShell).Store(&shell); err == nil && shell {
		return fmt.Errorf("GNOME Shell focus tracking: %w (no owner of %s): install it from Cuecard's settings, "+
			"then log out and back in (GNOME Shell on Wayland loads new extensions only at login); "+
			"if it is installed, enable it with: gnome-extensions enable %s", ErrNoGnomeExtension, GnomeBusName, GnomeExtensionUUID)
	}
	return fmt.Errorf("GNOME Shell focus tracking: GNOME Shell is not on the session bus (no owner of %s): this is not a GNOME session", gnomeShell)
}

func (g *gnomeBackend) attach(c *dbus.Conn, _ func(shellFocus)) (string, *shellFocus, error) {
	var owner string
	if err := c.BusObject().Call("org.freedesktop.DBus.GetNameOwner", 0, GnomeBusName).Store(&owner); err != nil {
		return "", nil, fmt.Errorf("GNOME Shell focus tracking: find Cuecard's GNOME Shell extension on the session bus: %w", err)
	}
	g.owner.Store(owner)
	var f gnomeFocus
	call := c.Object(GnomeBusName, GnomeObjectPath).Call(GnomeInterface+".Watch", 0)
	if call.Err != nil {
		return "", nil, fmt.Errorf("GNOME Shell focus tracking: call Watch of Cuecard's GNOME Shell extension: %w", call.Err)
	}
	if err := call.Store(&f.Class, &f.Instance, &f.Title, &f.PID, &f.Fullscreen); err != nil {
		return "", nil, fmt.Errorf("GNOME Shell focus tracking: unexpected answer from Cuecard's GNOME Shell extension (update Cuecard or the extension): %w", err)
	}
	now := f.focus()
	return "tracking the focused window through GNOME Shell (Cuecard's extension)", &now, nil
}

// gnomeFocus is the extension's (sssub) window.
type gnomeFocus struct {
	Class, Instance, Title string
	PID                    uint32
	Fullscreen             bool
}

func (f gnomeFocus) focus() shellFocus {
	return shellFocus{w: guide.Window{Class: f.Class, Instance: f.Instance, Title: f.Title, PID: int(f.PID), Fullscreen: f.Fullscreen}}
}

func (g *gnomeBackend) signal(s *dbus.Signal) (shellFocus, bool) {
	owner, _ := g.owner.Load().(string)
	if s.Name != GnomeInterface+".FocusChanged" || s.Path != GnomeObjectPath || s.Sender != owner {
		return shellFocus{}, false
	}
	var f gnomeFocus
	if err := dbus.Store(s.Body, &f.Class, &f.Instance, &f.Title, &f.PID, &f.Fullscreen); err != nil {
		return shellFocus{}, false
	}
	return f.focus(), true
}

func (g *gnomeBackend) detach(c *dbus.Conn) {
	ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
	defer cancel()
	c.Object(GnomeBusName, GnomeObjectPath).CallWithContext(ctx, GnomeInterface+".Unwatch", 0)
}
