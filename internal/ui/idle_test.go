package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
)

// trackAll tracks the windows fyne's test driver may have made by itself
// (hidden, with no title).
func trackAll(ix *idler) {
	for _, w := range ix.app.Driver().AllWindows() {
		if _, ok := ix.windows[w]; !ok {
			ix.track(w)
		}
	}
}

func TestIdlerFollowsWindows(t *testing.T) {
	a := test.NewTempApp(t)
	ix := newIdler(a)
	trackAll(ix)
	if ix.enabled {
		t.Fatal("the idler is enabled on fyne's test driver")
	}
	closed := 0
	w := ix.track(a.NewWindow("one"))
	w.SetOnClosed(func() { closed++ })
	if !ix.allHidden() {
		t.Error("a hidden window counts as shown")
	}
	w.Show()
	if ix.allHidden() {
		t.Error("a shown window counts as hidden")
	}
	w.Hide()
	if !ix.allHidden() {
		t.Error("a hidden window counts as shown")
	}

	// A window the idler does not know might be shown: no sleeping, except
	// fyne's own hidden tray window.
	other := a.NewWindow("other")
	if ix.allHidden() {
		t.Error("an unknown window is taken as hidden")
	}
	other.Close()
	a.NewWindow(systrayMonitor)
	if !ix.allHidden() {
		t.Errorf("fyne's %s window stops the idler", systrayMonitor)
	}

	w.Show()
	w.Close()
	if closed != 1 {
		t.Errorf("the window's own close callback ran %d times", closed)
	}
	if _, ok := ix.windows[w.(*trackedWindow).Window]; ok {
		t.Error("a closed window is still tracked")
	}
}

func TestIdlerWaitEndsOnWakeAndStop(t *testing.T) {
	defer func(d time.Duration) { idleSlice = d }(idleSlice)
	idleSlice = time.Hour // only wake or stop can end a wait
	a := test.NewTempApp(t)
	ix := newIdler(a)
	ix.onMain = func() bool { return true }
	ix.track(a.NewWindow("hidden"))
	trackAll(ix)

	park := func() chan bool {
		r := make(chan bool, 1)
		go func() { r <- ix.park() }()
		return r
	}
	waited := func(r chan bool, what string) {
		t.Helper()
		select {
		case ok := <-r:
			if !ok {
				t.Errorf("%s: park did not wait with every window hidden", what)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%s did not end the wait", what)
		}
	}

	// A wake before the wait begins ends it too: a function queued just
	// before is not left waiting.
	ran := make(chan bool, 1)
	ix.do(func() { ran <- true })
	select {
	case <-ran:
	case <-time.After(10 * time.Second):
		t.Fatal("do did not run its function")
	}
	waited(park(), "the wake of an earlier do")
	r := park()
	time.Sleep(50 * time.Millisecond)
	ix.wake()
	waited(r, "wake")
	if n := ix.waits.Load(); n != 2 {
		t.Errorf("waits = %d, want 2", n)
	}

	r = park()
	time.Sleep(50 * time.Millisecond)
	ix.stop()
	waited(r, "stop")
	ix.stop() // twice is fine
	waited(park(), "a wait after stop")

	// Quitting: nothing more is queued on fyne's loop.
	late := false
	ix.do(func() { late = true })
	time.Sleep(50 * time.Millisecond)
	if late {
		t.Error("a function was queued after stop")
	}

	// Not on fyne's thread (fyne runs queued functions on the caller's
	// goroutine while it quits): no wait.
	ix.onMain = func() bool { return false }
	if ix.park() {
		t.Error("park waited off the UI thread")
	}
}

// TestIdlerStaysAwake: stayAwake (the tray, on Windows) ends the current
// wait and keeps the idler from waiting until its time is up.
func TestIdlerStaysAwake(t *testing.T) {
	defer func(d time.Duration) { idleSlice = d }(idleSlice)
	idleSlice = time.Hour
	a := test.NewTempApp(t)
	ix := newIdler(a)
	ix.onMain = func() bool { return true }
	ix.track(a.NewWindow("hidden"))
	trackAll(ix)
	defer ix.stop()

	r := make(chan bool, 1)
	go func() { r <- ix.park() }()
	time.Sleep(50 * time.Millisecond)
	ix.stayAwake(300 * time.Millisecond)
	select {
	case ok := <-r:
		if !ok {
			t.Error("the wait under way was not a wait")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("stayAwake did not end the wait under way")
	}
	select { // stayAwake's wake was taken by the wait, or is pending: clear it
	case <-ix.wakeUp:
	default:
	}
	if ix.park() {
		t.Error("park waited while the idler is to stay awake")
	}
	time.Sleep(400 * time.Millisecond)
	go func() { r <- ix.park() }()
	time.Sleep(50 * time.Millisecond)
	ix.wake()
	if ok := <-r; !ok {
		t.Error("park did not wait once the time to stay awake was over")
	}
}
