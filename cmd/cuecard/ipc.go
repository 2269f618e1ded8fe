package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"time"

	"github.com/cuecard/cuecard/internal/library"
	"github.com/cuecard/cuecard/internal/owner"
	"github.com/cuecard/cuecard/internal/search"
)

// lockWait is how long a command waits for the index when another cuecard
// process has it: a short command (another `cuecard search`) releases it
// in well under a second, a running app or `index --watch` answers on its
// socket. CUECARD_LOCK_WAIT (a Go duration, e.g. 30s) overrides it.
var lockWait = 10 * time.Second

func init() {
	if v := os.Getenv("CUECARD_LOCK_WAIT"); v != "" {
		if d, err := time.ParseDuration(v); err == nil && d >= 0 {
			lockWait = d
		}
	}
}

// libraryIndex resolves the library and returns its index for queries.
func (m *Main) libraryIndex(ctx context.Context) (owner.Index, error) {
	root, err := m.libraryRoot()
	if err != nil {
		return nil, err
	}
	return m.queryIndex(ctx, root)
}

// queryIndex returns the running owner of root's index when there is one,
// else the index opened (and reconciled) here.
func (m *Main) queryIndex(ctx context.Context, root string) (owner.Index, error) {
	o, ix, _, err := m.shareIndex(ctx, root)
	if err != nil {
		return nil, err
	}
	if o != nil {
		return owner.Remote{Client: o}, nil
	}
	return owner.Local{Index: ix}, nil
}

// shareIndex finds the process that owns root's index (o), or opens and
// reconciles the index here (ix and the scan's result). bleve gives the
// index to one process at a time, so while another command has it open
// this one waits, asking the socket and retrying the lock in turn, for at
// most lockWait; only then is the lock an error, one that says who holds
// it and what to do.
func (m *Main) shareIndex(ctx context.Context, root string) (o *owner.Client, ix *search.Index, res *library.Result, err error) {
	deadline := time.Now().Add(lockWait)
	for attempt := 0; ; attempt++ {
		if o := owner.Dial(root); o != nil {
			m.log.Debug("asking the running cuecard", "socket", o.Path())
			return o, nil, nil, nil
		}
		ix, res, err = m.openIndex(ctx, root, false, nil)
		if !errors.Is(err, search.ErrLocked) {
			return nil, ix, res, err
		}
		if !time.Now().Before(deadline) {
			return nil, nil, nil, fmt.Errorf("%w: it has neither answered on %s nor released the index within %s; stop that process or try again when it has finished (CUECARD_LOCK_WAIT sets the wait)",
				err, owner.SocketPath(root), lockWait)
		}
		if attempt == 0 {
			m.log.Debug("index in use by another cuecard process; waiting for it", "wait", lockWait)
		}
		// A little jitter, so that processes waiting together do not retry
		// in step.
		pause := 20*time.Millisecond + rand.N(60*time.Millisecond)
		select {
		case <-ctx.Done():
			return nil, nil, nil, ctx.Err()
		case <-time.After(pause):
		}
	}
}
