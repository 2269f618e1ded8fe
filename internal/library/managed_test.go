package library

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var updateManaged = flag.Bool("update-managed", false, "rewrite testdata/managed/problems.golden from the current lint")

// TestManagedLintUnchanged pins how strict lint is on a managed library: the
// bundled sample library plus testdata/managed/flawed (a guide with no
// owner, review date, task title or apps; an overdue one; a duplicate title;
// broken, outside and absolute links; a template guide without its file)
// gives exactly the problems in problems.golden, which were recorded before
// lint learned about unmanaged folders. Messages may be reworded; path,
// line, level and code may not change.
func TestManagedLintUnchanged(t *testing.T) {
	root := copyDir(t, filepath.Join("..", "..", "resources", "library"))
	flawed := copyDir(t, filepath.Join("testdata", "managed", "flawed"))
	if err := os.Rename(flawed, filepath.Join(root, "flawed")); err != nil {
		t.Fatal(err)
	}
	rep, err := Lint(context.Background(), root, today, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range rep.Problems {
		got = append(got, fmt.Sprintf("%s:%d: %s: %s", p.Path, p.Line, p.Level, p.Code))
	}
	golden := filepath.Join("testdata", "managed", "problems.golden")
	if *updateManaged {
		if err := os.WriteFile(golden, []byte(strings.Join(got, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Split(strings.TrimSpace(string(data)), "\n")
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("lint of the managed sample library changed:\n got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
