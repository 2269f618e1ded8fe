//go:build linux

package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/focus/focustest"
	"github.com/cuecard/cuecard/internal/owner"
)

// TestDesktopIdles: with every window hidden the app's UI loop sleeps
// (the idler), and it wakes for what the user does: a tray click and the
// search window work, and while a window is shown the loop does not sleep.
// The CPU it saves is measured by BenchmarkDesktopIdle.
func TestDesktopIdles(t *testing.T) {
	focustest.Require(t, "dbus-daemon", "xdotool")
	x := focustest.StartX(t)
	x.StartWM()
	bus := newTrayBus(t)
	runtimeDir := t.TempDir()
	e := append(env(t), x.Env()...)
	e = append(e, "CUECARD_RUNTIME="+runtimeDir, "DBUS_SESSION_BUS_ADDRESS="+bus.addr)
	startApp(t, e, "--library", sample)
	item := bus.item(t)

	sock := appSocket(t, e, runtimeDir, sample)
	waits := func() int64 {
		d := ipcAsk(t, sock, owner.Request{Cmd: "debug"}).Debug
		if d == nil {
			t.Fatal("no debug answer")
		}
		return d.IdleWaits
	}
	// sleeping waits until the loop has slept n more times.
	sleeping := func(n int64) bool {
		start := waits()
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			if waits() >= start+n {
				return true
			}
		}
		return false
	}
	if !sleeping(5) {
		t.Fatal("the UI loop does not sleep while every window is hidden")
	}

	// A click in the tray menu reaches the sleeping loop.
	bus.clickLabel(t, item, "Search guides...")
	if waitWindow(t, x, "Search guides - Cuecard") == "" {
		t.Fatal("a tray click while the app slept did not open the search window")
	}
	// Shown: the loop runs at fyne's pace, no sleeping.
	time.Sleep(300 * time.Millisecond)
	before := waits()
	time.Sleep(time.Second)
	if after := waits(); after != before {
		t.Errorf("the UI loop slept %d times while the search window was shown", after-before)
	}
	x.Tool("xdotool", "type", "--delay", "20", "refund")

	// Closed: it sleeps again, and the hotkey wakes it.
	x.Tool("xdotool", "key", "Escape")
	if !sleeping(5) {
		t.Fatal("the UI loop does not sleep again after the search window closed")
	}
	x.Tool("xdotool", "key", "ctrl+alt+space")
	if waitWindow(t, x, "Search guides - Cuecard") == "" {
		t.Fatal("the hotkey did not open the search window while the app slept")
	}
}

// TestDesktopWindowsDoNotGrowTheHeap opens the search window and a
// checklist guide again and again: the live heap must stay flat (fyne
// keeps fonts and objects per theme override: see package kit).
func TestDesktopWindowsDoNotGrowTheHeap(t *testing.T) {
	focustest.Require(t, "xdotool")
	x := focustest.StartX(t)
	x.StartWM()
	runtimeDir := t.TempDir()
	e := append(env(t), x.Env()...)
	e = noTray(t, append(e, "CUECARD_RUNTIME="+runtimeDir))
	startApp(t, e, "--library", sample)
	sock := appSocket(t, e, runtimeDir, sample)
	heap := func() uint64 { // live heap, after a collection
		d := ipcAsk(t, sock, owner.Request{Cmd: "debug", HeapProfile: filepath.Join(t.TempDir(), "heap.pprof")}).Debug
		if d == nil {
			t.Fatal("no debug answer")
		}
		return d.HeapAlloc
	}
	round := func() {
		t.Helper()
		x.Tool("xdotool", "key", "ctrl+alt+space")
		if waitWindow(t, x, "Search guides - Cuecard") == "" {
			t.Fatal("the hotkey did not open the search window")
		}
		x.Tool("xdotool", "type", "--delay", "10", "month-end close")
		time.Sleep(300 * time.Millisecond)
		x.Tool("xdotool", "key", "Return")
		w := waitWindow(t, x, "Close the books at month end - Cuecard")
		if w == "" {
			t.Fatal("Enter did not open the checklist guide")
		}
		time.Sleep(300 * time.Millisecond) // drawn
		x.Tool("xdotool", "windowactivate", "--sync", strings.Fields(w)[0], "key", "alt+F4")
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			if strings.TrimSpace(x.Tool("xdotool", "search", "--onlyvisible", "--name", "Close the books")) == "" {
				return
			}
		}
		t.Fatal("Alt+F4 did not close the guide")
	}
	round()
	round()
	before := heap()
	const rounds = 6
	for range rounds {
		round()
	}
	after := heap()
	t.Logf("live heap %.1f MB before, %.1f MB after %d more searches and guides", float64(before)/(1<<20), float64(after)/(1<<20), rounds)
	if after > before+8<<20 {
		t.Errorf("live heap grew from %.1f MB to %.1f MB over %d searches and guides", float64(before)/(1<<20), float64(after)/(1<<20), rounds)
	}
}
