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

func TestBusyState(t *testing.T) {
	for s, want := range map[int32]bool{qunsNotPresent: false, qunsBusy: true, qunsRunningD3DFullScren: true,
		qunsPresentationMode: true, qunsAcceptsNotification: false, qunsQuietTime: false, qunsApp: true, 0: false} {
		if got := busyState(s); got != want {
			t.Errorf("busyState(%d) = %v, want %v", s, got, want)
		}
	}
	// Whatever the system says, asking must not fail or crash.
	t.Logf("Busy() = %v", Busy())
}
