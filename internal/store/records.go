package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// Limits on what the store keeps. Tests may lower them.
var (
	// MaxRecentViews is how many view timestamps are kept per guide (the
	// count keeps growing).
	MaxRecentViews = 20
	// MaxMisses is how many distinct searches that found nothing are kept;
	// beyond it the least recently searched one is dropped.
	MaxMisses = 1000
	// MaxQueryBytes caps the stored text of a search.
	MaxQueryBytes = 200
	// PopHistory is how long automatic pops are remembered.
	PopHistory = 7 * 24 * time.Hour
	// NewGuideHistory is how long the time a guide was added is remembered.
	NewGuideHistory = 90 * 24 * time.Hour
)

// App is an application the user has been shown suggestions for.
type App struct {
	Key  string `json:"-"`
	Name string `json:"name,omitempty"`
	// First is when suggestions for the app first popped up.
	First time.Time `json:"first"`
	// Notified is when they last popped up (first use or a new guide).
	Notified time.Time `json:"notified"`
}

// Views counts how often the user opened a guide.
type Views struct {
	Count int       `json:"count"`
	First time.Time `json:"first"`
	Last  time.Time `json:"last"`
	// Recent holds the last MaxRecentViews view times, oldest first.
	Recent []time.Time `json:"recent,omitempty"`
	// Walked counts the Guide me walkthroughs done to the last step, and
	// LastWalked is the last one's end.
	Walked     int       `json:"walked,omitempty"`
	LastWalked time.Time `json:"last_walked,omitzero"`
}

// Vote is the user's answer to "Was this helpful?" for a guide. One per
// user and guide: voting again replaces it.
type Vote struct {
	Helpful bool      `json:"helpful"`
	At      time.Time `json:"at"`
}

// Counts is the vote as yes/no counts (one of them 1), for summing the
// votes of many users.
func (v Vote) Counts() (yes, no int) {
	if v.Helpful {
		return 1, 0
	}
	return 0, 1
}

// Miss is a search that found nothing.
type Miss struct {
	Query string    `json:"-"`
	Count int       `json:"count"`
	First time.Time `json:"first"`
	Last  time.Time `json:"last"`
}

type mute struct {
	Name string    `json:"name,omitempty"`
	At   time.Time `json:"at"`
}

func put(b *bolt.Bucket, key []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put(key, data)
}

func decode(data []byte, v any) error { return json.Unmarshal(data, v) }

// get decodes the record at key of bucket name into v; it reports whether
// there was a readable one. An unreadable record is logged and treated as
// absent.
func (s *Store) get(tx *bolt.Tx, name, key []byte, v any) bool {
	data := tx.Bucket(name).Get(key)
	if data == nil {
		return false
	}
	if err := decode(data, v); err != nil {
		s.log.Warn("state: skipping an unreadable record", "bucket", string(name), "err", err)
		return false
	}
	return true
}

func checkKey(what, k string) error {
	if k == "" {
		return fmt.Errorf("empty %s", what)
	}
	if strings.IndexByte(k, 0) >= 0 {
		return fmt.Errorf("%s %q contains a NUL byte", what, k)
	}
	if len(k) > bolt.MaxKeySize/2 {
		return fmt.Errorf("%s is too long (%d bytes)", what, len(k))
	}
	return nil
}

// --- apps ---

// Seen returns when suggestions for app first popped up and when they last
// did; both are zero for an app never shown.
func (s *Store) Seen(app string) (first, notified time.Time, err error) {
	var a App
	err = s.view("read seen app", func(tx *bolt.Tx) error {
		s.get(tx, bApps, []byte(app), &a)
		return nil
	})
	return a.First, a.Notified, err
}

// MarkSeen records that suggestions for app popped up at: the first time
// sets First; every time sets Notified. name, when not empty, is the app's
// human name.
func (s *Store) MarkSeen(app, name string, at time.Time) error {
	if err := checkKey("app", app); err != nil {
		return fmt.Errorf("state: mark seen: %w", err)
	}
	return s.update("mark seen", func(tx *bolt.Tx) error {
		var a App
		s.get(tx, bApps, []byte(app), &a)
		if a.First.IsZero() {
			a.First = at
		}
		a.Notified = at
		if name != "" {
			a.Name = name
		}
		return put(tx.Bucket(bApps), []byte(app), a)
	})
}

// Apps lists the apps seen, in the order they were first seen.
func (s *Store) Apps() ([]App, error) {
	var out []App
	err := s.view("list seen apps", func(tx *bolt.Tx) error {
		return tx.Bucket(bApps).ForEach(func(k, v []byte) error {
			var a App
			if decode(v, &a) == nil {
				a.Key = string(k)
				out = append(out, a)
			}
			return nil
		})
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].First.Before(out[j].First) })
	return out, err
}

// --- snoozes, mutes, pause ---

// SnoozedUntil is when app's snooze ends; zero when it has none. An ended
// snooze is still returned: compare with the current time.
func (s *Store) SnoozedUntil(app string) (time.Time, error) {
	var until time.Time
	err := s.view("read snooze", func(tx *bolt.Tx) error {
		s.get(tx, bSnooze, []byte(app), &until)
		return nil
	})
	return until, err
}

// Snooze snoozes app until the given time; a zero time removes the snooze.
func (s *Store) Snooze(app string, until time.Time) error {
	if err := checkKey("app", app); err != nil {
		return fmt.Errorf("state: snooze: %w", err)
	}
	return s.update("snooze", func(tx *bolt.Tx) error {
		b := tx.Bucket(bSnooze)
		if until.IsZero() {
			return b.Delete([]byte(app))
		}
		return put(b, []byte(app), until)
	})
}

// Muted reports whether app is muted.
func (s *Store) Muted(app string) (bool, error) {
	var muted bool
	err := s.view("read mute", func(tx *bolt.Tx) error {
		muted = tx.Bucket(bMutes).Get([]byte(app)) != nil
		return nil
	})
	return muted, err
}

// SetMuted mutes or unmutes app. name, when not empty, is its human name.
func (s *Store) SetMuted(app, name string, muted bool, at time.Time) error {
	if err := checkKey("app", app); err != nil {
		return fmt.Errorf("state: mute: %w", err)
	}
	return s.update("mute", func(tx *bolt.Tx) error {
		b := tx.Bucket(bMutes)
		if !muted {
			return b.Delete([]byte(app))
		}
		return put(b, []byte(app), mute{Name: name, At: at})
	})
}

// MutedApps maps each muted app to its human name ("" when unknown).
func (s *Store) MutedApps() (map[string]string, error) {
	out := map[string]string{}
	err := s.view("list muted apps", func(tx *bolt.Tx) error {
		return tx.Bucket(bMutes).ForEach(func(k, v []byte) error {
			var m mute
			_ = decode(v, &m) // the key alone says it is muted
			if m.Name == "" {
				var a App
				if s.get(tx, bApps, k, &a) {
					m.Name = a.Name
				}
			}
			out[string(k)] = m.Name
			return nil
		})
	})
	return out, err
}

// PausedUntil is when the global pause ends; zero when there is none.
func (s *Store) PausedUntil() (time.Time, error) {
	var until time.Time
	err := s.view("read pause", func(tx *bolt.Tx) error {
		s.get(tx, bMeta, kPaused, &until)
		return nil
	})
	return until, err
}

// Pause pauses all suggestions until the given time; zero resumes them.
func (s *Store) Pause(until time.Time) error {
	return s.update("pause", func(tx *bolt.Tx) error {
		b := tx.Bucket(bMeta)
		if until.IsZero() {
			return b.Delete(kPaused)
		}
		return put(b, kPaused, until)
	})
}

// --- automatic pops ---

func timeKey(t time.Time) []byte {
	n := t.UnixNano()
	if n < 0 {
		n = 0
	}
	return binary.BigEndian.AppendUint64(nil, uint64(n))
}

// RecordPop records an automatic pop for app, and forgets pops older than
// PopHistory, in one transaction.
func (s *Store) RecordPop(app string, at time.Time) error {
	return s.update("record pop", func(tx *bolt.Tx) error {
		b := tx.Bucket(bPops)
		if err := deleteBefore(b, timeKey(at.Add(-PopHistory))); err != nil {
			return err
		}
		return b.Put(append(timeKey(at), app...), nil)
	})
}

// PopsSince counts the automatic pops at or after t.
func (s *Store) PopsSince(t time.Time) (int, error) {
	n := 0
	err := s.view("count pops", func(tx *bolt.Tx) error {
		c := tx.Bucket(bPops).Cursor()
		for k, _ := c.Seek(timeKey(t)); k != nil; k, _ = c.Next() {
			n++
		}
		return nil
	})
	return n, err
}

func deleteBefore(b *bolt.Bucket, limit []byte) error {
	var old [][]byte
	c := b.Cursor()
	for k, _ := c.First(); k != nil && bytes.Compare(k, limit) < 0; k, _ = c.Next() {
		old = append(old, bytes.Clone(k))
	}
	for _, k := range old {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// --- guides added to the library ---

// AddNewGuides records that the guides were added to the library at, and
// forgets additions older than NewGuideHistory, in one transaction.
func (s *Store) AddNewGuides(ids []string, at time.Time) error {
	for _, id := range ids {
		if err := checkKey("guide id", id); err != nil {
			return fmt.Errorf("state: record new guides: %w", err)
		}
	}
	return s.update("record new guides", func(tx *bolt.Tx) error {
		b := tx.Bucket(bAdded)
		limit := at.Add(-NewGuideHistory)
		var old [][]byte
		if err := b.ForEach(func(k, v []byte) error {
			var t time.Time
			if decode(v, &t) != nil || t.Before(limit) {
				old = append(old, bytes.Clone(k))
			}
			return nil
		}); err != nil {
			return err
		}
		for _, k := range old {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		for _, id := range ids {
			if err := put(b, []byte(id), at); err != nil {
				return err
			}
		}
		return nil
	})
}

// NewGuides returns when each of ids was added to the library, for those
// recorded by AddNewGuides.
func (s *Store) NewGuides(ids []string) (map[string]time.Time, error) {
	out := map[string]time.Time{}
	err := s.view("read new guides", func(tx *bolt.Tx) error {
		for _, id := range ids {
			var t time.Time
			if s.get(tx, bAdded, []byte(id), &t) {
				out[id] = t
			}
		}
		return nil
	})
	return out, err
}

// --- checklists ---

func stepKey(id, step string) []byte { return []byte(id + "\x00" + step) }

// SetStep checks or unchecks one step of a checklist guide.
func (s *Store) SetStep(id, step string, checked bool, at time.Time) error {
	if err := checkKey("guide id", id); err != nil {
		return fmt.Errorf("state: save checklist step: %w", err)
	}
	if err := checkKey("step id", step); err != nil {
		return fmt.Errorf("state: save checklist step: %w", err)
	}
	return s.update("save checklist step", func(tx *bolt.Tx) error {
		b := tx.Bucket(bSteps)
		if !checked {
			return b.Delete(stepKey(id, step))
		}
		if err := s.noteStep(tx, id, step, at); err != nil {
			return err
		}
		return put(b, stepKey(id, step), at)
	})
}

// Checked lists the checked step ids of a guide, sorted.
func (s *Store) Checked(id string) ([]string, error) {
	var out []string
	prefix := []byte(id + "\x00")
	err := s.view("read checklist", func(tx *bolt.Tx) error {
		c := tx.Bucket(bSteps).Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			out = append(out, string(k[len(prefix):]))
		}
		return nil
	})
	return out, err
}

// Ticked maps every guide with checked steps to when the latest of them
// was checked: the checklists a person has under way (or finished and not
// reset).
func (s *Store) Ticked() (map[string]time.Time, error) {
	out := map[string]time.Time{}
	err := s.view("list ticked checklists", func(tx *bolt.Tx) error {
		return tx.Bucket(bSteps).ForEach(func(k, v []byte) error {
			id, _, ok := bytes.Cut(k, []byte{0})
			if !ok {
				return nil
			}
			var at time.Time
			_ = decode(v, &at)
			if cur, seen := out[string(id)]; !seen || at.After(cur) {
				out[string(id)] = at
			}
			return nil
		})
	})
	return out, err
}

// ResetChecklist unchecks every step of a guide and ends its run.
func (s *Store) ResetChecklist(id string) error {
	prefix := []byte(id + "\x00")
	return s.update("reset checklist", func(tx *bolt.Tx) error {
		if err := s.closeRun(tx, id); err != nil {
			return err
		}
		b := tx.Bucket(bSteps)
		var keys [][]byte
		c := b.Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			keys = append(keys, bytes.Clone(k))
		}
		for _, k := range keys {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
}

// --- views and votes ---

// RecordView counts one view of a guide.
func (s *Store) RecordView(id string, at time.Time) error {
	if err := checkKey("guide id", id); err != nil {
		return fmt.Errorf("state: record view: %w", err)
	}
	return s.update("record view", func(tx *bolt.Tx) error {
		var v Views
		s.get(tx, bViews, []byte(id), &v)
		v.Count++
		if v.First.IsZero() {
			v.First = at
		}
		v.Last = at
		v.Recent = append(v.Recent, at)
		if n := len(v.Recent) - MaxRecentViews; n > 0 {
			v.Recent = append([]time.Time(nil), v.Recent[n:]...)
		}
		if err := put(tx.Bucket(bViews), []byte(id), v); err != nil {
			return err
		}
		return s.updateDay(tx, at, func(d *Day) { bump(&d.Views, id, 1) })
	})
}

// RecordWalk counts a Guide me walkthrough of a guide done to its last
// step.
func (s *Store) RecordWalk(id string, at time.Time) error {
	if err := checkKey("guide id", id); err != nil {
		return fmt.Errorf("state: record walkthrough: %w", err)
	}
	return s.update("record walkthrough", func(tx *bolt.Tx) error {
		var v Views
		s.get(tx, bViews, []byte(id), &v)
		v.Walked++
		v.LastWalked = at
		if err := put(tx.Bucket(bViews), []byte(id), v); err != nil {
			return err
		}
		return s.updateDay(tx, at, func(d *Day) { bump(&d.Walks, id, 1) })
	})
}

// View returns the views of one guide (zero when never viewed).
func (s *Store) View(id string) (Views, error) {
	var v Views
	err := s.view("read views", func(tx *bolt.Tx) error {
		s.get(tx, bViews, []byte(id), &v)
		return nil
	})
	return v, err
}

// Views returns the views of every guide viewed.
func (s *Store) Views() (map[string]Views, error) {
	out := map[string]Views{}
	err := s.view("list views", func(tx *bolt.Tx) error {
		return tx.Bucket(bViews).ForEach(func(k, data []byte) error {
			var v Views
			if decode(data, &v) == nil {
				out[string(k)] = v
			}
			return nil
		})
	})
	return out, err
}

// SetVote records the user's helpful vote on a guide, replacing any earlier one.
func (s *Store) SetVote(id string, helpful bool, at time.Time) error {
	if err := checkKey("guide id", id); err != nil {
		return fmt.Errorf("state: record vote: %w", err)
	}
	return s.update("record vote", func(tx *bolt.Tx) error {
		return put(tx.Bucket(bVotes), []byte(id), Vote{Helpful: helpful, At: at})
	})
}

// Votes returns the user's vote on every guide voted on.
func (s *Store) Votes() (map[string]Vote, error) {
	out := map[string]Vote{}
	err := s.view("list votes", func(tx *bolt.Tx) error {
		return tx.Bucket(bVotes).ForEach(func(k, data []byte) error {
			var v Vote
			if decode(data, &v) == nil {
				out[string(k)] = v
			}
			return nil
		})
	})
	return out, err
}

// --- searches that found nothing ---

// NormalizeQuery is the form a search is stored in: lower case, control
// characters dropped, runs of spaces collapsed, trimmed, and cut to
// MaxQueryBytes on a character boundary.
func NormalizeQuery(q string) string {
	q = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, q)
	q = strings.Join(strings.Fields(strings.ToLower(q)), " ")
	if len(q) > MaxQueryBytes {
		cut := MaxQueryBytes
		for cut > 0 && !utf8.RuneStart(q[cut]) {
			cut--
		}
		q = strings.TrimSpace(q[:cut])
	}
	return q
}

// RecordMiss counts a search that found nothing (normalised; an empty one
// is ignored). Beyond MaxMisses distinct searches the least recently
// searched is dropped, in the same transaction.
func (s *Store) RecordMiss(query string, at time.Time) error {
	q := NormalizeQuery(query)
	if q == "" {
		return nil
	}
	return s.update("record search miss", func(tx *bolt.Tx) error {
		b := tx.Bucket(bMisses)
		var m Miss
		if !s.get(tx, bMisses, []byte(q), &m) {
			if err := evictMisses(b, MaxMisses-1); err != nil {
				return err
			}
			m.First = at
		}
		m.Count++
		m.Last = at
		if err := put(b, []byte(q), m); err != nil {
			return err
		}
		return s.updateDay(tx, at, func(d *Day) {
			d.MissCount++
			if _, ok := d.Misses[q]; ok || len(d.Misses) < MaxDayMisses {
				bump(&d.Misses, q, 1)
			}
		})
	})
}

// evictMisses drops the least recently searched misses until at most keep remain.
func evictMisses(b *bolt.Bucket, keep int) error {
	type entry struct {
		key  []byte
		last time.Time
	}
	var all []entry
	if err := b.ForEach(func(k, v []byte) error {
		var m Miss
		_ = decode(v, &m) // unreadable: zero time, dropped first
		all = append(all, entry{bytes.Clone(k), m.Last})
		return nil
	}); err != nil {
		return err
	}
	if len(all) <= keep {
		return nil
	}
	sort.Slice(all, func(i, j int) bool { return all[i].last.Before(all[j].last) })
	for _, e := range all[:len(all)-max(keep, 0)] {
		if err := b.Delete(e.key); err != nil {
			return err
		}
	}
	return nil
}

// Misses lists the searches that found nothing, most frequent first (then
// most recent).
func (s *Store) Misses() ([]Miss, error) {
	var out []Miss
	err := s.view("list search misses", func(tx *bolt.Tx) error {
		return tx.Bucket(bMisses).ForEach(func(k, v []byte) error {
			var m Miss
			if decode(v, &m) == nil {
				m.Query = string(k)
				out = append(out, m)
			}
			return nil
		})
	})
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Last.After(out[j].Last)
	})
	return out, err
}

// ClearMisses forgets the text of every search that found nothing, also in
// the daily usage (whose counts of failed searches stay).
func (s *Store) ClearMisses() error {
	return s.update("clear search misses", func(tx *bolt.Tx) error {
		if err := tx.DeleteBucket(bMisses); err != nil && !errors.Is(err, berrors.ErrBucketNotFound) {
			return err
		}
		if _, err := tx.CreateBucket(bMisses); err != nil {
			return err
		}
		days := tx.Bucket(bDays)
		var keys [][]byte
		var kept []Day
		if err := days.ForEach(func(k, v []byte) error {
			var d Day
			if decode(v, &d) == nil && len(d.Misses) > 0 {
				d.Misses = nil
				keys, kept = append(keys, bytes.Clone(k)), append(kept, d)
			}
			return nil
		}); err != nil {
			return err
		}
		for i, k := range keys {
			if err := put(days, k, kept[i]); err != nil {
				return err
			}
		}
		return nil
	})
}
