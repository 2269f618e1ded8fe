//go:build linux || freebsd || netbsd || openbsd || dragonfly

package xconn

import (
	"os"
	"path/filepath"
	"testing"
)

func TestParseDisplay(t *testing.T) {
	for in, want := range map[string]Display{
		":0":               {Network: "unix", Addr: "/tmp/.X11-unix/X0", Number: "0"},
		":12.1":            {Network: "unix", Addr: "/tmp/.X11-unix/X12", Number: "12"},
		"unix:3":           {Network: "unix", Addr: "/tmp/.X11-unix/X3", Number: "3"},
		"localhost:10.0":   {Network: "tcp", Addr: "localhost:6010", Host: "localhost", Number: "10"},
		"tcp/example:1":    {Network: "tcp", Addr: "example:6001", Host: "example", Number: "1"},
		"/tmp/launch-x/:0": {Network: "unix", Addr: "/tmp/launch-x/:0", Number: "0"},
	} {
		got, err := ParseDisplay(in)
		want.Name = in
		if err != nil || got != want {
			t.Errorf("ParseDisplay(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "0", ":", ":x", ":1.x", "Host:-1"} {
		if _, err := ParseDisplay(bad); err == nil {
			t.Errorf("ParseDisplay(%q) accepted", bad)
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
	d, _ := ParseDisplay(":5")
	name, data, ok := Xauthority(d, env)
	if !ok || name != "MIT-MAGIC-COOKIE-1" || string(data) != string(cookie) {
		t.Errorf("Xauthority(:5) = %q %q %v", name, data, ok)
	}
	d, _ = ParseDisplay(":7")
	if _, _, ok := Xauthority(d, env); ok {
		t.Error("found a cookie for a display with none")
	}
	req := setupRequest(name, data)
	if len(req) != 12+20+16 || req[0] != 'l' || req[2] != 11 || req[6] != 18 || req[8] != 16 || string(req[12:30]) != "MIT-MAGIC-COOKIE-1" || string(req[32:]) != string(cookie) {
		t.Errorf("setup request % x", req)
	}
}
