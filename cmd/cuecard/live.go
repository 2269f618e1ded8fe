package main

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/cuecard/cuecard/internal/focus"
	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/library"
	"github.com/cuecard/cuecard/internal/owner"
	"github.com/cuecard/cuecard/internal/paths"
	"github.com/cuecard/cuecard/internal/search"
)

func (m *Main) cmdStatus(ctx context.Context, args []string) error {
	fs := m.flags("status")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := m.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("status takes no arguments")
	}
	root, err := m.libraryRoot()
	if err != nil {
		return err
	}
	var st owner.Status
	o, ix, res, err := m.shareIndex(ctx, root)
	if err != nil {
		return err
	}
	if o != nil {
		resp, err := o.Ask(ctx, owner.Request{Cmd: "status"})
		if err != nil {
			return err
		}
		st = *resp.Status
	} else {
		st = owner.Status{Library: root, Index: paths.Index(root), Guides: ix.Count()}
		// What the library's settings leave out is not counted, as in
		// lint and the live problem list.
		ls, _ := library.LoadSettings(root)
		var kept []guide.Problem
		for _, p := range res.Problems {
			if ls.Keep(p) {
				kept = append(kept, p)
			}
		}
		st.Errors, st.Warnings = owner.CountProblems(kept)
		ix.Close()
		if m.git != nil {
			gs := m.git.Status()
			st.Git = &gs
		}
	}
	// How the focused window is tracked in this session, and if not, why:
	// the backend in use and why the others were not (a short probe).
	tracking := focus.Describe(focus.Options{Logger: m.log}, 3*time.Second)
	sharing := m.sharingStatus(root)
	if *asJSON {
		return m.writeJSON(struct {
			owner.Status
			Focus   string `json:"focus"`
			Sharing string `json:"sharing"`
		}{st, tracking, sharing})
	}
	fmt.Fprintf(m.Stdout, "library   %s\nindex     %s\nguides    %d\n", st.Library, st.Index, st.Guides)
	fmt.Fprintf(m.Stdout, "problems  %d errors, %d warnings", st.Errors, st.Warnings)
	if st.Errors+st.Warnings > 0 {
		fmt.Fprint(m.Stdout, " (run 'cuecard lint' for the list)")
	}
	fmt.Fprintln(m.Stdout)
	if st.Watching {
		fmt.Fprintf(m.Stdout, "live      kept current by cuecard process %d", st.PID)
		if !st.LastChange.IsZero() {
			fmt.Fprintf(m.Stdout, ", last change applied %s", st.LastChange.Local().Format("2006-01-02 15:04:05"))
		}
		fmt.Fprintln(m.Stdout)
		if st.Watcher != "" {
			fmt.Fprintf(m.Stdout, "watcher   %s\n", st.Watcher)
		}
	} else {
		fmt.Fprintln(m.Stdout, "live      no cuecard process is watching the library (start one with 'cuecard index --watch')")
	}
	if g := st.Git; g != nil {
		fmt.Fprintf(m.Stdout, "git       %s", library.RedactURL(g.URL))
		if g.Branch != "" {
			fmt.Fprintf(m.Stdout, " #%s", g.Branch)
		}
		fmt.Fprintln(m.Stdout)
		if g.Commit != "" {
			fmt.Fprintf(m.Stdout, "commit    %.12s %s\n", g.Commit, g.Subject)
		}
		if !g.LastSync.IsZero() {
			fmt.Fprintf(m.Stdout, "synced    %s\n", g.LastSync.Local().Format("2006-01-02 15:04:05"))
		}
		if g.LastError != "" {
			fmt.Fprintf(m.Stdout, "sync error %s (at %s; the last good copy is in use)\n", g.LastError, g.LastAttempt.Local().Format("2006-01-02 15:04:05"))
		}
		if g.Notice != "" {
			fmt.Fprintf(m.Stdout, "notice    %s\n", g.Notice)
		}
	}
	fmt.Fprintf(m.Stdout, "focus     %s\n", tracking)
	fmt.Fprintf(m.Stdout, "sharing   %s\n", sharing)
	if w := st.Walkthrough; w != nil {
		fmt.Fprintf(m.Stdout, "guide me  %s: step %d of %d, %s", w.Guide, min(w.Step, w.Steps), w.Steps, w.State)
		if w.State == "found" || w.State == "about" {
			fmt.Fprintf(m.Stdout, " (confidence %.2f)", w.Confidence)
		}
		fmt.Fprintln(m.Stdout)
	}
	return nil
}

// watchIndex keeps the index live and prints each change as it is applied.
func (m *Main) watchIndex(ctx context.Context, root string, ix *search.Index, gitEvery time.Duration) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	l, err := owner.Start(ctx, root, ix, owner.Options{Git: m.git, GitEvery: gitEvery, Ignore: m.ignore(), Now: m.Now, Log: m.log,
		OnGit: func(s library.GitStatus) {
			switch {
			case s.LastError != "":
				m.printf("git: sync failed: %s (keeping commit %.12s)\n", s.LastError, s.Commit)
			case s.Changed:
				m.printf("git: now at %.12s %s\n", s.Commit, s.Subject)
			}
			if s.Notice != "" && s.Changed {
				m.printf("git: %s\n", s.Notice)
			}
		}})
	if err != nil {
		return err
	}
	events := l.Librarian().Subscribe(1024)
	l.Run(ctx, nil)
	m.printf("watching %s (%d guides); Ctrl+C stops\n", root, ix.Count())
	var lastProblems []guide.Problem
	for {
		select {
		case <-ctx.Done():
			<-l.Watching()
			return nil
		case err := <-l.Done():
			if err != nil && ctx.Err() == nil {
				return fmt.Errorf("keeping the index live: %w (run 'cuecard index' to reconcile)", err)
			}
			return nil
		case ev, ok := <-events:
			if !ok {
				continue
			}
			for _, id := range ev.Added {
				m.printf("+ %s  %s\n", id, ev.Titles[id])
			}
			for _, id := range ev.Updated {
				m.printf("~ %s  %s\n", id, ev.Titles[id])
			}
			for _, id := range ev.Removed {
				m.printf("- %s\n", id)
			}
			if ev.Status != "" {
				m.printf("status: %s\n", ev.Status)
			}
			if ev.ProblemsChanged {
				m.printProblemChange(ctx, lastProblems, ev.Problems)
				lastProblems = ev.Problems
			}
		}
	}
}

// ProblemLines is how many appeared or fixed problems index --watch prints
// one by one; a longer list (the first report of a folder with thousands
// of problems, a pull that breaks many guides) is a summary line.
var ProblemLines = 50

// printProblemChange prints the problems that appeared and those fixed, or
// a summary when they are more than ProblemLines. It stops when ctx ends.
func (m *Main) printProblemChange(ctx context.Context, before, after []guide.Problem) {
	was := make(map[string]bool, len(before))
	for _, p := range before {
		was[p.String()] = true
	}
	now := make(map[string]bool, len(after))
	var added []string
	for _, p := range after {
		s := p.String()
		now[s] = true
		if !was[s] {
			added = append(added, s)
		}
	}
	var fixed []string
	for s := range was {
		if !now[s] {
			fixed = append(fixed, s)
		}
	}
	sort.Strings(fixed)
	e, w := owner.CountProblems(after)
	m.printf("problems: %d errors, %d warnings\n", e, w)
	if len(added)+len(fixed) > ProblemLines {
		m.printf("  %d new, %d fixed: run 'cuecard lint' for the list\n", len(added), len(fixed))
		return
	}
	for _, s := range added {
		if ctx.Err() != nil {
			return
		}
		m.printf("  ! %s\n", s)
	}
	for _, s := range fixed {
		if ctx.Err() != nil {
			return
		}
		m.printf("  fixed: %s\n", strings.TrimSpace(s))
	}
}

// printf writes a line to stdout at once (tests and pipes read it live).
func (m *Main) printf(format string, args ...any) {
	fmt.Fprintf(m.Stdout, format, args...)
	if f, ok := m.Stdout.(*os.File); ok {
		_ = f.Sync()
	}
}

// sharingStatus says what this installation shares through the library,
// and when nothing, why.
func (m *Main) sharingStatus(root string) string {
	ls, err := library.LoadSettings(root)
	if err != nil {
		return "nothing is shared: " + err.Error()
	}
	cfg, _ := m.settings()
	if !cfg.ShareUsage && !ls.Records() {
		return "off (usage: Settings > Share anonymous usage; training records: track_records: named in the library's cuecard.yaml)"
	}
	if off := ls.SharingOff(); off != "" {
		return off
	}
	var what []string
	if cfg.ShareUsage {
		what = append(what, "usage (under an id that changes every month)")
	}
	if ls.Records() {
		what = append(what, "training records")
	}
	return fmt.Sprintf("%s, sealed to the library's %d readers: only they can open them", strings.Join(what, " and "), len(ls.Readers))
}
