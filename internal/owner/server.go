package owner

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"os"
	"runtime"
	"runtime/pprof"
	"time"

	"github.com/cuecard/cuecard/internal/coach"
	"github.com/cuecard/cuecard/internal/report"
	"github.com/cuecard/cuecard/internal/search"
	"github.com/cuecard/cuecard/internal/track"
)

// Server answers requests for the index this process owns. Live.Run sets
// Index and Status; the desktop app sets the rest.
type Server struct {
	Index  *search.Index
	Status func() Status
	// ShowSearch, when set (the desktop app), opens the search window with
	// text typed in: a second launch of the app asks the running one to
	// do that, and so does a cuecard://search link.
	ShowSearch func(text string)
	// OpenGuide, when set (the desktop app), shows a guide of the library
	// in a viewer window at a section ("" for the top): cuecard record
	// hands the guide it wrote to the running app, and cuecard open (a
	// cuecard:// link, link true) a guide to read.
	OpenGuide func(id, anchor string, link bool) error
	// GuideMe, when set (the desktop app), starts a walkthrough of a guide
	// (cuecard guide-me), and Walkthrough is the running one, or nil.
	GuideMe     func(id string) error
	Walkthrough func() *Walkthrough
	// Usage, when set (the desktop app, which holds the state file), gives
	// this computer's usage for cuecard report.
	Usage func(from, to time.Time) ([]report.Aggregate, error)
	// Muted and Unmute, when set (the desktop app, which holds the state
	// file), list the muted apps and unmute one by its key.
	Muted  func() ([]coach.App, error)
	Unmute func(app string) error
	// Track, when set (the desktop app, which holds the state file), is
	// the person's Start-here track for cuecard track (coach.Coach.Track).
	Track func() (track.Track, error)
	// IdleWaits, when set (the desktop app), counts the UI's idle waits.
	IdleWaits func() int64
	Log       *slog.Logger
}

// Serve listens on path until ctx is done. A stale socket (its process
// gone) is replaced; a live one means another process owns the index.
func (s *Server) Serve(ctx context.Context, path string) error {
	if s.Log == nil {
		s.Log = slog.Default()
	}
	if c, err := dial(context.Background(), path, 200*time.Millisecond); err == nil {
		c.Close()
		return fmt.Errorf("another cuecard process already answers on %s", path)
	}
	l, err := listen(path)
	if err != nil {
		return err
	}
	go func() {
		<-ctx.Done()
		l.Close()
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

func (s *Server) handle(ctx context.Context, c net.Conn) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(Timeout))
	var req Request
	if err := json.NewDecoder(bufio.NewReader(c)).Decode(&req); err != nil {
		return
	}
	resp := s.answer(ctx, req)
	if err := json.NewEncoder(c).Encode(resp); err != nil {
		s.Log.Debug("owner answer", "err", err)
	}
}

func (s *Server) answer(ctx context.Context, req Request) (resp Response) {
	switch req.Cmd {
	case "search":
		res, err := s.Index.Search(ctx, req.Query)
		if err != nil {
			resp.Error = err.Error()
		}
		resp.Results = res
	case "guides":
		resp.Guides = s.Index.Guides()
	case "status":
		st := s.Status()
		if s.Walkthrough != nil {
			st.Walkthrough = s.Walkthrough()
		}
		resp.Status = &st
	case "guide-me":
		if s.GuideMe == nil {
			resp.Error = "the running cuecard process has no windows (it is 'cuecard index --watch'): quit it, and cuecard guide-me starts the desktop app"
		} else if err := s.GuideMe(req.Guide); err != nil {
			resp.Error = err.Error()
		}
	case "show-search":
		if s.ShowSearch == nil {
			resp.Error = "the running cuecard process has no windows (it is 'cuecard index --watch')"
		} else {
			s.ShowSearch(req.Query.Text)
		}
	case "open-guide":
		if s.OpenGuide == nil {
			resp.Error = "the running cuecard process has no windows (it is 'cuecard index --watch'): quit it, and cuecard open starts the desktop app"
		} else if err := s.OpenGuide(req.Guide, req.Anchor, req.Link); err != nil {
			resp.Error = err.Error()
		}
	case "debug":
		if req.HeapProfile != "" {
			if err := writeHeapProfile(req.HeapProfile); err != nil {
				resp.Error = err.Error()
			}
		}
		resp.Debug = readDebug()
		if s.IdleWaits != nil {
			resp.Debug.IdleWaits = s.IdleWaits()
		}
	case "usage":
		if s.Usage == nil {
			resp.Error = "the running cuecard process does not keep usage (it is 'cuecard index --watch'): quit it or run cuecard report --team"
			break
		}
		u, err := s.Usage(req.From, req.To)
		if err != nil {
			resp.Error = err.Error()
		}
		resp.Usage = u
	case "muted", "unmute":
		if s.Muted == nil || s.Unmute == nil {
			resp.Error = "the running cuecard process does not keep the muted apps (it is 'cuecard index --watch'): quit it and try again"
			break
		}
		var err error
		if req.Cmd == "unmute" {
			err = s.Unmute(req.App)
		}
		if err == nil {
			resp.Muted, err = s.Muted()
		}
		if err != nil {
			resp.Error = err.Error()
		}
	case "track":
		if s.Track == nil {
			resp.Error = "the running cuecard process does not keep the track (it is 'cuecard index --watch'): quit it and try again"
			break
		}
		t, err := s.Track()
		if err != nil {
			resp.Error = err.Error()
			break
		}
		resp.Track = &t
	default:
		resp.Error = fmt.Sprintf("unknown request %q (is this cuecard older than the one asking?)", req.Cmd)
	}
	return resp
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

func readDebug() *Debug {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return &Debug{PID: os.Getpid(), Goroutines: runtime.NumGoroutine(), HeapAlloc: ms.HeapAlloc, HeapSys: ms.HeapSys, NumGC: ms.NumGC}
}
