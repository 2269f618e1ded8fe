package store

import (
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/cuecard/cuecard/internal/guide"
)

// --- the Start-here track ---

// Acknowledge records that the person read and understood a guide (an
// ack: true guide of the track), with the guide's content hash; a later
// acknowledgement replaces it.
func (s *Store) Acknowledge(id, hash string, at time.Time) error {
	return s.setCompletion(bAcks, "save acknowledgement", id, hash, true, at)
}

// SetMarkedDone records that the person marked a guide as done, or undoes
// it (done false).
func (s *Store) SetMarkedDone(id, hash string, done bool, at time.Time) error {
	return s.setCompletion(bDone, "save marked as done", id, hash, done, at)
}

func (s *Store) setCompletion(bucket []byte, op, id, hash string, on bool, at time.Time) error {
	if err := checkKey("guide id", id); err != nil {
		return fmt.Errorf("state: %s: %w", op, err)
	}
	return s.update(op, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucket)
		if !on {
			return b.Delete([]byte(id))
		}
		return put(b, []byte(id), guide.Completion{At: at, Hash: hash})
	})
}

// Acknowledged maps each acknowledged guide to its acknowledgement.
func (s *Store) Acknowledged() (map[string]guide.Completion, error) {
	return s.completions(bAcks, "read acknowledgements")
}

// MarkedDone maps each guide marked as done to when and at which version.
func (s *Store) MarkedDone() (map[string]guide.Completion, error) {
	return s.completions(bDone, "read marked as done")
}

func (s *Store) completions(bucket []byte, op string) (map[string]guide.Completion, error) {
	out := map[string]guide.Completion{}
	err := s.view(op, func(tx *bolt.Tx) error {
		return tx.Bucket(bucket).ForEach(func(k, v []byte) error {
			var c guide.Completion
			if err := decode(v, &c); err != nil {
				s.log.Warn("state: skipping an unreadable record", "bucket", string(bucket), "err", err)
				return nil
			}
			out[string(k)] = c
			return nil
		})
	})
	return out, err
}

// LastReminder is when the track's last reminder was shown; zero when
// never.
func (s *Store) LastReminder() (time.Time, error) {
	var at time.Time
	err := s.view("read last reminder", func(tx *bolt.Tx) error {
		s.get(tx, bMeta, kReminder, &at)
		return nil
	})
	return at, err
}

// SetLastReminder records when a reminder was shown.
func (s *Store) SetLastReminder(at time.Time) error {
	return s.update("save last reminder", func(tx *bolt.Tx) error {
		return put(tx.Bucket(bMeta), kReminder, at)
	})
}
