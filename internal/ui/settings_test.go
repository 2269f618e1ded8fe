package ui

import (
	"errors"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/cuecard/cuecard/internal/coach"
	"github.com/cuecard/cuecard/internal/hotkey"
	"github.com/cuecard/cuecard/internal/ui/kit"
)

func TestSettingsSave(t *testing.T) {
	test.NewTempApp(t)
	s := NewSettings(SettingsValues{Library: "/srv/guides", LibraryInUse: "/srv/guides", Hotkey: "Ctrl+Alt+Space", GuidesHotkey: "Ctrl+Alt+G", Corner: "bottom-right", Suggestions: true,
		Exclude: []string{"^keepassxc$"}}, []string{"bottom-right", "top-left"})
	w := test.NewWindow(s)
	defer w.Close()
	var got SettingsValues
	s.OnSave = func(v SettingsValues) error {
		if v.Hotkey == "Ctrl+Alt+H" {
			return errors.New(`hotkey Ctrl+Alt+H is already used by another program`)
		}
		got = v
		return nil
	}
	press(w, s.hotkey, fyne.KeyH, fyne.KeyModifierControl|fyne.KeyModifierAlt)
	test.Tap(button(t, s.content, "Save"))
	if !strings.Contains(s.Message(), "already used") || got.Hotkey != "" {
		t.Fatalf("refused hotkey: message %q, saved %+v", s.Message(), got)
	}
	press(w, s.hotkey, fyne.KeyK, fyne.KeyModifierControl|fyne.KeyModifierAlt)
	press(w, s.guidesHotkey, fyne.KeyF1, fyne.KeyModifierSuper)
	s.corner.SetSelected("top-left")
	test.Tap(s.suggest)
	test.Tap(s.login)
	test.Tap(s.keep)
	test.Tap(s.recBlur)
	press(w, s.recHotkey, fyne.KeyR, fyne.KeyModifierControl|fyne.KeyModifierShift)
	s.recExclude.SetText("(?i)payroll\n")
	s.exclude.SetText("^keepassxc$\n\n  ^secret$  \n")
	test.Tap(button(t, s.content, "Save"))
	want := SettingsValues{Library: "/srv/guides", Hotkey: "Ctrl+Alt+K", Corner: "top-left", Suggestions: false, StartAtLogin: true}
	if got.Library != want.Library || got.Hotkey != want.Hotkey || got.GuidesHotkey != "Super+F1" || got.Corner != want.Corner || got.Suggestions || !got.StartAtLogin || !got.KeepPanel || !got.RecordBlur || got.RecordHotkey != "Ctrl+Shift+R" || strings.Join(got.RecordExclude, ",") != "(?i)payroll" ||
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

// press captures a combination in a hotkey field as the glfw driver
// delivers it: a click, the modifier keys down, then the key (a shortcut
// when Ctrl, Alt or Super is held, else a typed key), then the keys up.
func press(w fyne.Window, f *HotkeyField, key fyne.KeyName, mods fyne.KeyModifier) {
	test.Tap(f)
	var held []fyne.KeyName
	for m, k := range map[fyne.KeyModifier]fyne.KeyName{fyne.KeyModifierControl: desktop.KeyControlLeft, fyne.KeyModifierAlt: desktop.KeyAltLeft,
		fyne.KeyModifierShift: desktop.KeyShiftLeft, fyne.KeyModifierSuper: desktop.KeySuperLeft} {
		if mods&m != 0 {
			held = append(held, k)
		}
	}
	focused := w.Canvas().Focused()
	for _, k := range held {
		if kb, ok := focused.(desktop.Keyable); ok {
			kb.KeyDown(&fyne.KeyEvent{Name: k})
		}
	}
	if mods&^fyne.KeyModifierShift != 0 {
		if sc, ok := focused.(fyne.Shortcutable); ok {
			sc.TypedShortcut(&desktop.CustomShortcut{KeyName: key, Modifier: mods})
		}
	} else if focused != nil {
		focused.TypedKey(&fyne.KeyEvent{Name: key})
	}
	for _, k := range held {
		if kb, ok := w.Canvas().Focused().(desktop.Keyable); ok {
			kb.KeyUp(&fyne.KeyEvent{Name: k})
		}
	}
}

// The hotkey is captured by pressing it, in the text internal/hotkey
// parses back to the same key; Esc cancels, Backspace clears, and a key
// without Ctrl, Alt or Super is refused.
func TestHotkeyField(t *testing.T) {
	test.NewTempApp(t)
	f := NewHotkeyField("Ctrl+Alt+Space")
	w := test.NewWindow(container.NewVBox(f, widget.NewEntry()))
	defer w.Close()
	var changed []string
	f.OnChanged = func(s string) { changed = append(changed, s) }
	for _, c := range []struct {
		key  fyne.KeyName
		mods fyne.KeyModifier
		want string
	}{
		{fyne.KeySpace, fyne.KeyModifierControl | fyne.KeyModifierAlt, "Ctrl+Alt+Space"},
		{fyne.KeyG, fyne.KeyModifierAlt | fyne.KeyModifierControl, "Ctrl+Alt+G"},
		{fyne.KeyK, fyne.KeyModifierSuper | fyne.KeyModifierShift, "Shift+Super+K"},
		{fyne.KeyF12, fyne.KeyModifierControl, "Ctrl+F12"},
		{fyne.KeyPageDown, fyne.KeyModifierAlt, "Alt+PageDown"},
		{fyne.KeyReturn, fyne.KeyModifierControl, "Ctrl+Enter"},
		{fyne.KeyBackTick, fyne.KeyModifierControl | fyne.KeyModifierAlt, "Ctrl+Alt+`"},
		{fyne.KeyPlus, fyne.KeyModifierControl, "Ctrl+Plus"},
		{fyne.KeyBackspace, fyne.KeyModifierControl | fyne.KeyModifierAlt, "Ctrl+Alt+Backspace"},
		{fyne.KeyEscape, fyne.KeyModifierSuper, "Super+Escape"},
		{desktop.KeyPrintScreen, fyne.KeyModifierControl, "Ctrl+Print"},
	} {
		press(w, f, c.key, c.mods)
		if f.Text() != c.want || f.Shown() != c.want || f.Capturing() || w.Canvas().Focused() != nil {
			t.Errorf("%s with %d: text %q shown %q capturing %v", c.key, c.mods, f.Text(), f.Shown(), f.Capturing())
		}
		if k, err := hotkey.Parse(f.Text()); err != nil || k.String() != f.Text() {
			t.Errorf("%q is not what internal/hotkey reads: %v %q", f.Text(), err, k)
		}
	}
	if len(changed) != 11 || changed[1] != "Ctrl+Alt+G" {
		t.Errorf("OnChanged %q", changed)
	}
	// Ctrl+C arrives as fyne's Copy shortcut.
	test.Tap(f)
	f.TypedShortcut(&fyne.ShortcutCopy{})
	if f.Text() != "Ctrl+C" {
		t.Errorf("Ctrl+C: %q", f.Text())
	}

	// No modifier, or Shift only: refused, still listening, nothing changed.
	press(w, f, fyne.KeyG, 0)
	if f.Text() != "Ctrl+C" || !f.Capturing() || !strings.Contains(f.Shown(), "G needs Ctrl, Alt or Super, e.g. Ctrl+Alt+G") {
		t.Errorf("G: text %q shown %q capturing %v", f.Text(), f.Shown(), f.Capturing())
	}
	press(w, f, fyne.KeyG, fyne.KeyModifierShift)
	if f.Text() != "Ctrl+C" || !strings.Contains(f.Shown(), "Shift+G needs Ctrl, Alt or Super") {
		t.Errorf("Shift+G: text %q shown %q", f.Text(), f.Shown())
	}
	press(w, f, desktop.KeyCapsLock, fyne.KeyModifierControl)
	if f.Text() != "Ctrl+C" || !strings.Contains(f.Shown(), "cannot be in a hotkey") {
		t.Errorf("Ctrl+CapsLock: text %q shown %q", f.Text(), f.Shown())
	}
	// Esc cancels: the hotkey before stays.
	f.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if f.Text() != "Ctrl+C" || f.Shown() != "Ctrl+C" || f.Capturing() {
		t.Errorf("Esc: text %q shown %q capturing %v", f.Text(), f.Shown(), f.Capturing())
	}
	// Clicking elsewhere cancels too.
	test.Tap(f)
	w.Canvas().Focus(w.Content().(*fyne.Container).Objects[1].(*widget.Entry))
	if f.Capturing() || f.Shown() != "Ctrl+C" {
		t.Errorf("focus lost: shown %q capturing %v", f.Shown(), f.Capturing())
	}
	// Backspace clears.
	press(w, f, fyne.KeyBackspace, 0)
	if f.Text() != "" || f.Capturing() || !strings.Contains(f.Shown(), "The default") {
		t.Errorf("Backspace: text %q shown %q", f.Text(), f.Shown())
	}
}

// The library in use is shown even when the settings name none (the
// sample library), saying so; saving it unchanged keeps the default, and
// Browse... picks another folder.
func TestSettingsLibrary(t *testing.T) {
	test.NewTempApp(t)
	sample, team := t.TempDir(), t.TempDir()
	s := NewSettings(SettingsValues{LibraryInUse: sample, SampleLibrary: true, Corner: "bottom-right"}, []string{"bottom-right"})
	w := test.NewWindow(s)
	w.Resize(SettingsSize)
	defer w.Close()
	if s.library.Text != sample || !strings.Contains(s.libraryNote.Text, "sample library") {
		t.Fatalf("library shown %q, note %q", s.library.Text, s.libraryNote.Text)
	}
	if v := s.Values(); v.Library != "" {
		t.Errorf("the sample library unchanged is saved as %q, want the default", v.Library)
	}
	test.Tap(button(t, s.content, "Browse..."))
	if w.Canvas().Overlays().Top() == nil {
		t.Fatal("Browse... opened no folder dialog")
	}
	wantText(t, w.Canvas().Overlays().Top(), "Open") // the dialog's button
	test.Tap(button(t, w.Canvas().Overlays().Top(), "Cancel"))
	if w.Canvas().Overlays().Top() != nil || s.library.Text != sample {
		t.Errorf("a cancelled dialog changed the library to %q", s.library.Text)
	}
	dir, err := storage.ListerForURI(storage.NewFileURI(team))
	if err != nil {
		t.Fatal(err)
	}
	s.chooseFolder(dir)
	if s.library.Text != team || !strings.Contains(s.libraryNote.Text, "after saving") {
		t.Errorf("chosen: library %q, note %q", s.library.Text, s.libraryNote.Text)
	}
	if v := s.Values(); v.Library != team {
		t.Errorf("saved library %q, want %q", v.Library, team)
	}

	// A path wider than the field is shown whole, under it, while the
	// pointer is on the field.
	long := "/home/jana/Nextcloud/Company Shared/Customer Support/Team Guides/Escalations and Refunds/2026"
	s.library.SetText(long)
	if !s.library.cut() {
		t.Fatalf("%q fits in a field %v wide", long, s.library.Size().Width)
	}
	at := fyne.CurrentApp().Driver().AbsolutePositionForObject(s.library).AddXY(10, 10)
	test.MoveMouse(w.Canvas(), at)
	if !strings.HasPrefix(s.libraryNote.Text, long+"\n") {
		t.Errorf("hovered: note %q", s.libraryNote.Text)
	}
	test.MoveMouse(w.Canvas(), fyne.NewPos(1, SettingsSize.Height-5))
	if strings.Contains(s.libraryNote.Text, long) {
		t.Errorf("the pointer left: note %q", s.libraryNote.Text)
	}
	s.library.SetText(team)
	test.MoveMouse(w.Canvas(), at)
	if strings.Contains(s.libraryNote.Text, team) {
		t.Errorf("a path that fits is repeated: note %q", s.libraryNote.Text)
	}
	test.MoveMouse(w.Canvas(), fyne.NewPos(1, SettingsSize.Height-5))

	// A library the settings name is shown as it is written (a git source).
	git := NewSettings(SettingsValues{Library: "git+https://example.com/guides.git#main", LibraryInUse: sample}, nil)
	if git.library.Text != "git+https://example.com/guides.git#main" || git.Values().Library != "git+https://example.com/guides.git#main" ||
		!strings.Contains(git.libraryNote.Text, "In use") {
		t.Errorf("git library: %q, note %q", git.library.Text, git.libraryNote.Text)
	}
}

// Muted apps are listed, each with an Unmute button.
func TestSettingsMuted(t *testing.T) {
	test.NewTempApp(t)
	s := NewSettings(SettingsValues{Muted: []coach.App{{Key: "gimp", Name: "GIMP"}, {Key: "web:crm.example.com", Name: "Acme CRM"}}}, nil)
	w := test.NewWindow(s)
	defer w.Close()
	var unmuted []string
	s.OnUnmute = func(app string) error {
		if app == "gimp" && len(unmuted) == 0 {
			unmuted = append(unmuted, "refused")
			return errors.New("unmute gimp: state: the disk is full")
		}
		unmuted = append(unmuted, app)
		return nil
	}
	if got := strings.Join(s.MutedShown(), ","); got != "GIMP,Acme CRM" {
		t.Fatalf("muted shown %q", got)
	}
	test.Tap(button(t, s.muted, "Unmute"))
	if !strings.Contains(s.Message(), "disk is full") || len(s.MutedShown()) != 2 {
		t.Errorf("a failed unmute: message %q, shown %q", s.Message(), s.MutedShown())
	}
	test.Tap(button(t, s.muted, "Unmute"))
	if strings.Join(unmuted, ",") != "refused,gimp" || strings.Join(s.MutedShown(), ",") != "Acme CRM" || !strings.Contains(s.Message(), "GIMP is unmuted") {
		t.Errorf("unmuted %q, shown %q, message %q", unmuted, s.MutedShown(), s.Message())
	}
	test.Tap(button(t, s.muted, "Unmute"))
	if strings.Join(unmuted, ",") != "refused,gimp,web:crm.example.com" || len(s.MutedShown()) != 0 {
		t.Errorf("unmuted %q, shown %q", unmuted, s.MutedShown())
	}
	wantText(t, s.muted, "None.")
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

// TestSettingsKeys: Escape closes the settings window from any field (an
// entry, a check, a hotkey field that is not capturing) and Enter saves.
func TestSettingsKeys(t *testing.T) {
	test.NewTempApp(t)
	s := NewSettings(SettingsValues{Library: "/srv/guides", LibraryInUse: "/srv/guides", Hotkey: "Ctrl+Alt+Space", GuidesHotkey: "Ctrl+Alt+G",
		Corner: "bottom-right", Suggestions: true}, []string{"bottom-right"})
	w := test.NewTempWindow(t, s)
	saved, closed := 0, 0
	s.OnSave = func(SettingsValues) error { saved++; return nil }
	kit.BindKeys(w.Canvas(), kit.Keys{Close: func() { closed++ }, Default: s.Save})
	t.Cleanup(func() { kit.UnbindKeys(w.Canvas()) })
	for i, f := range []fyne.Focusable{s.identity, s.library, s.suggest, s.exclude} {
		w.Canvas().Focus(f)
		f.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
		if closed != i+1 {
			t.Fatalf("Escape in field %d: closed %d times", i, closed)
		}
	}
	w.Canvas().Focus(s.identity)
	s.identity.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if saved != 1 {
		t.Errorf("Enter in a field saved %d times", saved)
	}
	w.Canvas().Focus(s.exclude)
	s.exclude.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if saved != 1 {
		t.Error("Enter in a list of apps saved instead of adding a line")
	}
	// The hotkey field: Escape closes the window unless it is capturing.
	w.Canvas().Unfocus()
	s.hotkey.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if closed != 5 {
		t.Errorf("Escape on the hotkey field: closed %d times, want 5", closed)
	}
}
