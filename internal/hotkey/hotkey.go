// Package hotkey turns a global hotkey (Ctrl+Alt+Space by default) into a
// channel: each press of the key combination, whichever window has the
// focus, sends one value on Hotkey.Events.
//
//	k, err := hotkey.Parse("Ctrl+Alt+Space")  // from the settings
//	h, err := hotkey.Register(ctx, k, hotkey.Options{})
//	switch {
//	case errors.Is(err, hotkey.ErrTaken):       // another program holds it: say so, offer Settings
//	case errors.Is(err, hotkey.ErrUnavailable): // no X11 (Wayland, no display), macOS for now
//	}
//	defer h.Close()
//	for range h.Events() { showSearch() }
//
// # X11
//
// On Linux and the BSDs the package speaks X11 itself over one pure-Go
// connection (robotn/xgb) that it dials and guards as internal/focus does,
// so a dying X server cannot crash the process. The key's keysym is turned
// into keycodes through the server's keyboard mapping (GetKeyboardMapping),
// and the Alt, Super, NumLock and ScrollLock modifier bits come from its
// modifier mapping (Mod1, Mod4, Mod2 and none on usual keymaps), so nothing
// depends on one keyboard layout. A layout change (MappingNotify) grabs the
// key again where it now is.
//
// X delivers a passive key grab only for the exact modifier state, so a
// hotkey grabbed once would not fire while NumLock or CapsLock is on. The key
// is grabbed on the root window once for every combination of the lock
// modifiers (CapsLock, NumLock and, when the keymap gives it a modifier,
// ScrollLock): 4 grabs per keycode, or 8.
//
// Every grab is a checked request, so a key another program already holds
// (BadAccess) comes back as ErrTaken from Register, with the grabs that did
// succeed released, instead of the asynchronous X error that ends programs
// built on Xlib's default handler.
//
// Auto-repeat: a held key sends one event. X reports a repeat as a release
// and a press with the same server time, and that press is dropped.
//
// If the connection to the X server is lost, Status reports it, and the
// hotkey connects and grabs again (retrying with backoff) when a server
// answers on the display; Status reports that too, or that the key is now
// taken.
//
// # Wayland
//
// On a Wayland session (WAYLAND_DISPLAY set) the key is registered through
// the xdg-desktop-portal GlobalShortcuts interface when the desktop offers
// it (KDE Plasma does; GNOME Shell 43 does not): a session is created with
// the shortcut in CreateSession's options, which Plasma registers at once
// without a dialog; other desktops are asked with BindShortcuts when the
// shortcut is not bound after that. The portal's Activated signals for the
// shortcut are the presses. The desktop owns the key: the user may change
// it in the desktop's shortcut settings. If the portal leaves the bus or
// closes the session, Status reports it and the session is created again
// with backoff. Trigger gives the key in the portal's format.
//
// Without the portal, X11 grabs are used, which see only keys typed into
// X11 (XWayland) windows: Register fails with ErrUnavailable when there is
// no X display at all, and logs a warning when DISPLAY and WAYLAND_DISPLAY
// are both set. A desktop shortcut that runs `cuecard search --show` is
// the way there (see internal/desktop).
//
// # Windows
//
// The key is registered with RegisterHotKey (MOD_NOREPEAT: a held key sends
// one event) on an OS thread of its own whose message loop turns WM_HOTKEY
// into presses (internal/win32); Close unregisters it on that thread. A key
// another program, or this one, has registered (ERROR_HOTKEY_ALREADY_REGISTERED)
// is ErrTaken with the same message as on X11. Key names map to virtual-key
// codes; other characters are looked up in the keyboard layout (VkKeyScan).
// Lock keys do not matter on Windows. Status stays Active until Close.
//
// # Other systems
//
// macOS builds compile, and Register returns ErrUnavailable.
// (golang.design/x/hotkey is not used on Linux: it panics at program start
// without a display and crashes on a taken key.)
package hotkey

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"time"
)

var (
	// ErrUnavailable is wrapped by the errors of systems and sessions where
	// a global hotkey cannot work: no X display, Wayland without X11, an X
	// server that cannot be reached, Windows without an interactive desktop,
	// macOS (for now).
	ErrUnavailable = errors.New("global hotkeys are unavailable")
	// ErrTaken is wrapped by the error of a hotkey another program holds.
	// Its message names the key and says what to do: "Ctrl+Alt+Space is
	// already used by another program: choose another hotkey in Settings".
	ErrTaken = errors.New("the hotkey is already used by another program")
)

// kindError is an error whose message stands alone and that errors.Is
// matches to a sentinel (ErrUnavailable, ErrTaken).
type kindError struct {
	kind error
	msg  string
	err  error // the underlying cause, if any
}

func (e *kindError) Error() string        { return e.msg }
func (e *kindError) Is(target error) bool { return target == e.kind }
func (e *kindError) Unwrap() error        { return e.err }

func unavailable(msg string, cause error) error {
	return &kindError{kind: ErrUnavailable, msg: msg, err: cause}
}

// Options configure Register. The zero value is ready to use.
type Options struct {
	// Display is the X display; empty means $DISPLAY.
	Display string
	// Getenv reads the environment (DISPLAY, WAYLAND_DISPLAY, XAUTHORITY,
	// HOME); nil means os.Getenv.
	Getenv func(string) string
	// Logger receives logs; nil means slog.Default().
	Logger *slog.Logger
	// Retry is the first delay before connecting again to a lost X server
	// (or GlobalShortcuts portal); it doubles up to RetryMax. Zero means
	// 500 ms and 30 s.
	Retry, RetryMax time.Duration
	// ID names the hotkey's purpose ("search") for the GlobalShortcuts
	// portal, where the desktop lists the shortcut under it; Description
	// is the text the desktop shows ("Search Cuecard's guides"). Both are
	// optional.
	ID, Description string
}

func (o Options) withDefaults() Options {
	if o.Getenv == nil {
		o.Getenv = os.Getenv
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Retry <= 0 {
		o.Retry = 500 * time.Millisecond
	}
	if o.RetryMax <= 0 {
		o.RetryMax = 30 * time.Second
	}
	return o
}

// Status says whether a registered hotkey works.
type Status struct {
	// Active is true while the key is grabbed: presses reach Events.
	Active bool
	// Err says why not, when Active is false: an error wrapping
	// ErrUnavailable (the X connection was lost, or connecting again
	// failed) or ErrTaken (another program took the key while the
	// connection was down, or after a keyboard mapping change), or one
	// saying that the keyboard layout no longer has the key.
	Err error
}

// Register grabs k system-wide and returns the Hotkey that reports its
// presses. It fails with an error wrapping ErrTaken when another program
// holds the key, ErrUnavailable when global hotkeys cannot work in this
// session (the message says why), or a plain error for an invalid Key or
// one the keyboard layout lacks. ctx bounds the registration only, as with
// net.Dialer.DialContext: once registered, the key stays until Close.
func Register(ctx context.Context, k Key, o Options) (*Hotkey, error) {
	if _, err := k.keysym(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return register(ctx, k, o.withDefaults())
}

// Key is the registered key.
func (h *Hotkey) Key() Key { return h.key }

// Events receives a value for each press of the hotkey. Sends never block:
// presses while a value is still unread are merged into it. Events is closed
// by Close.
func (h *Hotkey) Events() <-chan struct{} { return h.events }

// Status receives the hotkey's state each time it changes, starting with
// Active true after Register. It holds only the latest state: an unread
// state is replaced by a newer one. It is closed with Events.
func (h *Hotkey) Status() <-chan Status { return h.status }

// Close releases the key (another program can grab it once Close returns)
// and closes Events and Status. It is safe to call more than once.
func (h *Hotkey) Close() error {
	h.stopOnce.Do(func() { close(h.stop) })
	<-h.done
	return nil
}
