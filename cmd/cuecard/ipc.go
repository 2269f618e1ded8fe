package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"time"

	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/paths"
	"github.com/cuecard/cuecard/internal/report"
	"github.com/cuecard/cuecard/internal/search"
)

// One process owns a library's index (bleve locks it). While it runs it
// answers other cuecard commands over a Unix socket in the user's runtime
// folder, readable by the user only: one JSON request per connection, one
// JSON answer.

// ipcRequest is what a client asks.
type ipcRequest struct {
	Cmd   string       `json:"cmd"` // search, guides, status, show-search, usage, debug
	Query search.Query `json:"query,omitzero"`
	// From and To are the days of a usage request.
	From time.Time `json:"from,omitzero"`
	To   time.Time `json:"to,omitzero"`
	// HeapProfile, with debug, is a file to write a heap profile to
	// (after a garbage collection).
	HeapProfile string `json:"heap_profile,omitempty"`
}

// ipcResponse is the answer.
type ipcResponse struct {
	Error   string             `json:"error,omitempty"`
	Results []search.Result    `json:"results,omitempty"`
	Guides  []*guide.Guide     `json:"guides,omitempty"`
	Status  *statusInfo        `json:"status,omitempty"`
	Usage   []report.Aggregate `json:"usage,omitempty"`
	Debug   *debugInfo         `json:"debug,omitempty"`
}

// debugInfo is the process's own view of its resources, for the soak test
// and for looking at a long-running app: `debug` on the socket.
type debugInfo struct {
	PID        int    `json:"pid"`
	Goroutines int    `json:"goroutines"`
	HeapAlloc  uint64 `json:"heap_alloc"`
	HeapSys    uint64 `json:"heap_sys"`
	NumGC      uint32 `json:"num_gc"`
	// IdleWaits is how many times the desktop app's UI loop has slept
	// because every window was hidden.
	IdleWaits int64 `json:"idle_waits"`
}

// writeHeapProfile collects garbage and writes the live heap to path.
func writeHeapProfile(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("heap profile: %w", err)
	}
	runtime.GC()
	if err := pprof.WriteHeapProfile(f); err != nil {
		f.Close()
		return fmt.Errorf("heap profile %s: %w", path, err)
	}
	return f.Close()
}

func readDebug() *debugInfo {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return &debugInfo{PID: os.Getpid(), Goroutines: runtime.NumGoroutine(), HeapAlloc: ms.HeapAlloc, HeapSys: ms.HeapSys, NumGC: ms.NumGC}
}

// socketPath is the socket of the process that owns root's index.
func socketPath(root string) string {
	return filepath.Join(paths.Runtime(), filepath.Base(paths.Index(root))+".sock")
}

// ipcTimeout bounds a whole exchange with the owner.
var ipcTimeout = 5 * time.Second

// owner is the process that holds the index, seen from a client.
type owner struct{ path string }

// dialOwner connects to the owner of root's index, or returns nil when no
// process answers.
func dialOwner(root string) *owner {
	p := socketPath(root)
	c, err := net.DialTimeout("unix", p, 200*time.Millisecond)
	if err != nil {
		return nil
	}
	c.Close()
	return &owner{path: p}
}

func (o *owner) ask(ctx context.Context, req ipcRequest) (*ipcResponse, error) {
	d := net.Dialer{Timeout: 500 * time.Millisecond}
	c, err := d.DialContext(ctx, "unix", o.path)
	if err != nil {
		return nil, fmt.Errorf("ask the running cuecard: %w", err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(ipcTimeout))
	if err := json.NewEncoder(c).Encode(req); err != nil {
		return nil, fmt.Errorf("ask the running cuecard: %w", err)
	}
	var resp ipcResponse
	if err := json.NewDecoder(bufio.NewReader(c)).Decode(&resp); err != nil {
		return nil, fmt.Errorf("read the running cuecard's answer: %w", err)
	}
	if resp.Error != "" {
		return nil, errors.New(resp.Error)
	}
	return &resp, nil
}

// ipcServer answers requests for the index this process owns.
type ipcServer struct {
	ix     *search.Index
	status func() statusInfo
	// showSearch, when set (the desktop app), opens the search window: a
	// second launch of the app asks the running one to do that.
	showSearch func()
	// usage, when set (the desktop app, which holds the state file),
	// gives this computer's usage for cuecard report.
	usage func(from, to time.Time) ([]report.Aggregate, error)
	// idleWaits, when set (the desktop app), counts the UI's idle waits.
	idleWaits func() int64
}

// serve listens until ctx is done. A stale socket (its process gone) is
// replaced; a live one means another process owns the index.
func (s *ipcServer) serve(ctx context.Context, path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("socket folder: %w", err)
	}
	_ = os.Chmod(filepath.Dir(path), 0o700)
	if c, err := net.DialTimeout("unix", path, 200*time.Millisecond); err == nil {
		c.Close()
		return fmt.Errorf("another cuecard process already answers on %s", path)
	}
	_ = os.Remove(path)
	l, err := net.Listen("unix", path)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", path, err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		l.Close()
		return err
	}
	go func() {
		<-ctx.Done()
		l.Close()
		os.Remove(path)
	}()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go s.handle(ctx, c)
		}
	}()
	return nil
}

func (s *ipcServer) handle(ctx context.Context, c net.Conn) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(ipcTimeout))
	var req ipcRequest
	if err := json.NewDecoder(bufio.NewReader(c)).Decode(&req); err != nil {
		return
	}
	var resp ipcResponse
	switch req.Cmd {
	case "search":
		res, err := s.ix.Search(ctx, req.Query)
		if err != nil {
			resp.Error = err.Error()
		}
		resp.Results = res
	case "guides":
		resp.Guides = s.ix.Guides()
	case "status":
		st := s.status()
		resp.Status = &st
	case "show-search":
		if s.showSearch == nil {
			resp.Error = "the running cuecard process has no windows (it is 'cuecard index --watch')"
		} else {
			s.showSearch()
		}
	case "debug":
		if req.HeapProfile != "" {
			if err := writeHeapProfile(req.HeapProfile); err != nil {
				resp.Error = err.Error()
			}
		}
		resp.Debug = readDebug()
		if s.idleWaits != nil {
			resp.Debug.IdleWaits = s.idleWaits()
		}
	case "usage":
		if s.usage == nil {
			resp.Error = "the running cuecard process does not keep usage (it is 'cuecard index --watch'): quit it or run cuecard report --team"
			break
		}
		u, err := s.usage(req.From, req.To)
		if err != nil {
			resp.Error = err.Error()
		}
		resp.Usage = u
	default:
		resp.Error = fmt.Sprintf("unknown request %q (is this cuecard older than the one asking?)", req.Cmd)
	}
	if err := json.NewEncoder(c).Encode(resp); err != nil {
		slog.Debug("ipc answer", "err", err)
	}
}

// index is what the read-only commands need: the owner process or the
// index opened here.
type index interface {
	Search(ctx context.Context, q search.Query) ([]search.Result, error)
	Guides() ([]*guide.Guide, error)
	Close() error
}

type localIndex struct{ *search.Index }

func (l localIndex) Guides() ([]*guide.Guide, error) { return l.Index.Guides(), nil }

type remoteIndex struct{ o *owner }

func (r remoteIndex) Search(ctx context.Context, q search.Query) ([]search.Result, error) {
	resp, err := r.o.ask(ctx, ipcRequest{Cmd: "search", Query: q})
	if err != nil {
		return nil, err
	}
	return resp.Results, nil
}

func (r remoteIndex) Guides() ([]*guide.Guide, error) {
	resp, err := r.o.ask(context.Background(), ipcRequest{Cmd: "guides"})
	if err != nil {
		return nil, err
	}
	return resp.Guides, nil
}

func (r remoteIndex) Close() error { return nil }

// libraryIndex resolves the library and returns its index for queries.
func (m *Main) libraryIndex(ctx context.Context) (index, error) {
	root, err := m.libraryRoot()
	if err != nil {
		return nil, err
	}
	return m.queryIndex(ctx, root)
}

// queryIndex returns the running owner of root's index when there is one,
// else the index opened (and reconciled) here. It never hangs on the lock:
// a locked index whose owner does not answer gives a clear error.
func (m *Main) queryIndex(ctx context.Context, root string) (index, error) {
	if o := dialOwner(root); o != nil {
		m.log.Debug("asking the running cuecard", "socket", o.path)
		return remoteIndex{o}, nil
	}
	ix, _, err := m.openIndex(ctx, root, false, nil)
	if errors.Is(err, search.ErrLocked) {
		// The owner may be starting: give it a moment to answer.
		for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			if o := dialOwner(root); o != nil {
				return remoteIndex{o}, nil
			}
		}
		return nil, fmt.Errorf("%w, and it does not answer on %s: stop it or wait for it to finish", err, socketPath(root))
	}
	if err != nil {
		return nil, err
	}
	return localIndex{ix}, nil
}
