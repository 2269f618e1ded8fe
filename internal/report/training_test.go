package report

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/library"
	"github.com/cuecard/cuecard/internal/seal"
	"github.com/cuecard/cuecard/internal/track"
)

// TestTraining: from a real library folder with presets and the records
// people's Cuecards wrote: who has done what, what is overdue, and which
// records are for an older version of a guide.
func TestTraining(t *testing.T) {
	root := t.TempDir()
	put := func(rel, text string) {
		t.Helper()
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	put("people/code-of-conduct.md", "---\ntitle: Read the code of conduct\nrequired: true\nack: true\ndue: 7d\norder: 1\n---\n# v1\n")
	put("it/security-basics.md", "---\ntitle: Security basics\nformat: checklist\nrequired: true\ndue: 14d\norder: 2\n---\n- [ ] Lock your screen\n")
	put("sales/crm-basics.md", "---\ntitle: CRM basics\nrequired: true\ndue: 30d\nroles: [sales]\n---\n# CRM\n")
	put("old/removed.md", "---\ntitle: Removed\nrequired: true\ndue: 1d\n---\n# gone\n")
	put("_people/kim@example.com.yaml", "roles: [sales]\nstart_date: 2026-11-01\n")
	put("_people/lee@example.com.yaml", "roles: [support]\nstart_date: 2026-11-30\n")

	scan := func() *library.Result {
		res, err := library.Scan(context.Background(), root, library.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	hash := func(res *library.Result, id string) string {
		for _, g := range res.Guides {
			if g.ID == id {
				return g.Hash
			}
		}
		return ""
	}
	v1 := scan()
	at := time.Date(2026, 11, 3, 9, 0, 0, 0, time.UTC)
	trKey, trReaders := testSealing()
	f := track.Folder{Root: root, Readers: trReaders, Secret: []byte("a test sharing secret")}
	for _, r := range []track.Record{
		{Identity: "kim@example.com", Guide: "people/code-of-conduct.md", Hash: hash(v1, "people/code-of-conduct.md"), At: at, Ack: true, How: track.ByAck},
		{Identity: "kim@example.com", Guide: "it/security-basics.md", Hash: hash(v1, "it/security-basics.md"), At: at, How: track.ByChecklist},
		{Identity: "kim@example.com", Guide: "old/removed.md", Hash: hash(v1, "old/removed.md"), At: at, How: track.ByMark},
		{Identity: "sam@example.com", Guide: "people/code-of-conduct.md", Hash: hash(v1, "people/code-of-conduct.md"), At: at, Ack: true, How: track.ByAck},
	} {
		if err := f.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	// The code of conduct changes; a guide goes.
	put("people/code-of-conduct.md", "---\ntitle: Read the code of conduct\nrequired: true\nack: true\ndue: 7d\norder: 1\n---\n# v2\n")
	os.Remove(filepath.Join(root, "old", "removed.md"))

	res := scan()
	presets, err := library.People(root)
	if err != nil {
		t.Fatal(err)
	}
	var people []track.Profile
	for _, p := range presets {
		people = append(people, track.Profile{Identity: p.Identity, Roles: p.Roles, Start: p.StartDate})
	}
	records, warnings, err := track.ReadRecords(root, trKey)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	tr := BuildTraining(res.Guides, people, records, warnings, now)

	got := map[string]string{}
	for _, p := range tr.People {
		var items []string
		for _, it := range p.Items {
			s := it.Guide + ":" + it.Status
			if it.Outdated {
				s += ":outdated"
			}
			items = append(items, s)
		}
		got[p.Identity] = strings.Join(items, " ")
		if p.Identity == "kim@example.com" && (p.Done != 2 || p.Total != 3 || p.Overdue != 1 || p.Start != "2026-11-01") {
			t.Errorf("kim %+v", p)
		}
	}
	want := map[string]string{
		// 36 days in: CRM basics (30d) is overdue.
		"kim@example.com": "people/code-of-conduct.md:done:outdated it/security-basics.md:done sales/crm-basics.md:overdue",
		// 7 days in: nothing overdue yet (the code of conduct is due today).
		"lee@example.com": "people/code-of-conduct.md:not-started it/security-basics.md:not-started",
		// No preset: no start date, no roles: nothing can be overdue.
		"sam@example.com": "people/code-of-conduct.md:done:outdated it/security-basics.md:not-started sales/crm-basics.md:not-started",
	}
	if len(got) != len(want) {
		t.Errorf("people %v", got)
	}
	for who, w := range want {
		if got[who] != w {
			t.Errorf("%s:\n%s\nwant\n%s", who, got[who], w)
		}
	}
	var outdated []string
	for _, r := range tr.Outdated {
		outdated = append(outdated, r.Identity+" "+r.Guide+" "+r.why())
	}
	if strings.Join(outdated, "|") != "kim@example.com old/removed.md guide no longer in the library|kim@example.com people/code-of-conduct.md guide changed since|sam@example.com people/code-of-conduct.md guide changed since" {
		t.Errorf("outdated %q", outdated)
	}

	for _, format := range Formats {
		t.Run(format, func(t *testing.T) {
			var b bytes.Buffer
			if err := RenderTraining(&b, tr, format); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			switch format {
			case "json":
				var back Training
				if err := json.Unmarshal(b.Bytes(), &back); err != nil || len(back.People) != 3 || len(back.Outdated) != 3 {
					t.Errorf("json: %v %+v", err, back)
				}
			case "csv":
				rows, err := csv.NewReader(&b).ReadAll()
				if err != nil || len(rows) != 1+8+3 {
					t.Errorf("csv: %v, %d rows", err, len(rows))
				}
			default:
				for _, s := range []string{"kim@example.com", "CRM basics", "overdue", "older version", "2 of 3 done"} {
					if !strings.Contains(out, s) {
						t.Errorf("%s output lacks %q:\n%s", format, s, out)
					}
				}
			}
		})
	}
	if err := RenderTraining(&bytes.Buffer{}, tr, "pdf"); err == nil {
		t.Error("unknown format accepted")
	}
}

// testSealing is a reader's key and the readers (its recipient) that
// records are sealed to.
func testSealing() (*seal.Key, seal.Readers) {
	private, recipient, err := seal.NewKey()
	if err != nil {
		panic(err)
	}
	k, _ := seal.ParseKey(private)
	r, _ := seal.NewReaders([]string{recipient})
	return k, r
}
