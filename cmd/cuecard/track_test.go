package main

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/seal"
	"github.com/cuecard/cuecard/internal/track"
)

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestTrackCommand: cuecard track on the sample library, for a profile in
// the settings file and for one preset in the library's _people folder.
func TestTrackCommand(t *testing.T) {
	lib := copyLibrary(t)
	writeFile(t, filepath.Join(lib, "_people", "lee@example.com.yaml"), "roles: [support]\nstart_date: 2026-11-24\n")
	for _, tc := range []struct {
		name, config string
		want         []string // ids in order
		overdue      int
		absent       []string
	}{
		{name: "sales, 20 days in", config: "identity: kim@example.com\nroles: [sales]\nstart_date: 2026-11-06\n",
			want:    []string{"people/code-of-conduct.md", "it/security-basics.md", "finance/expense-policy.md", "sales/create-a-deal-in-acme-crm.md"},
			overdue: 2, absent: []string{"support/respond-to-a-support-ticket.md", "finance/month-end-close.md"}},
		{name: "support, from the preset", config: "identity: lee@example.com\n",
			want:   []string{"people/code-of-conduct.md", "it/security-basics.md", "finance/expense-policy.md", "support/respond-to-a-support-ticket.md"},
			absent: []string{"sales/create-a-deal-in-acme-crm.md"}},
		{name: "the settings win over the preset", config: "identity: lee@example.com\nroles: [finance]\n",
			want: []string{"people/code-of-conduct.md", "it/security-basics.md", "finance/expense-policy.md", "finance/month-end-close.md"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := env(t)
			writeFile(t, filepath.Join(envValue(e, "CUECARD_CONFIG"), "config.yaml"), tc.config)
			r := run(t, e, "--library", lib, "track", "--json")
			if r.code != 0 {
				t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			var got struct {
				Total int          `json:"total"`
				Items []track.Item `json:"items"`
				Next  int          `json:"next"`
			}
			if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
				t.Fatalf("%v\n%s", err, r.stdout)
			}
			var ids []string
			overdue := 0
			for _, it := range got.Items {
				ids = append(ids, it.ID)
				if it.Status == track.Overdue {
					overdue++
				}
			}
			if strings.Join(ids, " ") != strings.Join(tc.want, " ") || overdue != tc.overdue || got.Total != len(tc.want) || got.Next != 0 {
				t.Errorf("track %v (%d overdue, next %d), want %v (%d overdue)", ids, overdue, got.Next, tc.want, tc.overdue)
			}
			text := run(t, e, "--library", lib, "track")
			if text.code != 0 || !strings.Contains(text.stdout, "Start here: 0 of 4 done") || !strings.Contains(text.stdout, "Next: What is our code of conduct?") {
				t.Errorf("track: exit %d\n%s%s", text.code, text.stdout, text.stderr)
			}
			for _, id := range tc.absent {
				if strings.Contains(text.stdout, id) {
					t.Errorf("track lists %s, a guide for another role:\n%s", id, text.stdout)
				}
			}
			if _, err := os.Stat(filepath.Join(lib, "_training")); err == nil {
				t.Error("cuecard track wrote into the library")
			}
		})
	}
	e := env(t)
	writeFile(t, filepath.Join(envValue(e, "CUECARD_CONFIG"), "config.yaml"), "identity: kim@example.com\nstart_date: 06/11/2026\n")
	if r := run(t, e, "--library", lib, "track"); r.code != 1 || !strings.Contains(r.stderr, "config.yaml:2: start_date") || !strings.Contains(r.stderr, "YYYY-MM-DD") {
		t.Errorf("bad start date: exit %d %q", r.code, r.stderr)
	}
}

// TestReportTraining: the records people's Cuecards wrote into the
// library, in the managers' report.
func TestReportTraining(t *testing.T) {
	e := env(t)
	lib := copyLibrary(t)
	writeFile(t, filepath.Join(lib, "_people", "kim@example.com.yaml"), "roles: [sales]\nstart_date: 2026-11-06\n")
	writeFile(t, filepath.Join(lib, "_people", "lee@example.com.yaml"), "roles: [support]\nstart_date: 2026-11-24\n")
	// The manager is the library's reader: records are sealed to them.
	if r := run(t, e, "--library", lib, "report", "--training"); r.code == 0 || !strings.Contains(r.stderr, "cuecard keys new") {
		t.Errorf("no reader key: exit %d %s", r.code, r.stderr)
	}
	k := run(t, e, "keys", "new")
	recipient := regexp.MustCompile(`\bage1[02-9ac-hj-np-z]{58}\b`).FindString(k.stdout)
	readers, err := seal.NewReaders([]string{recipient})
	if k.code != 0 || err != nil {
		t.Fatalf("keys new: %v %s", err, k.stderr)
	}
	r := run(t, e, "--library", lib, "report", "--training", "--format", "json")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// A guide's hash is its file's SHA-256, as the app records it.
	hashOf := func(id string) string {
		data, err := os.ReadFile(filepath.Join(lib, filepath.FromSlash(id)))
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("%x", sha256.Sum256(data))
	}
	f := track.Folder{Root: lib, Readers: readers, Secret: []byte("a test sharing secret")}
	at := time.Date(2026, 11, 10, 9, 0, 0, 0, time.UTC)
	for _, rec := range []track.Record{
		{Identity: "kim@example.com", Guide: "people/code-of-conduct.md", Hash: hashOf("people/code-of-conduct.md"), At: at, Ack: true, How: track.ByAck},
		{Identity: "kim@example.com", Guide: "it/security-basics.md", Hash: "an-older-version", At: at, How: track.ByChecklist},
	} {
		if err := f.Write(rec); err != nil {
			t.Fatal(err)
		}
	}
	r = run(t, e, "--library", lib, "report", "--training")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{
		"kim@example.com: 2 of 4 done, started 2026-11-06, roles sales",
		"lee@example.com: 0 of 4 done, started 2026-11-24, roles support",
		"RECORDS OF AN OLDER VERSION",
		"kim@example.com  it/security-basics.md",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("report lacks %q:\n%s", want, r.stdout)
		}
	}
	out := filepath.Join(t.TempDir(), "training.csv")
	r = run(t, e, "--library", lib, "report", "--training", "--format", "csv", "--out", out)
	data, _ := os.ReadFile(out)
	if r.code != 0 || !strings.Contains(string(data), "item,kim@example.com,2026-11-06,people/code-of-conduct.md,What is our code of conduct?,2026-11-13,done,") {
		t.Errorf("csv: exit %d %s\n%s", r.code, r.stderr, data)
	}
}

// TestLintTrackKeys: lint names the file and line of a role the library
// does not list and of a required guide without a due date.
func TestLintTrackKeys(t *testing.T) {
	e := env(t)
	lib := copyLibrary(t)
	writeFile(t, filepath.Join(lib, "sales", "quota.md"), "---\ntitle: What is my sales quota?\nsummary: The quota.\ntags: [quota]\nroles: [salse]\nowner: maria.lopez@example.com\nreviewed: 2026-11-20\nrequired: true\n---\n# What is my sales quota?\n")
	r := run(t, e, "lint", lib)
	quota := filepath.Join(lib, "sales", "quota.md")
	for _, want := range []string{
		quota + `:5: warning: role "salse" is not one of the library's roles`,
		quota + ":8: error: a required guide has no due date: add 'due: 14d'",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("lint lacks %q:\n%s", want, r.stdout)
		}
	}
	if r.code != 1 {
		t.Errorf("exit %d, want 1", r.code)
	}
}
