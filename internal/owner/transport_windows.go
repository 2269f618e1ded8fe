package owner

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net"
	"path/filepath"
	"time"

	"github.com/Microsoft/go-winio"
	"golang.org/x/sys/windows"

	"github.com/cuecard/cuecard/internal/paths"
)

// socketPath is a named pipe, \\.\pipe\cuecard-<hash of root's index
// folder>. The pipe namespace is one per machine, and the index folder is
// under the user's %LOCALAPPDATA%: two users' pipes for the same library
// get different names.
func socketPath(root string) string {
	sum := sha256.Sum256([]byte(paths.Index(root)))
	return filepath.Join(paths.Runtime(), paths.App+"-"+hex.EncodeToString(sum[:8]))
}

// pipeSDDL is the pipe's security descriptor: a protected DACL that allows
// the user sid everything and nobody else anything.
func pipeSDDL(sid string) string { return "D:P(A;;GA;;;" + sid + ")" }

// userSID is the SID of the user this process runs as.
func userSID() (string, error) {
	u, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		return "", fmt.Errorf("the current user's SID: %w", err)
	}
	return u.User.Sid.String(), nil
}

// listen creates the pipe, open to the current user only. A pipe goes away
// with its process, so there is never a stale one to replace.
func listen(path string) (net.Listener, error) {
	sid, err := userSID()
	if err != nil {
		return nil, err
	}
	l, err := winio.ListenPipe(path, &winio.PipeConfig{SecurityDescriptor: pipeSDDL(sid)})
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", path, err)
	}
	// Under Wine 8 the first client connects to go-winio's placeholder pipe
	// instance and hangs, and Accept never returns (as in go-winio issues
	// #173 and #313 on Windows 7): this connection takes that place and
	// stays open until the listener closes. On Windows it is harmless.
	timeout := time.Second
	self, err := winio.DialPipe(path, &timeout)
	if err != nil {
		l.Close()
		return nil, fmt.Errorf("listen on %s: %w", path, err)
	}
	return &pipeListener{Listener: l, self: self}, nil
}

type pipeListener struct {
	net.Listener
	self net.Conn
}

func (l *pipeListener) Close() error {
	l.self.Close()
	return l.Listener.Close()
}

func dial(ctx context.Context, path string, timeout time.Duration) (net.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	return winio.DialPipeContext(ctx, path)
}
