package ui

import (
	"errors"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/track"
	"github.com/cuecard/cuecard/internal/ui/kit"
)

var trackNow = time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)

func sampleTrack() track.Track {
	day := func(d int) time.Time { return time.Date(2026, 12, 7+d, 0, 0, 0, 0, time.UTC) }
	return track.Track{Next: 1, Done: 1, Items: []track.Item{
		{ID: "people/code-of-conduct.md", Title: "What is our code of conduct?", Due: day(-6), Status: track.Done, How: track.ByAck, DoneAt: day(-8)},
		{ID: "it/security-basics.md", Title: "Set up the security basics in your first week", Due: day(-2), Status: track.Overdue, How: track.ByChecklist, StepsDone: 3, StepsTotal: 9},
		{ID: "finance/expense-policy.md", Title: "What can I claim on expenses?", Due: day(1), Status: track.NotStarted, How: track.ByMark},
		{ID: "sales/create-a-deal-in-acme-crm.md", Title: "How to create a deal in Acme CRM", Due: day(10), Status: track.NotStarted, How: track.ByMark},
	}}
}

// TestTrackView: the items in order with how they are done, progress and
// due dates; the summary counts done and overdue and names the next; a
// click opens the guide.
func TestTrackView(t *testing.T) {
	newApp(t)
	v := NewTrackView()
	v.Now = func() time.Time { return trackNow }
	var opened string
	v.OnOpen = func(id string) { opened = id }
	v.Set(sampleTrack(), nil)
	w := show(t, v, TrackSize)
	wantText(t, w.Content(), "1 of 4 done", "1 overdue", "next: Set up the security basics",
		"Read and acknowledge · done 29 Nov 2026", "Checklist · 3 of 9 steps · was due Sat 5 Dec",
		"Read, then mark as done · due tomorrow", "due Thu 17 Dec")
	rows := findAll[*kit.TapBox](w.Content())
	if len(rows) != 4 {
		t.Fatalf("%d rows, want 4", len(rows))
	}
	test.Tap(rows[2])
	if opened != "finance/expense-policy.md" {
		t.Errorf("a click opened %q", opened)
	}
	capture(t, w, "start-here")

	v.Set(track.Track{}, nil)
	wantText(t, w.Content(), "Nothing is required of you")
	v.Set(track.Track{}, errors.New("state file locked"))
	wantText(t, w.Content(), "could not be read: state file locked")
}

// fakeTraining is the track as the viewer sees it, in memory.
type fakeTraining struct {
	items map[string]*track.Item
	calls []string
}

func (f *fakeTraining) Item(id string) (track.Item, bool) {
	it, ok := f.items[id]
	if !ok {
		return track.Item{}, false
	}
	return *it, true
}

func (f *fakeTraining) Ack(id string) error {
	f.calls = append(f.calls, "ack "+id)
	f.items[id].Status = track.Done
	f.items[id].DoneAt = trackNow
	return nil
}

func (f *fakeTraining) MarkDone(id string, done bool) error {
	f.calls = append(f.calls, "mark "+id)
	if done {
		f.items[id].Status = track.Done
	} else {
		f.items[id].Status = track.NotStarted
	}
	return nil
}

// TestViewerTraining: a guide of the track says so with its due date; an
// ack guide is acknowledged with a button, a plain one marked done (and
// undone); a guide outside the track has no line.
func TestViewerTraining(t *testing.T) {
	newApp(t)
	day := time.Date(2026, 12, 14, 0, 0, 0, 0, time.UTC)
	tr := &fakeTraining{items: map[string]*track.Item{
		"people/code-of-conduct.md": {ID: "people/code-of-conduct.md", Title: "What is our code of conduct?", Due: day, How: track.ByAck, Status: track.NotStarted},
		"finance/expense-policy.md": {ID: "finance/expense-policy.md", Title: "What can I claim on expenses?", Due: day, How: track.ByMark, Status: track.NotStarted},
	}}
	changed := 0
	cfg := ViewerConfig{Training: tr, OnTrackChanged: func() { changed++ }, Now: func() time.Time { return trackNow }}
	g, _ := guide.Parse("people/code-of-conduct.md", []byte("---\ntitle: What is our code of conduct?\nrequired: true\nack: true\ndue: 7d\nowner: hr@example.com\n---\nBe kind.\n"))
	w := show(t, NewViewer(g, cfg), ViewerSize)
	wantText(t, w.Content(), "Start here: Read and acknowledge · due Mon 14 Dec")
	test.Tap(button(t, w.Content(), "I have read and understood"))
	if strings.Join(tr.calls, ",") != "ack people/code-of-conduct.md" || changed != 1 {
		t.Fatalf("calls %v changed %d", tr.calls, changed)
	}
	wantText(t, w.Content(), "done 7 Dec 2026")
	if findButton(w.Content(), "I have read and understood") != nil {
		t.Error("the button stays after the acknowledgement")
	}

	g2, _ := guide.Parse("finance/expense-policy.md", []byte("---\ntitle: What can I claim on expenses?\nrequired: true\ndue: 30d\nowner: fin@example.com\n---\nReceipts.\n"))
	w2 := show(t, NewViewer(g2, cfg), ViewerSize)
	test.Tap(button(t, w2.Content(), "Mark as done"))
	test.Tap(button(t, w2.Content(), "Undo"))
	if findButton(w2.Content(), "Mark as done") == nil || len(tr.calls) != 3 {
		t.Errorf("after undo: calls %v", tr.calls)
	}

	g3, _ := guide.Parse("other.md", []byte("---\ntitle: Other\n---\nText.\n"))
	w3 := show(t, NewViewer(g3, cfg), ViewerSize)
	if strings.Contains(shownText(w3.Content()), "Start here") {
		t.Error("a guide outside the track has a Start here line")
	}
}

// TestProfileForm: the library's roles are choices; without them the
// roles are typed, comma-separated; Save reports how it went.
func TestProfileForm(t *testing.T) {
	newApp(t)
	f := NewProfileForm(ProfileValues{Roles: []string{"sales"}, Start: "2026-11-17", LibraryRoles: []string{"sales", "support", "finance"}}, true)
	show(t, f, WelcomeProfileSize)
	f.SetRoles([]string{"sales", "finance"})
	if v := f.Values(); strings.Join(v.Roles, ",") != "sales,finance" || v.Start != "2026-11-17" {
		t.Errorf("values %+v", v)
	}
	var saved ProfileValues
	f.OnSave = func(v ProfileValues) error {
		if v.Start == "17/11/2026" {
			return errors.New("your first day: write it as YYYY-MM-DD")
		}
		saved = v
		return nil
	}
	f.start.SetText("17/11/2026")
	f.Save()
	if !strings.Contains(f.Message(), "YYYY-MM-DD") || saved.Start != "" {
		t.Errorf("a bad date: message %q saved %+v", f.Message(), saved)
	}
	f.start.SetText("2026-11-18")
	f.Save()
	if f.Message() != "Saved." || saved.Start != "2026-11-18" {
		t.Errorf("message %q saved %+v", f.Message(), saved)
	}
	typed := NewProfileForm(ProfileValues{}, false)
	typed.typed.SetText(" sales ,, support")
	if v := typed.Values(); strings.Join(v.Roles, "|") != "sales|support" {
		t.Errorf("typed roles %q", v.Roles)
	}
}

func TestStartHereLabel(t *testing.T) {
	if l := startHereLabel(track.Track{}); l != "" {
		t.Errorf("no track: %q", l)
	}
	if l := startHereLabel(sampleTrack()); l != "Start here (1 of 4 done, 1 overdue)" {
		t.Errorf("label %q", l)
	}
	done := track.Track{Done: 1, Next: -1, Items: []track.Item{{Status: track.Done}}}
	if l := startHereLabel(done); l != "Start here (all done)" {
		t.Errorf("done: %q", l)
	}
}
