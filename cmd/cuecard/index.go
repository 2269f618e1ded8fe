package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/library"
	"github.com/cuecard/cuecard/internal/paths"
)

func (m *Main) cmdIndex(ctx context.Context, args []string) error {
	fs := m.flags("index")
	rebuild := fs.Bool("rebuild", false, "throw the index away and index every guide again")
	watch := fs.Bool("watch", false, "keep the index live: follow the library folder and print each change as it is applied")
	gitEvery := fs.Duration("git-every", 0, "with --watch and a git library: how often to pull (default: git_every in the settings, else 15m)")
	pos, err := m.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("index takes no arguments (use --library DIR)")
	}
	root, err := m.libraryRoot()
	if err != nil {
		return err
	}
	tty := m.IsTerminal(m.Stdout)
	start := time.Now()
	progress := func(done, total int) {
		if tty {
			const width = 30
			fill := width * done / max(total, 1)
			fmt.Fprintf(m.Stdout, "\rindexing [%s%s] %d/%d", strings.Repeat("#", fill), strings.Repeat(".", width-fill), done, total)
		}
	}
	ix, res, err := m.openIndex(ctx, root, *rebuild, progress)
	if err != nil {
		if tty {
			fmt.Fprintln(m.Stdout)
		}
		return err
	}
	defer ix.Close()
	if tty && len(res.Parsed) > 0 {
		fmt.Fprintln(m.Stdout)
	}
	errs := 0
	for _, p := range res.Problems {
		if p.Level == guide.LevelError && library.IsItemFile(p.Path) { // not a folder settings file
			errs++
		}
	}
	fmt.Fprintf(m.Stdout, "library %s\nindex   %s\n", root, paths.Index(root))
	fmt.Fprintf(m.Stdout, "%d guides in the index: %d indexed, %d unchanged, %d skipped with errors (%.2fs)\n",
		ix.Count(), len(res.Parsed), len(res.Unchanged), errs, time.Since(start).Seconds())
	if errs > 0 {
		fmt.Fprintln(m.Stdout, "Run 'cuecard lint' to see what is wrong with the skipped files.")
	}
	// A full build leaves several segments: merged into one, every search
	// after it is quicker (see search.Index.Compact).
	if _, err := ix.Compact(ctx); err != nil {
		m.log.Warn("the index works, but could not be compacted", "err", err)
	}
	if *watch {
		if *gitEvery == 0 {
			*gitEvery = library.DefaultGitInterval
			if c, _ := m.settings(); c.GitEvery > 0 {
				*gitEvery = c.GitEvery
			}
		}
		if *gitEvery < time.Minute && m.git != nil {
			return usagef("index: --git-every must be at least 1m")
		}
		return m.watchIndex(ctx, root, ix, *gitEvery)
	}
	return nil
}
