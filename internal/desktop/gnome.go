package desktop

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/cuecard/cuecard/internal/focus"
	"github.com/cuecard/cuecard/internal/hotkey"
	"github.com/cuecard/cuecard/internal/paths"
	"github.com/cuecard/cuecard/internal/ui"
)

// installGnomeExtension installs the GNOME focus helper
// (focus.InstallGnomeExtension, Linux only); nil elsewhere.
var installGnomeExtension func() (string, error)

// gnomeSetup decides, at the first focus status of a run, whether to open
// the "Cuecard on GNOME" window: GNOME Shell runs without Cuecard's
// extension, or the search hotkey on a GNOME Wayland session is not
// registered through the GlobalShortcuts portal (GNOME 43 has none): it
// could not be registered, or it is an X11 grab that sees keys only in
// XWayland windows. The window is
// shown once: a marker in the data folder remembers it.
type gnomeSetup struct {
	getenv func(string) string
	marker string
	// show opens the window, settings makes Settings offer it (each on
	// the UI goroutine); nil: no UI.
	show, settings func(ui.GnomeSetupInfo)
	install        func() (string, error)
	// addShortcut adds the GNOME keyboard shortcut for k.
	addShortcut func(k hotkey.Key) (string, error)
	debug       func(msg string, args ...any)

	mu     sync.Mutex
	key    hotkey.Key
	keyErr error // why the search hotkey is not registered
	x11    bool  // the search hotkey is an X11 grab
	asked  bool
}

func newGnomeSetup(debug func(string, ...any)) *gnomeSetup {
	return &gnomeSetup{getenv: os.Getenv, marker: filepath.Join(paths.Data(), "gnome-setup-notice"), install: installGnomeExtension,
		addShortcut: addGnomeShortcut, debug: debug}
}

// hotkey records the search hotkey, and why it could not be registered
// or whether it is an X11 grab (on Wayland, it then fires only while an
// XWayland window has the focus).
func (g *gnomeSetup) hotkey(k hotkey.Key, err error, x11 bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.key, g.keyErr, g.x11 = k, err, x11
}

// offers is what the window would offer for a focus status.
func (g *gnomeSetup) offers(status string) ui.GnomeSetupInfo {
	g.mu.Lock()
	key, keyErr, x11 := g.key, g.keyErr, g.x11
	g.mu.Unlock()
	var info ui.GnomeSetupInfo
	if focus.NeedsGnomeExtension(status) && g.install != nil {
		info.InstallExtension = g.install
	}
	weak := (keyErr != nil && errors.Is(keyErr, hotkey.ErrUnavailable)) || (keyErr == nil && x11)
	if weak && g.getenv("WAYLAND_DISPLAY") != "" && ui.IsGnome(g.getenv) {
		info.Hotkey = key.String()
		info.AddShortcut = func() (string, error) { return g.addShortcut(key) }
	}
	return info
}

// focusStatus looks at the first focus status of the run and opens the
// window when there is something to offer and it was not shown before.
func (g *gnomeSetup) focusStatus(status string) {
	g.mu.Lock()
	if g.asked {
		g.mu.Unlock()
		return
	}
	g.asked = true
	g.mu.Unlock()
	info := g.offers(status)
	if info.InstallExtension == nil && info.AddShortcut == nil {
		return
	}
	if g.settings != nil {
		g.settings(info)
	}
	if _, err := os.Stat(g.marker); err == nil {
		g.debug("the 'Cuecard on GNOME' window was shown before", "marker", g.marker)
		return
	}
	err := os.MkdirAll(filepath.Dir(g.marker), 0o700)
	if err == nil {
		err = os.WriteFile(g.marker, []byte("the 'Cuecard on GNOME' window was shown\n"), 0o600)
	}
	if err != nil {
		g.debug("gnome setup marker", "err", err)
	}
	if g.show != nil {
		g.show(info)
	}
}

// addGnomeShortcut adds a GNOME keyboard shortcut that runs this program's
// `search --show` on k.
func addGnomeShortcut(k hotkey.Key) (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("find the cuecard program: %w", err)
	}
	cmd := shellQuote(exe) + " search --show"
	if _, err := (hotkey.GnomeShortcut{Name: "Cuecard search", Command: cmd, Key: k}).Add(); err != nil {
		return "", err
	}
	return "Added the keyboard shortcut " + k.String() + " to GNOME's settings (Settings > Keyboard > Custom Shortcuts): it opens Cuecard's search now.", nil
}

// shellQuote quotes s for the command line GNOME parses (as a shell does)
// when it holds anything but plain path characters.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// The shell opens the window (the app asserts it at run time, so that
// test shells need not).
var _ gnomeShell = (*ui.Shell)(nil)

type gnomeShell interface {
	ShowGnomeSetup(ui.GnomeSetupInfo)
	SetGnomeSetup(ui.GnomeSetupInfo)
}

// viaX11 reports whether h is an X11 grab (not through the portal).
func viaX11(h Hotkey) bool {
	p, ok := h.(interface{ ThroughPortal() bool })
	return ok && !p.ThroughPortal()
}
