package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/cuecard/cuecard/internal/coach"
	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/library"
	"github.com/cuecard/cuecard/internal/paths"
	"github.com/cuecard/cuecard/internal/search"
)

// statusInfo is what `cuecard status` shows.
type statusInfo struct {
	Library  string `json:"library"`
	Index    string `json:"index"`
	Guides   int    `json:"guides"`
	Errors   int    `json:"errors"`
	Warnings int    `json:"warnings"`
	// Watching is true when a cuecard process keeps the index live; PID is
	// that process.
	Watching bool   `json:"watching"`
	PID      int    `json:"pid,omitempty"`
	Watcher  string `json:"watcher,omitempty"` // the watcher's last status message
	// LastChange is when the running process last applied a library change.
	LastChange time.Time          `json:"last_change,omitzero"`
	Git        *library.GitStatus `json:"git,omitempty"`
}

func countProblems(ps []guide.Problem) (errs, warns int) {
	for _, p := range ps {
		if p.Level == guide.LevelError {
			errs++
		} else {
			warns++
		}
	}
	return
}

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
	var st statusInfo
	if o := dialOwner(root); o != nil {
		resp, err := o.ask(ctx, ipcRequest{Cmd: "status"})
		if err != nil {
			return err
		}
		st = *resp.Status
	} else {
		ix, res, err := m.openIndex(ctx, root, false, nil)
		if errors.Is(err, search.ErrLocked) {
			return fmt.Errorf("%w and does not answer: try again in a moment", err)
		}
		if err != nil {
			return err
		}
		st = statusInfo{Library: root, Index: paths.Index(root), Guides: ix.Count()}
		st.Errors, st.Warnings = countProblems(res.Problems)
		ix.Close()
		if m.git != nil {
			gs := m.git.Status()
			st.Git = &gs
		}
	}
	if *asJSON {
		return m.writeJSON(st)
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
	return nil
}

// live is the library kept live in this process: the folder watcher feeds
// the librarian, which applies every batch to the index; a git library is
// pulled meanwhile; other cuecard commands ask over the socket.
type live struct {
	root string
	ix   *search.Index
	w    *library.Watcher
	lib  *coach.Librarian
	done chan error // the librarian's result

	gmu sync.Mutex
	git *library.GitStatus
}

// startLive starts the watcher and returns before the librarian runs, so
// that the caller can subscribe to its events first (then call run).
func (m *Main) startLive(ctx context.Context, root string, ix *search.Index) (*live, error) {
	known := ix.Known()
	ids := make([]string, 0, len(known))
	for id := range known {
		ids = append(ids, id)
	}
	w, err := library.Watch(ctx, root, library.WatchOptions{Known: known, Now: m.Now, Ignore: m.ignore()})
	if err != nil {
		return nil, err
	}
	return &live{root: root, ix: ix, w: w, lib: coach.NewLibrarian(ix, ids), done: make(chan error, 1)}, nil
}

// run applies the watcher's changes, pulls a git library every gitEvery
// (onGit is told each sync) and answers other commands on the socket;
// srv carries any extra requests the caller answers (nil for none).
func (l *live) run(ctx context.Context, m *Main, gitEvery time.Duration, onGit func(library.GitStatus), srv *ipcServer) {
	go func() { l.done <- l.lib.Run(ctx, l.w.Changes()) }()
	if m.git != nil {
		st := m.git.Status()
		l.git = &st
		go m.git.Run(ctx, gitEvery, func(s library.GitStatus) {
			l.gmu.Lock()
			l.git = &s
			l.gmu.Unlock()
			if onGit != nil {
				onGit(s)
			}
		})
	}
	if srv == nil {
		srv = &ipcServer{}
	}
	srv.ix, srv.status = l.ix, l.status
	if err := srv.serve(ctx, socketPath(l.root)); err != nil {
		m.log.Warn("other cuecard commands cannot ask this process", "err", err)
	}
}

// status is what `cuecard status` shows while this process runs.
func (l *live) status() statusInfo {
	e, wn := countProblems(l.lib.Problems())
	msg, at := l.lib.Status()
	l.gmu.Lock()
	g := l.git
	l.gmu.Unlock()
	return statusInfo{Library: l.root, Index: paths.Index(l.root), Guides: l.ix.Count(), Errors: e, Warnings: wn,
		Watching: true, PID: os.Getpid(), Watcher: msg, LastChange: at, Git: g}
}

// watchIndex keeps the index live and prints each change as it is applied.
func (m *Main) watchIndex(ctx context.Context, root string, ix *search.Index, gitEvery time.Duration) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	l, err := m.startLive(ctx, root, ix)
	if err != nil {
		return err
	}
	events := l.lib.Subscribe(1024)
	l.run(ctx, m, gitEvery, func(s library.GitStatus) {
		switch {
		case s.LastError != "":
			m.printf("git: sync failed: %s (keeping commit %.12s)\n", s.LastError, s.Commit)
		case s.Changed:
			m.printf("git: now at %.12s %s\n", s.Commit, s.Subject)
		}
		if s.Notice != "" && s.Changed {
			m.printf("git: %s\n", s.Notice)
		}
	}, nil)
	w, runErr := l.w, l.done
	m.printf("watching %s (%d guides); Ctrl+C stops\n", root, ix.Count())
	var lastProblems []guide.Problem
	for {
		select {
		case <-ctx.Done():
			<-w.Done()
			return nil
		case err := <-runErr:
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
				m.printProblemChange(lastProblems, ev.Problems)
				lastProblems = ev.Problems
			}
		}
	}
}

// printProblemChange prints the problems that appeared and those fixed.
func (m *Main) printProblemChange(before, after []guide.Problem) {
	was := map[string]bool{}
	for _, p := range before {
		was[p.String()] = true
	}
	now := map[string]bool{}
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
	e, w := countProblems(after)
	m.printf("problems: %d errors, %d warnings\n", e, w)
	for _, s := range added {
		m.printf("  ! %s\n", s)
	}
	for _, s := range fixed {
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
