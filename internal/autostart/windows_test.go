//go:build windows

package autostart

import (
	"fmt"
	"os"
	"testing"

	"golang.org/x/sys/windows/registry"
)

// isolate makes the tests use a value of their own under the Run key.
func isolate(t *testing.T) {
	old := valueName
	valueName = fmt.Sprintf("Cuecard test %d", os.Getpid())
	t.Cleanup(func() {
		_ = remove()
		valueName = old
	})
}

// stored is the value under the Run key, read straight from the registry.
func stored(t *testing.T) string {
	k, err := registry.OpenKey(registry.CURRENT_USER, runKey, registry.QUERY_VALUE)
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	v, typ, err := k.GetStringValue(valueName)
	if err != nil || typ != registry.SZ {
		t.Fatalf("Run value %q: %v (type %d)", valueName, err, typ)
	}
	return v
}
