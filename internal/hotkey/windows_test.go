//go:build windows

package hotkey

import (
	"bufio"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/win32"
	"github.com/cuecard/cuecard/internal/win32/wintest"
)

const (
	vkControl = 0x11
	vkMenu    = 0x12 // Alt
	vkSpace   = 0x20
)

// TestWindowsHotkey registers Ctrl+Alt+Space, presses it with SendInput
// while Notepad has the focus (under Wine, WM_HOTKEY comes only while a
// Wine window has the X focus), and checks that a second registration of
// the key is refused as on X11 and that Close frees it.
func TestWindowsHotkey(t *testing.T) {
	wintest.RequireDesktop(t)
	np := wintest.Start(t, "notepad.exe")
	wintest.Focus(t, np.Window(t))

	h, err := Register(context.Background(), Default, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	if s := <-h.Status(); !s.Active {
		t.Fatalf("status %+v", s)
	}

	_, err = Register(context.Background(), Default, Options{})
	if !errors.Is(err, ErrTaken) || errors.Is(err, ErrUnavailable) {
		t.Fatalf("second Register: %v, want ErrTaken", err)
	}
	if want := "Ctrl+Alt+Space is already used by another program: choose another hotkey in Settings"; err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}

	for i := range 3 {
		t0 := time.Now()
		if err := win32.SendKeys(vkControl, vkMenu, vkSpace); err != nil {
			t.Fatal(err)
		}
		select {
		case <-h.Events():
			t.Logf("press %d: event after %s", i, time.Since(t0).Round(time.Microsecond))
		case <-time.After(5 * time.Second):
			t.Fatalf("press %d: no event within 5 s", i)
		}
	}
	if err := win32.SendKeys(vkControl, vkSpace); err != nil {
		t.Fatal(err)
	}
	select {
	case <-h.Events():
		t.Error("Ctrl+Space fired Ctrl+Alt+Space")
	case <-time.After(300 * time.Millisecond):
	}

	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
	if _, open := <-h.Events(); open {
		t.Error("Events open after Close")
	}
	h.Close()
	again, err := Register(context.Background(), Default, Options{})
	if err != nil {
		t.Fatalf("Register after Close: %v", err)
	}
	again.Close()
}

// TestWindowsHotkeyHeldElsewhere: a key another process has registered is
// ErrTaken, and free again once that process ends.
func TestWindowsHotkeyHeldElsewhere(t *testing.T) {
	wintest.RequireDesktop(t)
	holder := exec.Command(os.Args[0], "-test.run=^TestHotkeyHolder$")
	holder.Env = append(os.Environ(), "CUECARD_HOTKEY_HOLDER=1")
	stdin, err := holder.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := holder.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := holder.Start(); err != nil {
		t.Fatal(err)
	}
	defer holder.Process.Kill()
	if line, err := bufio.NewReader(stdout).ReadString('\n'); err != nil || line != "held\n" {
		t.Fatalf("holder said %q, %v", line, err)
	}
	_, err = Register(context.Background(), Default, Options{})
	if want := "Ctrl+Alt+Space is already used by another program: choose another hotkey in Settings"; !errors.Is(err, ErrTaken) || err.Error() != want {
		t.Fatalf("Register: %v, want ErrTaken: %s", err, want)
	}
	stdin.Close()
	if err := holder.Wait(); err != nil {
		t.Fatalf("holder: %v", err)
	}
	h, err := Register(context.Background(), Default, Options{})
	if err != nil {
		t.Fatalf("Register after the holder ended: %v", err)
	}
	h.Close()
}

// TestHotkeyHolder is TestWindowsHotkeyHeldElsewhere's other process: it
// holds Ctrl+Alt+Space until its stdin closes.
func TestHotkeyHolder(t *testing.T) {
	if os.Getenv("CUECARD_HOTKEY_HOLDER") != "1" {
		t.Skip("the other process of TestWindowsHotkeyHeldElsewhere")
	}
	h, err := Register(context.Background(), Default, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	os.Stdout.WriteString("held\n")
	io.Copy(io.Discard, os.Stdin)
}

// BenchmarkWindowsPress measures the time from SendInput of Ctrl+Alt+Space
// (while Notepad has the focus) to the Hotkey's event. Reports p50/p95/p99
// in microseconds; -benchtime 200x gives stable figures.
func BenchmarkWindowsPress(b *testing.B) {
	wintest.RequireDesktop(b)
	np := wintest.Start(b, "notepad.exe")
	wintest.Focus(b, np.Window(b))
	h, err := Register(context.Background(), Default, Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer h.Close()
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		t0 := time.Now()
		if err := win32.SendKeys(vkControl, vkMenu, vkSpace); err != nil {
			b.Fatal(err)
		}
		select {
		case <-h.Events():
			lat = append(lat, time.Since(t0))
		case <-time.After(5 * time.Second):
			b.Fatal("no event within 5 s")
		}
	}
	b.StopTimer()
	reportPercentiles(b, lat)
}

func TestVirtualKey(t *testing.T) {
	// A US layout, for the characters looked up in it.
	us := func(c uint16) (uint8, uint8, bool) {
		switch c {
		case '`':
			return 0xc0, 0, true
		case '+':
			return 0xbb, 1, true
		case '!':
			return '1', 1, true
		}
		return 0, 0, false
	}
	for _, tc := range []struct {
		key       string
		mods, vk  uint32
		wantError string
	}{
		{"Ctrl+Alt+Space", win32.MOD_CONTROL | win32.MOD_ALT, 0x20, ""},
		{"Super+F1", win32.MOD_WIN, 0x70, ""},
		{"Ctrl+F24", win32.MOD_CONTROL, 0x87, ""},
		{"Ctrl+Shift+K", win32.MOD_CONTROL | win32.MOD_SHIFT, 'K', ""},
		{"Alt+7", win32.MOD_ALT, '7', ""},
		{"Ctrl+PageDown", win32.MOD_CONTROL, 0x22, ""},
		{"Alt+`", win32.MOD_ALT, 0xc0, ""},
		{"Ctrl+Plus", win32.MOD_CONTROL | win32.MOD_SHIFT, 0xbb, ""},
		{"Ctrl+!", win32.MOD_CONTROL | win32.MOD_SHIFT, '1', ""},
		{"Ctrl+Alt+ж", 0, 0, `Ctrl+Alt+Ж: no key of the keyboard layout types "Ж": choose another hotkey in Settings`},
	} {
		k, err := Parse(tc.key)
		if err != nil {
			t.Fatal(err)
		}
		mods, vk, err := virtualKey(k, us)
		if tc.wantError != "" {
			if err == nil || err.Error() != tc.wantError {
				t.Errorf("%s: error %v, want %q", tc.key, err, tc.wantError)
			}
			continue
		}
		if err != nil || mods != tc.mods || vk != tc.vk {
			t.Errorf("%s: %#x %#x %v, want %#x %#x", tc.key, mods, vk, err, tc.mods, tc.vk)
		}
	}
}
