//go:build linux

package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/robotn/xgb/xproto"

	"github.com/cuecard/cuecard/internal/focus/focustest"
	"github.com/cuecard/cuecard/internal/testlog"
)

// wineDesktop is cuecard.exe app under Wine on Xvfb + openbox, with
// Notepad and WineMine open (each has a guide) and an X observer; the
// benchmarks measure what the user sees, as BenchmarkDesktop* do on X11.
type wineDesktop struct {
	x       *focustest.X
	o       *observer
	e       []string
	appPID  int
	logs    func() string // what the app printed
	notepad xproto.Window
	mines   xproto.Window
}

func startWineDesktop(b *testing.B) *wineDesktop {
	b.Helper()
	exe := windowsBinary(b)
	x := focustest.StartX(b)
	x.StartWM()
	e := wineEnv(b, x, "wine-bench")
	lib := b.TempDir()
	guide := func(name, title, exe string) {
		os.WriteFile(filepath.Join(lib, name), []byte("---\ntitle: "+title+"\nsummary: A guide.\nowner: it@example.com\nreviewed: 2026-11-01\napps:\n  - exe: '(?i)^"+exe+"(\\.exe)?$'\n---\nSteps.\n"), 0o644)
	}
	guide("notepad.md", "How to save a note as UTF-8", "notepad")
	guide("mines.md", "How to play a quick round of Minesweeper", "winemine")
	w := &wineDesktop{x: x, o: newObserver(b, x.Display), e: e}
	app := wine(e, exe, "--verbose", "--library", winPath(lib), "app")
	var stderr testlog.Buffer
	app.Stderr = &stderr
	w.logs = stderr.String
	if err := app.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { stopProcess(app) })
	w.appPID = app.Process.Pid
	w.notepad = w.open(b, "notepad", "Notepad")
	w.mines = w.open(b, "winemine", "Mine")
	return w
}

// open starts a Wine program and returns its window (named name).
func (w *wineDesktop) open(b *testing.B, prog, name string) xproto.Window {
	b.Helper()
	p := wine(w.e, prog)
	if err := p.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { stopProcess(p) })
	// The first program in a new prefix waits for it to be made.
	for deadline := time.Now().Add(90 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if id := strings.TrimSpace(w.x.Tool("xdotool", "search", "--onlyvisible", "--name", name)); id != "" {
			return firstWindow(b, id)
		}
	}
	b.Fatalf("%s did not open", prog)
	return 0
}

// firstWindow is the first window id xdotool printed.
func firstWindow(b *testing.B, ids string) xproto.Window {
	b.Helper()
	id, err := strconv.ParseUint(strings.Fields(ids)[0], 10, 32)
	if err != nil {
		b.Fatal(err)
	}
	return xproto.Window(id)
}

// panel waits for the panel window (its title names the app) and returns it.
func (w *wineDesktop) panel(b *testing.B) xproto.Window {
	b.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if id := strings.TrimSpace(w.x.Tool("xdotool", "search", "--onlyvisible", "--name", "^Cuecard: ")); id != "" {
			return firstWindow(b, id)
		}
	}
	b.Fatalf("the panel never appeared\napp: %s", w.logs())
	return 0
}

// BenchmarkWineFocusPanel: the focus moves between Notepad and WineMine
// (a _NET_ACTIVE_WINDOW request to the window manager) until the panel,
// which stays open, names the newly focused app and is shown.
func BenchmarkWineFocusPanel(b *testing.B) {
	w := startWineDesktop(b)
	w.o.activate(w.notepad)
	panel := w.panel(b)
	w.o.follow(panel)
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(w.o.name(panel), "Notepad"); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			b.Fatalf("the panel does not name Notepad (%q)\napp: %s", w.o.name(panel), w.logs())
		}
	}
	wins := []xproto.Window{w.mines, w.notepad}
	want := []string{"Mine", "Notepad"}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		time.Sleep(300 * time.Millisecond)
		drain(w.o.names)
		drain(w.o.maps)
		b.StartTimer()
		start := time.Now()
		w.o.activate(wins[i%2])
		timeout := time.After(10 * time.Second)
		var end time.Time
		for end.IsZero() {
			select {
			case n := <-w.o.names:
				if strings.Contains(strings.ToLower(n.v), strings.ToLower(want[i%2])) {
					end = n.at
				}
			case <-timeout:
				b.Fatalf("the panel never named %q (now %q)", want[i%2], w.o.name(panel))
			}
		}
		for !w.o.viewable(panel) {
			select {
			case m := <-w.o.maps:
				if m.v {
					end = m.at
				}
			case <-timeout:
				b.Fatal("the panel was not shown again")
			}
		}
		lat = append(lat, end.Sub(start))
	}
	b.StopTimer()
	reportLatency(b, "focus_to_panel", lat)
}

// BenchmarkWineHotkeySearch: Ctrl+Alt+Space pressed (xdotool, whose own
// start, a few ms, is counted) while Notepad has the focus, to the search
// window active.
func BenchmarkWineHotkeySearch(b *testing.B) {
	w := startWineDesktop(b)
	w.o.activate(w.notepad)
	w.panel(b) // the app runs and has settled
	np := strconv.FormatUint(uint64(w.notepad), 10)
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		w.x.Tool("xdotool", "windowactivate", "--sync", np)
		time.Sleep(300 * time.Millisecond)
		drain(w.o.active)
		b.StartTimer()
		start := time.Now()
		w.x.Tool("xdotool", "key", "ctrl+alt+space")
		a := w.o.waitActive(0, w.notepad)
		lat = append(lat, a.at.Sub(start))
		b.StopTimer()
		if n := w.o.name(a.v); n != "Search guides - Cuecard" {
			b.Fatalf("the hotkey focused %q, not the search window", n)
		}
		w.x.Tool("xdotool", "key", "Escape")
		b.StartTimer()
	}
	b.StopTimer()
	reportLatency(b, "hotkey_to_search", lat)
}

// BenchmarkWineIdle: the app's CPU (its own Wine process, not the
// wineserver's share) with every window hidden, after it settled: the
// focus is on Wine's Registry Editor, which has no guide, so the panel
// hides.
func BenchmarkWineIdle(b *testing.B) {
	w := startWineDesktop(b)
	w.o.activate(w.notepad)
	panel := w.panel(b)
	w.o.activate(w.open(b, "regedit", "Registry Editor"))
	for deadline := time.Now().Add(10 * time.Second); w.o.viewable(panel); time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			b.Fatal("the panel stays shown with an app without guides focused")
		}
	}
	b.ResetTimer()
	for range b.N {
		cpu, rss := idle(b, w.appPID, 10*time.Second, 30*time.Second)
		b.ReportMetric(cpu, "idle_cpu_%")
		b.ReportMetric(float64(rss)/(1<<20), "rss_MB")
	}
}
