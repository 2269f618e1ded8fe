//go:build !windows

package owner

import (
	"net"
	"os"
	"path/filepath"
	"testing"
)

// testRuntime gives the test its own runtime folder.
func testRuntime(t *testing.T) { t.Setenv("CUECARD_RUNTIME", t.TempDir()) }

// staleSocket leaves a socket at path that no process answers on, as a
// killed owner does.
func staleSocket(t *testing.T, path string) {
	os.MkdirAll(filepath.Dir(path), 0o700)
	l, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	l.(*net.UnixListener).SetUnlinkOnClose(false)
	l.Close()
}

// checkPrivate checks that only the user can use the socket.
func checkPrivate(t *testing.T, path string) {
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("socket %v %v: want mode 0600", st, err)
	}
}
