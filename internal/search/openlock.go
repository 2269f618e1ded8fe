package search

import (
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// openLock serialises Open between processes. bleve's own lock (on the
// bolt file inside the index) guards an index only once it exists: two
// processes that find no index, or a half-written one, could otherwise
// both create it, or one could remove as damaged the index the other is
// creating. The lock is a file beside the index folder, held only while
// Open decides and creates; bleve's lock then holds the index.
type openLock struct{ f *os.File }

// lockOpen takes the open lock of the index in dir, waiting at most
// OpenTimeout; ErrLocked when another process holds it longer.
func lockOpen(dir string) (*openLock, error) {
	parent := filepath.Dir(filepath.Clean(dir))
	if err := os.MkdirAll(parent, 0o700); err != nil {
		return nil, fmt.Errorf("open index %s: %w", dir, err)
	}
	f, err := os.OpenFile(filepath.Clean(dir)+".lock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open index %s: %w", dir, err)
	}
	deadline := time.Now().Add(OpenTimeout)
	for {
		ok, err := tryLockFile(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("open index %s: lock: %w", dir, err)
		}
		if ok {
			return &openLock{f: f}, nil
		}
		if !time.Now().Before(deadline) {
			f.Close()
			return nil, ErrLocked
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// release lets the next process open the index. Closing the file drops the
// lock; the file stays, so that it is never removed under another
// process's lock.
func (l *openLock) release() { _ = l.f.Close() }
