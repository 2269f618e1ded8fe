//go:build darwin && cgo

package focus

import (
	"path/filepath"
	"strings"
	"time"

	"github.com/go-vgo/robotgo"

	"github.com/cuecard/cuecard/internal/guide"
)

// New starts a Tracker for this system. It never fails: when the focused
// window cannot be known the first event says why.
//
// On macOS the focused window is polled through robotgo every Options.Poll:
// the foreground window's pid and title, and the executable's name. robotgo
// has no focus events there, and no class; Class and Instance stay empty.
func New(o Options) Tracker {
	o = o.withDefaults()
	t := &pollTracker{
		opts:   o,
		filter: newFilter(o),
		out:    newOutbox(),
		stop:   make(chan struct{}),
		done:   make(chan struct{}),
		read:   robotgoWindow,
	}
	go t.run()
	return t
}

// robotgoWindow reads the foreground window. robotgo returns this sentinel
// title when it has no valid window.
func robotgoWindow() (guide.Window, error) {
	pid := robotgo.GetPid()
	title := robotgo.GetTitle()
	if title == "is_valid failed." {
		title = ""
	}
	w := guide.Window{PID: pid, Title: title}
	if pid > 0 {
		if name, err := robotgo.FindName(pid); err == nil {
			w.Exe = filepath.Base(strings.TrimSpace(name))
		}
	}
	return w, nil
}

// pollTracker polls a window reader and reports changes.
type pollTracker struct {
	opts   Options
	filter filter
	out    *outbox
	stop   chan struct{}
	done   chan struct{}
	read   func() (guide.Window, error)
}

func (t *pollTracker) Events() <-chan Event { return t.out.ch }

func (t *pollTracker) Close() error {
	select {
	case <-t.stop:
	default:
		close(t.stop)
	}
	<-t.done
	return nil
}

func (t *pollTracker) run() {
	defer close(t.done)
	defer t.out.close()
	t.out.status(true, "tracking the focused window (robotgo, every "+t.opts.Poll.String()+")")
	tick := time.NewTicker(t.opts.Poll)
	defer tick.Stop()
	var last guide.Window
	first := true
	for {
		w, err := t.poll()
		switch {
		case err != nil:
			t.out.status(false, Unavailable+err.Error())
			first = true
		case first || w != last:
			first, last = false, w
			switch t.filter.judge(w) {
			case report:
				t.out.window(w)
			case hide:
				t.out.window(guide.Window{})
			case silence:
			}
		}
		select {
		case <-t.stop:
			return
		case <-tick.C:
		}
	}
}

// poll reads the window, turning a panic in the reader into an error.
func (t *pollTracker) poll() (w guide.Window, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errPanic{r}
		}
	}()
	return t.read()
}

type errPanic struct{ v any }

func (e errPanic) Error() string { return "the window reader failed" }
