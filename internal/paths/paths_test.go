package paths

import (
	"path/filepath"
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
	if SampleLibrary() != "/d/library" || State() != "/d/state.db" {
		t.Errorf("derived paths: %s %s", SampleLibrary(), State())
	}
	a, b := Index("/lib/a"), Index("/lib/b")
	if a == b || !strings.HasPrefix(a, filepath.Join("/k", "index")+"/") || Index("/lib/a") != a {
		t.Errorf("index folders %s %s", a, b)
	}
}

func TestDefaults(t *testing.T) {
	for _, k := range []string{"CUECARD_CONFIG", "CUECARD_CACHE", "CUECARD_DATA", "CUECARD_RUNTIME"} {
		t.Setenv(k, "")
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
