//go:build linux

package desktop

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/focus/focustest"
	"github.com/cuecard/cuecard/internal/hotkey"
)

// TestSearchKeyChange: Settings changes the search hotkey while the app
// runs: the new key works at once and the old one is let go; a key another
// program holds is refused and the current one stays.
func TestSearchKeyChange(t *testing.T) {
	focustest.Require(t, "xdotool")
	x := focustest.StartX(t)
	x.StartWM()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opts := hotkey.Options{Display: x.Display}
	sk := &searchKey{register: New(Deps{}).d.Register, opts: opts}
	defer sk.close()
	presses := make(chan struct{}, 8)
	sk.setAction(func() { presses <- struct{}{} })
	pressed := func(keys string, want bool) {
		t.Helper()
		for len(presses) > 0 {
			<-presses
		}
		x.Tool("xdotool", "key", keys)
		wait := 5 * time.Second
		if !want {
			wait = time.Second // a press that should not arrive
		}
		select {
		case <-presses:
			if !want {
				t.Errorf("%s still opens the search", keys)
			}
		case <-time.After(wait):
			if want {
				t.Errorf("%s does not open the search", keys)
			}
		}
	}
	if err := sk.change(ctx, hotkey.Default); err != nil {
		t.Fatal(err)
	}
	pressed("ctrl+alt+space", true)

	g, _ := hotkey.Parse("Ctrl+Alt+G")
	if err := sk.change(ctx, g); err != nil {
		t.Fatal(err)
	}
	pressed("ctrl+alt+g", true)
	pressed("ctrl+alt+space", false)
	if k := sk.current(hotkey.Default); k != g {
		t.Errorf("current %v, want %v", k, g)
	}

	// Another program holds Ctrl+Alt+H.
	h, _ := hotkey.Parse("Ctrl+Alt+H")
	other, err := hotkey.Register(ctx, h, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if err := sk.change(ctx, h); err == nil || !strings.Contains(err.Error(), "already used") {
		t.Errorf("a held key: %v", err)
	}
	if k := sk.current(hotkey.Default); k != g {
		t.Errorf("after a refused change: %v, want %v", k, g)
	}
	pressed("ctrl+alt+g", true)
}
