package track

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/seal"
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
		if got := NewRecorder(root, tc.records, tc.identity, readers, secret); (got != nil) != tc.want {
			t.Errorf("NewRecorder(%v, %q) = %v", tc.records, tc.identity, got)
		}
	}
	// Without readers nothing is written.
	if got := NewRecorder(root, true, "kim@example.com", seal.Readers{}, secret); got != nil {
		t.Errorf("a recorder without readers: %v", got)
	}
}

var secret = []byte("0123456789abcdef0123456789abcdef")

var key, readers = func() (*seal.Key, seal.Readers) {
	private, recipient, err := seal.NewKey()
	if err != nil {
		panic(err)
	}
	k, _ := seal.ParseKey(private)
	r, _ := seal.NewReaders([]string{recipient})
	return k, r
}()

func TestRecordsRoundTrip(t *testing.T) {
	root := t.TempDir()
	rec := NewRecorder(root, true, "kim@example.com", readers, secret)
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
	// The folder holds ciphertext under names that tell neither person nor guide.
	files := 0
	filepath.WalkDir(filepath.Join(root, TrainingFolder), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files++
		data, _ := os.ReadFile(p)
		if json.Valid(data) || !seal.IsSealed(data) || strings.Contains(p, "kim") || strings.Contains(p, "conduct") {
			t.Errorf("%s is not a sealed record under an opaque name", p)
		}
		return nil
	})
	if files != 3 {
		t.Errorf("%d record files, want 3 (the second record of a guide replaces the first)", files)
	}
	legacy := filepath.Join(root, TrainingFolder, "kim@example.com")
	os.MkdirAll(legacy, 0o755)
	os.WriteFile(filepath.Join(legacy, "broken.json"), []byte("{"), 0o644)
	os.WriteFile(filepath.Join(legacy, "notes.txt"), []byte("x"), 0o644)
	got, problems, err := ReadRecords(root, key)
	if err != nil {
		t.Fatal(err)
	}
	var s []string
	for _, r := range got {
		s = append(s, r.Identity+" "+r.Guide+" "+r.Hash+" "+string(r.How)+" "+r.Path)
	}
	want := "kim@example.com it/security-basics.md h2 checklist " + SealedPath(secret, "kim@example.com", "it/security-basics.md") + "|" +
		"kim@example.com people/code-of-conduct.md h3 ack " + SealedPath(secret, "kim@example.com", "people/code-of-conduct.md") + "|" +
		"lee@example.com finance/expenses.md h4 marked " + SealedPath(secret, "lee@example.com", "finance/expenses.md")
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
	// A key that is not a reader's opens nothing, and says which files.
	private, _, _ := seal.NewKey()
	other, _ := seal.ParseKey(private)
	rs, err := Read(root, ReadOptions{Key: other})
	if err != nil || len(rs.Records) != 0 || len(rs.Unopened) != 3 || rs.Opened != 0 {
		t.Errorf("another key: %+v %v", rs, err)
	}
	if recs, problems, err := ReadRecords(t.TempDir(), key); recs != nil || problems != nil || err != nil {
		t.Errorf("no folder: %v %v %v", recs, problems, err)
	}
}

// Clear-text records of an earlier version are read, and with the
// readers, sealed under random names and removed.
func TestLegacyRecordsResealed(t *testing.T) {
	root := t.TempDir()
	legacy := filepath.Join(root, filepath.FromSlash(RecordPath("kim@example.com", "a.md")))
	os.MkdirAll(filepath.Dir(legacy), 0o755)
	os.WriteFile(legacy, []byte(`{"identity":"kim@example.com","guide":"a.md","hash":"h","at":"2026-11-20T10:00:00Z","ack":true}`), 0o644)
	rs, err := Read(root, ReadOptions{Key: key, Readers: readers})
	if err != nil || len(rs.Records) != 1 || rs.Resealed != 1 {
		t.Fatalf("%+v %v", rs, err)
	}
	if _, err := os.Stat(filepath.Dir(legacy)); !os.IsNotExist(err) {
		t.Errorf("the clear-text folder named after the person is still there: %v", err)
	}
	again, _, err := ReadRecords(root, key)
	if err != nil || len(again) != 1 || again[0].Identity != "kim@example.com" || !strings.HasSuffix(again[0].Path, ".age") {
		t.Errorf("after sealing: %+v %v", again, err)
	}
}
