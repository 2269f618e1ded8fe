package ui

import (
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver"
)

// The idler lets the app sleep while none of its windows is shown, which
// is most of the day: the panel hidden, the search window closed.
//
// fyne 2.7.1's event loop wakes 60 times a second whatever is on screen
// (a ticker polls GLFW for events and looks for windows to redraw). That
// alone is about 1 % of a core, all day, for an app that does nothing.
// While every window is hidden, the idler runs one function on fyne's
// loop that waits for at most idleSlice, and then lets the loop run again
// (it polls X and draws nothing): the loop wakes about 1/idleSlice times a
// second instead of 60. The wait is in Go, not in a C call: a thread
// blocked in C keeps Go's system monitor waking every 10 ms, which costs
// as much as fyne's ticker.
//
// Everything the app itself asks of the UI goes through Shell.Do, which
// queues the function and then ends the wait at once, so the panel and
// the hotkey are as quick as without the idler. What reaches fyne's loop
// otherwise (a click in the tray menu, an X event such as another app
// pasting what the app copied) waits for the end of the current slice: at
// most idleSlice.
//
// Windows are known to the idler because the shell makes them with
// newWindow; if fyne knows a window the idler does not, it does not wait.
type idler struct {
	enabled bool        // fyne's desktop driver on Linux or Windows: not its test driver
	onMain  func() bool // whether the caller runs on fyne's UI thread
	waits   atomic.Int64
	awake   atomic.Int64 // no wait until this time (Unix nanoseconds)
	slice   atomic.Int64 // the longest wait (idleSlice when made)

	mu      sync.Mutex
	stopped bool          // the app is quitting: queue nothing more
	kick    chan struct{} // a window was shown or hidden: look again
	wakeUp  chan struct{} // end the current wait
	done    chan struct{} // closed by stop

	// On the UI goroutine only.
	windows map[fyne.Window]*trackedWindow
	app     fyne.App
}

// idleSlice is the longest wait: how late a click in the tray menu can be
// handled while the app idles, where the tray does not wake the idler
// (defaultIdleSlice: 100 ms on Linux, 1 s on Windows, where a click on the
// tray icon or its menu does).
var idleSlice = defaultIdleSlice

// idleRecheck is how often the idler looks again while a window is shown
// (a window shown or hidden by the app also makes it look at once).
const idleRecheck = 2 * time.Second

func newIdler(a fyne.App) *idler {
	ix := &idler{
		enabled: idleSupported && isGLFW(a.Driver()),
		onMain:  mainThread,
		kick:    make(chan struct{}, 1),
		wakeUp:  make(chan struct{}, 1),
		done:    make(chan struct{}),
		windows: map[fyne.Window]*trackedWindow{},
		app:     a,
	}
	ix.slice.Store(int64(idleSlice))
	return ix
}

// isGLFW reports whether d is fyne's desktop driver (not its test driver),
// whose loop the idler knows how to park.
func isGLFW(d fyne.Driver) bool {
	t := reflect.TypeOf(d)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t != nil && strings.HasSuffix(t.PkgPath(), "/internal/driver/glfw")
}

// run parks the UI goroutine whenever every window is hidden, until stop.
// Start it once the app runs.
func (ix *idler) run() {
	if !ix.enabled {
		return
	}
	parked := make(chan bool, 1)
	for {
		ix.mu.Lock()
		if ix.stopped {
			ix.mu.Unlock()
			return
		}
		fyne.Do(func() { parked <- ix.park() })
		ix.mu.Unlock()

		select {
		case <-ix.done:
			return
		case ok := <-parked:
			if ok {
				continue
			}
		}
		// A window is shown: look again when the app shows or hides one,
		// or after a while (a window closed by the window manager).
		select {
		case <-ix.done:
			return
		case <-ix.kick:
		case <-time.After(idleRecheck):
		}
	}
}

// park waits for at most idleSlice if every window is hidden, and reports
// whether it did. UI goroutine.
func (ix *idler) park() bool {
	// While fyne quits it runs queued functions on the caller's goroutine:
	// then there is no loop to park.
	if !ix.onMain() || time.Now().UnixNano() < ix.awake.Load() || !ix.allHidden() {
		return false
	}
	ix.waits.Add(1)
	t := time.NewTimer(time.Duration(ix.slice.Load()))
	defer t.Stop()
	select {
	case <-t.C:
	case <-ix.wakeUp:
	case <-ix.done:
	}
	return true
}

// allHidden reports whether every window of the app is hidden and known
// to the idler. UI goroutine.
func (ix *idler) allHidden() bool {
	for _, w := range ix.app.Driver().AllWindows() {
		tw, ok := ix.windows[w]
		if !ok && w.Title() == systrayMonitor {
			continue
		}
		if !ok || tw.shown {
			return false
		}
	}
	return true
}

// systrayMonitor is the title of the window fyne 2.7.1 makes, never
// shows, and watches for the session asking the app to quit, when it has
// a tray icon.
const systrayMonitor = "SystrayMonitor"

// wake ends the current wait, or the next one if none is under way (a
// function queued just before a wait begins is not left waiting). Any
// goroutine.
func (ix *idler) wake() { signal(ix.wakeUp) }

// stayAwake ends the current wait and lets fyne's loop run freely for d:
// something outside the app's windows (the tray menu) is about to queue
// work on it. Any goroutine, any thread.
func (ix *idler) stayAwake(d time.Duration) {
	ix.awake.Store(time.Now().Add(d).UnixNano())
	ix.wake()
}

// changed tells the idler that a window was shown or hidden.
func (ix *idler) changed() { signal(ix.kick) }

// signal sends on ch, a channel of one, unless a signal is already waiting.
func signal(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// stop ends run and lets the UI goroutine go; nothing is queued after it.
// Any goroutine; call it before quitting the app.
func (ix *idler) stop() {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.stopped {
		return
	}
	ix.stopped = true
	close(ix.done)
}

// do runs f on the UI goroutine soon: it is queued, then the wait is
// ended so that fyne's loop takes it at once.
// Once the app is quitting nothing is queued: fyne 2.7.1 closes its queue
// as it quits, and a function queued at that moment panics ("send on
// closed channel").
func (ix *idler) do(f func()) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.stopped {
		return
	}
	fyne.Do(f)
	ix.wake()
}

// track makes w known to the idler and returns the window to use in its
// place: the same window, with Show, Hide and Close seen by the idler.
// UI goroutine.
func (ix *idler) track(w fyne.Window) fyne.Window {
	tw := &trackedWindow{Window: w, ix: ix}
	ix.windows[w] = tw
	w.SetOnClosed(tw.closed)
	return tw
}

// trackedWindow is a window whose visibility the idler follows.
type trackedWindow struct {
	fyne.Window
	ix       *idler
	shown    bool
	onClosed func()
}

func (w *trackedWindow) Show() {
	w.shown = true
	w.ix.changed()
	w.Window.Show()
}

func (w *trackedWindow) Hide() {
	w.Window.Hide()
	w.shown = false
	w.ix.changed()
}

func (w *trackedWindow) ShowAndRun() {
	w.Show()
	w.ix.app.Run()
}

func (w *trackedWindow) SetOnClosed(f func()) { w.onClosed = f }

func (w *trackedWindow) closed() {
	w.shown = false
	delete(w.ix.windows, w.Window)
	w.ix.changed()
	if w.onClosed != nil {
		w.onClosed()
	}
}

// RunNative passes on to the window: the panel's X11 hints need it.
func (w *trackedWindow) RunNative(f func(any)) {
	if nw, ok := w.Window.(driver.NativeWindow); ok {
		nw.RunNative(f)
	}
}
