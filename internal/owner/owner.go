// Package owner is the process that owns a library's index, and how other
// cuecard processes reach it.
//
// bleve locks an index to one process. The process that opened it (the
// desktop app or `cuecard index --watch`) keeps it live (Live: the folder
// watcher feeding the librarian, and pulls of a git library) and answers
// other commands over a socket only the user can reach (a Unix socket in
// the user's runtime folder; on Windows a named pipe): one JSON Request per
// connection, one JSON Response (Server, Client).
//
// It imports guide, coach (the librarian), library, search, report and
// paths.
package owner

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/cuecard/cuecard/internal/coach"
	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/library"
	"github.com/cuecard/cuecard/internal/report"
	"github.com/cuecard/cuecard/internal/search"
	"github.com/cuecard/cuecard/internal/track"
)

// Request is what a client asks.
type Request struct {
	Cmd string `json:"cmd"` // search, guides, status, show-search, open-guide, guide-me, usage, muted, unmute, track, debug
	// Query is the search of a search request; with show-search, its Text
	// is typed into the search window.
	Query search.Query `json:"query,omitzero"`
	// Guide, with open-guide and guide-me, is the library id of the guide to show, and
	// Anchor the section ("" for the top). Link says it was opened from a
	// cuecard:// link or cuecard open: the guide counts as assigned.
	Guide  string `json:"guide,omitempty"`
	Anchor string `json:"anchor,omitempty"`
	Link   bool   `json:"link,omitempty"`
	// From and To are the days of a usage request.
	From time.Time `json:"from,omitzero"`
	To   time.Time `json:"to,omitzero"`
	// App, with unmute, is the app's key (a coach.App key).
	App string `json:"app,omitempty"`
	// HeapProfile, with debug, is a file to write a heap profile to
	// (after a garbage collection).
	HeapProfile string `json:"heap_profile,omitempty"`
}

// Response is the answer.
type Response struct {
	Error   string             `json:"error,omitempty"`
	Results []search.Result    `json:"results,omitempty"`
	Guides  []*guide.Guide     `json:"guides,omitempty"`
	Status  *Status            `json:"status,omitempty"`
	Usage   []report.Aggregate `json:"usage,omitempty"`
	Muted   []coach.App        `json:"muted,omitempty"`
	Track   *track.Track       `json:"track,omitempty"`
	Debug   *Debug             `json:"debug,omitempty"`
}

// Status is what `cuecard status` shows.
type Status struct {
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
	// Walkthrough is the desktop app's running Guide me, if any.
	Walkthrough *Walkthrough `json:"walkthrough,omitempty"`
}

// Walkthrough is the state of a running Guide me.
type Walkthrough struct {
	Guide string `json:"guide"`
	// Step is the step shown, 1-based, of Steps; Steps+1 once finished.
	Step  int `json:"step"`
	Steps int `json:"steps"`
	// State is looking, found, about (the target not recognised: the
	// ring is about where it was), switch (another app is active), card
	// (a step without target) or finished.
	State       string  `json:"state"`
	TargetFound bool    `json:"target_found"`
	Confidence  float64 `json:"confidence"`
	// Ring is where the ring is drawn on the screen (found and about).
	Ring *Ring `json:"ring,omitempty"`
}

// Ring is the Guide me ring: its centre and radius, in screen pixels.
type Ring struct {
	X      int `json:"x"`
	Y      int `json:"y"`
	Radius int `json:"radius"`
}

// Debug is the process's own view of its resources, for the soak test and
// for looking at a long-running app.
type Debug struct {
	PID        int    `json:"pid"`
	Goroutines int    `json:"goroutines"`
	HeapAlloc  uint64 `json:"heap_alloc"`
	HeapSys    uint64 `json:"heap_sys"`
	NumGC      uint32 `json:"num_gc"`
	// IdleWaits is how many times the desktop app's UI loop has slept
	// because every window was hidden.
	IdleWaits int64 `json:"idle_waits"`
}

// CountProblems counts errors and warnings.
func CountProblems(ps []guide.Problem) (errs, warns int) {
	for _, p := range ps {
		if p.Level == guide.LevelError {
			errs++
		} else {
			warns++
		}
	}
	return errs, warns
}

// SocketPath is the socket (on Windows the named pipe) of the process that
// owns root's index.
func SocketPath(root string) string { return socketPath(root) }

// Timeout bounds a whole exchange with the owner.
var Timeout = 5 * time.Second

// Client is the owner process, seen from another process.
type Client struct{ path string }

// Dial connects to the owner of root's index, or returns nil when no
// process answers.
func Dial(root string) *Client {
	p := SocketPath(root)
	c, err := dial(context.Background(), p, 200*time.Millisecond)
	if err != nil {
		return nil
	}
	c.Close()
	return &Client{path: p}
}

// Path is the socket the client talks to.
func (o *Client) Path() string { return o.path }

// Ask sends one request and reads the answer; an answer that carries an
// error is returned as the error.
func (o *Client) Ask(ctx context.Context, req Request) (*Response, error) {
	c, err := dial(ctx, o.path, 500*time.Millisecond)
	if err != nil {
		return nil, fmt.Errorf("ask the running cuecard: %w", err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(Timeout))
	if err := json.NewEncoder(c).Encode(req); err != nil {
		return nil, fmt.Errorf("ask the running cuecard: %w", err)
	}
	var resp Response
	if err := json.NewDecoder(bufio.NewReader(c)).Decode(&resp); err != nil {
		return nil, fmt.Errorf("read the running cuecard's answer: %w", err)
	}
	if resp.Error != "" {
		return nil, errors.New(resp.Error)
	}
	return &resp, nil
}

// Index is what the read-only commands need of an index: the owner
// process's (Remote) or one opened in this process (Local).
type Index interface {
	Search(ctx context.Context, q search.Query) ([]search.Result, error)
	Guides() ([]*guide.Guide, error)
	Close() error
}

// Local is an index opened in this process.
type Local struct{ *search.Index }

// Guides is every guide in the index.
func (l Local) Guides() ([]*guide.Guide, error) { return l.Index.Guides(), nil }

// Remote is the owner process's index.
type Remote struct{ *Client }

// Search runs q in the owner process.
func (r Remote) Search(ctx context.Context, q search.Query) ([]search.Result, error) {
	resp, err := r.Ask(ctx, Request{Cmd: "search", Query: q})
	if err != nil {
		return nil, err
	}
	return resp.Results, nil
}

// Guides is every guide in the owner's index.
func (r Remote) Guides() ([]*guide.Guide, error) {
	resp, err := r.Ask(context.Background(), Request{Cmd: "guides"})
	if err != nil {
		return nil, err
	}
	return resp.Guides, nil
}

// Close does nothing: the owner keeps its index.
func (r Remote) Close() error { return nil }
