//go:build linux

package desktoptest

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// StartKWin starts KWin on a virtual output (kwin_wayland --virtual), with
// its own session bus, and waits until it is on the bus (org.kde.KWin). It
// runs a copy of kwin_wayland: the packaged binary carries the file
// capability cap_sys_resource, and where that capability is outside the
// bounding set (containers) the kernel refuses to run it, even for root.
func StartKWin(tb testing.TB) *Desktop {
	tb.Helper()
	return startKWin(tb)
}

// StartKWinX is StartKWin with XWayland: it also returns the environment
// of an X11 client of it (DISPLAY and XAUTHORITY), once the X server runs.
func StartKWinX(tb testing.TB) (*Desktop, []string) {
	tb.Helper()
	Require(tb, "kwin_wayland", "Xwayland")
	dir := tb.TempDir()
	out := filepath.Join(dir, "x11env")
	// KWin runs each program given after its options once XWayland is up,
	// with DISPLAY and XAUTHORITY set: a script that writes them down.
	script := filepath.Join(dir, "x11env.sh")
	err := os.WriteFile(script, []byte("#!/bin/sh\nprintf 'DISPLAY=%s\\nXAUTHORITY=%s\\n' \"$DISPLAY\" \"$XAUTHORITY\" > "+out+".tmp && mv "+out+".tmp "+out+"\n"), 0o755)
	if err != nil {
		tb.Fatal(err)
	}
	d := startKWin(tb, "--xwayland", script)
	var env []string
	d.waitFor("XWayland", 20*time.Second, func() bool {
		b, err := os.ReadFile(out)
		if err != nil {
			return false
		}
		env = strings.Fields(string(b))
		return len(env) == 2 && env[0] != "DISPLAY="
	})
	return d, env
}

func startKWin(tb testing.TB, extra ...string) *Desktop {
	tb.Helper()
	Require(tb, "kwin_wayland")
	d := newDesktop(tb, "KWin", "wayland-kwin", "QT_QPA_PLATFORM=wayland", "XDG_CURRENT_DESKTOP=KDE", "KDE_FULL_SESSION=true")
	src, _ := exec.LookPath("kwin_wayland")
	bin := filepath.Join(d.Home, "kwin_wayland")
	if err := copyFile(src, bin); err != nil {
		tb.Fatalf("copy kwin_wayland: %v", err)
	}
	c := d.Conn()
	d.launch = func() {
		start := time.Now()
		d.comp = d.start(bin, append([]string{"--virtual", "--no-lockscreen", "--width", "1280", "--height", "800", "--socket", d.Wayland}, extra...)...)
		d.waitFor("org.kde.KWin on the session bus", 30*time.Second, func() bool { return d.HasName(c, "org.kde.KWin") })
		d.waitFor("the Wayland socket", 10*time.Second, func() bool {
			_, err := os.Stat(filepath.Join(d.Runtime, d.Wayland))
			return err == nil
		})
		d.Startup = time.Since(start)
		tb.Logf("KWin started in %s", d.Startup.Round(time.Millisecond))
	}
	d.launch()
	return d
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return fmt.Errorf("close %s: %w", dst, err)
	}
	return nil
}
