package library

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestTrackSettings(t *testing.T) {
	root := t.TempDir()
	for _, tc := range []struct {
		text    string
		roles   string
		records bool
		err     string
	}{
		{text: "managed: true\n"},
		{text: "roles: [sales, support, finance]\ntrack_records: named\n", roles: "sales,support,finance", records: true},
		{text: "track_records: Named\n", records: true},
		{text: "track_records: off\n"},
		{text: "roles: sales\n", err: ":1: roles must be a list"},
		{text: "roles:\n  - sales\n  - ''\n", err: `:3: roles: "" is not a role`},
		{text: "roles: [a]\ntrack_records: yes\n", err: ":2: track_records must be named"},
	} {
		if err := os.WriteFile(filepath.Join(root, SettingsFile), []byte(tc.text), 0o644); err != nil {
			t.Fatal(err)
		}
		s, err := LoadSettings(root)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) || !strings.Contains(err.Error(), SettingsFile) {
				t.Errorf("%q: %v, want %q", tc.text, err, tc.err)
			}
			continue
		}
		if err != nil || strings.Join(s.Roles, ",") != tc.roles || s.Records() != tc.records {
			t.Errorf("%q: roles %v records %v err %v", tc.text, s.Roles, s.Records(), err)
		}
	}
}

func TestPeople(t *testing.T) {
	root := t.TempDir()
	write(t, root, "_people/kim@example.com.yaml", []byte("roles: [sales]\nstart_date: 2026-11-17\n"))
	write(t, root, "_people/lee.yaml", []byte("identity: Lee Chen\nroles: support, finance\n"))
	write(t, root, "_people/notes.txt", []byte("not a preset"))
	write(t, root, "_people/.hidden.yaml", []byte("{{{"))

	p, ok, err := LoadPerson(root, "Kim@Example.com")
	if err != nil || !ok {
		t.Fatalf("LoadPerson: %v %v", ok, err)
	}
	if p.Identity != "Kim@Example.com" || strings.Join(p.Roles, ",") != "sales" || !p.StartDate.Equal(time.Date(2026, 11, 17, 0, 0, 0, 0, time.UTC)) || p.Path != "_people/kim@example.com.yaml" {
		t.Errorf("kim: %+v", p)
	}
	if _, ok, err := LoadPerson(root, "nobody@example.com"); ok || err != nil {
		t.Errorf("no preset: %v %v", ok, err)
	}
	if _, ok, err := LoadPerson(root, "../../etc"); ok || err != nil {
		t.Errorf("path outside: %v %v", ok, err)
	}
	all, err := People(root)
	if err != nil || len(all) != 2 || all[0].Identity != "Lee Chen" || strings.Join(all[0].Roles, ",") != "support,finance" || all[1].Identity != "kim@example.com" {
		t.Fatalf("People: %+v %v", all, err)
	}
	if got, err := People(t.TempDir()); got != nil || err != nil {
		t.Errorf("no folder: %v %v", got, err)
	}

	for text, want := range map[string]string{
		"roles: [sales]\nstart_date: 17/11/2026\n": `_people/bad.yaml:2: start_date "17/11/2026" is not a date: write it as YYYY-MM-DD`,
		"role: [sales]\n":                          `_people/bad.yaml:1: unknown key "role"`,
		"roles: {a: b}\n":                          `_people/bad.yaml:1: roles must be a list`,
		"roles: [\n":                               "_people/bad.yaml:",
		"- a\n":                                    "_people/bad.yaml:1: a person's preset must be 'key: value' lines",
	} {
		write(t, root, "_people/bad.yaml", []byte(text))
		_, _, err := LoadPerson(root, "bad")
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", text, err, want)
		}
		if _, err := People(root); err == nil || !strings.Contains(err.Error(), "_people/bad.yaml") {
			t.Errorf("People with %q: %v", text, err)
		}
	}
}

func TestLintTrackKeys(t *testing.T) {
	for _, tc := range []struct {
		name     string
		settings string
		guide    string
		want     []string // path:line: level: code
	}{
		{name: "complete", settings: "roles: [sales, support]\n",
			guide: "---\ntitle: Security basics\nowner: it@example.com\nrequired: true\ndue: 14d\nroles: [Sales, everyone]\n---\n# x\n"},
		{name: "no owner, no due", guide: "---\ntitle: Security basics\nrequired: true\n---\n# x\n",
			want: []string{"a/g.md:3: error: required-due", "a/g.md:3: error: required-owner"}},
		{name: "not required needs neither", guide: "---\ntitle: Security basics\ndue: 14d\n---\n# x\n"},
		{name: "unknown role", settings: "roles: [sales, support]\n", guide: "---\ntitle: Security basics\n\nroles: [sales, suport]\n---\n# x\n",
			want: []string{"a/g.md:4: warning: unknown-role"}},
		{name: "any role without a list", guide: "---\ntitle: Security basics\nroles: [whatever]\n---\n# x\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			write(t, root, "a/g.md", []byte(tc.guide))
			if tc.settings != "" {
				write(t, root, SettingsFile, []byte(tc.settings))
			}
			rep, err := Lint(context.Background(), root, time.Now(), nil)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range rep.Problems {
				if strings.HasPrefix(p.Code, "required") || p.Code == "unknown-role" {
					got = append(got, fmt.Sprintf("%s:%d: %s: %s", p.Path, p.Line, p.Level, p.Code))
					if !strings.Contains(p.Message, ": ") {
						t.Errorf("message says not what to do: %s", p.Message)
					}
				}
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("problems %q, want %q", got, tc.want)
			}
		})
	}
}

func FuzzPerson(f *testing.F) {
	f.Add([]byte("roles: [sales]\nstart_date: 2026-11-17\n"))
	f.Add([]byte("identity: Kim\nroles: a, b,,\n"))
	f.Add([]byte("roles: [{a: b}]\nstart_date: [\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := parsePerson("_people/x.yaml", data)
		var se *SettingsError
		if err != nil {
			if !errors.As(err, &se) || se.Line < 1 || se.File != "_people/x.yaml" || se.Message == "" {
				t.Fatalf("error without file and line: %v", err)
			}
			return
		}
		if p.Identity == "" || slices.Contains(p.Roles, "") {
			t.Fatalf("person %+v", p)
		}
	})
}
