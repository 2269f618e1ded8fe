package store

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/guide"
)

// TestTrackState: acknowledgements, marks and the last reminder survive
// closing and reopening the file.
func TestTrackState(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	s := mustOpen(t, path)
	if acks, err := s.Acknowledged(); err != nil || len(acks) != 0 {
		t.Fatalf("fresh acks %v %v", acks, err)
	}
	if last, err := s.LastReminder(); err != nil || !last.IsZero() {
		t.Fatalf("fresh reminder %v %v", last, err)
	}
	steps := []struct {
		name string
		do   func() error
	}{
		{"ack", func() error { return s.Acknowledge("people/code-of-conduct.md", "h1", t0) }},
		{"ack again, newer version", func() error { return s.Acknowledge("people/code-of-conduct.md", "h2", t0.Add(time.Hour)) }},
		{"mark", func() error { return s.SetMarkedDone("finance/expenses.md", "h3", true, t0) }},
		{"mark another", func() error { return s.SetMarkedDone("office/coffee.md", "h4", true, t0) }},
		{"unmark", func() error { return s.SetMarkedDone("office/coffee.md", "", false, t0.Add(time.Minute)) }},
		{"unmark what was never marked", func() error { return s.SetMarkedDone("never.md", "", false, t0) }},
		{"reminder", func() error { return s.SetLastReminder(t0.Add(2 * time.Hour)) }},
	}
	for _, st := range steps {
		if err := st.do(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
	}
	for _, bad := range []string{"", "a\x00b"} {
		if err := s.Acknowledge(bad, "h", t0); err == nil {
			t.Errorf("ack of guide id %q accepted", bad)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = mustOpen(t, path)
	acks, err := s.Acknowledged()
	if err != nil || len(acks) != 1 || acks["people/code-of-conduct.md"] != (guide.Completion{At: t0.Add(time.Hour), Hash: "h2"}) {
		t.Errorf("acks %+v %v", acks, err)
	}
	done, err := s.MarkedDone()
	if err != nil || len(done) != 1 || done["finance/expenses.md"] != (guide.Completion{At: t0, Hash: "h3"}) {
		t.Errorf("marked %+v %v", done, err)
	}
	if last, err := s.LastReminder(); err != nil || !last.Equal(t0.Add(2*time.Hour)) {
		t.Errorf("last reminder %v %v", last, err)
	}
}
