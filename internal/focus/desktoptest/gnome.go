//go:build linux

package desktoptest

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// GnomeSession prepares a GNOME desktop: its folders, its session bus, and a
// stand-in system bus (GNOME Shell asks logind and UPower on the system bus
// and stops without one). Settings live in a key file of the session's own
// (GSETTINGS_BACKEND=keyfile), never in the user's dconf database. Install
// extensions, then call StartShell.
func GnomeSession(tb testing.TB) *Desktop {
	tb.Helper()
	Require(tb, "gnome-shell", "dbus-daemon")
	sys := filepath.Join(tb.TempDir(), "system_bus")
	d := newDesktop(tb, "GNOME Shell", "wayland-gnome", "GSETTINGS_BACKEND=keyfile", "XDG_CURRENT_DESKTOP=GNOME",
		"DBUS_SYSTEM_BUS_ADDRESS=unix:path="+sys, "NO_AT_BRIDGE=1", "GNOME_SHELL_SLOWDOWN_FACTOR=1")
	conf := filepath.Join(d.Home, "system-bus.conf")
	if err := os.WriteFile(conf, []byte(`<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=`+sys+`</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_type="method_call"/>
    <allow send_type="signal"/>
    <allow send_type="method_return"/>
    <allow send_type="error"/>
    <allow receive_type="method_call"/>
    <allow receive_type="signal"/>
    <allow receive_type="method_return"/>
    <allow receive_type="error"/>
  </policy>
</busconfig>
`), 0o600); err != nil {
		tb.Fatal(err)
	}
	d.start("dbus-daemon", "--config-file="+conf, "--nofork", "--nopidfile")
	d.waitFor("the stand-in system bus", 10*time.Second, func() bool {
		_, err := os.Stat(sys)
		return err == nil
	})
	return d
}

// StartShell starts GNOME Shell headless on a virtual monitor, waits until
// it is on the bus and, when waitName is not empty, until waitName is too
// (an extension's bus name), then leaves the overview it starts in (else new
// windows get no focus).
func (d *Desktop) StartShell(waitName string) {
	d.tb.Helper()
	d.launch = func() { d.startShell(waitName, "--no-x11") }
	d.launch()
}

// StartShellX is StartShell with X11: GNOME Shell starts XWayland when the
// first X11 client connects. It returns the environment of an X11 client
// (DISPLAY and XAUTHORITY).
func (d *Desktop) StartShellX(waitName string) []string {
	d.tb.Helper()
	Require(d.tb, "Xwayland")
	d.launch = func() { d.startShell(waitName) }
	d.launch()
	// mutter reserves the display with a lock file holding its pid, and
	// writes the cookie to a file of its own in the runtime folder.
	var env []string
	d.waitFor("the X display GNOME Shell reserved", 10*time.Second, func() bool {
		locks, _ := filepath.Glob("/tmp/.X*-lock")
		for _, l := range locks {
			b, err := os.ReadFile(l)
			if err != nil || strings.TrimSpace(string(b)) != strconv.Itoa(d.comp.Process.Pid) {
				continue
			}
			auth, _ := filepath.Glob(filepath.Join(d.Runtime, ".mutter-Xwaylandauth.*"))
			if len(auth) == 0 {
				return false
			}
			n := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(l), ".X"), "-lock")
			env = []string{"DISPLAY=:" + n, "XAUTHORITY=" + auth[0]}
			return true
		}
		return false
	})
	return env
}

func (d *Desktop) startShell(waitName string, extra ...string) {
	d.tb.Helper()
	c := d.Conn()
	start := time.Now()
	d.comp = d.start("gnome-shell", append([]string{"--headless", "--wayland", "--virtual-monitor", "1280x800", "--wayland-display=" + d.Wayland}, extra...)...)
	d.waitFor("org.gnome.Shell on the session bus", 60*time.Second, func() bool { return d.HasName(c, "org.gnome.Shell") })
	if waitName != "" {
		d.waitFor(waitName+" on the session bus", 30*time.Second, func() bool { return d.HasName(c, waitName) })
	}
	d.Startup = time.Since(start)
	d.tb.Logf("GNOME Shell started in %s", d.Startup.Round(time.Millisecond))
	// The shell opens the overview once its start-up animation is over
	// (about a second after it is on the bus): wait for that, then close it.
	shell := c.Object("org.gnome.Shell", "/org/gnome/Shell")
	overview := func() bool {
		v, err := shell.GetProperty("org.gnome.Shell.OverviewActive")
		return err == nil && v.Value() == true
	}
	seen := false
	d.waitFor("the overview to open and close", 20*time.Second, func() bool {
		if overview() {
			seen = true
			shell.Call("org.freedesktop.DBus.Properties.Set", 0, "org.gnome.Shell", "OverviewActive", dbus.MakeVariant(false))
			return false
		}
		return seen
	})
	d.tb.Logf("GNOME Shell out of its start-up overview after %s", time.Since(start).Round(time.Millisecond))
}
