package library

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path"
	"sort"
	"strings"

	"github.com/cuecard/cuecard/internal/guide"
)

// DefaultOwner is the owner a new guide gets when none is given: the git
// user.email configured for the library folder, else $USER.
func DefaultOwner(root string) string {
	if out, err := exec.Command("git", "-C", root, "config", "user.email").Output(); err == nil {
		if s := strings.TrimSpace(string(out)); s != "" {
			return s
		}
	}
	if u := os.Getenv("USER"); u != "" {
		return u
	}
	return "unknown"
}

// CheckNewTitle says what is wrong with the title of a new guide: one that
// lint would warn about (not phrased as a task or question) or that another
// guide of the library already has.
func CheckNewTitle(ctx context.Context, root, title string, ignore []string) error {
	if !guide.TaskOrQuestion(title) {
		return fmt.Errorf("%q is not phrased as a task or question: name it after what the reader wants to do, e.g. \"How to create a deal\"", title)
	}
	res, err := Scan(ctx, root, Options{Ignore: ignore})
	if err != nil {
		return err
	}
	key := strings.ToLower(title)
	for _, g := range res.Guides {
		if strings.ToLower(strings.Join(strings.Fields(g.Title), " ")) == key {
			return fmt.Errorf("%s already has the title %q: pick another title or edit that guide", g.ID, g.Title)
		}
	}
	return nil
}

// GuideFolders are the folders of the library that hold guides, and the
// folders above them, library-relative with forward slashes, sorted (the
// root, "", first); a guide folder (the one around an index.md) is not
// one of them. For the recorder's choice of where a guide goes.
func GuideFolders(ctx context.Context, root string, ignore []string) []string {
	res, err := Scan(ctx, root, Options{Ignore: ignore})
	if err != nil {
		return []string{""}
	}
	seen := map[string]bool{"": true}
	for _, g := range res.Guides {
		d := path.Dir(g.ID)
		if path.Base(g.ID) == "index.md" {
			d = path.Dir(d)
		}
		for ; d != "." && d != "/" && !seen[d]; d = path.Dir(d) {
			seen[d] = true
		}
	}
	out := make([]string, 0, len(seen))
	for d := range seen {
		out = append(out, d)
	}
	sort.Strings(out)
	return out
}
