package autostart

import (
	"os"
	"testing"
)

// TestAutostart turns starting at login on, reads it back and turns it off
// twice (the second time there is nothing to remove). On Windows it uses
// a value of its own under the Run key (see valueName in the Windows
// test), so a real Cuecard's entry is left alone.
func TestAutostart(t *testing.T) {
	isolate(t)
	if Enabled() {
		t.Fatal("enabled before Set")
	}
	if err := Set(true); err != nil {
		t.Fatal(err)
	}
	if !Enabled() {
		t.Fatal("not enabled after Set(true)")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := stored(t), Command(exe); got != want {
		t.Errorf("stored command %q, want %q", got, want)
	}
	for i := 0; i < 2; i++ {
		if err := Set(false); err != nil {
			t.Fatal(err)
		}
		if Enabled() {
			t.Fatal("still enabled after Set(false)")
		}
	}
}

func TestCommand(t *testing.T) {
	if got := Command(`C:\Program Files\Cuecard\cuecard.exe`); got != `"C:\Program Files\Cuecard\cuecard.exe" app` {
		t.Errorf("Command = %s", got)
	}
}
