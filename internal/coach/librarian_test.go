package coach

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/cuecard/cuecard/internal/guide"
)

// fakeIndex records what is applied; apply may fail.
type fakeIndex struct {
	apply func(upserts []*guide.Guide, deletes []string) error
}

func (f fakeIndex) Apply(_ context.Context, u []*guide.Guide, d []string) error { return f.apply(u, d) }

func TestLibrarianEvents(t *testing.T) {
	var applied []string
	ix := fakeIndex{apply: func(u []*guide.Guide, d []string) error {
		for _, g := range u {
			applied = append(applied, "+"+g.ID)
		}
		for _, id := range d {
			applied = append(applied, "-"+id)
		}
		return nil
	}}
	l := NewLibrarian(ix, []string{"old.md", "keep.md"})
	sub := l.Subscribe(4)
	changes := make(chan guide.Change, 3)
	changes <- guide.Change{Upserts: []*guide.Guide{{ID: "new.md", Title: "How to new"}, {ID: "keep.md", Title: "How to keep"}}, Removes: []string{"old.md", "never.md"}}
	changes <- guide.Change{ProblemsChanged: true, Problems: []guide.Problem{{Path: "bad.md", Line: 2, Level: guide.LevelError, Code: "yaml", Message: "x"}}}
	changes <- guide.Change{Status: "library folder missing"}
	close(changes)
	if err := l.Run(context.Background(), changes); err != nil {
		t.Fatal(err)
	}
	ev := <-sub
	if strings.Join(ev.Added, ",") != "new.md" || strings.Join(ev.Updated, ",") != "keep.md" || strings.Join(ev.Removed, ",") != "old.md" || ev.Titles["new.md"] != "How to new" {
		t.Errorf("first event %+v", ev)
	}
	if ev = <-sub; !ev.ProblemsChanged || len(ev.Problems) != 1 {
		t.Errorf("second event %+v", ev)
	}
	if ev = <-sub; ev.Status != "library folder missing" {
		t.Errorf("third event %+v", ev)
	}
	if _, open := <-sub; open {
		t.Error("subscription not closed when the librarian stops")
	}
	if len(l.Problems()) != 1 || l.Count() != 2 {
		t.Errorf("problems %v count %d", l.Problems(), l.Count())
	}
	if strings.Join(applied, " ") != "+new.md +keep.md -old.md -never.md" {
		t.Errorf("applied %v", applied)
	}
}

func TestLibrarianNeverBlocksOnSlowSubscriber(t *testing.T) {
	l := NewLibrarian(fakeIndex{apply: func([]*guide.Guide, []string) error { return nil }}, nil)
	sub := l.Subscribe(1)
	for i := 0; i < 100; i++ {
		if err := l.Apply(context.Background(), guide.Change{Status: strings.Repeat("x", i+1)}); err != nil {
			t.Fatal(err)
		}
	}
	// The subscriber that never read gets the newest event.
	if ev := <-sub; len(ev.Status) != 100 {
		t.Errorf("kept status of length %d, want the newest (100)", len(ev.Status))
	}
}

func TestLibrarianIndexError(t *testing.T) {
	boom := errors.New("disk full")
	l := NewLibrarian(fakeIndex{apply: func([]*guide.Guide, []string) error { return boom }}, nil)
	sub := l.Subscribe(2)
	ch := make(chan guide.Change, 1)
	ch <- guide.Change{Upserts: []*guide.Guide{{ID: "a.md"}}}
	err := l.Run(context.Background(), ch)
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	if ev := <-sub; !errors.Is(ev.Err, boom) || len(ev.Added) != 0 {
		t.Errorf("event %+v", ev)
	}
	if l.Count() != 0 {
		t.Error("a failed batch was counted as indexed")
	}
}
