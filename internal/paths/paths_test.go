package paths

import (
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestOverrides(t *testing.T) {
	t.Setenv("CUECARD_CONFIG", "/c")
	t.Setenv("CUECARD_CACHE", "/k")
	t.Setenv("CUECARD_DATA", "/d")
	t.Setenv("CUECARD_RUNTIME", "/r")
	if Config() != "/c" || Cache() != "/k" || Data() != "/d" || Runtime() != "/r" {
		t.Errorf("overrides ignored: %s %s %s %s", Config(), Cache(), Data(), Runtime())
	}
	if SampleLibrary() != filepath.Join("/d", "library") || State() != filepath.Join("/d", "state.db") {
		t.Errorf("derived paths: %s %s", SampleLibrary(), State())
	}
	a, b := Index("/lib/a"), Index("/lib/b")
	if a == b || !strings.HasPrefix(a, filepath.Join("/k", "index")+string(filepath.Separator)) || Index("/lib/a") != a {
		t.Errorf("index folders %s %s", a, b)
	}
}

func TestDefaults(t *testing.T) {
	for _, k := range []string{"CUECARD_CONFIG", "CUECARD_CACHE", "CUECARD_DATA", "CUECARD_RUNTIME"} {
		t.Setenv(k, "")
	}
	if runtime.GOOS == "windows" {
		t.Setenv("APPDATA", `C:\Users\u\AppData\Roaming`)
		t.Setenv("LOCALAPPDATA", `C:\Users\u\AppData\Local`)
		if Config() != `C:\Users\u\AppData\Roaming\cuecard` || Cache() != `C:\Users\u\AppData\Local\cuecard` ||
			Data() != `C:\Users\u\AppData\Roaming\cuecard\data` || Runtime() != `\\.\pipe` {
			t.Errorf("defaults: %s %s %s %s", Config(), Cache(), Data(), Runtime())
		}
		if p := filepath.Join(Runtime(), "cuecard-0123"); p != `\\.\pipe\cuecard-0123` {
			t.Errorf("a pipe in Runtime: %s", p)
		}
		return
	}
	t.Setenv("HOME", "/home/u")
	t.Setenv("XDG_CONFIG_HOME", "")
	t.Setenv("XDG_CACHE_HOME", "")
	t.Setenv("XDG_DATA_HOME", "/xdg/data")
	t.Setenv("XDG_RUNTIME_DIR", "/run/user/7")
	if Config() != "/home/u/.config/cuecard" || Cache() != "/home/u/.cache/cuecard" || Data() != "/xdg/data/cuecard" || Runtime() != "/run/user/7/cuecard" {
		t.Errorf("defaults: %s %s %s %s", Config(), Cache(), Data(), Runtime())
	}
}
