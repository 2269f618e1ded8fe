package capture

import "testing"

// TestKeyboard: Enter is a step only when pressed with no modifier held
// after typing; a shortcut types nothing; a reset forgets the typing.
func TestKeyboard(t *testing.T) {
	const shift, ctrl, a, enter = 1, 2, 3, 4
	kb := newKeyboard[int]()
	press := func(k int) bool { return kb.press(k, k == shift || k == ctrl, k == enter, k == a) }
	if press(enter) {
		t.Error("Enter with nothing typed is a step")
	}
	press(a)
	if !press(enter) {
		t.Error("Enter after typing is not a step")
	}
	if press(enter) {
		t.Error("a second Enter is a step: the typing was not forgotten")
	}
	press(ctrl)
	press(a) // Ctrl+A selects, it types nothing
	kb.release(ctrl)
	if press(enter) {
		t.Error("Enter after Ctrl+A is a step")
	}
	press(shift)
	press(a) // Shift+A types, but Shift+Enter is not Enter
	if press(enter) {
		t.Error("Enter with Shift held is a step")
	}
	kb.release(shift)
	press(a)
	kb.reset()
	if press(enter) {
		t.Error("Enter after a reset (a click, a pause) is a step")
	}
}
