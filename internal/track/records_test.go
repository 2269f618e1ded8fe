package track

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestRecordPath(t *testing.T) {
	for _, tc := range []struct{ identity, id, want string }{
		{"kim@example.com", "people/code-of-conduct.md", "_training/kim@example.com/people-code-of-conduct.json"},
		{"Kim Lee", "Security Basics.md", "_training/kim-lee/security-basics.json"},
		{"../../etc", "../x.md", "_training/etc/x.json"},
		{"", "a.md", ""},
		{"///", "a.md", ""},
	} {
		if got := RecordPath(tc.identity, tc.id); got != tc.want {
			t.Errorf("RecordPath(%q, %q) = %q, want %q", tc.identity, tc.id, got, tc.want)
		}
	}
}

func TestNewRecorder(t *testing.T) {
	root := t.TempDir()
	for _, tc := range []struct {
		records  bool
		identity string
		want     bool
	}{
		{true, "kim@example.com", true},
		{false, "kim@example.com", false},
		{true, "", false},
		{true, "...", false},
	} {
		if got := NewRecorder(root, tc.records, tc.identity); (got != nil) != tc.want {
			t.Errorf("NewRecorder(%v, %q) = %v", tc.records, tc.identity, got)
		}
	}
}

func TestRecordsRoundTrip(t *testing.T) {
	root := t.TempDir()
	rec := NewRecorder(root, true, "kim@example.com")
	at := time.Date(2026, 11, 20, 10, 30, 0, 0, time.UTC)
	for _, r := range []Record{
		{Identity: "kim@example.com", Guide: "people/code-of-conduct.md", Hash: "h1", At: at, Ack: true, How: ByAck},
		{Identity: "kim@example.com", Guide: "it/security-basics.md", Hash: "h2", At: at, How: ByChecklist},
		{Identity: "kim@example.com", Guide: "people/code-of-conduct.md", Hash: "h3", At: at.Add(time.Hour), Ack: true, How: ByAck}, // replaces the first
		{Identity: "lee@example.com", Guide: "finance/expenses.md", Hash: "h4", At: at, How: ByMark},
	} {
		if err := rec.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(root, TrainingFolder, "kim@example.com", "broken.json"), []byte("{"), 0o644)
	os.WriteFile(filepath.Join(root, TrainingFolder, "kim@example.com", "notes.txt"), []byte("x"), 0o644)
	got, problems, err := ReadRecords(root)
	if err != nil {
		t.Fatal(err)
	}
	var s []string
	for _, r := range got {
		s = append(s, r.Identity+" "+r.Guide+" "+r.Hash+" "+string(r.How)+" "+r.Path)
	}
	want := "kim@example.com it/security-basics.md h2 checklist _training/kim@example.com/it-security-basics.json|" +
		"kim@example.com people/code-of-conduct.md h3 ack _training/kim@example.com/people-code-of-conduct.json|" +
		"lee@example.com finance/expenses.md h4 marked _training/lee@example.com/finance-expenses.json"
	if strings.Join(s, "|") != want {
		t.Errorf("records\n%s\nwant\n%s", strings.Join(s, "|"), want)
	}
	if len(problems) != 1 || !strings.Contains(problems[0], "_training/kim@example.com/broken.json") || !strings.Contains(problems[0], "delete it") {
		t.Errorf("problems %q", problems)
	}
	if !got[1].Ack || !got[1].At.Equal(at.Add(time.Hour)) {
		t.Errorf("ack record %+v", got[1])
	}
	if err := (Folder{Root: root}).Write(Record{Identity: "", Guide: "a.md"}); err == nil || !strings.Contains(err.Error(), "set an identity") {
		t.Errorf("no identity: %v", err)
	}
	if recs, problems, err := ReadRecords(t.TempDir()); recs != nil || problems != nil || err != nil {
		t.Errorf("no folder: %v %v %v", recs, problems, err)
	}
}
