package coach

import (
	"maps"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/cuecard/cuecard/internal/guide"
)

// memStore is the Store of a Coach without one: everything in memory, lost
// on exit. It is for a state file that cannot be opened (another process
// holds it) and for UI tests.
type memStore struct {
	mu       sync.Mutex
	seen     map[string][2]time.Time // first, notified
	names    map[string]string
	snoozes  map[string]time.Time
	mutes    map[string]string
	paused   time.Time
	pops     []time.Time
	added    map[string]time.Time
	steps    map[string]map[string]bool
	views    map[string]int
	walks    map[string]int
	votes    map[string]bool
	misses   map[string]int
	lastMiss map[string]time.Time
	focus    map[string]time.Duration
	acks     map[string]guide.Completion
	marked   map[string]guide.Completion
	reminded time.Time
}

var (
	_ Store      = (*memStore)(nil)
	_ TrackStore = (*memStore)(nil)
)

// memMaxMisses bounds the searches a memStore keeps.
const memMaxMisses = 1000

func newMemStore() *memStore {
	return &memStore{
		seen: map[string][2]time.Time{}, names: map[string]string{}, snoozes: map[string]time.Time{},
		mutes: map[string]string{}, added: map[string]time.Time{}, steps: map[string]map[string]bool{},
		views: map[string]int{}, walks: map[string]int{}, votes: map[string]bool{}, misses: map[string]int{}, lastMiss: map[string]time.Time{},
		focus: map[string]time.Duration{}, acks: map[string]guide.Completion{}, marked: map[string]guide.Completion{},
	}
}

func (m *memStore) Acknowledge(id, hash string, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.acks[id] = guide.Completion{At: at, Hash: hash}
	return nil
}

func (m *memStore) SetMarkedDone(id, hash string, done bool, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !done {
		delete(m.marked, id)
		return nil
	}
	m.marked[id] = guide.Completion{At: at, Hash: hash}
	return nil
}

func (m *memStore) Acknowledged() (map[string]guide.Completion, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return maps.Clone(m.acks), nil
}

func (m *memStore) MarkedDone() (map[string]guide.Completion, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return maps.Clone(m.marked), nil
}

func (m *memStore) LastReminder() (time.Time, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.reminded, nil
}

func (m *memStore) SetLastReminder(at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.reminded = at
	return nil
}

func (m *memStore) Seen(app string) (time.Time, time.Time, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.seen[app]
	return s[0], s[1], nil
}

func (m *memStore) MarkSeen(app, name string, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.seen[app]
	if s[0].IsZero() {
		s[0] = at
	}
	s[1] = at
	m.seen[app] = s
	if name != "" {
		m.names[app] = name
	}
	return nil
}

func (m *memStore) SnoozedUntil(app string) (time.Time, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.snoozes[app], nil
}

func (m *memStore) Snooze(app string, until time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if until.IsZero() {
		delete(m.snoozes, app)
	} else {
		m.snoozes[app] = until
	}
	return nil
}

func (m *memStore) Muted(app string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	_, ok := m.mutes[app]
	return ok, nil
}

func (m *memStore) SetMuted(app, name string, muted bool, _ time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !muted {
		delete(m.mutes, app)
		return nil
	}
	if name == "" {
		name = m.names[app]
	}
	m.mutes[app] = name
	return nil
}

func (m *memStore) MutedApps() (map[string]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make(map[string]string, len(m.mutes))
	for k, v := range m.mutes {
		out[k] = v
	}
	return out, nil
}

func (m *memStore) PausedUntil() (time.Time, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.paused, nil
}

func (m *memStore) Pause(until time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.paused = until
	return nil
}

func (m *memStore) RecordPop(_ string, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.pops = append(m.pops, at)
	sort.Slice(m.pops, func(i, j int) bool { return m.pops[i].Before(m.pops[j]) })
	if len(m.pops) > 100 {
		m.pops = m.pops[len(m.pops)-100:]
	}
	return nil
}

func (m *memStore) PopsSince(t time.Time) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, p := range m.pops {
		if !p.Before(t) {
			n++
		}
	}
	return n, nil
}

func (m *memStore) AddNewGuides(ids []string, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, id := range ids {
		m.added[id] = at
	}
	return nil
}

func (m *memStore) NewGuides(ids []string) (map[string]time.Time, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[string]time.Time{}
	for _, id := range ids {
		if t, ok := m.added[id]; ok {
			out[id] = t
		}
	}
	return out, nil
}

func (m *memStore) SetStep(id, step string, checked bool, _ time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.steps[id] == nil {
		m.steps[id] = map[string]bool{}
	}
	if checked {
		m.steps[id][step] = true
	} else {
		delete(m.steps[id], step)
	}
	return nil
}

func (m *memStore) Ticked() (map[string]time.Time, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[string]time.Time{}
	for id, steps := range m.steps {
		if len(steps) > 0 {
			out[id] = time.Time{}
		}
	}
	return out, nil
}

func (m *memStore) Checked(id string) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for s := range m.steps[id] {
		out = append(out, s)
	}
	sort.Strings(out)
	return out, nil
}

func (m *memStore) ResetChecklist(id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.steps, id)
	return nil
}

func (m *memStore) RecordView(id string, _ time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.views[id]++
	return nil
}

func (m *memStore) RecordWalk(id string, _ time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.walks[id]++
	return nil
}

func (m *memStore) SetVote(id string, helpful bool, _ time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.votes[id] = helpful
	return nil
}

func (m *memStore) RecordMiss(query string, at time.Time) error {
	q := strings.Join(strings.Fields(strings.ToLower(query)), " ")
	if q == "" {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.misses[q]; !ok && len(m.misses) >= memMaxMisses {
		return nil // bounded: a state file-less session keeps the first ones
	}
	m.misses[q]++
	m.lastMiss[q] = at
	return nil
}

func (m *memStore) AddFocus(app, name string, d time.Duration, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.focus[app] += d
	return nil
}
