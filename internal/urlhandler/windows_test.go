//go:build windows

package urlhandler

import (
	"fmt"
	"os"
	"testing"

	"golang.org/x/sys/windows/registry"
)

// TestRegister writes the URL protocol key (one of its own, so a real
// Cuecard's is left alone), reads it back from the registry, leaves it
// alone when it already starts the program, and rewrites it when it
// starts another.
func TestRegister(t *testing.T) {
	old := classKey
	classKey = fmt.Sprintf("cuecard-test-%d", os.Getpid())
	t.Cleanup(func() {
		if err := unregister(); err != nil {
			t.Error(err)
		}
		classKey = old
	})
	exe := `C:\Program Files\Cuecard\cuecard.exe`
	if changed, err := Register(exe); err != nil || !changed {
		t.Fatalf("Register = %v, %v; want a change", changed, err)
	}
	for _, want := range []struct{ key, name, value string }{
		{"", "", "URL:Cuecard guide link"},
		{"", "URL Protocol", ""},
		{`\DefaultIcon`, "", `"C:\Program Files\Cuecard\cuecard.exe",0`},
		{`\shell\open\command`, "", `"C:\Program Files\Cuecard\cuecard.exe" open "%1"`},
	} {
		if got := read(t, want.key, want.name); got != want.value {
			t.Errorf("%s%s %q = %q, want %q", classes(), want.key, want.name, got, want.value)
		}
	}
	if changed, err := Register(exe); err != nil || changed {
		t.Errorf("Register again = %v, %v; want no change", changed, err)
	}
	other := `D:\tools\cuecard.exe`
	if changed, err := Register(other); err != nil || !changed {
		t.Fatalf("Register another program = %v, %v; want a change", changed, err)
	}
	if got := read(t, `\shell\open\command`, ""); got != Command(other) {
		t.Errorf("command %q after registering another program", got)
	}
}

func read(t *testing.T, key, name string) string {
	t.Helper()
	k, err := registry.OpenKey(registry.CURRENT_USER, classes()+key, registry.QUERY_VALUE)
	if err != nil {
		t.Fatalf("open %s: %v", classes()+key, err)
	}
	defer k.Close()
	v, typ, err := k.GetStringValue(name)
	if err != nil || typ != registry.SZ {
		t.Fatalf("%s %q: %v (type %d)", classes()+key, name, err, typ)
	}
	return v
}
