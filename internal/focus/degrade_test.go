//go:build linux || freebsd || netbsd || openbsd || dragonfly

package focus

import (
	"os"
	"path/filepath"
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

func TestParseDisplay(t *testing.T) {
	for in, want := range map[string]xdisplay{
		":0":               {network: "unix", addr: "/tmp/.X11-unix/X0", number: "0"},
		":12.1":            {network: "unix", addr: "/tmp/.X11-unix/X12", number: "12"},
		"unix:3":           {network: "unix", addr: "/tmp/.X11-unix/X3", number: "3"},
		"localhost:10.0":   {network: "tcp", addr: "localhost:6010", host: "localhost", number: "10"},
		"tcp/example:1":    {network: "tcp", addr: "example:6001", host: "example", number: "1"},
		"/tmp/launch-x/:0": {network: "unix", addr: "/tmp/launch-x/:0", number: "0"},
	} {
		got, err := parseDisplay(in)
		want.name = in
		if err != nil || got != want {
			t.Errorf("parseDisplay(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "0", ":", ":x", ":1.x", "host:-1"} {
		if _, err := parseDisplay(bad); err == nil {
			t.Errorf("parseDisplay(%q) accepted", bad)
		}
	}
}

func TestXauthority(t *testing.T) {
	host, _ := os.Hostname()
	entry := func(family uint16, addr, disp, name string, data []byte) []byte {
		var b []byte
		put := func(s []byte) { b = append(b, byte(len(s)>>8), byte(len(s))); b = append(b, s...) }
		b = append(b, byte(family>>8), byte(family))
		put([]byte(addr))
		put([]byte(disp))
		put([]byte(name))
		put(data)
		return b
	}
	cookie := []byte("0123456789abcdef")
	other := []byte("fedcba9876543210")
	var file []byte
	file = append(file, entry(256, "otherhost", "5", "MIT-MAGIC-COOKIE-1", other)...)
	file = append(file, entry(256, host, "4", "MIT-MAGIC-COOKIE-1", other)...)
	file = append(file, entry(256, host, "5", "MIT-MAGIC-COOKIE-1", cookie)...)
	path := filepath.Join(t.TempDir(), "Xauthority")
	if err := os.WriteFile(path, file, 0o600); err != nil {
		t.Fatal(err)
	}
	env := func(k string) string { return map[string]string{"XAUTHORITY": path}[k] }
	d, _ := parseDisplay(":5")
	name, data, ok := xauthority(d, env)
	if !ok || name != "MIT-MAGIC-COOKIE-1" || string(data) != string(cookie) {
		t.Errorf("xauthority(:5) = %q %q %v", name, data, ok)
	}
	d, _ = parseDisplay(":7")
	if _, _, ok := xauthority(d, env); ok {
		t.Error("found a cookie for a display with none")
	}
	req := setupRequest(name, data)
	if len(req) != 12+20+16 || req[0] != 'l' || req[2] != 11 || req[6] != 18 || req[8] != 16 || string(req[12:30]) != "MIT-MAGIC-COOKIE-1" || string(req[32:]) != string(cookie) {
		t.Errorf("setup request % x", req)
	}
}

func TestCleanText(t *testing.T) {
	if got := cleanText([]byte("caf\xe9\x00"), false); got != "café" {
		t.Errorf("Latin-1: %q", got)
	}
	if got := cleanText([]byte("café — ok\x00"), true); got != "café — ok" {
		t.Errorf("UTF-8: %q", got)
	}
	if got := cleanText([]byte("bad \xff\xfe"), true); got != "bad \uFFFD" {
		t.Errorf("invalid UTF-8: %q", got)
	}
}
