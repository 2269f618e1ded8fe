package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cuecard/cuecard/internal/owner"
	"github.com/cuecard/cuecard/internal/search"
)

// libraryIndex resolves the library and returns its index for queries.
func (m *Main) libraryIndex(ctx context.Context) (owner.Index, error) {
	root, err := m.libraryRoot()
	if err != nil {
		return nil, err
	}
	return m.queryIndex(ctx, root)
}

// queryIndex returns the running owner of root's index when there is one,
// else the index opened (and reconciled) here. It never hangs on the lock:
// a locked index whose owner does not answer gives a clear error.
func (m *Main) queryIndex(ctx context.Context, root string) (owner.Index, error) {
	if o := owner.Dial(root); o != nil {
		m.log.Debug("asking the running cuecard", "socket", o.Path())
		return owner.Remote{Client: o}, nil
	}
	ix, _, err := m.openIndex(ctx, root, false, nil)
	if errors.Is(err, search.ErrLocked) {
		// The owner may be starting: give it a moment to answer.
		for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			if o := owner.Dial(root); o != nil {
				return owner.Remote{Client: o}, nil
			}
		}
		return nil, fmt.Errorf("%w, and it does not answer on %s: stop it or wait for it to finish", err, owner.SocketPath(root))
	}
	if err != nil {
		return nil, err
	}
	return owner.Local{Index: ix}, nil
}
