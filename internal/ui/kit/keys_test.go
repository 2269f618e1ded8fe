package kit

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
)

// TestWindowKeys: Escape and Ctrl+W close a window whether nothing, a
// check, a button or an entry has the focus; Enter presses the default
// button unless a focused widget uses it.
func TestWindowKeys(t *testing.T) {
	test.NewTempApp(t)
	closed, def, pressed, submitted := 0, 0, 0, 0
	check := NewCheck("Step", nil)
	button := NewButton("Other", nil, func() { pressed++ })
	entry := NewEntry()
	submitEntry := NewEntry()
	submitEntry.OnSubmitted = func(string) { submitted++ }
	w := test.NewTempWindow(t, container.NewVBox(check, button, entry, submitEntry))
	BindKeys(w.Canvas(), Keys{Close: func() { closed++ }, Default: func() { def++ }})
	t.Cleanup(func() { UnbindKeys(w.Canvas()) })
	c := w.Canvas()
	key := func(name fyne.KeyName) {
		if f := c.Focused(); f != nil {
			f.TypedKey(&fyne.KeyEvent{Name: name})
		} else {
			c.OnTypedKey()(&fyne.KeyEvent{Name: name})
		}
	}
	ctrlW := &desktop.CustomShortcut{KeyName: fyne.KeyW, Modifier: fyne.KeyModifierShortcutDefault}

	key(fyne.KeyEscape)
	key(fyne.KeyReturn)
	if closed != 1 || def != 1 {
		t.Fatalf("nothing focused: closed %d default %d, want 1 1", closed, def)
	}
	c.Focus(check)
	key(fyne.KeyEscape)
	key(fyne.KeyReturn)
	check.TypedRune(' ')
	if closed != 2 || def != 2 || !check.Checked {
		t.Fatalf("check focused: closed %d default %d checked %v", closed, def, check.Checked)
	}
	c.Focus(button)
	key(fyne.KeyEscape)
	key(fyne.KeyReturn)
	if closed != 3 || def != 2 || pressed != 1 {
		t.Fatalf("button focused: closed %d default %d pressed %d (Enter presses the focused button)", closed, def, pressed)
	}
	c.Focus(entry)
	key(fyne.KeyEscape)
	key(fyne.KeyReturn)
	entry.TypedShortcut(ctrlW)
	if closed != 4+1 || def != 3 {
		t.Fatalf("entry focused: closed %d default %d", closed, def)
	}
	c.Focus(submitEntry)
	key(fyne.KeyReturn)
	if def != 3 || submitted != 1 {
		t.Fatalf("an entry with its own Enter: default %d submitted %d", def, submitted)
	}
	// Ctrl+W with no entry focused reaches the canvas's shortcut.
	c.Unfocus()
	sc, ok := c.(fyne.Shortcutable)
	if !ok {
		t.Skip("the test canvas takes no shortcuts")
	}
	sc.TypedShortcut(ctrlW)
	if closed != 6 {
		t.Fatalf("Ctrl+W: closed %d, want 6", closed)
	}
	// A window that was closed for good no longer answers.
	UnbindKeys(c)
	c.Focus(check)
	key(fyne.KeyEscape)
	if closed != 6 {
		t.Error("keys of an unbound window still run")
	}
}
