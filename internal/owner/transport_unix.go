//go:build !windows

package owner

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/cuecard/cuecard/internal/paths"
)

// socketPath is a Unix socket in the user's runtime folder, named after
// root's index folder.
func socketPath(root string) string {
	return filepath.Join(paths.Runtime(), filepath.Base(paths.Index(root))+".sock")
}

// listen makes the owner-only socket folder and listens on path, replacing
// a stale socket (Serve found no process answering on it).
func listen(path string) (net.Listener, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("socket folder: %w", err)
	}
	_ = os.Chmod(filepath.Dir(path), 0o700)
	_ = os.Remove(path)
	l, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", path, err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		l.Close()
		return nil, err
	}
	// Closing the listener also removes the socket file.
	return l, nil
}

func dial(ctx context.Context, path string, timeout time.Duration) (net.Conn, error) {
	d := net.Dialer{Timeout: timeout}
	return d.DialContext(ctx, "unix", path)
}
