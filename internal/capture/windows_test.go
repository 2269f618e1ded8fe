//go:build windows

package capture

import (
	"image"
	"strings"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/win32"
	"github.com/cuecard/cuecard/internal/win32/wintest"
)

// next waits up to 5 s for the capture's next event.
func next(t *testing.T, k *Capture, what string) Event {
	t.Helper()
	select {
	case e, ok := <-k.Events():
		if !ok {
			t.Fatalf("%s: the capture ended", what)
		}
		return e
	case <-time.After(5 * time.Second):
		t.Fatalf("%s: no event within 5 s", what)
	}
	return Event{}
}

func none(t *testing.T, k *Capture, what string) {
	t.Helper()
	select {
	case e := <-k.Events():
		t.Fatalf("%s: unexpected event %+v", what, e)
	case <-time.After(500 * time.Millisecond):
	}
}

// TestWindowsCapture records input given to Wine's (or Windows') Notepad
// through the real low-level hooks: a click in its text is a step with a
// screenshot of the window; typing then Enter is a step, and so is
// Ctrl+Home (a shortcut, named by its keys); a click on the
// title bar is not; paused, nothing is; a hidden app gives a Hidden event
// with nothing of the window.
func TestWindowsCapture(t *testing.T) {
	wintest.RequireDesktop(t)
	np := wintest.Start(t, "notepad.exe")
	h := np.Window(t)
	wintest.Focus(t, h)
	client, ok := win32.ClientRect(h)
	if !ok || client.Dx() < 50 || client.Dy() < 50 {
		t.Fatalf("Notepad's client area %v", client)
	}
	frame, _ := win32.WindowRect(h)

	hide := false
	k, err := Start(Options{Hide: func(w guide.Window) bool { return hide && strings.EqualFold(w.Exe, "notepad.exe") }})
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()

	at := client.Min.Add(image.Pt(40, 30))
	if err := win32.SendClick(at.X, at.Y); err != nil {
		t.Fatal(err)
	}
	e := next(t, k, "a click in Notepad")
	if e.Kind != Click || e.Hidden || !strings.EqualFold(e.Window.Exe, "notepad.exe") || e.Window.PID != np.PID || !strings.Contains(e.Window.Title, "Notepad") {
		t.Fatalf("click event %+v", e)
	}
	if e.Image == nil || !e.HasPoint {
		t.Fatalf("no screenshot of the clicked window: %+v", e)
	}
	if got, want := e.Image.Bounds().Size(), frame.Intersect(win32.VirtualScreen()).Size(); got != want {
		t.Errorf("screenshot %v, want the window's size %v", got, want)
	}
	if want := at.Sub(frame.Min); e.Point != want {
		t.Errorf("click point %v in the screenshot, want %v", e.Point, want)
	}
	// Notepad's text area is white, whatever the theme puts around it.
	if c := e.Image.RGBAAt(e.Point.X, e.Point.Y); c.R < 200 || c.G < 200 || c.B < 200 || c.A != 255 {
		t.Errorf("pixel under the click is %v, want Notepad's white text area (the screenshot is not of the window)", c)
	}

	// Typing then Enter is a step; the text typed is not kept anywhere.
	if err := win32.SendKeys('A'); err != nil {
		t.Fatal(err)
	}
	if err := win32.SendKeys(win32.VK_RETURN); err != nil {
		t.Fatal(err)
	}
	if e := next(t, k, "Enter after typing"); e.Kind != Enter || e.HasPoint || e.Image == nil || !strings.EqualFold(e.Window.Exe, "notepad.exe") {
		t.Fatalf("enter event %+v", e)
	}
	// Enter without typing first is not a step.
	if err := win32.SendKeys(win32.VK_RETURN); err != nil {
		t.Fatal(err)
	}
	none(t, k, "Enter without typing")
	// A key with Ctrl held is a step named by its keys.
	if err := win32.SendKeys(win32.VK_CONTROL, 0x24); err != nil { // VK_HOME
		t.Fatal(err)
	}
	if e := next(t, k, "Ctrl+Home"); e.Kind != Shortcut || e.Keys != "Ctrl+Home" || e.Image == nil || !strings.EqualFold(e.Window.Exe, "notepad.exe") {
		t.Fatalf("shortcut event %+v", e)
	}

	// The title bar is the frame, not the app.
	if err := win32.SendClick((frame.Min.X+frame.Max.X)/2, frame.Min.Y+(client.Min.Y-frame.Min.Y)/3); err != nil {
		t.Fatal(err)
	}
	none(t, k, "a click on the title bar")

	k.SetPaused(true)
	win32.SendClick(at.X, at.Y)
	none(t, k, "a click while paused")
	k.SetPaused(false)

	hide = true
	win32.SendClick(at.X, at.Y)
	if e := next(t, k, "a click in a hidden app"); e.Kind != Click || !e.Hidden || e.Image != nil || e.Window != (guide.Window{}) {
		t.Fatalf("hidden click event %+v", e)
	}
	if err := k.Close(); err != nil {
		t.Fatal(err)
	}
	if _, ok := <-k.Events(); ok {
		t.Error("Events is still open after Close")
	}
	// A second capture can start once the first is closed.
	k2, err := Start(Options{})
	if err != nil {
		t.Fatalf("a second capture: %v", err)
	}
	k2.Close()
}
