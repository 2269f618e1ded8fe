package owner

import (
	"context"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/cuecard/cuecard/internal/coach"
	"github.com/cuecard/cuecard/internal/library"
	"github.com/cuecard/cuecard/internal/paths"
	"github.com/cuecard/cuecard/internal/search"
)

// Options configure Live.
type Options struct {
	// Git is the library's git source; nil for a plain folder.
	Git *library.GitSource
	// GitEvery is how often a git library is pulled.
	GitEvery time.Duration
	// OnGit is told each git sync (nil: nobody).
	OnGit func(library.GitStatus)
	// Ignore is the extra ignore patterns of the settings.
	Ignore []string
	Now    func() time.Time
	Log    *slog.Logger
}

// Live is the library kept live in this process: the folder watcher feeds
// the librarian, which applies every batch to the index; a git library is
// pulled meanwhile; other cuecard commands ask over the socket.
type Live struct {
	root string
	ix   *search.Index
	w    *library.Watcher
	lib  *coach.Librarian
	opts Options
	done chan error // the librarian's result

	gmu sync.Mutex
	git *library.GitStatus
}

// Start starts the watcher and returns before the librarian runs, so that
// the caller can subscribe to its events first (then call Run).
func Start(ctx context.Context, root string, ix *search.Index, o Options) (*Live, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if o.GitEvery <= 0 {
		o.GitEvery = library.DefaultGitInterval
	}
	known := ix.Known()
	ids := make([]string, 0, len(known))
	for id := range known {
		ids = append(ids, id)
	}
	w, err := library.Watch(ctx, root, library.WatchOptions{Known: known, Now: o.Now, Ignore: o.Ignore})
	if err != nil {
		return nil, err
	}
	return &Live{root: root, ix: ix, w: w, lib: coach.NewLibrarian(ix, ids), opts: o, done: make(chan error, 1)}, nil
}

// Librarian applies the library's changes to the index; subscribe to its
// events before Run.
func (l *Live) Librarian() *coach.Librarian { return l.lib }

// Done gives the librarian's result once it stops.
func (l *Live) Done() <-chan error { return l.done }

// Watching is closed when the folder watcher has stopped.
func (l *Live) Watching() <-chan struct{} { return l.w.Done() }

// Run applies the watcher's changes, pulls a git library, and answers other
// commands on the socket; srv carries any extra requests the caller
// answers (nil for none). It returns once all of that is started.
func (l *Live) Run(ctx context.Context, srv *Server) {
	go func() { l.done <- l.lib.Run(ctx, l.w.Changes()) }()
	if g := l.opts.Git; g != nil {
		st := g.Status()
		l.git = &st
		go g.Run(ctx, l.opts.GitEvery, func(s library.GitStatus) {
			l.gmu.Lock()
			l.git = &s
			l.gmu.Unlock()
			if l.opts.OnGit != nil {
				l.opts.OnGit(s)
			}
		})
	}
	if srv == nil {
		srv = &Server{}
	}
	srv.Index, srv.Status = l.ix, l.Status
	if srv.Log == nil {
		srv.Log = l.opts.Log
	}
	if err := srv.Serve(ctx, SocketPath(l.root)); err != nil {
		l.opts.Log.Warn("other cuecard commands cannot ask this process", "err", err)
	}
}

// Status is what `cuecard status` shows while this process runs.
func (l *Live) Status() Status {
	e, wn := CountProblems(l.lib.Problems())
	msg, at := l.lib.Status()
	l.gmu.Lock()
	g := l.git
	l.gmu.Unlock()
	return Status{Library: l.root, Index: paths.Index(l.root), Guides: l.ix.Count(), Errors: e, Warnings: wn,
		Watching: true, PID: os.Getpid(), Watcher: msg, LastChange: at, Git: g}
}
