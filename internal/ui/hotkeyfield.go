package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/cuecard/cuecard/internal/ui/kit"
)

// HotkeyField captures a hotkey by pressing it: click it (or tab to it),
// press the combination and it shows it in the form the settings file
// and internal/hotkey read ("Ctrl+Alt+Space"). Esc cancels, Backspace (or
// Delete) alone clears it (settings take "" as the default); a key without Ctrl, Alt or Super is refused
// with a message in the field, which keeps listening.
type HotkeyField struct {
	widget.BaseWidget

	// OnChanged is called with the new text after a capture or a clear.
	OnChanged func(string)

	text      string
	capturing bool
	problem   string
	held      fyne.KeyModifier // modifier keys held down, from KeyDown/KeyUp

	bg    *canvas.Rectangle
	label *widget.Label
}

// NewHotkeyField shows text (a hotkey in canonical form, or "").
func NewHotkeyField(text string) *HotkeyField {
	f := &HotkeyField{text: text}
	f.ExtendBaseWidget(f)
	f.bg = canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	f.bg.CornerRadius = theme.Size(theme.SizeNameInputRadius)
	f.bg.StrokeWidth = theme.Size(theme.SizeNameInputBorder)
	f.label = widget.NewLabel("")
	f.label.Truncation = fyne.TextTruncateEllipsis
	f.update()
	return f
}

// Text is the hotkey shown, "" when none.
func (f *HotkeyField) Text() string { return f.text }

// SetText shows a hotkey (canonical form) and ends a capture.
func (f *HotkeyField) SetText(text string) {
	f.text, f.capturing, f.problem = text, false, ""
	f.update()
}

// Capturing reports whether the field waits for a combination.
func (f *HotkeyField) Capturing() bool { return f.capturing }

// Shown is the text the field shows now (the hotkey, a prompt or why a
// key was refused).
func (f *HotkeyField) Shown() string { return f.label.Text }

func (f *HotkeyField) update() {
	switch {
	case f.problem != "":
		f.label.SetText(f.problem)
	case f.capturing:
		f.label.SetText("Press the combination (Esc cancels, Backspace clears)")
	case f.text == "":
		f.label.SetText("The default (click to choose another)")
	default:
		f.label.SetText(f.text)
	}
	f.label.Importance = widget.MediumImportance
	if f.problem != "" {
		f.label.Importance = widget.DangerImportance
	}
	f.bg.StrokeColor = theme.Color(theme.ColorNameInputBorder)
	if f.capturing {
		f.bg.StrokeColor = theme.Color(theme.ColorNamePrimary)
	}
	f.label.Refresh()
	f.bg.Refresh()
}

// Tapped starts a capture.
func (f *HotkeyField) Tapped(*fyne.PointEvent) {
	if c := fyne.CurrentApp().Driver().CanvasForObject(f); c != nil {
		c.Focus(f)
	}
}

// Cursor is the text cursor, as over an entry.
func (f *HotkeyField) Cursor() desktop.Cursor { return desktop.TextCursor }

// FocusGained starts a capture.
func (f *HotkeyField) FocusGained() {
	f.capturing, f.problem, f.held = true, "", 0
	f.update()
}

// FocusLost ends a capture, keeping the hotkey shown before it.
func (f *HotkeyField) FocusLost() {
	f.capturing, f.problem = false, ""
	f.update()
}

// TypedRune does nothing: keys, not characters, make a hotkey.
func (f *HotkeyField) TypedRune(rune) {}

// KeyDown follows the modifiers held: fyne reports Shift with a key only
// through the key events of Shift itself.
func (f *HotkeyField) KeyDown(ev *fyne.KeyEvent) { f.held |= modifierOf(ev.Name) }

// KeyUp follows the modifiers let go.
func (f *HotkeyField) KeyUp(ev *fyne.KeyEvent) { f.held &^= modifierOf(ev.Name) }

// TypedKey is a key pressed without Ctrl, Alt or Super: Esc, Backspace or
// a key refused.
func (f *HotkeyField) TypedKey(ev *fyne.KeyEvent) { f.press(ev.Name, f.held&fyne.KeyModifierShift) }

// TypedShortcut is a key pressed with Ctrl, Alt or Super (fyne turns
// those into shortcuts, Ctrl+C into Copy and so on).
func (f *HotkeyField) TypedShortcut(s fyne.Shortcut) {
	if k, ok := s.(fyne.KeyboardShortcut); ok {
		f.press(k.Key(), k.Mod())
	}
}

func (f *HotkeyField) press(name fyne.KeyName, mods fyne.KeyModifier) {
	if !f.capturing && mods == 0 && kit.WindowKey(f, name, true) {
		return // not capturing: Escape and Enter are the window's
	}
	if !f.capturing || modifierOf(name) != 0 {
		return
	}
	const needed = fyne.KeyModifierControl | fyne.KeyModifierAlt | fyne.KeyModifierSuper
	if mods&needed == 0 {
		switch name {
		case fyne.KeyEscape:
			f.done()
			return
		case fyne.KeyBackspace, fyne.KeyDelete:
			f.text = ""
			f.done()
			return
		}
	}
	key, ok := hotkeyName(name)
	switch {
	case !ok:
		f.problem = "That key cannot be in a hotkey: try a letter, digit or F-key"
	case mods&needed == 0:
		f.problem = fmt.Sprintf("%s needs Ctrl, Alt or Super, e.g. Ctrl+Alt+%s", hotkeyText(mods, key), key)
	default:
		f.text = hotkeyText(mods, key)
		f.done()
		return
	}
	f.update()
}

// done ends the capture and gives the focus back to the window.
func (f *HotkeyField) done() {
	f.capturing, f.problem = false, ""
	f.update()
	if c := fyne.CurrentApp().Driver().CanvasForObject(f); c != nil && c.Focused() == f {
		c.Unfocus()
	}
	if f.OnChanged != nil {
		f.OnChanged(f.text)
	}
}

// CreateRenderer implements fyne.Widget.
func (f *HotkeyField) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewStack(f.bg, f.label))
}

// modifierOf is the modifier a modifier key sets, 0 for other keys.
func modifierOf(name fyne.KeyName) fyne.KeyModifier {
	switch name {
	case desktop.KeyShiftLeft, desktop.KeyShiftRight:
		return fyne.KeyModifierShift
	case desktop.KeyControlLeft, desktop.KeyControlRight:
		return fyne.KeyModifierControl
	case desktop.KeyAltLeft, desktop.KeyAltRight:
		return fyne.KeyModifierAlt
	case desktop.KeySuperLeft, desktop.KeySuperRight:
		return fyne.KeyModifierSuper
	}
	return 0
}

// hotkeyText is the canonical form internal/hotkey writes and parses:
// Ctrl, Alt, Shift, Super in that order, then the key.
func hotkeyText(mods fyne.KeyModifier, key string) string {
	var parts []string
	for _, m := range []struct {
		mod  fyne.KeyModifier
		name string
	}{{fyne.KeyModifierControl, "Ctrl"}, {fyne.KeyModifierAlt, "Alt"}, {fyne.KeyModifierShift, "Shift"}, {fyne.KeyModifierSuper, "Super"}} {
		if mods&m.mod != 0 {
			parts = append(parts, m.name)
		}
	}
	return strings.Join(append(parts, key), "+")
}

// hotkeyName is internal/hotkey's canonical name of a fyne key, false for
// keys that cannot be a hotkey (modifiers, Caps Lock, unknown keys).
func hotkeyName(name fyne.KeyName) (string, bool) {
	switch name {
	case fyne.KeyUnknown, desktop.KeyCapsLock:
		return "", false
	case fyne.KeyReturn, fyne.KeyEnter:
		return "Enter", true
	case fyne.KeyBackspace:
		return "Backspace", true
	case fyne.KeyPageUp:
		return "PageUp", true
	case fyne.KeyPageDown:
		return "PageDown", true
	case desktop.KeyPrintScreen:
		return "Print", true
	case fyne.KeyPlus:
		return "Plus", true
	}
	// Letters, digits, F1-F12, Space, Tab, Escape, Insert, Delete, Home,
	// End, the arrows, Menu and punctuation have the same name in both.
	return string(name), modifierOf(name) == 0
}
