//go:build windows

package win32

import (
	"testing"

	"golang.org/x/sys/windows"
)

func TestHostedApp(t *testing.T) {
	pids := map[windows.HWND]uint32{1: 10, 2: 10, 3: 0, 4: 42, 5: 43}
	pidOf := func(h windows.HWND) uint32 { return pids[h] }
	if got := hostedApp(10, []windows.HWND{1, 2, 3, 4, 5}, pidOf); got != 42 {
		t.Errorf("hostedApp = %d, want 42 (the first child of another process)", got)
	}
	if got := hostedApp(10, []windows.HWND{1, 2, 3}, pidOf); got != 0 {
		t.Errorf("hostedApp = %d, want 0 (no child of another process)", got)
	}
}
