//go:build linux

package hotkey

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/cuecard/cuecard/internal/focus/desktoptest"
)

func TestTrigger(t *testing.T) {
	for in, want := range map[string]string{
		"Ctrl+Alt+Space":  "CTRL+ALT+space",
		"Super+F1":        "LOGO+F1",
		"Ctrl+Shift+K":    "CTRL+SHIFT+k",
		"Alt+`":           "ALT+grave",
		"Ctrl+Alt+Plus":   "CTRL+ALT+plus",
		"Ctrl+Alt+é":      "CTRL+ALT+U00E9",
		"Ctrl+PageDown":   "CTRL+Next",
		"Ctrl+Alt+Enter":  "CTRL+ALT+Return",
		"Ctrl+Alt+Escape": "CTRL+ALT+Escape",
	} {
		k, err := Parse(in)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Trigger(k)
		if err != nil || got != want {
			t.Errorf("Trigger(%s) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := Trigger(Key{Name: "K"}); err == nil {
		t.Error("Trigger of a key without modifiers: no error")
	}
}

// kglobalaccel invokes shortcut id of Cuecard's portal session in KWin's
// kglobalaccel, as pressing its key does, and reports whether it was found.
func invokeShortcut(t testing.TB, c *dbus.Conn, id string) bool {
	t.Helper()
	var comps []dbus.ObjectPath
	if err := c.Object("org.kde.kglobalaccel", "/kglobalaccel").Call("org.kde.KGlobalAccel.allComponents", 0).Store(&comps); err != nil {
		t.Fatalf("kglobalaccel allComponents: %v", err)
	}
	var seen []string
	defer func() {
		if t.Failed() {
			t.Logf("kglobalaccel components: %q", seen)
		}
	}()
	for _, p := range comps {
		var names []string
		if err := c.Object("org.kde.kglobalaccel", p).Call("org.kde.kglobalaccel.Component.shortcutNames", 0, "default").Store(&names); err != nil {
			seen = append(seen, fmt.Sprintf("%s: %v", p, err))
			continue
		}
		seen = append(seen, fmt.Sprintf("%s: %q", p, names))
		for _, n := range names {
			if n == id {
				if err := c.Object("org.kde.kglobalaccel", p).Call("org.kde.kglobalaccel.Component.invokeShortcut", 0, id, "default").Err; err != nil {
					t.Fatalf("invokeShortcut %s: %v", id, err)
				}
				return true
			}
		}
	}
	return false
}

func pressed(h *Hotkey, within time.Duration) bool {
	select {
	case _, ok := <-h.Events():
		return ok
	case <-time.After(within):
		return false
	}
}

// TestPortalKWin registers hotkeys through the GlobalShortcuts portal of a
// headless KWin (xdg-desktop-portal with its KDE backend, started by D-Bus
// activation), presses them through kglobalaccel and checks the presses.
func TestPortalKWin(t *testing.T) {
	desktoptest.Require(t, "kwin_wayland", "/usr/libexec/xdg-desktop-portal")
	if _, err := os.Stat("/usr/share/xdg-desktop-portal/portals/kde.portal"); err != nil {
		desktoptest.Require(t, "xdg-desktop-portal-kde")
	}
	d := desktoptest.StartKWin(t)
	c := d.Conn()
	logger, logs := testLogs(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	start := time.Now()
	search, err := Register(ctx, Default, Options{Getenv: d.Getenv, Logger: logger, ID: "search", Description: "Search Cuecard's guides", Retry: 50 * time.Millisecond})
	if err != nil {
		t.Fatalf("Register through the portal: %v\nlogs:\n%s", err, d.Logs())
	}
	defer search.Close()
	t.Logf("registered through the portal in %s (portal started by D-Bus activation)", time.Since(start).Round(time.Millisecond))
	if !search.ThroughPortal() {
		t.Error("ThroughPortal false for a key registered through the portal")
	}
	if st := <-search.Status(); !st.Active {
		t.Fatalf("first status %+v, want active", st)
	}
	if !strings.Contains(logs(), "GlobalShortcuts portal") {
		t.Errorf("no log line says the portal is used:\n%s", logs())
	}
	// The desktop bound the key Cuecard asked for.
	if !strings.Contains(logs(), "trigger=Ctrl+Alt+Space") {
		t.Errorf("the desktop did not bind Ctrl+Alt+Space:\n%s", logs())
	}
	guidesKey := Key{Mods: Ctrl | Alt, Name: "G"}
	guides, err := Register(ctx, guidesKey, Options{Getenv: d.Getenv, ID: "guides"})
	if err != nil {
		t.Fatalf("Register a second hotkey: %v", err)
	}
	defer guides.Close()

	searchID, guidesID := portalID(Options{ID: "search"}, Default), portalID(Options{ID: "guides"}, guidesKey)
	for i := 0; i < 3; i++ {
		if !invokeShortcut(t, c, searchID) {
			t.Fatalf("kglobalaccel has no shortcut %q of a cuecard component", searchID)
		}
		if !pressed(search, 5*time.Second) {
			t.Fatalf("press %d of %s through kglobalaccel: no event", i+1, Default)
		}
	}
	if pressed(guides, 200*time.Millisecond) {
		t.Error("the search shortcut pressed the guides hotkey too")
	}
	invokeShortcut(t, c, guidesID)
	if !pressed(guides, 5*time.Second) {
		t.Fatal("the guides shortcut: no event")
	}
	if pressed(search, 200*time.Millisecond) {
		t.Error("the guides shortcut pressed the search hotkey too")
	}

	// The portal goes away (it crashed): an inactive status, then the
	// session is created again and presses arrive again.
	var pid uint32
	if err := c.BusObject().Call("org.freedesktop.DBus.GetConnectionUnixProcessID", 0, portalName).Store(&pid); err != nil {
		t.Fatalf("portal pid: %v", err)
	}
	if err := syscall.Kill(int(pid), syscall.SIGKILL); err != nil {
		t.Fatalf("stop the portal: %v", err)
	}
	var st Status
	select {
	case st = <-search.Status():
	case <-time.After(10 * time.Second):
		t.Fatal("no status after the portal went away")
	}
	if st.Active || !errors.Is(st.Err, ErrUnavailable) {
		t.Fatalf("status after the portal went away: %+v", st)
	}
	select {
	case st = <-search.Status():
	case <-time.After(20 * time.Second):
		t.Fatalf("no status after the portal could start again\nlogs:\n%s", d.Logs())
	}
	if !st.Active {
		t.Fatalf("status after the portal came back: %+v", st)
	}
	invokeShortcut(t, c, searchID)
	if !pressed(search, 5*time.Second) {
		t.Fatal("after the portal came back: no event")
	}

	if err := search.Close(); err != nil {
		t.Fatal(err)
	}
	if _, ok := <-search.Events(); ok {
		t.Error("Events still open after Close")
	}
}

// TestPortalNone: a Wayland session whose bus has no portal and no X11
// falls back to the X11 path's error, which says what to do.
func TestPortalNone(t *testing.T) {
	desktoptest.Require(t, "dbus-daemon")
	bus := t.TempDir() + "/bus"
	startBus(t, bus)
	env := map[string]string{"WAYLAND_DISPLAY": "wayland-none", "DBUS_SESSION_BUS_ADDRESS": "unix:path=" + bus, "XDG_DATA_DIRS": t.TempDir()}
	_, err := Register(context.Background(), Default, Options{Getenv: func(k string) string { return env[k] }})
	if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "cuecard search --show") {
		t.Fatalf("Register on Wayland without a portal or X11: %v", err)
	}
}

// startBus runs a session bus at path that activates no services (no
// service folders), so no portal can start on it.
func startBus(t *testing.T, path string) {
	t.Helper()
	conf := t.TempDir() + "/bus.conf"
	err := os.WriteFile(conf, []byte(`<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:path=`+path+`</listen>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy></busconfig>`), 0o600)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("dbus-daemon", "--config-file="+conf, "--nofork", "--nopidfile")
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, err := os.Stat(path); err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the test bus did not start")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// BenchmarkPortalPress measures, on a headless KWin, the time from
// kglobalaccel's invokeShortcut call (what KWin does when the key is
// pressed) to the Hotkey's event: kglobalaccel, the KDE portal backend,
// xdg-desktop-portal and the Activated signal. Reports p50/p95/p99 in
// microseconds; run it with -benchtime 500x.
func BenchmarkPortalPress(b *testing.B) {
	desktoptest.Require(b, "kwin_wayland", "/usr/libexec/xdg-desktop-portal")
	d := desktoptest.StartKWin(b)
	c := d.Conn()
	h, err := Register(context.Background(), Default, Options{Getenv: d.Getenv, ID: "bench", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	defer h.Close()
	id := portalID(Options{ID: "bench"}, Default)
	obj := c.Object("org.kde.kglobalaccel", "/component/"+dbus.ObjectPath(sessionToken(Options{ID: "bench"})))
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		if err := obj.Call("org.kde.kglobalaccel.Component.invokeShortcut", 0, id, "default").Err; err != nil {
			b.Fatal(err)
		}
		select {
		case <-h.Events():
		case <-time.After(5 * time.Second):
			b.Fatal("no event within 5 s")
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	reportPercentiles(b, lat)
}
