//go:build linux || freebsd || netbsd || openbsd || dragonfly

package main

import (
	"fmt"
	"os"
	"time"

	"github.com/cuecard/cuecard/internal/xconn"
)

// checkXDisplay makes sure the desktop app's windows can open: its GUI
// toolkit draws through X11 (XWayland on a Wayland session), and fails
// hard when the X server refuses it. The error says what to do.
func checkXDisplay() error {
	name := os.Getenv("DISPLAY")
	if name == "" {
		return fmt.Errorf("no X display (DISPLAY is not set): Cuecard's windows need X11; on a Wayland session, start it where XWayland is available (DISPLAY set)")
	}
	d, err := xconn.ParseDisplay(name)
	if err != nil {
		return fmt.Errorf("DISPLAY=%s: %w", name, err)
	}
	c, g, err := xconn.Dial(d, 5*time.Second, os.Getenv)
	if err != nil {
		return fmt.Errorf("cannot open X display %s (%v): Cuecard's windows need it; run cuecard as the user of the desktop session, with its DISPLAY and XAUTHORITY", name, err)
	}
	xconn.Close(c, g)
	return nil
}
