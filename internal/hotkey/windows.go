//go:build windows

package hotkey

import (
	"context"
	"errors"
	"fmt"

	"golang.org/x/sys/windows"

	"github.com/cuecard/cuecard/internal/win32"
)

// hotkeyID is the id of the one hotkey each Hotkey's thread registers.
const hotkeyID = 1

// register registers k with RegisterHotKey on an OS thread of its own (see
// internal/win32), whose message loop turns WM_HOTKEY into presses; Close
// unregisters it on that thread and ends the loop. MOD_NOREPEAT makes a held
// key one press. Lock keys (CapsLock, NumLock) do not matter on Windows.
func register(_ context.Context, k Key, o Options) (*Hotkey, error) {
	h := newHotkey(k, o)
	th, err := win32.Start(func(uint32) error {
		mods, vk, err := virtualKey(k, win32.VkKeyScan)
		if err != nil {
			return err
		}
		err = win32.RegisterHotKey(hotkeyID, mods|win32.MOD_NOREPEAT, vk)
		if errors.Is(err, windows.ERROR_HOTKEY_ALREADY_REGISTERED) {
			o.Logger.Info("hotkey: taken by another program", "key", k.String(), "vk", fmt.Sprintf("%#x", vk), "modifiers", fmt.Sprintf("%#x", mods))
			return taken(k, err)
		}
		if err != nil { // no interactive desktop, for one
			return unavailable(fmt.Sprintf("cannot register the hotkey %s: %v", k, err), err)
		}
		o.Logger.Debug("hotkey: registered", "key", k.String(), "vk", fmt.Sprintf("%#x", vk), "modifiers", fmt.Sprintf("%#x", mods))
		return nil
	}, func(m *win32.Msg) {
		if m.Message == win32.WM_HOTKEY && m.WParam == hotkeyID {
			o.Logger.Debug("hotkey: pressed", "key", k.String())
			h.press()
		}
	}, func() {
		if err := win32.UnregisterHotKey(hotkeyID); err != nil {
			o.Logger.Warn("hotkey: release", "key", k.String(), "err", err)
		}
	})
	if err != nil {
		return nil, err
	}
	h.setStatus(Status{Active: true})
	go func() {
		<-h.stop
		th.Stop()
		h.finish()
	}()
	return h, nil
}

// virtualKeys are the Windows virtual-key codes of the named keys.
var virtualKeys = map[string]uint32{
	"Space": 0x20, "Enter": 0x0d, "Tab": 0x09, "Escape": 0x1b, "Backspace": 0x08,
	"Delete": 0x2e, "Insert": 0x2d, "Home": 0x24, "End": 0x23, "PageUp": 0x21, "PageDown": 0x22,
	"Left": 0x25, "Up": 0x26, "Right": 0x27, "Down": 0x28,
	"Print": 0x2c, "Pause": 0x13, "Menu": 0x5d,
}

// virtualKey is the RegisterHotKey modifiers and virtual-key code of k.
// Named keys, F1 to F24, A to Z and 0 to 9 have fixed codes; any other
// character is looked up in the keyboard layout (scan: VkKeyScan), and one
// the layout types only with Shift (or AltGr, Ctrl+Alt on Windows) is
// registered with it, as on X11.
func virtualKey(k Key, scan func(uint16) (vk, shift uint8, ok bool)) (mods, vk uint32, err error) {
	for _, m := range []struct {
		mod Modifier
		win uint32
	}{{Ctrl, win32.MOD_CONTROL}, {Alt, win32.MOD_ALT}, {Shift, win32.MOD_SHIFT}, {Super, win32.MOD_WIN}} {
		if k.Mods&m.mod != 0 {
			mods |= m.win
		}
	}
	if v, ok := virtualKeys[k.Name]; ok {
		return mods, v, nil
	}
	if n, ok := functionKey(k.Name); ok {
		return mods, 0x70 + uint32(n-1), nil
	}
	// A character key: lookupKey gives the keysym of the character the key
	// types without Shift (a letter's small letter).
	info, ok := lookupKey(k.Name)
	if !ok {
		return 0, 0, fmt.Errorf("%s: %q is not a key name", k, k.Name)
	}
	c := rune(info.sym &^ 0x01000000)
	switch {
	case 'a' <= c && c <= 'z':
		return mods, uint32(c - 'a' + 'A'), nil
	case '0' <= c && c <= '9':
		return mods, uint32(c), nil
	}
	var code, shift uint8
	ok = false
	if c <= 0xffff {
		code, shift, ok = scan(uint16(c))
	}
	if !ok {
		return 0, 0, fmt.Errorf("%s: no key of the keyboard layout types %q: choose another hotkey in Settings", k, k.Name)
	}
	if shift&1 != 0 {
		mods |= win32.MOD_SHIFT
	}
	if shift&2 != 0 {
		mods |= win32.MOD_CONTROL
	}
	if shift&4 != 0 {
		mods |= win32.MOD_ALT
	}
	return mods, uint32(code), nil
}
