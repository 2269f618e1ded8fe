package search

import (
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"

	"github.com/blevesearch/bleve/v2/index/scorch"
)

// ErrNoSpace means the index could not be written because its disk is full
// (or a quota or file-size limit was reached). The index on disk is left as
// it was after the last complete write.
var ErrNoSpace = errors.New("no space left for the search index")

// When scorch fails to persist a snapshot (or to merge segments) it reports
// the error to an "async error callback" and retries in a loop. After a
// failed persist the retry merges in-memory segments that the failed attempt
// has already closed, and zapx then panics in a goroutine of its own
// ("assignment to entry in nil map" in invertedIndexCache): an unrecoverable
// crash of the whole process, seen here on a full disk. So the first such
// error stops the loop that reported it (runtime.Goexit runs the loop's
// deferred bookkeeping, so Close still works), marks the index as failed,
// and every write after it returns that error. What is on disk stays the
// last snapshot scorch completed: consistent, only older.

// asyncErrorCallback is the name the callback is registered under in scorch.
const asyncErrorCallback = "cuecard"

var (
	failMu  sync.Mutex
	failing = map[string]*Index{} // scorch store path -> open index
)

func init() {
	scorch.RegistryAsyncErrorCallbacks[asyncErrorCallback] = onAsyncError
}

// storePath is the folder scorch reports errors for: bleve keeps its
// segments in "store" under the index folder.
func storePath(dir string) string { return filepath.Clean(filepath.Join(dir, "store")) }

// watchFailures routes scorch's asynchronous errors for dir to ix.
func (ix *Index) watchFailures() {
	failMu.Lock()
	failing[storePath(ix.dir)] = ix
	failMu.Unlock()
}

func (ix *Index) unwatchFailures() {
	failMu.Lock()
	if failing[storePath(ix.dir)] == ix {
		delete(failing, storePath(ix.dir))
	}
	failMu.Unlock()
}

// onAsyncError is called by scorch's persister and merger loops, on their
// own goroutines.
func onAsyncError(err error, path string) {
	if !errors.Is(err, scorch.ErrPersist) {
		slog.Debug("search index background error", "dir", path, "err", err)
		return
	}
	failMu.Lock()
	ix := failing[filepath.Clean(path)]
	failMu.Unlock()
	if ix != nil {
		ix.fail(writeError(filepath.Dir(path), err))
	}
	slog.Debug("search index: writes stopped after a failed write", "dir", path, "err", err)
	runtime.Goexit()
}

// fail records the first write failure and wakes writers waiting on it.
func (ix *Index) fail(err error) {
	ix.failOnce.Do(func() {
		ix.failErr = err
		close(ix.failed)
	})
}

// failure is the recorded write failure, or nil.
func (ix *Index) failure() error {
	select {
	case <-ix.failed:
		return ix.failErr
	default:
		return nil
	}
}

// noSpace lists the errors that mean the disk (or the user's share of it)
// is full. bleve formats the underlying error into its message (%v), so
// they are recognised by their text too.
var noSpace = []syscall.Errno{syscall.ENOSPC, syscall.EDQUOT, syscall.EFBIG}

// writeError describes a failed write to the index in dir.
func writeError(dir string, err error) error {
	for _, e := range noSpace {
		if errors.Is(err, e) || strings.Contains(err.Error(), e.Error()) {
			return fmt.Errorf("write index %s: %w (%s)", dir, ErrNoSpace, e.Error())
		}
	}
	return fmt.Errorf("write index %s: %w", dir, err)
}
