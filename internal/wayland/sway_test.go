//go:build linux

package wayland

import (
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/focus/waylandtest"
)

// TestSwayToplevels lists the toplevels of a real headless sway through the
// foreign-toplevel protocol: their app_id, title and which one is active.
func TestSwayToplevels(t *testing.T) {
	s := waylandtest.StartSway(t)
	s.Open("cuecard-one", "first window")
	s.Open("cuecard-two", "second window")

	c, err := Dial(s.Socket(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(20 * time.Second))
	if err := c.GetRegistry(); err != nil {
		t.Fatal(err)
	}
	evs, err := c.Roundtrip()
	if err != nil {
		t.Fatal(err)
	}
	var mgr Global
	for _, ev := range evs {
		if g, ok := ev.(Global); ok && g.Interface == IfaceToplevelManager {
			mgr = g
		}
	}
	if mgr.Name == 0 {
		t.Fatalf("sway does not advertise %s; globals: %v", IfaceToplevelManager, evs)
	}
	if _, err := c.Bind(mgr, min(mgr.Version, ToplevelManagerVersion)); err != nil {
		t.Fatal(err)
	}
	evs, err = c.Roundtrip()
	if err != nil {
		t.Fatal(err)
	}
	type top struct {
		appID, title string
		active, done bool
	}
	tops := map[uint32]*top{}
	for _, ev := range evs {
		switch ev := ev.(type) {
		case NewToplevel:
			tops[ev.Handle] = &top{}
		case ToplevelAppID:
			tops[ev.Handle].appID = ev.AppID
		case ToplevelTitle:
			tops[ev.Handle].title = ev.Title
		case ToplevelState:
			tops[ev.Handle].active = ev.Has(StateActivated)
		case ToplevelDone:
			tops[ev.Handle].done = true
		}
	}
	got := map[string]top{}
	for _, tp := range tops {
		got[tp.appID] = *tp
	}
	if len(got) != 2 || got["cuecard-one"].title != "first window" || got["cuecard-two"].title != "second window" ||
		got["cuecard-one"].active || !got["cuecard-two"].active || !got["cuecard-one"].done {
		t.Fatalf("toplevels %+v, want cuecard-one (inactive) and cuecard-two (active, opened last) with their titles", got)
	}

	// The compositor going away is an error, not a panic.
	s.Kill()
	for {
		if _, err = c.Next(); err != nil {
			break
		}
	}
	t.Logf("after the compositor exited: %v", err)
}
