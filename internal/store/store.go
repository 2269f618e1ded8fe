// Package store keeps Cuecard's per-user state in one bbolt file (the caller
// passes its path; the app uses paths.State()): the apps the user has been
// shown suggestions for, snoozes, mutes, the global pause, checklist progress
// by guide and step id, guide views, helpful votes, the text of searches that
// found nothing, the history of automatic pops, when guides were added to
// the library, and for content owners' reports: usage by day (views, app
// focus time, failed searches), focus time per app, checklist runs, and a
// random install id; for the Start-here track, the guides acknowledged and
// marked as done (each with the guide's content hash at the time) and when
// the last reminder was shown.
//
// # Transactions
//
// Every write is one bbolt transaction, committed and synced before the
// method returns: after a crash (even kill -9) the file holds every write
// that returned, and none that did not.
//
// # Corruption
//
// Open validates the file before using it: the meta pages (bbolt), a walk of
// every page, bucket, key and value, and bbolt's own consistency check
// (tx.Check). A file that fails is renamed to "<name>.corrupt-<timestamp>",
// a warning is logged, and a fresh store is started in its place; MovedAside
// says where the old file went, so the app can tell the user once. bbolt
// trusts the page numbers it reads and panics (or faults, reading past the
// end of the mapping) on some damaged files: Open and every method run with
// recover and debug.SetPanicOnFault, so damage becomes an error wrapping
// ErrCorrupt, never a crash. Damage that appears while the store is open is
// reported by the method that meets it, and from then on every method fails
// with ErrCorrupt (bbolt may be left holding its writer lock); the next Open
// moves the file aside.
// A record that cannot be decoded is skipped with a warning.
//
// # Locking
//
// One process at a time: bbolt locks the file. Open waits Options.Timeout
// (default 500 ms) for the lock and then fails with an error wrapping
// ErrLocked, so a second process never hangs.
//
// # Privacy and size
//
// Nothing here leaves the machine. Window titles are never stored. Searches
// that found nothing are stored normalised (NormalizeQuery) and can be
// cleared (ClearMisses). Growing collections are bounded: MaxRecentViews
// timestamps per guide, MaxMisses distinct searches, pops and new-guide
// records older than PopHistory and NewGuideHistory are pruned on write, as
// are days older than MaxDays; MaxRuns checklist runs per guide. Apps are
// keyed by executable, window class or web-app rule (coach.AppKey), never
// by window title.
//
// # Compatibility
//
// New buckets are only ever added: a file written by an older version opens
// with them created empty, and its old records read as before.
package store

import (
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync/atomic"
	"syscall"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// ErrLocked means another process has the store open.
var ErrLocked = errors.New("the state file is in use by another Cuecard process")

// ErrCorrupt means the file is damaged. Open moves a damaged file aside and
// starts afresh; methods of an open store return errors wrapping ErrCorrupt
// when they meet damage.
var ErrCorrupt = errors.New("the state file is damaged")

// Version is the schema version this package writes. Records are JSON, so a
// newer version's extra fields are ignored by older code and vice versa.
const Version = 1

// Options configure Open. The zero value is ready to use.
type Options struct {
	// Timeout is how long Open waits for another process to release the
	// file before failing with ErrLocked; zero means 500 ms.
	Timeout time.Duration
	// Logger receives the corruption warning and skipped-record warnings;
	// nil means slog.Default().
	Logger *slog.Logger
	// Now names the moved-aside file; nil means time.Now.
	Now func() time.Time
}

// Store is the open state file. Its methods are safe for concurrent use.
type Store struct {
	db    *bolt.DB
	file  *os.File // bbolt's handle, to release the lock when db cannot close
	path  string
	log   *slog.Logger
	aside string
	// broken is set once damage made bbolt panic: bbolt may then hold its
	// writer lock forever (its rollback re-reads the damaged freelist), so
	// no call may reach it again.
	broken atomic.Bool
}

// Bucket names.
var (
	bMeta   = []byte("meta")
	bApps   = []byte("apps")
	bSnooze = []byte("snoozes")
	bMutes  = []byte("mutes")
	bPops   = []byte("pops")
	bAdded  = []byte("added")
	bSteps  = []byte("steps")
	bViews  = []byte("views")
	bVotes  = []byte("votes")
	bMisses = []byte("misses")
	// Added in the insights release; older files gain them on open.
	bDays  = []byte("days")
	bFocus = []byte("focus")
	bRuns  = []byte("runs")
	// Added with the Start-here track.
	bAcks = []byte("acks")
	bDone = []byte("marked-done")

	buckets = [][]byte{bMeta, bApps, bSnooze, bMutes, bPops, bAdded, bSteps, bViews, bVotes, bMisses, bDays, bFocus, bRuns, bAcks, bDone}

	kVersion  = []byte("version")
	kPaused   = []byte("paused-until")
	kReminder = []byte("last-reminder")
)

// Open opens the store at path, creating it (and its folder) when missing.
// A damaged file is moved aside and a fresh store started (see the package
// documentation); another process holding the file gives ErrLocked.
func Open(path string, o Options) (*Store, error) {
	if o.Timeout <= 0 {
		o.Timeout = 500 * time.Millisecond
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("open state: create its folder: %w", err)
	}
	s := &Store{path: path, log: o.Logger}
	var size int64 = -1
	if fi, err := os.Stat(path); err == nil {
		size = fi.Size()
	}
	db, file, err := openDB(path, o.Timeout)
	var ce *corruptError
	if errors.As(err, &ce) {
		// On Windows bbolt grows the file to the size of its memory map as
		// it opens it: give the damaged file back its own size, so what is
		// moved aside is what was there.
		if fi, err := os.Stat(path); err == nil && size >= 0 && fi.Size() > size {
			_ = os.Truncate(path, size)
		}
		aside, mvErr := moveAside(path, o.Now())
		if mvErr != nil {
			return nil, fmt.Errorf("open state %s: %w; moving it aside failed: %v (move or delete the file by hand)", path, err, mvErr)
		}
		o.Logger.Warn("the state file was damaged: moved it aside and started afresh (saved progress, snoozes and seen apps are reset)",
			"path", path, "moved_to", aside, "reason", ce.reason)
		s.aside = aside
		db, file, err = openDB(path, o.Timeout)
	}
	if err != nil {
		return nil, fmt.Errorf("open state %s: %w", path, err)
	}
	s.db, s.file = db, file
	if err := s.init(); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("open state %s: %w", path, err)
	}
	return s, nil
}

// Close closes the file. It is safe to call more than once.
func (s *Store) Close() error {
	if s.broken.Load() {
		// db.Close could wait forever for the writer lock: just release
		// the file (and with it the lock on it).
		_ = s.file.Close()
		return nil
	}
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close state %s: %w", s.path, err)
	}
	return nil
}

// Path is the file's path.
func (s *Store) Path() string { return s.path }

// MovedAside is where Open moved a damaged file, or "" when it did not.
func (s *Store) MovedAside() string { return s.aside }

// corruptError is a damaged file; reason says how it was found.
type corruptError struct{ reason string }

func (e *corruptError) Error() string { return ErrCorrupt.Error() + ": " + e.reason }
func (e *corruptError) Unwrap() error { return ErrCorrupt }

func corrupt(format string, args ...any) error {
	return &corruptError{reason: fmt.Sprintf(format, args...)}
}

// openFileError marks errors of opening the file itself (permissions, a
// folder in the way): the file is not damaged, only unusable.
type openFileError struct{ err error }

func (e *openFileError) Error() string { return e.err.Error() }
func (e *openFileError) Unwrap() error { return e.err }

// openDB opens and validates the bbolt file. Damage gives a *corruptError;
// a held lock gives ErrLocked; anything the system refused is returned as is.
func openDB(path string, timeout time.Duration) (*bolt.DB, *os.File, error) {
	db, file, err := boltOpen(path, timeout)
	if err != nil {
		return nil, nil, err
	}
	if err := validate(db); err != nil {
		closeQuietly(db, file)
		return nil, nil, err
	}
	return db, file, nil
}

func boltOpen(path string, timeout time.Duration) (db *bolt.DB, file *os.File, err error) {
	openFile := func(name string, flag int, perm os.FileMode) (*os.File, error) {
		f, err := os.OpenFile(name, flag, perm)
		if err != nil {
			return nil, &openFileError{err}
		}
		file = f
		return f, nil
	}
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			// bbolt lost its handle: close the file to release the lock.
			if file != nil {
				_ = file.Close()
			}
			db, file, err = nil, nil, corrupt("damaged or truncated: reading it failed with %v", r)
		}
	}()
	db, err = bolt.Open(path, 0o600, &bolt.Options{Timeout: timeout, OpenFile: openFile})
	if err == nil {
		return db, file, nil
	}
	var ofe *openFileError
	var errno syscall.Errno
	var pe *fs.PathError
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return nil, nil, ErrLocked
	case errors.As(err, &ofe), errors.As(err, &errno), errors.As(err, &pe):
		return nil, nil, err // the system's refusal, not damage
	default:
		// ErrInvalid (bad magic), ErrVersionMismatch, ErrChecksum, "file
		// size too small" (truncated below two pages), ...
		return nil, nil, corrupt("%v", err)
	}
}

// validate reads the whole file once, with faults turned into panics and
// recovered, and runs bbolt's consistency check.
func validate(db *bolt.DB) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = corrupt("damaged or truncated: reading it failed with %v", r)
		}
	}()
	return db.View(func(tx *bolt.Tx) error {
		// Touch every page that bbolt's check will visit, here, where a
		// fault is recoverable (tx.Check runs in its own goroutine).
		if err := tx.ForEach(func(_ []byte, b *bolt.Bucket) error { walk(b); return nil }); err != nil {
			return corrupt("%v", err)
		}
		var first error
		for e := range tx.Check() { // drain: the checker blocks on an unread error
			if first == nil {
				first = e
			}
		}
		if first != nil {
			return corrupt("consistency check: %v", first)
		}
		return nil
	})
}

func walk(b *bolt.Bucket) uint32 {
	var sum uint32
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		sum = crc32.Update(sum, crc32.IEEETable, k)
		if v == nil {
			if child := b.Bucket(k); child != nil {
				sum ^= walk(child)
			}
			continue
		}
		sum = crc32.Update(sum, crc32.IEEETable, v)
	}
	return sum
}

// closeQuietly closes a db that failed validation. Validation only reads,
// so db.Close cannot wait for a writer; a panic in it is still contained.
func closeQuietly(db *bolt.DB, file *os.File) {
	defer func() {
		if recover() != nil {
			_ = file.Close()
		}
	}()
	_ = db.Close()
}

// moveAside renames a damaged file to "<path>.corrupt-<timestamp>", adding
// "-2", "-3", ... when that name is taken.
func moveAside(path string, now time.Time) (string, error) {
	base := path + ".corrupt-" + now.Format("20060102-150405")
	for i := 1; i <= 100; i++ {
		aside := base
		if i > 1 {
			aside = fmt.Sprintf("%s-%d", base, i)
		}
		if _, err := os.Lstat(aside); err == nil {
			continue
		}
		if err := os.Rename(path, aside); err != nil {
			return "", err
		}
		return aside, nil
	}
	return "", fmt.Errorf("too many moved-aside files named %s*", base)
}

// init creates the buckets and the schema version, in one transaction.
func (s *Store) init() error {
	var stored int
	err := s.update("initialise", func(tx *bolt.Tx) error {
		for _, name := range buckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		meta := tx.Bucket(bMeta)
		if v := meta.Get(kVersion); v != nil {
			_ = decode(v, &stored)
			return nil
		}
		return put(meta, kVersion, Version)
	})
	if stored > Version {
		s.log.Warn("the state file was written by a newer Cuecard: reading what this version knows", "path", s.path, "version", stored)
	}
	return err
}

// view runs fn in a read transaction; update in a write transaction (one
// commit). Both turn panics and memory faults of a damaged file into errors
// wrapping ErrCorrupt.
func (s *Store) view(op string, fn func(*bolt.Tx) error) error {
	return s.run(op, false, fn)
}

func (s *Store) update(op string, fn func(*bolt.Tx) error) error {
	return s.run(op, true, fn)
}

func (s *Store) run(op string, write bool, fn func(*bolt.Tx) error) (err error) {
	if s.broken.Load() {
		return fmt.Errorf("state: %s: %w (it is moved aside at the next start)", op, ErrCorrupt)
	}
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			s.broken.Store(true)
			err = fmt.Errorf("state: %s: %w (panic: %v; it is moved aside at the next start)", op, ErrCorrupt, r)
			s.log.Error("the state file is damaged", "path", s.path, "op", op, "panic", fmt.Sprint(r))
		}
	}()
	if write {
		err = s.db.Update(fn)
	} else {
		err = s.db.View(fn)
	}
	if err != nil {
		return fmt.Errorf("state: %s: %w", op, err)
	}
	return nil
}
