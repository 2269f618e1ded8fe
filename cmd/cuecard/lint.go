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
	rep, err := library.Lint(ctx, root, m.Now(), cfg.Ignore)
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
	}
	if rep.Errors() > 0 || (*strict && rep.Warnings() > 0) {
		return exitError(exitFail)
	}
	return nil
}
