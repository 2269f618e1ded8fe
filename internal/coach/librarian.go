// Package coach is Cuecard's headless engine. It owns the decisions and
// talks to the outside only through small interfaces it declares itself, so
// every part of it runs in tests without a display, a window system or a
// real index.
//
// Coach turns focused windows into suggestions: it matches the window
// against the guides' app rules, applies the suggestion policy (first use,
// rate limit, snooze, mute, pause, fullscreen) and publishes Updates for the
// UI. Librarian applies library changes (from the folder watcher) to the
// search index in order and publishes what happened to subscribers such as
// the UI and the Coach.
package coach

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/latest"
)

// Index is what the librarian needs of the search index.
type Index interface {
	Apply(ctx context.Context, upserts []*guide.Guide, deletes []string) error
}

// LibraryEvent says what one applied batch of library changes did.
type LibraryEvent struct {
	At      time.Time
	Added   []string // guide ids new to the index
	Updated []string // guide ids indexed again
	Removed []string // guide ids gone from the index
	// Titles holds the titles of added and updated guides, by id.
	Titles map[string]string
	// ProblemsChanged is true when Problems is the new full list, shared
	// with every subscriber and the librarian: it must not be modified.
	ProblemsChanged bool
	Problems        []guide.Problem
	// Rescan is true when the batch came from a full rescan.
	Rescan bool
	// Status is a change of the watcher's state, if any.
	Status string
	// Err is set when the batch could not be applied to the index.
	Err error
}

// Librarian applies guide.Change batches to an Index.
type Librarian struct {
	index Index

	mu       sync.Mutex
	known    map[string]bool
	problems []guide.Problem
	status   string
	applied  time.Time
	subs     []chan LibraryEvent
}

// NewLibrarian starts from the ids the index already holds.
func NewLibrarian(ix Index, known []string) *Librarian {
	l := &Librarian{index: ix, known: map[string]bool{}}
	for _, id := range known {
		l.known[id] = true
	}
	return l
}

// Subscribe returns a channel of events. Sends never block the librarian:
// when a subscriber falls behind, its oldest unread event is dropped (each
// event carries the full problem list, so the latest one is what counts).
func (l *Librarian) Subscribe(buffer int) <-chan LibraryEvent {
	if buffer < 1 {
		buffer = 1
	}
	ch := make(chan LibraryEvent, buffer)
	l.mu.Lock()
	l.subs = append(l.subs, ch)
	l.mu.Unlock()
	return ch
}

// Problems is the library's current problem list.
func (l *Librarian) Problems() []guide.Problem {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]guide.Problem(nil), l.problems...)
}

// Status is the watcher's last status message and when a batch was last applied.
func (l *Librarian) Status() (status string, applied time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.status, l.applied
}

// Count is the number of guides the librarian knows are indexed.
func (l *Librarian) Count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.known)
}

// Run applies every change until the channel closes or ctx is done. An
// index error is published and returned: the index can no longer be trusted
// to equal the library, so the caller must reconcile (restart) it.
func (l *Librarian) Run(ctx context.Context, changes <-chan guide.Change) error {
	defer l.closeSubs()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case c, ok := <-changes:
			if !ok {
				return nil
			}
			if err := l.Apply(ctx, c); err != nil {
				return err
			}
		}
	}
}

// Apply applies one change and publishes its event.
func (l *Librarian) Apply(ctx context.Context, c guide.Change) error {
	ev := LibraryEvent{At: time.Now(), Rescan: c.Rescan, Status: c.Status, Titles: map[string]string{}}
	if len(c.Upserts) > 0 || len(c.Removes) > 0 {
		if err := l.index.Apply(ctx, c.Upserts, c.Removes); err != nil {
			ev.Err = fmt.Errorf("update the index: %w", err)
			l.publish(ev)
			return ev.Err
		}
	}
	l.mu.Lock()
	for _, id := range c.Removes {
		if l.known[id] {
			ev.Removed = append(ev.Removed, id)
			delete(l.known, id)
		}
	}
	for _, g := range c.Upserts {
		if l.known[g.ID] {
			ev.Updated = append(ev.Updated, g.ID)
		} else {
			ev.Added = append(ev.Added, g.ID)
			l.known[g.ID] = true
		}
		ev.Titles[g.ID] = g.Title
	}
	if c.ProblemsChanged {
		l.problems = c.Problems // read-only (guide.Change): not copied
		ev.ProblemsChanged = true
		ev.Problems = c.Problems
	}
	if c.Status != "" {
		l.status = c.Status
	}
	l.applied = ev.At
	l.mu.Unlock()
	sort.Strings(ev.Added)
	sort.Strings(ev.Updated)
	sort.Strings(ev.Removed)
	l.publish(ev)
	return nil
}

func (l *Librarian) publish(ev LibraryEvent) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, ch := range l.subs {
		latest.Send(ch, ev)
	}
}

func (l *Librarian) closeSubs() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, ch := range l.subs {
		close(ch)
	}
	l.subs = nil
}
