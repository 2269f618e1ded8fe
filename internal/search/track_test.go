package search

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/cuecard/cuecard/internal/guide"
)

// TestTrackKeysSurviveReopen: the Start-here track's keys, and a required
// checklist's step ids, are what the index gives back, before and after a
// restart; a guide that is not required keeps no steps.
func TestTrackKeysSurviveReopen(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	ix, err := Open(dir, libRoot)
	if err != nil {
		t.Fatal(err)
	}
	security := parse(t, "it/security-basics.md", "---\ntitle: Security basics\nformat: checklist\nrequired: true\ndue: 14d\norder: 2\nroles: [everyone]\n---\n- [ ] Lock your screen\n- [ ] Turn on 2FA\n")
	conduct := parse(t, "people/code-of-conduct.md", "---\ntitle: Read the code of conduct\nrequired: true\nack: true\ndue: 2027-01-31\n---\n# x\n")
	plain := parse(t, "it/printer.md", "---\ntitle: Printer\nformat: checklist\n---\n- [ ] Plug it in\n")
	if err := ix.Apply(context.Background(), []*guide.Guide{security, conduct, plain}, nil); err != nil {
		t.Fatal(err)
	}
	check := func(ix *Index) {
		t.Helper()
		s := ix.Guide(security.ID)
		if s == nil || !s.Required || s.Ack || s.Order != 2 || s.Deadline != security.Deadline || len(s.Steps) != 2 ||
			s.Steps[0].ID != security.Steps[0].ID || s.Steps[1].ID != security.Steps[1].ID {
			t.Errorf("security basics %+v", s)
		}
		c := ix.Guide(conduct.ID)
		if c == nil || !c.Required || !c.Ack || c.Deadline.String() != "2027-01-31" || c.Order != 0 {
			t.Errorf("code of conduct %+v", c)
		}
		if p := ix.Guide(plain.ID); p == nil || p.Required || len(p.Steps) != 0 {
			t.Errorf("plain checklist %+v", p)
		}
	}
	check(ix)
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	ix, err = Open(dir, libRoot)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	check(ix)
}
