package desktop

import (
	"os"
	"strings"
	"testing"

	"github.com/cuecard/cuecard/internal/config"
	"github.com/cuecard/cuecard/internal/paths"
	"github.com/cuecard/cuecard/internal/ui"
)

func TestSaveSettings(t *testing.T) {
	t.Setenv("CUECARD_CONFIG", t.TempDir())
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	lib := t.TempDir()
	m := New(Deps{})
	v := m.settingsValues()
	if v.Hotkey != "Ctrl+Alt+Space" || v.GuidesHotkey != "Ctrl+Alt+G" || v.Corner != "bottom-right" || !v.Suggestions || v.StartAtLogin || v.RecordHotkey != "Ctrl+Alt+R" {
		t.Fatalf("defaults %+v", v)
	}
	for _, bad := range []ui.SettingsValues{
		{Hotkey: "Ctrl+Alt+Spcae", Corner: "bottom-right"},
		{Corner: "middle"},
		{Corner: "top-left", Exclude: []string{"("}},
		{Corner: "top-left", Library: "/no/such/folder"},
		{Corner: "top-left", RecordHotkey: "Ctrl+Alt+Nope"},
		{Corner: "top-left", RecordExclude: []string{"[unclosed"}},
		{Corner: "top-left", GuidesHotkey: "G"},
		{Corner: "top-left", GuidesHotkey: "Ctrl+Alt+Space"},                   // the search hotkey
		{Corner: "top-left", Hotkey: "Ctrl+Alt+G"},                             // the default guides hotkey
		{Corner: "top-left", GuidesHotkey: "Super+G", RecordHotkey: "Super+G"}, // twice
		{Corner: "top-left", Hotkey: "Ctrl+Alt+K", GuidesHotkey: "Alt+Ctrl+K"}, // the same key written otherwise
	} {
		if err := m.saveSettings(bad); err == nil {
			t.Errorf("saved bad settings %+v", bad)
		}
	}
	if err := checkSettings(ui.SettingsValues{Corner: "top-left", GuidesHotkey: "G"}); err == nil || !strings.Contains(err.Error(), "show this app's guides") || !strings.Contains(err.Error(), "modifier") {
		t.Errorf("a guides hotkey without modifier: %v", err)
	}
	good := ui.SettingsValues{Library: lib, Hotkey: "Ctrl+Alt+J", GuidesHotkey: "Super+G", Corner: "top-left", Suggestions: false, KeepPanel: true, StartAtLogin: true, Exclude: []string{"^secret$"},
		RecordHotkey: "Ctrl+Shift+R", RecordBlur: true, RecordExclude: []string{"(?i)payroll"}}
	if err := m.saveSettings(good); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(config.File())
	if err != nil || cfg.Library != lib || cfg.Hotkey != "Ctrl+Alt+J" || cfg.GuidesHotkey != "Super+G" || cfg.Corner != "top-left" || !cfg.NoSuggestions || !cfg.KeepPanel || cfg.Exclude[0] != "^secret$" ||
		cfg.RecordHotkey != "Ctrl+Shift+R" || !cfg.RecordBlur || len(cfg.RecordExclude) != 1 || cfg.RecordExclude[0] != "(?i)payroll" {
		t.Fatalf("saved %+v %v", cfg, err)
	}
	entry, err := os.ReadFile(paths.Autostart())
	if err != nil || !strings.Contains(string(entry), "[Desktop Entry]") || !strings.Contains(string(entry), "\" app\n") {
		t.Fatalf("autostart entry: %v\n%s", err, entry)
	}
	if v := New(Deps{Config: cfg}).settingsValues(); !v.StartAtLogin || v.Corner != "top-left" || v.GuidesHotkey != "Super+G" {
		t.Errorf("read back %+v", v)
	}
	good.StartAtLogin = false
	if err := m.saveSettings(good); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(paths.Autostart()); !os.IsNotExist(err) {
		t.Errorf("autostart entry not removed: %v", err)
	}
}

// Settings shows the library in use, saying when it is the sample library
// (the settings then name none).
func TestSettingsLibraryInUse(t *testing.T) {
	t.Setenv("CUECARD_DATA", t.TempDir())
	t.Setenv("CUECARD_CONFIG", t.TempDir())
	if v := New(Deps{Root: paths.SampleLibrary()}).settingsValues(); v.Library != "" || v.LibraryInUse != paths.SampleLibrary() || !v.SampleLibrary {
		t.Errorf("sample library: %+v", v)
	}
	team := t.TempDir()
	if v := New(Deps{Root: team, Config: config.Config{Library: team}}).settingsValues(); v.Library != team || v.LibraryInUse != team || v.SampleLibrary {
		t.Errorf("a team library: %+v", v)
	}
}
