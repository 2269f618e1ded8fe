//go:build linux || freebsd || netbsd || openbsd || dragonfly

package focus

import "strings"

// waylandBackend is a focus backend for Wayland sessions.
type waylandBackend struct {
	// name is how statuses name the backend.
	name string
	// start returns a running Tracker, or an error that says why the
	// backend does not fit this session. A failing start returns quickly
	// and leaves nothing running.
	start func(Options) (Tracker, error)
}

// waylandBackends are tried in order on a Wayland session (WAYLAND_DISPLAY
// set); the first that starts is used. wlroots comes first: its probe is
// one registry round trip on the compositor's socket, and the protocol is
// only offered by compositors it fits. KWin (a script loaded over D-Bus)
// and GNOME Shell (Cuecard's extension) are asked on the session bus,
// where each fails at once when its desktop's service is not there.
var waylandBackends = []waylandBackend{
	{"wlroots", newWlroots},
	{"KWin", newKWin},
	{"GNOME Shell", newGnome},
}

// New starts a Tracker for this system. It never fails: when the focused
// window cannot be known the first event says why.
//
// On a Wayland session the Wayland backends are tried first, in order: X11
// (XWayland) sees only the windows of X11 programs there. When none fits,
// X11 is used if DISPLAY is set. Options.Display, when set, asks for X11 on
// that display: no Wayland backend is tried. The choice is made once: a
// Wayland backend that fails later reconnects to its compositor, it does
// not fall back to X11. Probing a hung compositor can hold New up to
// wlrProbeTimeout. The "tracking" status names the backend in
// use and why the ones tried before it were not used.
func New(o Options) Tracker {
	o = o.withDefaults()
	if o.Display != "" || o.Getenv("WAYLAND_DISPLAY") == "" {
		return newX11(o)
	}
	var why []string
	for _, b := range waylandBackends {
		o.note = ""
		if len(why) > 0 {
			o.note = " (not used: " + strings.Join(why, "; ") + ")"
		}
		t, err := b.start(o)
		if err == nil {
			return t
		}
		o.Logger.Debug("focus: Wayland backend does not fit", "backend", b.name, "err", err)
		why = append(why, b.name+": "+err.Error())
	}
	if o.Getenv("DISPLAY") != "" {
		o.note = " (backend X11 through XWayland: native Wayland windows are not seen; not used: " + strings.Join(why, "; ") + ")"
		return newX11(o)
	}
	return newUnavailable("this is a Wayland session without X11 (WAYLAND_DISPLAY is set, DISPLAY is not) and no Wayland backend fits (" +
		strings.Join(why, "; ") + "); start Cuecard on a desktop it supports or with XWayland available, or use search")
}
