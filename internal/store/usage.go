package store

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Limits on the usage history. Tests may lower them.
var (
	// MaxDays is how many days of daily usage are kept; older days are
	// pruned on write.
	MaxDays = 400
	// MaxDayMisses is how many distinct failed searches a day keeps (the
	// day's count of failed searches keeps counting).
	MaxDayMisses = 200
	// MaxRuns is how many checklist runs are kept per guide (Checklist.Started
	// keeps counting).
	MaxRuns = 20
)

// DateFormat is the layout of Day.Date: the calendar day of the recorded
// times, in their own location (the app records local times).
const DateFormat = "2006-01-02"

// Day is one calendar day of usage, for reports of usage over time.
type Day struct {
	Date string `json:"-"`
	// Views counts guide views by guide id.
	Views map[string]int `json:"views,omitempty"`
	// Walks counts the Guide me walkthroughs of each guide done to the end.
	Walks map[string]int `json:"walks,omitempty"`
	// Focus is the focused time of each app (App key: exe:, class: or web:
	// rule, never a window title) in seconds.
	Focus map[string]int `json:"focus,omitempty"`
	// Misses counts the day's searches that found nothing by normalised
	// text (at most MaxDayMisses texts); MissCount counts all of them.
	Misses    map[string]int `json:"misses,omitempty"`
	MissCount int            `json:"miss_count,omitempty"`
}

// AppFocus is the time an app was focused, summed over all days.
type AppFocus struct {
	Key  string `json:"-"`
	Name string `json:"name,omitempty"`
	// Seconds is the focused time; Spans how many focus spans it sums.
	Seconds int64     `json:"seconds"`
	Spans   int       `json:"spans"`
	First   time.Time `json:"first"`
	Last    time.Time `json:"last"`
}

// Checklist is the history of one checklist guide's runs: a run starts
// when a step is checked with no run open (the first tick, or the first
// after Reset) and ends at ResetChecklist.
type Checklist struct {
	// Started counts every run ever started.
	Started int `json:"started"`
	// Runs are the last MaxRuns runs, oldest first.
	Runs []Run `json:"runs,omitempty"`
}

// Run is one pass through a checklist.
type Run struct {
	Start time.Time `json:"start"`
	// Steps maps each step id checked during the run to when it was first
	// checked: unticking does not remove it, so "every step checked at
	// some time" is a completed run.
	Steps map[string]time.Time `json:"steps,omitempty"`
	// Closed is set by ResetChecklist.
	Closed bool `json:"closed,omitempty"`
}

// Completed reports whether every one of steps was checked during the run,
// and when the last of them was.
func (r Run) Completed(steps []string) (bool, time.Time) {
	if len(steps) == 0 {
		return false, time.Time{}
	}
	var last time.Time
	for _, s := range steps {
		at, ok := r.Steps[s]
		if !ok {
			return false, time.Time{}
		}
		if at.After(last) {
			last = at
		}
	}
	return true, last
}

func dayKey(at time.Time) []byte { return []byte(at.Format(DateFormat)) }

// updateDay applies fn to the day record of at, and prunes days older than
// MaxDays, inside tx.
func (s *Store) updateDay(tx *bolt.Tx, at time.Time, fn func(*Day)) error {
	b := tx.Bucket(bDays)
	key := dayKey(at)
	var d Day
	s.get(tx, bDays, key, &d)
	fn(&d)
	if err := put(b, key, d); err != nil {
		return err
	}
	return deleteBefore(b, dayKey(at.AddDate(0, 0, -MaxDays)))
}

func bump(m *map[string]int, k string, n int) {
	if *m == nil {
		*m = map[string]int{}
	}
	(*m)[k] += n
}

// AddFocus adds a span of d during which app was focused, ending at at.
// name, when not empty, is the app's human name. The caller decides which
// spans are meaningful (the coach drops short ones).
func (s *Store) AddFocus(app, name string, d time.Duration, at time.Time) error {
	if err := checkKey("app", app); err != nil {
		return fmt.Errorf("state: record focus: %w", err)
	}
	secs := int(d / time.Second)
	if secs <= 0 {
		return nil
	}
	return s.update("record focus", func(tx *bolt.Tx) error {
		var a AppFocus
		s.get(tx, bFocus, []byte(app), &a)
		if a.First.IsZero() {
			a.First = at.Add(-d)
		}
		a.Last = at
		a.Seconds += int64(secs)
		a.Spans++
		if name != "" {
			a.Name = name
		}
		if err := put(tx.Bucket(bFocus), []byte(app), a); err != nil {
			return err
		}
		return s.updateDay(tx, at, func(d *Day) { bump(&d.Focus, app, secs) })
	})
}

// FocusApps lists every app with recorded focus time, longest first.
func (s *Store) FocusApps() ([]AppFocus, error) {
	var out []AppFocus
	err := s.view("list focus time", func(tx *bolt.Tx) error {
		return tx.Bucket(bFocus).ForEach(func(k, v []byte) error {
			var a AppFocus
			if decode(v, &a) == nil {
				a.Key = string(k)
				out = append(out, a)
			}
			return nil
		})
	})
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Seconds != out[j].Seconds {
			return out[i].Seconds > out[j].Seconds
		}
		return out[i].Key < out[j].Key
	})
	return out, err
}

// Days returns the recorded days from from to to (calendar days, both
// included, in the location of each time), oldest first. Days with
// nothing recorded are left out.
func (s *Store) Days(from, to time.Time) ([]Day, error) {
	var out []Day
	lo, hi := dayKey(from), dayKey(to)
	err := s.view("list days", func(tx *bolt.Tx) error {
		c := tx.Bucket(bDays).Cursor()
		for k, v := c.Seek(lo); k != nil && bytes.Compare(k, hi) <= 0; k, v = c.Next() {
			var d Day
			if decode(v, &d) != nil {
				s.log.Warn("state: skipping an unreadable day", "day", string(k))
				continue
			}
			d.Date = string(k)
			out = append(out, d)
		}
		return nil
	})
	return out, err
}

// Checklists returns the run history of every checklist guide ever ticked.
func (s *Store) Checklists() (map[string]Checklist, error) {
	out := map[string]Checklist{}
	err := s.view("list checklist runs", func(tx *bolt.Tx) error {
		return tx.Bucket(bRuns).ForEach(func(k, v []byte) error {
			var c Checklist
			if decode(v, &c) == nil {
				out[string(k)] = c
			}
			return nil
		})
	})
	return out, err
}

// noteStep records a checked step in the guide's current run (starting a
// run when none is open), inside tx.
func (s *Store) noteStep(tx *bolt.Tx, id, step string, at time.Time) error {
	var c Checklist
	s.get(tx, bRuns, []byte(id), &c)
	if len(c.Runs) == 0 || c.Runs[len(c.Runs)-1].Closed {
		c.Started++
		c.Runs = append(c.Runs, Run{Start: at})
		if n := len(c.Runs) - MaxRuns; n > 0 {
			c.Runs = append([]Run(nil), c.Runs[n:]...)
		}
	}
	r := &c.Runs[len(c.Runs)-1]
	if _, ok := r.Steps[step]; ok {
		return nil
	}
	if r.Steps == nil {
		r.Steps = map[string]time.Time{}
	}
	r.Steps[step] = at
	return put(tx.Bucket(bRuns), []byte(id), c)
}

// closeRun ends the guide's open run, if any, inside tx.
func (s *Store) closeRun(tx *bolt.Tx, id string) error {
	var c Checklist
	if !s.get(tx, bRuns, []byte(id), &c) || len(c.Runs) == 0 || c.Runs[len(c.Runs)-1].Closed {
		return nil
	}
	c.Runs[len(c.Runs)-1].Closed = true
	return put(tx.Bucket(bRuns), []byte(id), c)
}

var kInstall = []byte("install-id")

// InstallID is this installation's random id (16 bytes from crypto/rand,
// hex), created on first use and kept in the state file. It names the
// installation's folder of shared usage aggregates and says nothing about
// the user or the machine.
func (s *Store) InstallID() (string, error) {
	var id string
	err := s.update("read install id", func(tx *bolt.Tx) error {
		b := tx.Bucket(bMeta)
		if v := b.Get(kInstall); v != nil && decode(v, &id) == nil && ValidInstallID(id) {
			return nil
		}
		var raw [16]byte
		if _, err := rand.Read(raw[:]); err != nil {
			return err
		}
		id = hex.EncodeToString(raw[:])
		return put(b, kInstall, id)
	})
	return id, err
}

// ValidInstallID reports whether id has the form InstallID gives: 32
// lower-case hex digits.
func ValidInstallID(id string) bool {
	if len(id) != 32 {
		return false
	}
	for _, r := range id {
		if !('0' <= r && r <= '9' || 'a' <= r && r <= 'f') {
			return false
		}
	}
	return true
}
