package ui

import (
	"errors"
	"testing"

	"fyne.io/fyne/v2/test"
)

func TestIsGnome(t *testing.T) {
	for v, want := range map[string]bool{"GNOME": true, "ubuntu:GNOME": true, "gnome": true, "KDE": false, "": false, "GNOME-Flashback:Unity": false} {
		if got := IsGnome(func(string) string { return v }); got != want {
			t.Errorf("IsGnome(%q) = %v", v, got)
		}
	}
}

// TestGnomeSetup: each offer acts only when its button is pressed, says how
// it went (the login needed), and a failure is said and can be retried.
func TestGnomeSetup(t *testing.T) {
	newApp(t)
	installs, adds := 0, 0
	fail := true
	closed := false
	g := NewGnomeSetup(GnomeSetupInfo{
		InstallExtension: func() (string, error) {
			installs++
			if fail {
				return "", errors.New("gnome-shell --version: not found")
			}
			return "Installed. GNOME Shell loads new extensions at login: log out and back in.", nil
		},
		Hotkey:      "Ctrl+Alt+Space",
		AddShortcut: func() (string, error) { adds++; return "Added the shortcut Ctrl+Alt+Space.", nil },
		OnClose:     func() { closed = true },
	})
	w := show(t, g, GnomeSetupSize)
	wantText(t, w.Content(), "The GNOME focus helper", "log out and back in", "Ctrl+Alt+Space", "cuecard search --show")
	if installs != 0 || adds != 0 {
		t.Fatal("an offer acted without consent")
	}
	test.Tap(button(t, w.Content(), "Install the GNOME focus helper"))
	if installs != 1 || g.Install.Disabled() {
		t.Fatalf("a failed install: %d calls, disabled %v", installs, g.Install.Disabled())
	}
	wantText(t, w.Content(), "was not installed: gnome-shell --version: not found")
	fail = false
	test.Tap(button(t, w.Content(), "Install the GNOME focus helper"))
	if installs != 2 || !g.Install.Disabled() {
		t.Fatalf("install: %d calls, disabled %v", installs, g.Install.Disabled())
	}
	wantText(t, w.Content(), "Installed. GNOME Shell loads new extensions at login: log out and back in.")
	test.Tap(button(t, w.Content(), "Add the keyboard shortcut"))
	if adds != 1 || !g.Shortcut.Disabled() {
		t.Fatalf("shortcut: %d calls", adds)
	}
	wantText(t, w.Content(), "Added the shortcut Ctrl+Alt+Space.")
	test.Tap(button(t, w.Content(), "Close"))
	if !closed {
		t.Error("Close did not close")
	}

	// Only the extension offered: no shortcut section.
	only := NewGnomeSetup(GnomeSetupInfo{InstallExtension: func() (string, error) { return "", nil }})
	w2 := show(t, only, GnomeSetupSize)
	wantNoText(t, w2.Content(), "cuecard search --show")
	if findButton(w2.Content(), "Add the keyboard shortcut") != nil {
		t.Error("a shortcut button without the offer")
	}
}

// TestNoTrayGnome: on GNOME the no-tray notice names the AppIndicator
// extension; elsewhere it does not.
func TestNoTrayGnome(t *testing.T) {
	newApp(t)
	w := show(t, NewNoTray(NoTrayInfo{Hotkey: "Ctrl+Alt+Space", Gnome: true}), NoTraySize)
	wantText(t, w.Content(), "AppIndicator and KStatusNotifierItem Support", "gnome-shell-extension-appindicator", "shown once")
	w2 := show(t, NewNoTray(NoTrayInfo{Hotkey: "Ctrl+Alt+Space"}), NoTraySize)
	wantNoText(t, w2.Content(), "AppIndicator")
}

// TestGnomeSettingsBar: Settings offers the window once the app has set
// what to offer, and shows nothing otherwise.
func TestGnomeSettingsBar(t *testing.T) {
	newApp(t)
	s := &Shell{}
	if s.gnomeBar() != nil {
		t.Fatal("a GNOME line in Settings with nothing to offer")
	}
	s.SetGnomeSetup(GnomeSetupInfo{InstallExtension: func() (string, error) { return "", nil }})
	w := show(t, s.gnomeBar(), GnomeSetupSize)
	button(t, w.Content(), "Cuecard on GNOME...")
}
