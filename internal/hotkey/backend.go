package hotkey

import (
	"log/slog"
	"sync"
)

// Hotkey is a registered global hotkey. Close releases it.
type Hotkey struct {
	key    Key
	events chan struct{}
	status chan Status

	stop     chan struct{}
	stopOnce sync.Once
	done     chan struct{}

	// The backend's side.
	log      *slog.Logger
	mu       sync.Mutex
	last     Status
	sent     bool
	finished bool // Events and Status are closed
	portal   bool // registered through the GlobalShortcuts portal
}

// ThroughPortal reports whether the key was registered through the
// desktop's GlobalShortcuts portal (Wayland) rather than grabbed in X11 or
// registered with Windows.
func (h *Hotkey) ThroughPortal() bool { return h.portal }

func taken(k Key, cause error) error {
	return &kindError{kind: ErrTaken, msg: k.String() + " is already used by another program: choose another hotkey in Settings", err: cause}
}

func newHotkey(k Key, o Options) *Hotkey {
	return &Hotkey{
		key:    k,
		log:    o.Logger,
		events: make(chan struct{}, 1),
		status: make(chan Status, 1),
		stop:   make(chan struct{}),
		done:   make(chan struct{}),
	}
}

// press reports one press without blocking.
func (h *Hotkey) press() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.finished {
		return
	}
	select {
	case h.events <- struct{}{}:
	default:
	}
}

// setStatus publishes s unless it says the same as the last one; an unread
// older state is replaced. Only the backend's goroutine calls it.
func (h *Hotkey) setStatus(s Status) {
	h.mu.Lock()
	same := h.sent && h.last.Active == s.Active && errText(h.last.Err) == errText(s.Err)
	h.last, h.sent = s, true
	h.mu.Unlock()
	if same {
		return
	}
	if s.Active {
		h.log.Info("hotkey: active", "key", h.key.String())
	} else {
		h.log.Warn("hotkey: inactive", "key", h.key.String(), "err", s.Err)
	}
	for {
		select {
		case h.status <- s:
			return
		default:
		}
		select {
		case <-h.status:
		default:
		}
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// finish closes the channels; the backend's goroutine calls it last.
func (h *Hotkey) finish() {
	h.mu.Lock()
	h.finished = true
	h.mu.Unlock()
	close(h.events)
	close(h.status)
	close(h.done)
}
