//go:build linux

package desktoptest

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
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
		d.comp = d.start(bin, "--virtual", "--no-lockscreen", "--width", "1280", "--height", "800", "--socket", d.Wayland)
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
