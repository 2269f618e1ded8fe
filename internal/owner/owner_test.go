package owner

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/search"
	"github.com/cuecard/cuecard/internal/track"
)

// TestServerClient: a Server on a real index answers a Client over the
// socket (on Windows the named pipe); requests it cannot answer say why; a
// stale socket is replaced and a live one is refused; once the server stops
// nothing answers and a new server can take its place.
func TestServerClient(t *testing.T) {
	// Every exchange has its own deadline; this catches a hang anywhere else
	// (a pipe under Wine) with every goroutine's stack.
	defer time.AfterFunc(time.Minute, func() { panic("TestServerClient hangs") }).Stop()
	testRuntime(t)
	t.Setenv("CUECARD_CACHE", t.TempDir())
	root := t.TempDir()
	ix, err := search.Open(filepath.Join(t.TempDir(), "index"), root)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	g := &guide.Guide{ID: "refund.md", Title: "How to process a refund", Format: guide.FormatChecklist, Body: "Open the order and press Refund."}
	if err := ix.Apply(context.Background(), []*guide.Guide{g}, nil); err != nil {
		t.Fatal(err)
	}
	if Dial(root) != nil {
		t.Fatal("a client found an owner before any serves")
	}
	path := SocketPath(root)
	staleSocket(t, path)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv := &Server{Index: ix, Status: func() Status { return Status{Library: root, Guides: ix.Count(), Watching: true} }}
	if err := srv.Serve(ctx, path); err != nil {
		t.Fatal(err)
	}
	checkPrivate(t, path)
	if err := (&Server{Index: ix}).Serve(ctx, path); err == nil || !strings.Contains(err.Error(), "already answers") {
		t.Errorf("a second server on a live socket: %v", err)
	}

	o := Dial(root)
	if o == nil {
		t.Fatal("no owner answers")
	}
	r := Remote{o}
	res, err := r.Search(ctx, search.Query{Text: "refund", Limit: 5})
	if err != nil || len(res) != 1 || res[0].ID != "refund.md" {
		t.Errorf("search: %v %+v", err, res)
	}
	gs, err := r.Guides()
	if err != nil || len(gs) != 1 || gs[0].Title != g.Title {
		t.Errorf("guides: %v %+v", err, gs)
	}
	resp, err := o.Ask(ctx, Request{Cmd: "status"})
	if err != nil || resp.Status.Library != root || resp.Status.Guides != 1 || !resp.Status.Watching {
		t.Errorf("status: %v %+v", err, resp)
	}
	for req, want := range map[string]string{
		"show-search": "has no windows",
		"usage":       "does not keep usage",
		"track":       "does not keep the track",
		"reboot":      `unknown request "reboot"`,
	} {
		if _, err := o.Ask(ctx, Request{Cmd: req}); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want an error saying %q", req, err, want)
		}
	}
	resp, err = o.Ask(ctx, Request{Cmd: "debug", HeapProfile: filepath.Join(t.TempDir(), "heap.pprof")})
	if err != nil || resp.Debug.PID != os.Getpid() || resp.Debug.Goroutines == 0 || resp.Debug.HeapAlloc == 0 {
		t.Errorf("debug: %v %+v", err, resp)
	}
	cancel()
	for i := 0; i < 50 && Dial(root) != nil; i++ {
		<-time.After(20 * time.Millisecond)
	}
	if Dial(root) != nil {
		t.Fatal("the socket still answers after the server stopped")
	}
	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	conduct := &guide.Guide{ID: "conduct.md", Title: "Read the code of conduct", Required: true, Ack: true,
		Deadline: guide.Deadline{After: guide.Period{N: 7, Unit: 'd'}}}
	start := time.Date(2026, 11, 17, 0, 0, 0, 0, time.UTC)
	mine := track.Build([]*guide.Guide{conduct}, track.Profile{Start: start}, track.State{}, start.AddDate(0, 0, 20))
	srv2 := &Server{Index: ix, Status: srv.Status, Track: func() (track.Track, error) { return mine, nil }}
	if err := srv2.Serve(ctx2, path); err != nil {
		t.Fatalf("a new server after the first stopped: %v", err)
	}
	o = Dial(root)
	if o == nil {
		t.Fatal("the new server does not answer")
	}
	if resp, err := o.Ask(ctx2, Request{Cmd: "status"}); err != nil || resp.Status.Guides != 1 {
		t.Errorf("status from the new server: %v %+v", err, resp)
	}
	// The app's track, as cuecard track asks for it.
	if resp, err := o.Ask(ctx2, Request{Cmd: "track"}); err != nil || resp.Track == nil || !reflect.DeepEqual(*resp.Track, mine) {
		t.Errorf("track: %v %+v, want %+v", err, resp.Track, mine)
	}
}
