package xconn

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestText(t *testing.T) {
	if got := Text([]byte("caf\xe9\x00"), false); got != "café" {
		t.Errorf("Latin-1: %q", got)
	}
	if got := Text([]byte("café — ok\x00"), true); got != "café — ok" {
		t.Errorf("UTF-8: %q", got)
	}
	if got := Text([]byte("bad \xff\xfe"), true); got != "bad \uFFFD" {
		t.Errorf("invalid UTF-8: %q", got)
	}
}

func TestExe(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc")
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if got := Exe(os.Getpid()); got != filepath.Base(self) {
		t.Errorf("Exe(self) = %q, want %q", got, filepath.Base(self))
	}
	if got := Exe(-1); got != "" {
		t.Errorf("Exe(-1) = %q", got)
	}
}
