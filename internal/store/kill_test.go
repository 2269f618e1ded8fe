package store

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// childEnv makes the test binary a writer process for TestKill9 instead of
// running tests.
const childEnv = "CUECARD_STORE_KILL_CHILD"

func TestMain(m *testing.M) {
	if path := os.Getenv(childEnv); path != "" {
		os.Exit(writeForever(path, os.Getenv(childEnv+"_ROUND")))
	}
	os.Exit(m.Run())
}

// writeForever writes to the store in a loop, printing i after write i is
// committed, until it is killed.
func writeForever(path, round string) int {
	s, err := Open(path, Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	for i := 0; i < 1_000_000; i++ {
		if err := s.SetStep("kill-"+round+".md", fmt.Sprintf("s%07d", i), true, time.Now()); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		if err := s.MarkSeen(fmt.Sprintf("exe:%s-%07d", round, i), "", time.Now()); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		fmt.Println(i)
	}
	return 0
}

// A process killed with SIGKILL while writing loses nothing it committed,
// and leaves a file that opens without being moved aside. While it runs,
// a second process gets ErrLocked instead of hanging.
func TestKill9(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "state.db")
	for round := range 3 {
		cmd := exec.Command(exe)
		cmd.Env = append(os.Environ(), childEnv+"="+path, fmt.Sprintf("%s_ROUND=%d", childEnv, round))
		cmd.Stderr = os.Stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		acks := make(chan int, 1024)
		go func() {
			defer close(acks)
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				if n, err := strconv.Atoi(sc.Text()); err == nil {
					acks <- n
				}
			}
		}()
		// Let it commit a few dozen writes (more each round, so the kill
		// lands at different points), then check the lock and kill it.
		last, want := -1, 30+round*17
		for last < want {
			select {
			case n, ok := <-acks:
				if !ok {
					_ = cmd.Wait()
					t.Fatalf("round %d: the writer exited after %d writes", round, last+1)
				}
				last = n
			case <-time.After(30 * time.Second): // a hang guard, not a timing assertion
				_ = cmd.Process.Kill()
				t.Fatal("the writer made no progress")
			}
		}
		if _, err := Open(path, Options{Timeout: 10 * time.Millisecond}); !errors.Is(err, ErrLocked) {
			t.Errorf("round %d: open while the writer runs: %v, want ErrLocked", round, err)
		}
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		for n := range acks { // acks already in the pipe count too
			last = n
		}
		_ = cmd.Wait()
		_, _ = io.Copy(io.Discard, out)

		log, logs := newLogger()
		s, err := Open(path, Options{Logger: log})
		if err != nil {
			t.Fatalf("round %d: reopen after kill -9: %v", round, err)
		}
		if s.MovedAside() != "" {
			t.Fatalf("round %d: the file was moved aside after kill -9:\n%s", round, logs.String())
		}
		checked, err := s.Checked(fmt.Sprintf("kill-%d.md", round))
		if err != nil {
			t.Fatal(err)
		}
		// Every acknowledged step is there, and no later one without the
		// ones before it (each write is all or nothing, in order).
		if len(checked) < last+1 || len(checked) > last+2 {
			t.Errorf("round %d: %d steps survived, but %d were acknowledged (and at most one more begun)", round, len(checked), last+1)
		}
		for i, step := range checked {
			if step != fmt.Sprintf("s%07d", i) {
				t.Fatalf("round %d: step %d is %q: a gap", round, i, step)
			}
		}
		for i := 0; i <= last; i++ {
			if first, _, err := s.Seen(fmt.Sprintf("exe:%d-%07d", round, i)); err != nil || first.IsZero() {
				t.Fatalf("round %d: acknowledged write %d lost (%v)", round, i, err)
			}
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
}
