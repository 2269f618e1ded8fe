package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	missing, err := Load(filepath.Join(dir, "none.yaml"))
	if err != nil || missing.Library != "" || missing.Ignore != nil {
		t.Fatalf("missing file: %+v %v", missing, err)
	}
	p := filepath.Join(dir, "config.yaml")
	os.WriteFile(p, []byte("library: ~/guides\nignore: [drafts/, '*.bak.md']\ngit_every: 30m\n"), 0o644)
	c, err := Load(p)
	if err != nil || c.Library != "~/guides" || strings.Join(c.Ignore, ",") != "drafts/,*.bak.md" || c.GitEvery != 30*time.Minute {
		t.Fatalf("%+v %v", c, err)
	}
	for body, want := range map[string]string{
		"library: [a\n":               "config.yaml:1: invalid settings",
		"libary: x\n":                 "config.yaml:1: unknown setting \"libary\"",
		"ignore: [x]\ngit_every: 5\n": "git_every",
		"ignore: ['']\n":              "empty pattern",
		"ignore: {a: b}\n":            "invalid settings",
		"record_exclude: ['(']\n":     "record_exclude",
	} {
		os.WriteFile(p, []byte(body), 0o644)
		if _, err := Load(p); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err %v, want %q", body, err, want)
		}
	}
}

func TestSaveRoundTrip(t *testing.T) {
	p := filepath.Join(t.TempDir(), "sub", "config.yaml")
	in := Config{Library: "/srv/guides", Ignore: []string{"drafts/"}, GitEvery: 20 * time.Minute, Hotkey: "Ctrl+Alt+G",
		Corner: "top-left", NoSuggestions: true, KeepPanel: true, Exclude: []string{"^secret-app$"}, ShareUsage: true, ShareSearches: true, Identity: "kim@example.com",
		RecordExclude: []string{"payroll"}, RecordHotkey: "Ctrl+Alt+S", RecordBlur: true, GuidesHotkey: "Super+G"}
	if err := Save(p, in); err != nil {
		t.Fatal(err)
	}
	out, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	out.Path = ""
	if out.Library != in.Library || out.Hotkey != in.Hotkey || out.Corner != in.Corner || !out.NoSuggestions || !out.KeepPanel ||
		out.GitEvery != in.GitEvery || strings.Join(out.Exclude, ",") != "^secret-app$" || strings.Join(out.Ignore, ",") != "drafts/" ||
		strings.Join(out.RecordExclude, ",") != "payroll" || out.RecordHotkey != "Ctrl+Alt+S" || !out.RecordBlur || out.GuidesHotkey != "Super+G" {
		t.Errorf("round trip: %+v", out)
	}
	if !out.ShareUsage || !out.ShareSearches || out.Identity != "kim@example.com" {
		t.Errorf("round trip of the sharing settings: %+v", out)
	}
	// Off by default, and left out of the file when off.
	if err := Save(p, Config{}); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(p); strings.Contains(string(data), "share") {
		t.Errorf("defaults written:\n%s", data)
	}
	if def, err := Load(p); err != nil || def.ShareUsage || def.ShareSearches || def.Identity != "" {
		t.Errorf("defaults %+v %v", def, err)
	}
	os.WriteFile(p, []byte("corner: middle\n"), 0o644)
	if _, err := Load(p); err == nil || !strings.Contains(err.Error(), "bottom-right") {
		t.Errorf("bad corner: %v", err)
	}
	os.WriteFile(p, []byte("exclude: ['(']\n"), 0o644)
	if _, err := Load(p); err == nil || !strings.Contains(err.Error(), "regular expression") {
		t.Errorf("bad exclude: %v", err)
	}
}

func TestProfile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "config.yaml")
	for _, tc := range []struct {
		name, body string
		roles      string
		start      string
		err        string
	}{
		{name: "none", body: "identity: kim@example.com\n"},
		{name: "roles and start", body: "roles: [sales, ' support ', Sales, '']\nstart_date: 2026-11-17\n", roles: "sales,support", start: "2026-11-17"},
		{name: "roles as lines", body: "roles:\n  - finance\n", roles: "finance"},
		{name: "bad date", body: "identity: x\nstart_date: 17.11.2026\n", err: "config.yaml:2: start_date: \"17.11.2026\" is not a date: write it as YYYY-MM-DD"},
		{name: "bad role", body: "roles: ['a, b']\n", err: "config.yaml:1: roles: \"a, b\" is not a role"},
		{name: "roles not a list", body: "roles: {a: b}\n", err: "invalid settings"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			os.WriteFile(p, []byte(tc.body), 0o644)
			c, err := Load(p)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			start := ""
			if !c.StartDate.IsZero() {
				start = c.StartDate.Format("2006-01-02")
			}
			if strings.Join(c.Roles, ",") != tc.roles || start != tc.start {
				t.Errorf("roles %q start %q, want %q %q", c.Roles, start, tc.roles, tc.start)
			}
			// What Load read, Save writes back the same.
			if err := Save(p, c); err != nil {
				t.Fatal(err)
			}
			back, err := Load(p)
			if err != nil || strings.Join(back.Roles, ",") != tc.roles || !back.StartDate.Equal(c.StartDate) {
				t.Errorf("round trip %+v %v", back, err)
			}
		})
	}
}
