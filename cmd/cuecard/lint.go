package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/library"
)

func (m *Main) cmdLint(ctx context.Context, args []string) error {
	fs := m.flags("lint")
	asJSON := fs.Bool("json", false, "print problems as JSON objects with path, line, level, code, message")
	strict := fs.Bool("strict", false, "exit 1 on warnings too")
	managed := fs.Bool("managed", false, "run the managed-library checks (owner, review dates, task titles, apps or tags, unique titles) even if the library's cuecard.yaml does not say 'managed: true'")
	pos, err := m.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return usagef("lint takes at most one folder, got %d arguments", len(pos))
	}
	var root string
	if len(pos) == 1 {
		st, err := os.Stat(pos[0])
		if err != nil || !st.IsDir() {
			return usagef("lint: %s is not a folder", pos[0])
		}
		root = pos[0]
	} else if root, err = m.libraryRoot(); err != nil {
		return err
	}
	cfg, err := m.settings()
	if err != nil {
		return err
	}
	rep, err := library.LintWith(ctx, root, m.Now(), library.LintOptions{Ignore: cfg.Ignore, Managed: *managed})
	if err != nil {
		return err
	}
	// Paths are shown as the user can open them: under the folder as given.
	for i := range rep.Problems {
		rep.Problems[i].Path = filepath.Join(root, filepath.FromSlash(rep.Problems[i].Path))
	}
	if *asJSON {
		ps := rep.Problems
		if ps == nil {
			ps = []guide.Problem{}
		}
		if err := m.writeJSON(ps); err != nil {
			return err
		}
	} else {
		for _, p := range rep.Problems {
			fmt.Fprintln(m.Stdout, p.String())
		}
		fmt.Fprintf(m.Stderr, "%d guide files, %d errors, %d warnings\n", rep.Files, rep.Errors(), rep.Warnings())
		if rep.Unchecked > 0 {
			fmt.Fprintf(m.Stderr, "%d links written as shortcodes or template code ({{< ref >}}, {{ }}) were not checked: only the site's build can resolve them\n", rep.Unchecked)
		}
		if rep.Silenced > 0 {
			fmt.Fprintf(m.Stderr, "%d problems silenced by %s\n", rep.Silenced, library.SettingsFile)
		}
		if !rep.Managed {
			fmt.Fprintf(m.Stderr, "links read in the %s style; only problems that break something are reported: add 'managed: true' to %s (or use --managed) for the checks of a managed library\n", rep.Links, library.SettingsFile)
		}
	}
	if rep.Errors() > 0 || (*strict && rep.Warnings() > 0) {
		return exitError(exitFail)
	}
	return nil
}
