package library

import (
	"context"
	"fmt"
	"os"
	"os/exec"
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
