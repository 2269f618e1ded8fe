//go:build linux

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/robotn/xgb"
	"github.com/robotn/xgb/res"

	"github.com/cuecard/cuecard/internal/desktop"
	"github.com/cuecard/cuecard/internal/focus/focustest"
	"github.com/cuecard/cuecard/internal/library"
	"github.com/cuecard/cuecard/internal/owner"
	"github.com/cuecard/cuecard/internal/search"
	"github.com/cuecard/cuecard/internal/testlog"
)

var (
	soakFor      = flag.Duration("soak", 2*time.Minute, "how long TestSoak drives the app (make soak: 10m)")
	soakProfiles = flag.String("soak-profiles", "", "a folder for the app's heap profiles at the start and the end of TestSoak (heap-1.pprof, heap-2.pprof)")
)

// ipcAsk sends one request to the app's socket.
// appSocket waits for the app started with env e on library lib to answer
// on its socket in runtimeDir, and returns the socket's path.
func appSocket(t *testing.T, e []string, runtimeDir, lib string) string {
	t.Helper()
	sock := filepath.Join(runtimeDir, filepath.Base(indexDirFor(t, e, lib))+".sock")
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if c, err := net.Dial("unix", sock); err == nil {
			c.Close()
			return sock
		}
		if time.Now().After(deadline) {
			t.Fatalf("the app does not answer on %s", sock)
		}
	}
}

func ipcAsk(t *testing.T, sock string, req owner.Request) *owner.Response {
	t.Helper()
	c, err := net.DialTimeout("unix", sock, 5*time.Second)
	if err != nil {
		t.Fatalf("dial the app: %v", err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(30 * time.Second))
	if err := json.NewEncoder(c).Encode(req); err != nil {
		t.Fatalf("ask the app: %v", err)
	}
	var resp owner.Response
	if err := json.NewDecoder(bufio.NewReader(c)).Decode(&resp); err != nil {
		t.Fatalf("read the app's answer: %v", err)
	}
	if resp.Error != "" {
		t.Fatalf("the app answered %s", resp.Error)
	}
	return &resp
}

// xClientsOf counts the X connections of process pid, asking the X server
// (X-Resource extension: the local client PIDs).
func xClientsOf(t *testing.T, display string, pid int) int {
	t.Helper()
	cc, err := focustest.Dial(display)
	if err != nil {
		t.Fatal(err)
	}
	defer cc.Close()
	c := cc.Conn
	if err := res.Init(c); err != nil {
		t.Fatalf("the X server has no X-Resource extension: %v", err)
	}
	// xgb's decoder of this reply reads each value's length as a count of
	// 32-bit words (it is in bytes), so the reply is decoded here.
	raw, err := res.QueryClientIds(c, 1, []res.ClientIdSpec{{Client: 0, Mask: res.ClientIdMaskLocalClientPID}}).Cookie.Reply()
	if err != nil {
		t.Fatal(err)
	}
	num := int(xgb.Get32(raw[8:]))
	n := 0
	for i, b := 0, 32; i < num && b+12 <= len(raw); i++ {
		mask, length := xgb.Get32(raw[b+4:]), int(xgb.Get32(raw[b+8:]))
		if mask&res.ClientIdMaskLocalClientPID != 0 && length >= 4 && b+16 <= len(raw) && int(xgb.Get32(raw[b+12:])) == pid {
			n++
		}
		b += 12 + length
	}
	return n
}

// figures is one sample of the app's resources.
type figures struct {
	rssKB, goroutines, threads, fds, xClients int
	heap                                      uint64
}

func (f figures) String() string {
	return fmt.Sprintf("RSS %.1f MB (Go heap in use %.1f MB), %d goroutines, %d threads, %d open fds, %d X connections",
		float64(f.rssKB)/1024, float64(f.heap)/(1<<20), f.goroutines, f.threads, f.fds, f.xClients)
}

// TestSoak drives the desktop app for -soak (2 minutes by default, the first
// half of it, at most 2 minutes, a warm-up; `make soak` runs 10) under Xvfb, openbox and a private D-Bus session with a tray
// host: focus moves between windows in turn (the panel follows), files in
// the library are created, edited and removed, searches go over the app's
// socket and through the hotkey's search window, all together. Resources are
// sampled after a warm-up and at the end, each time after the app has been
// quiet long enough to hand back unused memory (desktop.TidyAfter), and must be
// flat: RSS within 10% for runs of 10 minutes or more, 15% for shorter ones
// (the GL stack and fyne's caches settle in the warm-up; a leak of one
// object per operation over thousands of operations shows well above
// that), open fds and X connections equal (every search window
// is destroyed when closed; each leaked one is an X connection or fds), and
// goroutines within 5 (timers and idle D-Bus handlers come and go).
func TestSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("the soak run takes minutes")
	}
	focustest.Require(t, "xdotool", "dbus-daemon")
	x := focustest.StartX(t)
	x.StartWM()
	addr := privateBus(t)
	_, host := startTrayHost(t, addr)

	lib := filepath.Join(t.TempDir(), "lib")
	if out, err := exec.Command("cp", "-r", sample, lib).CombinedOutput(); err != nil {
		t.Fatalf("copy the sample library: %v %s", err, out)
	}
	churn := filepath.Join(lib, "churn")
	os.MkdirAll(churn, 0o755)
	runtimeDir := t.TempDir()
	e := append(quietEnv(t), x.Env()...)
	e = setEnv(setEnv(setEnv(e, "LANG", "en_US.UTF-8"), "DBUS_SESSION_BUS_ADDRESS", addr), "CUECARD_RUNTIME", runtimeDir)
	var stderr testlog.Buffer
	app := exec.Command(binary, "--library", lib, "app")
	app.Env, app.Stderr = e, &stderr
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	pid := app.Process.Pid
	exited := make(chan error, 1)
	go func() { exited <- app.Wait() }()
	t.Cleanup(func() {
		app.Process.Signal(os.Interrupt)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			app.Process.Kill()
			<-exited
		}
		if t.Failed() {
			t.Logf("app stderr:\n%s", lastLines(stderr.String(), 40))
		}
	})
	select {
	case <-host.items:
	case <-time.After(30 * time.Second):
		t.Fatal("the app never registered its tray item")
	}
	sock := appSocket(t, e, runtimeDir, lib)

	c := x.Client()
	windows := []struct{ name, instance, class, title string }{
		{"crm", "chromium", "Chromium", "Deals | Acme CRM - Chromium"},
		{"calc", "libreoffice", "libreoffice-calc", "Budget.ods - LibreOffice Calc"},
		{"term", "xterm", "XTerm", "build.sh - xterm"},
		{"mail", "thunderbird", "thunderbird", "Inbox - Mozilla Thunderbird"},
	}
	for _, w := range windows {
		c.Open(w.name, -1, w.instance, w.class, w.title)
	}

	rng := rand.New(rand.NewPCG(8, 8))
	files := map[string]int{} // churn file -> version
	next := 0
	ops := map[string]int{}
	words := []string{"refund", "invoice", "deal", "report", "password", "vpn", "expense", "onboard", "ticket", "budget"}
	step := func(i int) {
		// Focus: the next window in turn.
		c.Activate(windows[i%len(windows)].name)
		ops["focus"]++
		// Churn: create, edit or remove a guide (at most 40 at a time).
		switch k := rng.IntN(3); {
		case len(files) < 5 || (k == 0 && len(files) < 40):
			name := fmt.Sprintf("soak-%05d.md", next)
			next++
			files[name] = 1
			os.WriteFile(filepath.Join(churn, name), []byte(guideFile(fmt.Sprintf("How to soak test %d", next), "First version.")), 0o644)
			ops["create"]++
		case k == 1:
			name := pick(rng, files)
			files[name]++
			os.WriteFile(filepath.Join(churn, name), []byte(guideFile("How to soak "+name, fmt.Sprintf("Version %d.", files[name]))), 0o644)
			ops["edit"]++
		default:
			name := pick(rng, files)
			delete(files, name)
			os.Remove(filepath.Join(churn, name))
			ops["remove"]++
		}
		// Searches: over the socket each step; every 15th step through
		// the hotkey's search window, which is destroyed when closed.
		ipcAsk(t, sock, owner.Request{Cmd: "search", Query: search.Query{Text: prefix(words[rng.IntN(len(words))], 2+rng.IntN(3)), Limit: 10}})
		ops["socket search"]++
		if i%15 == 7 {
			x.Tool("xdotool", "key", "ctrl+alt+space")
			if waitWindow(t, x, "Search guides - Cuecard") == "" {
				t.Fatalf("step %d: the hotkey did not open the search window", i)
			}
			x.Tool("xdotool", "type", "--delay", "15", words[rng.IntN(len(words))])
			x.Tool("xdotool", "key", "Escape")
			for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
				if strings.TrimSpace(x.Tool("xdotool", "search", "--onlyvisible", "--name", "Search guides - Cuecard")) == "" {
					break
				}
			}
			ops["hotkey search"]++
		}
		time.Sleep(150 * time.Millisecond)
	}
	// measure waits until the app has been quiet for longer than desktop.TidyAfter
	// (it then returns unused memory to the system) and reads its figures.
	profiles := 0
	measure := func() figures {
		time.Sleep(desktop.TidyAfter + 3*time.Second)
		select {
		case err := <-exited:
			t.Fatalf("the app exited: %v\n%s", err, lastLines(stderr.String(), 30))
		default:
		}
		fds, _ := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
		tasks, _ := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
		req := owner.Request{Cmd: "debug"}
		if *soakProfiles != "" {
			profiles++
			req.HeapProfile = filepath.Join(*soakProfiles, fmt.Sprintf("heap-%d.pprof", profiles))
		}
		d := ipcAsk(t, sock, req).Debug
		if d == nil || d.PID != pid {
			t.Fatalf("debug answer %+v", d)
		}
		return figures{rssKB: procStatus(t, pid, "VmRSS"), heap: d.HeapAlloc, goroutines: d.Goroutines, threads: len(tasks), fds: len(fds), xClients: xClientsOf(t, x.Display, pid)}
	}

	// Warm-up: the first half of the run, at most 2 minutes. fyne fills
	// caches during the first minute of use (heap profiles, -soak-profiles:
	// SVG icons rendered to images, font tables, widget renderers), which
	// grow the heap by some 15-20 MB and then level off; a leak keeps
	// growing after them.
	warmFor := min(*soakFor/2, 2*time.Minute)
	warm := 0
	for begin := time.Now(); warm < 30 || time.Since(begin) < warmFor; warm++ {
		step(warm)
	}
	start := measure()
	t.Logf("after the warm-up (%d steps): %s", warm, start)
	begin := time.Now()
	steps := 0
	for time.Since(begin) < *soakFor-warmFor {
		step(warm + steps)
		steps++
	}
	end := measure()
	t.Logf("after %s (%d steps: %v): %s", time.Since(begin).Round(time.Second), steps, ops, end)

	// The app is right, too: its index holds exactly the library.
	resp := ipcAsk(t, sock, owner.Request{Cmd: "guides"})
	scan, err := library.Scan(context.Background(), lib, library.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got, want []string
	for _, g := range resp.Guides {
		got = append(got, g.ID+" "+g.Hash)
	}
	for _, g := range scan.Guides {
		want = append(want, g.ID+" "+g.Hash)
	}
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("after the soak the app's index holds %d guides, the library %d (or their contents differ)", len(got), len(want))
	}

	growth := float64(end.rssKB-start.rssKB) / float64(start.rssKB)
	t.Logf("RSS %+.1f%%, goroutines %+d, threads %+d, fds %+d, X connections %+d",
		100*growth, end.goroutines-start.goroutines, end.threads-start.threads, end.fds-start.fds, end.xClients-start.xClients)
	// fyne keeps widget renderers for a minute after their last use: a
	// short run's measured half lies within that minute, so it gets more
	// room than a run of 10 minutes or more.
	limit := 0.10
	if *soakFor < 10*time.Minute {
		limit = 0.15
	}
	if growth > limit {
		t.Errorf("RSS grew %.1f%% (%d kB -> %d kB), want under %.0f%%", 100*growth, start.rssKB, end.rssKB, 100*limit)
	}
	if end.goroutines > start.goroutines+5 {
		t.Errorf("goroutines %d -> %d, want at most 5 more", start.goroutines, end.goroutines)
	}
	if end.fds != start.fds {
		t.Errorf("open fds %d -> %d, want the same", start.fds, end.fds)
	}
	if end.xClients != start.xClients {
		t.Errorf("X connections %d -> %d, want the same", start.xClients, end.xClients)
	}
}

func pick(rng *rand.Rand, m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys[rng.IntN(len(keys))]
}

func prefix(s string, n int) string { return s[:min(n, len(s))] }
