//go:build !windows

package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/owner"
)

// TestSearchShow: `cuecard search --show WORDS` (what a desktop keyboard
// shortcut runs on Wayland) asks the running app, here an owner server of
// the test, to open its search with the words typed in; with no app and
// no display it says it cannot start one; other search flags are refused.
func TestSearchShow(t *testing.T) {
	e := append(env(t), "DISPLAY=", "WAYLAND_DISPLAY=", "CUECARD_RUNTIME="+filepath.Join(t.TempDir(), "run"))
	for _, kv := range e {
		if k, v, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "CUECARD_") {
			t.Setenv(k, v)
		}
	}
	root, err := filepath.Abs(sample)
	if err != nil {
		t.Fatal(err)
	}

	r := run(t, e, "--library", sample, "search", "--show", "refund")
	if r.code != exitFail || !strings.Contains(r.stderr, "no Cuecard desktop app is running and there is no display") {
		t.Errorf("no app, no display: %+v", r)
	}
	r = run(t, e, "--library", sample, "search", "--show", "--json", "refund")
	if r.code != exitUsage || !strings.Contains(r.stderr, "--show") {
		t.Errorf("--show with --json: %+v", r)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	shown := make(chan string, 4)
	srv := &owner.Server{ShowSearch: func(text string) { shown <- text }}
	go srv.Serve(ctx, owner.SocketPath(root))
	deadline := time.Now().Add(5 * time.Second)
	for owner.Dial(root) == nil {
		if time.Now().After(deadline) {
			t.Fatal("the test's owner server did not listen")
		}
		time.Sleep(10 * time.Millisecond)
	}
	for _, words := range [][]string{{"refund", "policy"}, nil} {
		r = run(t, e, append([]string{"--library", sample, "search", "--show"}, words...)...)
		if r.code != 0 || !strings.Contains(r.stdout, "Opened the search window in Cuecard") {
			t.Fatalf("search --show %q with the app running: %+v", words, r)
		}
		select {
		case got := <-shown:
			if want := strings.Join(words, " "); got != want {
				t.Errorf("the app was asked to search for %q, want %q", got, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("search --show %q: the app was not asked", words)
		}
	}
}
