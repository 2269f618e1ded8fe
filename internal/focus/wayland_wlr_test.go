//go:build linux

package focus

import (
	"fmt"
	"log/slog"
	"net"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/focus/focustest"
	"github.com/cuecard/cuecard/internal/focus/waylandtest"
	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/percentile"
	"github.com/cuecard/cuecard/internal/testlog"
)

// envOf is an environment made of key=value pairs only.
func envOf(kv ...string) func(string) string {
	m := map[string]string{}
	for _, s := range kv {
		k, v, _ := strings.Cut(s, "=")
		m[k] = v
	}
	return func(k string) string { return m[k] }
}

func foot(appID, title string) guide.Window {
	return guide.Window{Exe: appID, Class: appID, Title: title}
}

// TestWlrootsSequence drives a real headless sway with native Wayland
// windows (foot) and asserts the exact sequence of events: the backend
// status, the focused window at start, focus moving between two windows,
// a title change of the focused window and none for another window, an
// excluded window, Cuecard's own window, the compositor dying (a status,
// no crash), coming back (reconnection), and Close.
func TestWlrootsSequence(t *testing.T) {
	defer func(d time.Duration) { noneDelay = d }(noneDelay)
	noneDelay = 250 * time.Millisecond
	s := waylandtest.StartSway(t)
	one := s.Open("cuecard-one", "first window")
	s.Open("cuecard-two", "second window")

	logs := &testlog.Buffer{}
	tr := New(Options{
		Getenv: envOf("WAYLAND_DISPLAY="+s.Display, "XDG_RUNTIME_DIR="+s.RuntimeDir),
		Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Retry:  50 * time.Millisecond, RetryMax: 200 * time.Millisecond,
	})
	r := recorder{t, tr}
	r.status(true, "tracking the focused window on Wayland display "+s.Display+" (backend wlroots: zwlr_foreign_toplevel_manager_v1 version 3")
	r.window(foot("cuecard-two", "second window")) // opened last: focused

	s.Focus("cuecard-one")
	r.window(foot("cuecard-one", "first window"))
	s.Focus("cuecard-two")
	r.window(foot("cuecard-two", "second window"))

	// A title change of another window says nothing; of the focused one,
	// it is a new event.
	s.SetTitle(one, "first, renamed")
	s.Focus("cuecard-two") // already focused: nothing either
	r.quiet(300 * time.Millisecond)
	s.Focus("cuecard-one")
	r.window(foot("cuecard-one", "first, renamed"))
	s.SetTitle(one, "first, again")
	r.window(foot("cuecard-one", "first, again"))

	// A password manager is reported as no window; Cuecard's own window
	// (app_id) as nothing at all.
	s.Open("org.keepassxc.KeePassXC", "Passwords.kdbx - KeePassXC")
	r.window(guide.Window{})
	s.Focus("cuecard-one")
	r.window(foot("cuecard-one", "first, again"))
	s.Open("io.github.cuecard", "Cuecard")
	r.quiet(300 * time.Millisecond)
	s.Focus("cuecard-one")
	r.quiet(300 * time.Millisecond) // still the current window: no duplicate

	// The compositor dies: an unavailable status, then it comes back.
	s.Kill()
	r.status(false, "Wayland display "+s.Display+": the Wayland compositor closed the connection")
	s.Restart()
	for {
		ev := r.next()
		if ev.IsStatus() && ev.Available {
			break
		}
		if !ev.IsStatus() || ev.Available {
			t.Fatalf("event %+v while the compositor restarts, want unavailable statuses", ev)
		}
	}
	r.window(guide.Window{}) // a new compositor without windows
	s.Open("cuecard-three", "third window")
	r.window(foot("cuecard-three", "third window"))

	if err := tr.Close(); err != nil {
		t.Fatal(err)
	}
	for ev := range tr.Events() {
		t.Errorf("event after Close: %+v", ev)
	}
	for _, secret := range []string{"first window", "renamed", "Passwords", "third window"} {
		if strings.Contains(logs.String(), secret) {
			t.Errorf("a window title is in the logs:\n%s", logs)
		}
	}
}

// TestWaylandFallback runs a real Wayland compositor that does not offer
// the wlroots protocol (Weston): without X11 the status says why focus
// cannot be tracked; with an X display (as XWayland would give) the X11
// backend is used and the status says why wlroots was not.
func TestWaylandFallback(t *testing.T) {
	w := waylandtest.StartWeston(t)
	env := []string{"WAYLAND_DISPLAY=" + w.Display, "XDG_RUNTIME_DIR=" + w.RuntimeDir}

	tr := New(Options{Getenv: envOf(env...), Retry: time.Hour})
	r := recorder{t, tr}
	r.status(false, "Wayland session without X11 (WAYLAND_DISPLAY is set, DISPLAY is not) and no Wayland backend fits (wlroots: the compositor does not offer zwlr_foreign_toplevel_manager_v1")
	tr.Close()

	x := focustest.StartX(t)
	x.StartWM()
	tr = New(Options{Getenv: envOf(append(env, "DISPLAY="+x.Display)...)})
	defer tr.Close()
	r = recorder{t, tr}
	r.status(true, "(backend X11 through XWayland: native Wayland windows are not seen; not used: wlroots: the compositor does not offer zwlr_foreign_toplevel_manager_v1")
	if d := Describe(Options{Getenv: envOf(append(env, "DISPLAY="+x.Display)...)}, 10*time.Second); !strings.Contains(d, "backend X11 through XWayland") {
		t.Errorf("Describe = %q", d)
	}
}

// TestWaylandNoCompositor: WAYLAND_DISPLAY names a socket nobody listens
// on.
func TestWaylandNoCompositor(t *testing.T) {
	dir := t.TempDir()
	tr := New(Options{Getenv: envOf("WAYLAND_DISPLAY=wayland-9", "XDG_RUNTIME_DIR="+dir), Retry: time.Hour})
	defer tr.Close()
	recorder{t, tr}.status(false, "wlroots: cannot connect to the Wayland compositor at "+dir+"/wayland-9")
}

// BenchmarkWlrootsFocusChange switches the focus between two foot windows
// on a headless sway b.N times (a sway IPC focus command, what swaymsg
// sends) and measures the time from the command to the tracker's Window
// event. Reports p50/p95 latency and, from the first 10 % of changes to the
// end, the growth of RSS and of the live heap.
func BenchmarkWlrootsFocusChange(b *testing.B) {
	benchWlroots(b, func(s *waylandtest.Sway, cmd string) error { return s.RunErr(cmd) })
}

// BenchmarkWlrootsFocusChangeSwaymsg is BenchmarkWlrootsFocusChange with
// the command sent by the swaymsg program, as a user or a script would: the
// latency includes starting that process.
func BenchmarkWlrootsFocusChangeSwaymsg(b *testing.B) {
	waylandtest.Require(b, "swaymsg")
	benchWlroots(b, func(s *waylandtest.Sway, cmd string) error {
		out, err := exec.Command("swaymsg", "-s", s.IPC, cmd).CombinedOutput()
		if err != nil {
			return fmt.Errorf("swaymsg: %v: %s", err, out)
		}
		return nil
	})
}

func benchWlroots(b *testing.B, focus func(s *waylandtest.Sway, cmd string) error) {
	s := waylandtest.StartSway(b)
	s.Open("bench-a", "a")
	s.Open("bench-b", "b")
	tr := New(Options{Getenv: envOf("WAYLAND_DISPLAY="+s.Display, "XDG_RUNTIME_DIR="+s.RuntimeDir)})
	defer tr.Close()
	for ev := range tr.Events() {
		if ev.Window.Class == "bench-b" {
			break
		}
	}
	lat := make([]time.Duration, 0, b.N)
	var rss0 int
	var heap0 uint64
	b.ResetTimer()
	for i := range b.N {
		if i == b.N/10 {
			rss0, heap0 = rssKB(b), liveHeap()
		}
		app := "bench-a"
		if i%2 == 1 {
			app = "bench-b"
		}
		t0 := time.Now()
		done := make(chan error, 1)
		go func() { done <- focus(s, `[app_id="^`+app+`$"] focus`) }()
		for {
			ev := <-tr.Events()
			if ev.Window.Class == app {
				break
			}
		}
		lat = append(lat, time.Since(t0))
		if err := <-done; err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(percentile.Millis(percentile.Of(lat, 0.50)), "p50-ms")
	b.ReportMetric(percentile.Millis(percentile.Of(lat, 0.95)), "p95-ms")
	if b.N >= 100 {
		b.ReportMetric(float64(rssKB(b)-rss0), "rss-growth-KB")
		b.ReportMetric((float64(liveHeap())-float64(heap0))/1024, "heap-growth-KB")
	}
}

// TestWaylandHungCompositor: a socket that accepts but never answers (a
// hung compositor) holds New for wlrProbeTimeout at most, and the status
// says why.
func TestWaylandHungCompositor(t *testing.T) {
	defer func(d time.Duration) { wlrProbeTimeout = d }(wlrProbeTimeout)
	wlrProbeTimeout = 200 * time.Millisecond
	dir := t.TempDir()
	l, err := net.Listen("unix", filepath.Join(dir, "wayland-hung"))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { c.Close() }) // held open, never answered
		}
	}()
	tr := New(Options{Getenv: envOf("WAYLAND_DISPLAY=wayland-hung", "XDG_RUNTIME_DIR="+dir), Retry: time.Hour})
	defer tr.Close()
	recorder{t, tr}.status(false, "wlroots: reading the globals of the compositor at "+filepath.Join(dir, "wayland-hung")+": the Wayland compositor did not answer")
}

// TestExplicitDisplayIsX11: Options.Display asks for X11 even on a Wayland
// session.
func TestExplicitDisplayIsX11(t *testing.T) {
	s := waylandtest.StartSway(t)
	x := focustest.StartX(t)
	x.StartWM()
	tr := New(Options{Display: x.Display, Getenv: envOf("WAYLAND_DISPLAY="+s.Display, "XDG_RUNTIME_DIR="+s.RuntimeDir)})
	defer tr.Close()
	recorder{t, tr}.status(true, "tracking the focused window on X display "+x.Display)
}
