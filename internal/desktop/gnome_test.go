package desktop

import (
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/cuecard/cuecard/internal/hotkey"
	"github.com/cuecard/cuecard/internal/ui"
)

// TestGnomeSetupOffers: the "Cuecard on GNOME" window offers the focus
// helper when the focus status says GNOME Shell runs without it, and the
// keyboard shortcut when the search hotkey is unavailable on a GNOME
// Wayland session; it is shown once, remembered across runs.
func TestGnomeSetupOffers(t *testing.T) {
	const noExt = "focus tracking unavailable: this is a Wayland session without X11 ... (GNOME Shell: GNOME Shell focus tracking: the Cuecard GNOME Shell extension is not running (no owner of io.github.cuecard.Focus): ...)"
	marker := filepath.Join(t.TempDir(), "data", "gnome-setup-notice")
	env := map[string]string{"WAYLAND_DISPLAY": "wayland-0", "XDG_CURRENT_DESKTOP": "GNOME"}
	var shown, inSettings []ui.GnomeSetupInfo
	var added []hotkey.Key
	installs := 0
	newSetup := func() *gnomeSetup {
		return &gnomeSetup{getenv: func(k string) string { return env[k] }, marker: marker,
			show:        func(i ui.GnomeSetupInfo) { shown = append(shown, i) },
			settings:    func(i ui.GnomeSetupInfo) { inSettings = append(inSettings, i) },
			install:     func() (string, error) { installs++; return "log out and back in", nil },
			addShortcut: func(k hotkey.Key) (string, error) { added = append(added, k); return "added", nil },
			debug:       func(string, ...any) {}}
	}
	unavailable := fmt.Errorf("register: %w", hotkey.ErrUnavailable)

	g := newSetup()
	g.hotkey(hotkey.Default, unavailable, false)
	if i := g.offers("tracking the focused window through GNOME Shell (Cuecard's extension)"); i.InstallExtension != nil || i.AddShortcut == nil || i.Hotkey != "Ctrl+Alt+Space" {
		t.Errorf("extension running, hotkey unavailable: %+v", i)
	}
	env["XDG_CURRENT_DESKTOP"] = "KDE"
	if i := g.offers(noExt); i.InstallExtension == nil || i.AddShortcut != nil {
		t.Errorf("not GNOME: the shortcut is offered: %+v", i)
	}
	env["XDG_CURRENT_DESKTOP"] = "ubuntu:GNOME"
	g.hotkey(hotkey.Default, fmt.Errorf("x: %w", hotkey.ErrTaken), false)
	if i := g.offers(noExt); i.AddShortcut != nil {
		t.Error("a taken hotkey: the shortcut is offered")
	}
	g.hotkey(hotkey.Default, nil, true)
	if i := g.offers("tracking the focused window through GNOME Shell (Cuecard's extension)"); i.AddShortcut == nil {
		t.Error("an X11 grab on GNOME Wayland: the shortcut is not offered")
	}
	g.hotkey(hotkey.Default, nil, false)
	if i := g.offers("tracking the focused window through KWin"); i.InstallExtension != nil || i.AddShortcut != nil {
		t.Errorf("nothing to offer: %+v", i)
	}

	// Nothing to offer: no window, and nothing remembered.
	g.focusStatus("tracking the focused window through KWin")
	if len(shown) != 0 {
		t.Fatal("shown with nothing to offer")
	}
	// The first status of a run decides; later ones do not.
	g = newSetup()
	g.hotkey(hotkey.Default, unavailable, false)
	g.focusStatus(noExt)
	g.focusStatus(noExt)
	if len(shown) != 1 || shown[0].InstallExtension == nil || shown[0].AddShortcut == nil {
		t.Fatalf("shown %d times: %+v", len(shown), shown)
	}
	if installs != 0 || len(added) != 0 {
		t.Fatal("acted without consent")
	}
	if _, err := shown[0].AddShortcut(); err != nil || len(added) != 1 || added[0] != hotkey.Default {
		t.Errorf("AddShortcut: %v, %v", err, added)
	}
	// The next run: shown before, not again.
	g = newSetup()
	g.hotkey(hotkey.Default, unavailable, false)
	g.focusStatus(noExt)
	if len(shown) != 1 {
		t.Error("shown again in the next run")
	}
	if len(inSettings) != 2 || inSettings[1].InstallExtension == nil {
		t.Errorf("Settings offers it in each run: %d", len(inSettings))
	}
	if !errors.Is(unavailable, hotkey.ErrUnavailable) {
		t.Fatal("test error does not wrap ErrUnavailable")
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"/usr/bin/cuecard":           "/usr/bin/cuecard",
		"/home/a b/cuecard":          "'/home/a b/cuecard'",
		"/home/it's/cuecard":         `'/home/it'\''s/cuecard'`,
		"/opt/cuecard-1.2+x/cuecard": "/opt/cuecard-1.2+x/cuecard",
	} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}
