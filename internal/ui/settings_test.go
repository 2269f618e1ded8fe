package ui

import (
	"errors"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
)

func TestSettingsSave(t *testing.T) {
	test.NewTempApp(t)
	s := NewSettings(SettingsValues{Library: "/srv/guides", Hotkey: "Ctrl+Alt+Space", Corner: "bottom-right", Suggestions: true,
		Exclude: []string{"^keepassxc$"}}, []string{"bottom-right", "top-left"})
	w := test.NewWindow(s)
	defer w.Close()
	var got SettingsValues
	s.OnSave = func(v SettingsValues) error {
		if v.Hotkey == "Ctrl+Alt+Spcae" {
			return errors.New(`unknown key "Spcae": did you mean Space?`)
		}
		got = v
		return nil
	}
	s.hotkey.SetText("Ctrl+Alt+Spcae")
	test.Tap(button(t, s.content, "Save"))
	if !strings.Contains(s.Message(), "did you mean Space") || got.Hotkey != "" {
		t.Fatalf("invalid hotkey: message %q, saved %+v", s.Message(), got)
	}
	s.hotkey.SetText("Ctrl+Alt+G")
	s.corner.SetSelected("top-left")
	test.Tap(s.suggest)
	test.Tap(s.login)
	test.Tap(s.keep)
	test.Tap(s.recBlur)
	s.recHotkey.SetText("Ctrl+Shift+R")
	s.recExclude.SetText("(?i)payroll\n")
	s.exclude.SetText("^keepassxc$\n\n  ^secret$  \n")
	test.Tap(button(t, s.content, "Save"))
	want := SettingsValues{Library: "/srv/guides", Hotkey: "Ctrl+Alt+G", Corner: "top-left", Suggestions: false, StartAtLogin: true}
	if got.Library != want.Library || got.Hotkey != want.Hotkey || got.Corner != want.Corner || got.Suggestions || !got.StartAtLogin || !got.KeepPanel || !got.RecordBlur || got.RecordHotkey != "Ctrl+Shift+R" || strings.Join(got.RecordExclude, ",") != "(?i)payroll" ||
		strings.Join(got.Exclude, ",") != "^keepassxc$,^secret$" {
		t.Errorf("saved %+v", got)
	}
	if !strings.HasPrefix(s.Message(), "Saved.") {
		t.Errorf("message %q", s.Message())
	}
	closed := false
	s.OnClose = func() { closed = true }
	test.Tap(button(t, s.content, "Cancel"))
	if !closed {
		t.Error("Cancel did not close")
	}
}

// Sharing is off by default; the search-text box is a second opt-in that
// can only be on with the first.
func TestSettingsSharing(t *testing.T) {
	test.NewTempApp(t)
	s := NewSettings(SettingsValues{Corner: "bottom-right"}, []string{"bottom-right"})
	w := test.NewWindow(s)
	defer w.Close()
	var got SettingsValues
	s.OnSave = func(v SettingsValues) error { got = v; return nil }
	if s.share.Checked || s.searches.Checked || !s.searches.Disabled() {
		t.Fatalf("defaults: share %v searches %v (disabled %v)", s.share.Checked, s.searches.Checked, s.searches.Disabled())
	}
	test.Tap(s.searches) // disabled: no effect
	if s.searches.Checked {
		t.Error("the search-text box was ticked without sharing")
	}
	test.Tap(s.share)
	test.Tap(s.searches)
	s.identity.SetText("  kim@example.com ")
	test.Tap(button(t, s.content, "Save"))
	if !got.ShareUsage || !got.ShareSearches || got.Identity != "kim@example.com" {
		t.Errorf("saved %+v", got)
	}
	test.Tap(s.share) // turning sharing off turns the second box off too
	if s.searches.Checked || !s.searches.Disabled() {
		t.Error("the search-text box stays on without sharing")
	}
	test.Tap(button(t, s.content, "Save"))
	if got.ShareUsage || got.ShareSearches {
		t.Errorf("saved %+v", got)
	}
	// A file with share_searches but not share_usage shows both off.
	s2 := NewSettings(SettingsValues{ShareSearches: true}, nil)
	if s2.Values().ShareSearches {
		t.Error("search texts shared without sharing usage")
	}
}
