package kit

import (
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// Keys are a window's keyboard actions: Close for Escape and Ctrl+W (Cmd+W
// on macOS), Default for Enter (the default button). Nil skips a key.
type Keys struct {
	Close   func()
	Default func()
}

var windowKeys sync.Map // fyne.Canvas -> Keys

// BindKeys gives a window's canvas its keys. Escape and Enter reach the
// canvas only while no widget has the focus; the widgets of this package
// that take the focus (Button, Check, Entry) pass Escape on (see WindowKey).
// Ctrl+W reaches the canvas unless an entry has the focus. Call UnbindKeys
// when the window is closed for good.
func BindKeys(c fyne.Canvas, k Keys) {
	windowKeys.Store(c, k)
	c.SetOnTypedKey(func(e *fyne.KeyEvent) { runKey(k, e.Name) })
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyW, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) {
		if k.Close != nil {
			k.Close()
		}
	})
}

// UnbindKeys forgets a canvas's keys.
func UnbindKeys(c fyne.Canvas) { windowKeys.Delete(c) }

func runKey(k Keys, name fyne.KeyName) bool {
	switch {
	case name == fyne.KeyEscape && k.Close != nil:
		k.Close()
	case (name == fyne.KeyReturn || name == fyne.KeyEnter) && k.Default != nil:
		k.Default()
	default:
		return false
	}
	return true
}

// WindowKey runs the window key of obj's window for a key a focused widget
// does not use itself (Escape; Enter when enter is true); it reports whether
// the window had an action for it.
func WindowKey(obj fyne.CanvasObject, name fyne.KeyName, enter bool) bool {
	if name != fyne.KeyEscape && !enter {
		return false
	}
	app := fyne.CurrentApp()
	if app == nil {
		return false
	}
	c := app.Driver().CanvasForObject(obj)
	if c == nil {
		return false
	}
	k, ok := windowKeys.Load(c)
	if !ok {
		return false
	}
	return runKey(k.(Keys), name)
}

// isClose reports whether s is Ctrl+W (Cmd+W on macOS).
func isClose(s fyne.Shortcut) bool {
	cs, ok := s.(*desktop.CustomShortcut)
	return ok && cs.KeyName == fyne.KeyW && cs.Modifier == fyne.KeyModifierShortcutDefault
}

// WindowShortcut runs the window's Close for Ctrl+W typed into a focused
// entry; it reports whether it did.
func WindowShortcut(obj fyne.CanvasObject, s fyne.Shortcut) bool {
	if !isClose(s) {
		return false
	}
	return WindowKey(obj, fyne.KeyEscape, false)
}

// Button is a widget.Button that passes Escape on to its window (Keys).
type Button struct{ widget.Button }

// NewButton returns a Button with an optional icon.
func NewButton(label string, icon fyne.Resource, tapped func()) *Button {
	b := &Button{}
	b.Text, b.Icon, b.OnTapped = label, icon, tapped
	b.ExtendBaseWidget(b)
	return b
}

// TypedKey presses the button on Space and Enter, and gives Escape to the
// window.
func (b *Button) TypedKey(e *fyne.KeyEvent) {
	if WindowKey(b, e.Name, false) {
		return
	}
	if (e.Name == fyne.KeyReturn || e.Name == fyne.KeyEnter) && !b.Disabled() && b.OnTapped != nil {
		b.OnTapped()
		return
	}
	b.Button.TypedKey(e)
}

// Check is a widget.Check that passes Escape and Enter on to its window.
type Check struct{ widget.Check }

// NewCheck returns a Check.
func NewCheck(label string, changed func(bool)) *Check {
	c := &Check{}
	c.Text, c.OnChanged = label, changed
	c.ExtendBaseWidget(c)
	return c
}

// TypedKey toggles on Space and gives Escape and Enter to the window.
func (c *Check) TypedKey(e *fyne.KeyEvent) {
	if WindowKey(c, e.Name, true) {
		return
	}
	c.Check.TypedKey(e)
}

// Entry is a widget.Entry that passes Escape and Ctrl+W on to its window
// (and Enter, when it is a single line without OnSubmitted).
type Entry struct{ widget.Entry }

// NewEntry returns a single-line Entry.
func NewEntry() *Entry {
	e := &Entry{}
	e.ExtendBaseWidget(e)
	return e
}

// NewMultiLineEntry returns a multi-line Entry (Enter adds a line).
func NewMultiLineEntry() *Entry {
	e := NewEntry()
	e.MultiLine = true
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip) // as widget.NewMultiLineEntry
	return e
}

// TypedKey gives Escape (and Enter, see Entry) to the window.
func (e *Entry) TypedKey(k *fyne.KeyEvent) {
	enter := !e.MultiLine && e.OnSubmitted == nil
	if WindowKey(e, k.Name, enter) {
		return
	}
	e.Entry.TypedKey(k)
}

// TypedShortcut gives Ctrl+W to the window.
func (e *Entry) TypedShortcut(s fyne.Shortcut) {
	if WindowShortcut(e, s) {
		return
	}
	e.Entry.TypedShortcut(s)
}
