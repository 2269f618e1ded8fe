//go:build linux || freebsd || netbsd || openbsd || dragonfly

package a11y_test

import (
	"bufio"
	"context"
	"fmt"
	"image"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/a11y"
	"github.com/cuecard/cuecard/internal/focus/focustest"
)

// TestAt: a real GTK 3 app under Xvfb, on a private session bus with the
// AT-SPI bus: the control under a point of its "Save" button is the push
// button named Save; a text entry, whose name could be the user's text, is
// not named; another process has no control there.
func TestAt(t *testing.T) {
	x := focustest.StartX(t)
	x.StartWM()
	addr := focustest.PrivateBus(t, x.Display)
	if err := exec.Command("/usr/bin/python3", "-c", "import gi; gi.require_version('Gtk', '3.0'); from gi.repository import Gtk").Run(); err != nil {
		t.Fatalf("the test app needs python3-gi and gir1.2-gtk-3.0 (`.ci/deps test` installs them): %v", err)
	}
	env := func(k string) string {
		switch k {
		case "DBUS_SESSION_BUS_ADDRESS":
			return addr
		case "AT_SPI_BUS_ADDRESS":
			return ""
		}
		return os.Getenv(k)
	}
	tree, err := a11y.Open(env)
	if err != nil {
		t.Skipf("the accessibility bus cannot start here (AT-SPI's at-spi-bus-launcher, Debian package at-spi2-core): %v", err)
	}
	defer tree.Close()

	app := exec.Command("/usr/bin/python3", "testdata/gtkapp.py")
	app.Env = append(os.Environ(), "DISPLAY="+x.Display, "DBUS_SESSION_BUS_ADDRESS="+addr, "NO_AT_BRIDGE=", "GTK_THEME=Adwaita")
	out, err := app.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	app.Stderr = os.Stderr
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { app.Process.Kill(); app.Wait() })
	at := map[string]image.Rectangle{}
	sc := bufio.NewScanner(out)
	for len(at) < 2 && sc.Scan() {
		var name string
		var px, py, w, h int
		if _, err := fmt.Sscan(sc.Text(), &name, &px, &py, &w, &h); err == nil {
			at[name] = image.Rect(px, py, px+w, py+h)
		}
	}
	if len(at) < 2 {
		t.Fatalf("the test app did not say where its controls are: %v", sc.Err())
	}
	center := func(r image.Rectangle) image.Point { return r.Min.Add(r.Max).Div(2) }

	ctx := context.Background()
	var got a11y.Control
	var ok bool
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if got, ok = tree.At(ctx, app.Process.Pid, center(at["save"])); ok || time.Now().After(deadline) {
			break
		}
	}
	if !ok || got != (a11y.Control{Role: "push button", Name: "Save"}) {
		t.Fatalf("At the Save button: %+v %v, want the push button Save", got, ok)
	}
	if got, ok := tree.At(ctx, app.Process.Pid, center(at["entry"])); ok {
		t.Errorf("At the text entry: %+v: a text's name is never read", got)
	}
	if got, ok := tree.At(ctx, os.Getpid(), center(at["save"])); ok {
		t.Errorf("At in a process without windows: %+v", got)
	}
}
