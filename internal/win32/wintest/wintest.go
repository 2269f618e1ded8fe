//go:build windows

// Package wintest starts and focuses real Win32 programs for tests of the
// Windows code paths, under Wine (make test-windows-desktop) or Windows.
package wintest

import (
	"os"
	"os/exec"
	"testing"
	"time"

	"golang.org/x/sys/windows"

	"github.com/cuecard/cuecard/internal/win32"
)

// Wine reports whether this process runs under Wine (its ntdll exports
// wine_get_version).
func Wine() bool {
	return windows.NewLazySystemDLL("ntdll.dll").NewProc("wine_get_version").Find() == nil
}

// RequireDesktop skips the test under Wine without an X display: Wine
// programs cannot open windows there.
func RequireDesktop(tb testing.TB) {
	tb.Helper()
	if Wine() && os.Getenv("DISPLAY") == "" {
		tb.Skip("needs an X display for Wine's windows: run make test-windows-desktop")
	}
}

// App is a program started for a test; it is killed when the test ends.
type App struct {
	PID int
	cmd *exec.Cmd
}

// Start runs a program (looked up on PATH: "notepad.exe").
func Start(tb testing.TB, name string, args ...string) *App {
	tb.Helper()
	cmd := exec.Command(name, args...)
	if err := cmd.Start(); err != nil {
		tb.Fatalf("start %s: %v", name, err)
	}
	tb.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	return &App{PID: cmd.Process.Pid, cmd: cmd}
}

// Window waits up to 30 s for the program's first visible top-level window.
func (a *App) Window(tb testing.TB) windows.HWND {
	tb.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		for _, h := range win32.TopWindows() {
			var pid uint32
			windows.GetWindowThreadProcessId(h, &pid)
			if int(pid) == a.PID && windows.IsWindowVisible(h) {
				return h
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	tb.Fatalf("no window of pid %d within 30 s", a.PID)
	return 0
}

// Focus makes h the foreground window and waits up to 10 s until it has
// stayed so for 200 ms. Under Wine the window manager can take the focus
// back (a window mapped a moment ago gets activated late), so
// SetForegroundWindow is repeated every 500 ms until the foreground stays.
func Focus(tb testing.TB, h windows.HWND) {
	tb.Helper()
	const settle = 200 * time.Millisecond
	deadline := time.Now().Add(10 * time.Second)
	var since time.Time // when h became the foreground; zero: it is not
	for next := time.Now(); ; time.Sleep(10 * time.Millisecond) {
		now := time.Now()
		if windows.GetForegroundWindow() != h {
			since = time.Time{}
		} else if since.IsZero() {
			since = now
		} else if now.Sub(since) >= settle {
			return
		}
		if now.After(deadline) {
			tb.Fatalf("window %#x is not in the foreground after 10 s (foreground: %#x)", h, windows.GetForegroundWindow())
		}
		if since.IsZero() && now.After(next) {
			if err := win32.SetForegroundWindow(h); err != nil {
				tb.Fatal(err)
			}
			next = now.Add(500 * time.Millisecond)
		}
	}
}
