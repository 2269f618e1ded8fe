package desktop

import (
	"context"
	"testing"

	"github.com/cuecard/cuecard/internal/coach"
	"github.com/cuecard/cuecard/internal/config"
	"github.com/cuecard/cuecard/internal/focus"
	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/owner"
)

// TestAppUnmute: an app muted from the panel is listed in Settings and
// through the owner socket (cuecard unmute), and unmuting it either way
// takes it off the list; the state file is the real one.
func TestAppUnmute(t *testing.T) {
	ta := startApp(t, config.Config{})
	s := ta.waitShell(t)
	ta.tr.events <- focus.Event{Window: guide.Window{Exe: "gimp", Class: "Gimp", Title: "photo.png - GIMP"}}
	u := waitUpdate(t, s, "the GIMP guide", func(u coach.Update) bool { return u.App.Key != "" })
	if err := s.cfg.Actions.Mute(""); err != nil {
		t.Fatal(err)
	}
	if m := s.cfg.Settings().Muted; len(m) != 1 || m[0].Key != u.App.Key {
		t.Fatalf("Settings lists muted %+v, want %s", m, u.App.Key)
	}
	if err := s.cfg.Actions.Unmute(u.App.Key); err != nil {
		t.Fatal(err)
	}
	if m := s.cfg.Settings().Muted; len(m) != 0 {
		t.Fatalf("still muted after Unmute: %+v", m)
	}

	if err := s.cfg.Actions.Mute(u.App.Key); err != nil {
		t.Fatal(err)
	}
	o := owner.Dial(ta.root)
	if o == nil {
		t.Fatal("nobody answers on the owner socket")
	}
	resp, err := o.Ask(context.Background(), owner.Request{Cmd: "muted"})
	if err != nil || len(resp.Muted) != 1 || resp.Muted[0].Key != u.App.Key {
		t.Fatalf("muted over the socket: %v %+v", err, resp)
	}
	resp, err = o.Ask(context.Background(), owner.Request{Cmd: "unmute", App: u.App.Key})
	if err != nil || len(resp.Muted) != 0 {
		t.Fatalf("unmute over the socket: %v %+v", err, resp)
	}
	if m := s.cfg.Settings().Muted; len(m) != 0 {
		t.Errorf("Settings lists muted %+v after an unmute over the socket", m)
	}
}
