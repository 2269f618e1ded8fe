//go:build linux

package focus

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/focus/desktoptest"
	"github.com/cuecard/cuecard/internal/focus/focustest"
)

// TestGnome installs the extension as the app does (files and gsettings, in
// the test session's own folders), starts a real headless GNOME Shell and
// runs the GNOME backend with two native Wayland (GTK 3) windows.
func TestGnome(t *testing.T) {
	d := desktoptest.GnomeSession(t)
	msg, err := GnomeInstall{Env: d.Env()}.Install()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(msg, "log out and back in") {
		t.Errorf("install message %q does not say to log in again", msg)
	}
	dest := filepath.Join(d.Home, ".local", "share", "gnome-shell", "extensions", GnomeExtensionUUID)
	for _, f := range []string{"metadata.json", "extension.js"} {
		if _, err := os.Stat(filepath.Join(dest, f)); err != nil {
			t.Fatalf("installed extension: %v", err)
		}
	}
	// Installing twice keeps one entry.
	if _, err := (GnomeInstall{Env: d.Env()}).Install(); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("gsettings", "get", "org.gnome.shell", "enabled-extensions")
	cmd.Env = d.Env()
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	if got := parseStrv(string(out)); !slices.Equal(got, []string{GnomeExtensionUUID}) {
		t.Fatalf("enabled-extensions %q", out)
	}

	d.StartShell(GnomeBusName)
	checkShellTracker(t, d, newGnome)

	// GNOME Shell going away: an unavailable status, no crash;
	// back: tracking resumes.
	tr, err := newGnome(Options{Getenv: d.Getenv})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, tr, 10*time.Second, "a window", func(ev Event) bool { return !ev.IsStatus() })
	checkGoneAndBack(t, d, tr)
}

// TestGnomeNoExtension: GNOME Shell runs without the extension; newGnome
// fails at once with ErrNoGnomeExtension and says what to do.
func TestGnomeNoExtension(t *testing.T) {
	d := desktoptest.GnomeSession(t)
	d.StartShell("")
	_, err := newGnome(Options{Getenv: d.Getenv})
	if !errors.Is(err, ErrNoGnomeExtension) || !strings.Contains(err.Error(), "log out and back in") {
		t.Fatalf("err %v, want ErrNoGnomeExtension saying to log in again", err)
	}
	// The chooser's status carries it, for the app to offer the install.
	tr := New(Options{Getenv: d.Getenv})
	defer tr.Close()
	select {
	case ev := <-tr.Events():
		if !ev.IsStatus() || !NeedsGnomeExtension(ev.Status) {
			t.Fatalf("New's first event %+v: NeedsGnomeExtension false", ev)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("New sent no status")
	}
	if NeedsGnomeExtension("tracking the focused window through KWin") {
		t.Error("NeedsGnomeExtension of a KWin status")
	}
}

// TestGnomeAbsent: without GNOME Shell on the bus, newGnome fails at once.
func TestGnomeAbsent(t *testing.T) {
	bus := focustest.PrivateBus(t, "")
	_, err := newGnome(Options{Getenv: func(k string) string {
		if k == "DBUS_SESSION_BUS_ADDRESS" {
			return bus
		}
		return ""
	}})
	if err == nil || errors.Is(err, ErrNoGnomeExtension) || !strings.Contains(err.Error(), "not a GNOME session") {
		t.Fatalf("err %v, want one that says this is not a GNOME session", err)
	}
}

func TestGnomeInstallForms(t *testing.T) {
	for _, tc := range []struct {
		version int
		want    string // a line of the installed extension.js; "" for an error
	}{
		{42, ""},
		{43, "const { Gio, GLib } = imports.gi;"},
		{44, "const { Gio, GLib } = imports.gi;"},
		{45, "import Gio from 'gi://Gio';"},
		{50, "import Gio from 'gi://Gio';"},
	} {
		home := t.TempDir()
		// No gsettings schema in this environment: enabling may fail, the files are written first.
		_, err := GnomeInstall{DataHome: home, ShellVersion: tc.version, Env: []string{"HOME=" + home, "GSETTINGS_BACKEND=memory"}}.Install()
		dir := filepath.Join(home, "gnome-shell", "extensions", GnomeExtensionUUID)
		if tc.want == "" {
			if err == nil || !strings.Contains(err.Error(), "too old") {
				t.Errorf("GNOME Shell %d: err %v", tc.version, err)
			}
			continue
		}
		js, rerr := os.ReadFile(filepath.Join(dir, "extension.js"))
		if rerr != nil {
			t.Fatalf("GNOME Shell %d: %v (install: %v)", tc.version, rerr, err)
		}
		if !strings.Contains(string(js), tc.want) {
			t.Errorf("GNOME Shell %d: extension.js is not the right form", tc.version)
		}
		meta, _ := os.ReadFile(filepath.Join(dir, "metadata.json"))
		if !strings.Contains(string(meta), `"`+strconv.Itoa(tc.version)+`"`) {
			t.Errorf("GNOME Shell %d: metadata.json does not list it: %s", tc.version, meta)
		}
	}
}

func TestStrv(t *testing.T) {
	for _, in := range [][]string{nil, {"a@b"}, {"it's", `back\slash`, "x"}} {
		if got := parseStrv(formatStrv(in)); !slices.Equal(got, in) {
			t.Errorf("%q: round trip gives %q", in, got)
		}
	}
	if got := parseStrv("@as []\n"); len(got) != 0 {
		t.Errorf("empty: %q", got)
	}
}

// BenchmarkGnomeSwitch measures the delay from a focus change (a GTK window
// unmapped and mapped again, which gives it the focus) to the Window event,
// on a headless GNOME Shell. It includes GTK's own unmap and map.
func BenchmarkGnomeSwitch(b *testing.B) {
	d := desktoptest.GnomeSession(b)
	if _, err := (GnomeInstall{Env: d.Env()}).Install(); err != nil {
		b.Fatal(err)
	}
	d.StartShell(GnomeBusName)
	wa := d.Open("cuecard.bench.alpha", "Alpha")
	wb := d.Open("cuecard.bench.beta", "Beta")
	tr, err := newGnome(Options{Getenv: d.Getenv})
	if err != nil {
		b.Fatal(err)
	}
	defer tr.Close()
	waitFor(b, tr, 10*time.Second, "beta", isWindow(wb, "Beta"))
	b.ResetTimer()
	ds := measureSwitches(b, tr, wa, wb, "Alpha", "Beta", b.N)
	b.StopTimer()
	b.ReportMetric(float64(pct(ds, 0.5).Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(pct(ds, 0.95).Microseconds())/1000, "p95-ms")
}
