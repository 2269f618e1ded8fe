package desktop

import (
	"context"
	"sync"

	"github.com/cuecard/cuecard/internal/hotkey"
)

// searchKey is the search hotkey, which Settings can change while the app
// runs: the new key is grabbed before the old one is let go.
type searchKey struct {
	register func(context.Context, hotkey.Key, hotkey.Options) (Hotkey, error)
	opts     hotkey.Options

	mu     sync.Mutex
	hk     Hotkey
	action func()
}

// change makes k the search hotkey; an error (the key is held by another
// program) leaves the current one in place.
func (s *searchKey) change(ctx context.Context, k hotkey.Key) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hk != nil && s.hk.Key() == k {
		return nil
	}
	h, err := s.register(ctx, k, s.opts)
	if err != nil {
		return err
	}
	old := s.hk
	s.hk = h
	if s.action != nil {
		go listenKey(h, s.action)
	}
	if old != nil {
		old.Close()
	}
	return nil
}

// setAction starts calling action on each press.
func (s *searchKey) setAction(action func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.action = action
	if s.hk != nil {
		go listenKey(s.hk, action)
	}
}

// current is the registered key, or fallback when none is.
func (s *searchKey) current(fallback hotkey.Key) hotkey.Key {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hk == nil {
		return fallback
	}
	return s.hk.Key()
}

// registered is the registered hotkey, or nil.
func (s *searchKey) registered() Hotkey {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hk
}

func (s *searchKey) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hk != nil {
		s.hk.Close()
		s.hk = nil
	}
}

// listenKey calls action for each press until h is closed.
func listenKey(h Hotkey, action func()) {
	for range h.Events() {
		action()
	}
}
