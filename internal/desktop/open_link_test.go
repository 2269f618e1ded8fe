package desktop

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/coach"
	"github.com/cuecard/cuecard/internal/config"
	"github.com/cuecard/cuecard/internal/focus"
	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/owner"
	"github.com/cuecard/cuecard/internal/search"
)

// TestAppOpensLinks: what `cuecard open` asks over the owner socket. A
// guide opens in a viewer and counts as assigned (GIMP, which it is for,
// then does not pop its first-open suggestion); an unknown guide and one
// that does not parse are errors that say so; a search link types its
// words into the search window.
func TestAppOpensLinks(t *testing.T) {
	ta := startApp(t, config.Config{})
	s := ta.waitShell(t)
	var o *owner.Client
	for deadline := time.Now().Add(10 * time.Second); o == nil && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		o = owner.Dial(ta.root)
	}
	if o == nil {
		t.Fatal("nobody answers on the owner socket")
	}
	ctx := context.Background()
	if _, err := o.Ask(ctx, owner.Request{Cmd: "open-guide", Guide: "gimp-crop.md", Anchor: "steps", Link: true}); err != nil {
		t.Fatal(err)
	}
	select {
	case got := <-s.opened:
		if got != "gimp-crop.md#steps" {
			t.Errorf("opened %s", got)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the guide did not open")
	}
	ta.tr.events <- focus.Event{Window: guide.Window{Exe: "gimp", Class: "Gimp", Title: "GNU Image Manipulation Program"}}
	u := waitUpdate(t, s, "GIMP focused", func(u coach.Update) bool { return u.Window.Exe == "gimp" })
	if u.Pop || u.Reason != coach.ReasonSeen {
		t.Errorf("GIMP after its guide was opened from a link: pop %v, %s (%s)", u.Pop, u.Reason, u.Why)
	}

	_, err := o.Ask(ctx, owner.Request{Cmd: "open-guide", Guide: "nope.md", Link: true})
	if err == nil || !strings.Contains(err.Error(), "no guide nope.md in the library") {
		t.Errorf("an unknown guide: %v", err)
	}
	if err := os.WriteFile(filepath.Join(ta.root, "bad.md"), []byte("---\ntitle: [\n---\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		_, err = o.Ask(ctx, owner.Request{Cmd: "open-guide", Guide: "bad.md", Link: true})
		if err != nil && strings.Contains(err.Error(), "could not be read") || !time.Now().Before(deadline) {
			break
		}
	}
	if err == nil || !strings.Contains(err.Error(), "the guide bad.md could not be read: 'cuecard lint") {
		t.Errorf("a guide that does not parse: %v", err)
	}

	// cuecard record hands over the guide it just wrote: shown from the
	// disk, indexed or not.
	writeGuide(t, ta.root, "fresh.md", "How to test a fresh guide", "", "Just written.")
	if _, err := o.Ask(ctx, owner.Request{Cmd: "open-guide", Guide: "fresh.md"}); err != nil {
		t.Errorf("a guide just written: %v", err)
	}
	for deadline := time.After(5 * time.Second); ; {
		select {
		case got := <-s.opened:
			if got != "fresh.md#" {
				continue // a reminder or another guide
			}
		case <-deadline:
			t.Fatal("the guide just written did not open")
		}
		break
	}

	if _, err := o.Ask(ctx, owner.Request{Cmd: "show-search", Query: search.Query{Text: "crop"}}); err != nil {
		t.Fatal(err)
	}
	waitSearch(t, s, "a search link")
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.searched) != 1 || s.searched[0] != "crop" {
		t.Errorf("searched for %q", s.searched)
	}
}
