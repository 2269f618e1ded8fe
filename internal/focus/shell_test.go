//go:build linux

package focus

import (
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/focus/desktoptest"
)

// waitFor reads events until one satisfies ok, and returns it and the
// events read before it. It fails the test after limit.
func waitFor(t testing.TB, tr Tracker, limit time.Duration, what string, ok func(Event) bool) (Event, []Event) {
	t.Helper()
	var seen []Event
	timeout := time.After(limit)
	for {
		select {
		case ev, open := <-tr.Events():
			if !open {
				t.Fatalf("events closed while waiting for %s; seen %+v", what, seen)
			}
			if ok(ev) {
				return ev, seen
			}
			seen = append(seen, ev)
		case <-timeout:
			t.Fatalf("no %s within %s; seen %+v", what, limit, seen)
		}
	}
}

// isWindow matches a window event of w (class = app id, pid, title).
func isWindow(w *desktoptest.Window, title string) func(Event) bool {
	return func(ev Event) bool {
		return !ev.IsStatus() && ev.Window.Class == w.AppID && ev.Window.PID == w.PID && ev.Window.Title == title
	}
}

func isZeroWindow(ev Event) bool { return !ev.IsStatus() && ev.Window.IsZero() && ev.Available }

// checkShellTracker drives two native windows on desktop d and checks what
// tr reports: focus changes both ways, a title change, an excluded title,
// the process's own window (ownTr ignores a), and Close.
func checkShellTracker(t *testing.T, d *desktoptest.Desktop, newTracker func(Options) (Tracker, error)) {
	a := d.Open("cuecard.test.alpha", "Alpha window")
	b := d.Open("cuecard.test.beta", "Beta window")
	tr, err := newTracker(Options{Getenv: d.Getenv})
	if err != nil {
		t.Fatalf("%s backend: %v\nlogs:\n%s", d.Name, err, d.Logs())
	}
	defer tr.Close()
	ev := <-tr.Events()
	if !ev.IsStatus() || !ev.Available || !strings.Contains(ev.Status, d.Name) {
		t.Fatalf("first event %+v, want an available status naming %s", ev, d.Name)
	}
	got, _ := waitFor(t, tr, 10*time.Second, "the focused window (beta)", isWindow(b, "Beta window"))
	if got.Window.Instance == "" && got.Window.Exe == "" {
		t.Errorf("window %+v has neither instance nor exe", got.Window)
	}
	own, err := newTracker(Options{Getenv: d.Getenv, OwnPIDs: []int{a.PID}})
	if err != nil {
		t.Fatalf("second %s tracker: %v", d.Name, err)
	}
	defer own.Close()
	waitFor(t, own, 10*time.Second, "beta on the second tracker", isWindow(b, "Beta window"))

	a.Raise()
	waitFor(t, tr, 10*time.Second, "alpha after it was raised", isWindow(a, "Alpha window"))
	b.Raise()
	waitFor(t, tr, 10*time.Second, "beta after it was raised", isWindow(b, "Beta window"))
	b.SetTitle("Beta renamed")
	waitFor(t, tr, 10*time.Second, "beta's new title", isWindow(b, "Beta renamed"))
	b.SetTitle("Secrets - Private Browsing")
	waitFor(t, tr, 10*time.Second, "a zero window for a private browsing title", isZeroWindow)
	b.SetTitle("Beta again")
	waitFor(t, tr, 10*time.Second, "beta's title after private browsing", isWindow(b, "Beta again"))

	// The second tracker saw a and b in turn but reported only b: a is one
	// of its own windows.
	_, seen := waitFor(t, own, 10*time.Second, "beta again on the second tracker", isWindow(b, "Beta again"))
	for _, ev := range seen {
		if ev.Window.PID == a.PID {
			t.Errorf("the tracker reported a window of one of its own processes: %+v", ev)
		}
	}
	if err := own.Close(); err != nil {
		t.Fatal(err)
	}
	for range own.Events() {
	}
}

// checkGoneAndBack stops the compositor under tr and expects an
// unavailable status, then restarts it and expects tracking to resume: an
// available status and a newly opened window.
func checkGoneAndBack(t *testing.T, d *desktoptest.Desktop, tr Tracker) {
	d.StopCompositor()
	ev, _ := waitFor(t, tr, 10*time.Second, "an unavailable status", func(ev Event) bool { return ev.IsStatus() && !ev.Available })
	if !strings.HasPrefix(ev.Status, Unavailable) || !strings.Contains(ev.Status, "left the session bus") {
		t.Errorf("status %q", ev.Status)
	}
	d.Restart()
	waitFor(t, tr, 20*time.Second, "an available status", func(ev Event) bool { return ev.IsStatus() && ev.Available })
	g := d.Open("cuecard.test.gamma", "Gamma window")
	waitFor(t, tr, 10*time.Second, "gamma after the restart", isWindow(g, "Gamma window"))
	if err := tr.Close(); err != nil {
		t.Fatal(err)
	}
	for range tr.Events() {
	}
}

// measureSwitches raises a and b in turn n times (a first: b must have the
// focus) and returns the delays from the raise command to the event, sorted.
// Titles: the windows' current titles.
func measureSwitches(t testing.TB, tr Tracker, a, b *desktoptest.Window, titleA, titleB string, n int) []time.Duration {
	var ds []time.Duration
	for i := range n {
		w, title := a, titleA
		if i%2 == 1 {
			w, title = b, titleB
		}
		start := time.Now()
		w.Raise()
		waitFor(t, tr, 10*time.Second, "the raised window", isWindow(w, title))
		ds = append(ds, time.Since(start))
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return ds
}

func pct(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	return ds[min(len(ds)-1, int(float64(len(ds))*p))]
}
