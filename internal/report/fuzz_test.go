package report_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cuecard/cuecard/internal/report"
)

// FuzzTeamFile feeds arbitrary bytes as a colleague's aggregate file: Team
// never panics or fails, and either skips the file with a warning naming it
// or returns an aggregate whose guide ids stay inside the library.
func FuzzTeamFile(f *testing.F) {
	f.Add([]byte(`{"version": 1, "install": "` + installA + `", "date": "2027-03-31", "guides": {"a.md": {"views": 2, "vote": "helpful"}}}`))
	f.Add([]byte(`{"version": 1, "install": "` + installA + `", "date": "2027-03-31", "apps": {"exe:gimp": {"seconds": 12}}, "searches": {"x": 1}}`))
	f.Add([]byte(`{"version": 1, "install": "` + installA + `", "date": "2027-03-31", "guides": {"../x.md": {}}}`))
	f.Add([]byte(`{"version": 2}`))
	f.Add([]byte(`[1, 2`))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		lib := t.TempDir()
		p := filepath.Join(lib, report.Folder, installA, "2027-03-31.json")
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		aggs, warnings, err := report.Team(lib, testKey, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(aggs)+len(warnings) != 1 {
			t.Fatalf("%d aggregates and %d warnings for one file", len(aggs), len(warnings))
		}
		if len(warnings) == 1 && !strings.HasPrefix(warnings[0], p+": skipped: ") {
			t.Errorf("warning does not name the file: %q", warnings[0])
		}
		for _, a := range aggs {
			for id, g := range a.Guides {
				if strings.HasPrefix(id, "/") || strings.HasPrefix(id, "../") || strings.Contains(id, "/../") || id == ".." {
					t.Errorf("accepted a guide id outside the library: %q", id)
				}
				if g.Views < 0 || g.Started < 0 || g.Completed < 0 {
					t.Errorf("accepted a negative count: %+v", g)
				}
			}
			report.Build(nil, aggs, options()) // and a report of it does not panic
		}
	})
}
