//go:build linux || freebsd || netbsd || openbsd || dragonfly

package focus

import (
	"strings"
	"testing"
	"time"
)

// TestDegradation: sessions where the focused window cannot be known. Each
// gives one clear status event and never a window.
func TestDegradation(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		want string
	}{
		{"no display", map[string]string{}, "no X display (DISPLAY is not set)"},
		{"wayland without X", map[string]string{"WAYLAND_DISPLAY": "wayland-0"}, "Wayland session without X11"},
		{"bogus display name", map[string]string{"DISPLAY": "bogus"}, `"bogus" is not an X display name`},
		{"no server", map[string]string{"DISPLAY": ":4712"}, "cannot connect to X display :4712"},
		{"no server over tcp", map[string]string{"DISPLAY": "127.0.0.1:4713"}, "cannot connect to X display 127.0.0.1:4713"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := New(Options{Getenv: func(k string) string { return tc.env[k] }, Retry: time.Hour})
			select {
			case ev := <-tr.Events():
				if !ev.IsStatus() || ev.Available || !strings.HasPrefix(ev.Status, Unavailable) || !strings.Contains(ev.Status, tc.want) {
					t.Errorf("event %+v, want an unavailable status with %q", ev, tc.want)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("no status")
			}
			if err := tr.Close(); err != nil {
				t.Fatal(err)
			}
			for ev := range tr.Events() {
				t.Errorf("extra event %+v", ev)
			}
		})
	}
}
