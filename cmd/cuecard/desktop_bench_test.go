//go:build linux

package main

// The desktop app's figures, as benchmarks (make bench-desktop): each one
// starts Xvfb, openbox and a private D-Bus session with a test tray host,
// then runs the real app. Latencies are measured on a separate X
// connection, from the moment the input reaches the X server to the X event
// that shows the result, and reported as percentiles.

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/robotn/xgb"
	"github.com/robotn/xgb/xproto"
	"github.com/robotn/xgb/xtest"

	"github.com/cuecard/cuecard/internal/bench"
	"github.com/cuecard/cuecard/internal/desktop"
	"github.com/cuecard/cuecard/internal/focus/focustest"
	"github.com/cuecard/cuecard/internal/percentile"
)

// session is an X display with a window manager and a session bus with a
// tray host, as a desktop has.
type session struct {
	x   *focustest.X
	env []string
}

func newSession(b *testing.B) *session {
	b.Helper()
	focustest.Require(b, "dbus-daemon", "xdotool")
	x := focustest.StartX(b)
	x.StartWM()
	bus := newTrayBus(b)
	e := append(benchEnv(b), x.Env()...)
	e = append(e, "CUECARD_RUNTIME="+b.TempDir(), "DBUS_SESSION_BUS_ADDRESS="+bus.addr)
	return &session{x: x, env: e}
}

// benchEnv is env(t) for a benchmark: private config, cache and data.
func benchEnv(b *testing.B) []string {
	base := b.TempDir()
	var e []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CUECARD_") && !strings.HasPrefix(kv, "DISPLAY=") && !strings.HasPrefix(kv, "DBUS_SESSION_BUS_ADDRESS=") {
			e = append(e, kv)
		}
	}
	return append(e, "CUECARD_CONFIG="+filepath.Join(base, "config"), "CUECARD_CACHE="+filepath.Join(base, "cache"),
		"CUECARD_DATA="+filepath.Join(base, "data"), "CUECARD_URL_HANDLER=off")
}

// start runs a program in the session; it is stopped (SIGTERM) at cleanup.
func (s *session) start(b *testing.B, name string, args ...string) *exec.Cmd {
	b.Helper()
	return s.startEnv(b, s.env, name, args...)
}

// startEnv is start with its own environment.
func (s *session) startEnv(b *testing.B, env []string, name string, args ...string) *exec.Cmd {
	b.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = env
	if testing.Verbose() {
		cmd.Stderr = os.Stderr
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		if cmd.ProcessState == nil {
			stopProcess(cmd)
		}
	})
	return cmd
}

// observer is an X client that sends input (XTEST) and timestamps what the
// window manager and the app do: the active window, a window's title and
// its mapping.
type observer struct {
	b      *testing.B
	c      *xgb.Conn
	root   xproto.Window
	atoms  map[string]xproto.Atom
	active chan stamped[xproto.Window]
	names  chan stamped[string]
	maps   chan stamped[bool]
	codes  map[uint32]xproto.Keycode
	watch  xproto.Window
}

type stamped[T any] struct {
	at time.Time
	v  T
}

func newObserver(b *testing.B, display string) *observer {
	b.Helper()
	cc, err := focustest.Dial(display)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(cc.Close)
	c := cc.Conn
	if err := xtest.Init(c); err != nil {
		b.Fatalf("XTEST: %v", err)
	}
	o := &observer{b: b, c: c, root: xproto.Setup(c).DefaultScreen(c).Root, atoms: map[string]xproto.Atom{},
		active: make(chan stamped[xproto.Window], 256), names: make(chan stamped[string], 256), maps: make(chan stamped[bool], 256),
		codes: map[uint32]xproto.Keycode{}}
	for _, n := range []string{"_NET_ACTIVE_WINDOW", "_NET_WM_NAME", "UTF8_STRING"} {
		r, err := xproto.InternAtom(c, false, uint16(len(n)), n).Reply()
		if err != nil {
			b.Fatal(err)
		}
		o.atoms[n] = r.Atom
	}
	setup := xproto.Setup(c)
	km, err := xproto.GetKeyboardMapping(c, setup.MinKeycode, byte(setup.MaxKeycode-setup.MinKeycode+1)).Reply()
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i*int(km.KeysymsPerKeycode) < len(km.Keysyms); i++ {
		sym := uint32(km.Keysyms[i*int(km.KeysymsPerKeycode)])
		if _, ok := o.codes[sym]; !ok && sym != 0 {
			o.codes[sym] = setup.MinKeycode + xproto.Keycode(i)
		}
	}
	xproto.ChangeWindowAttributes(c, o.root, xproto.CwEventMask, []uint32{xproto.EventMaskPropertyChange})
	go o.loop()
	return o
}

func (o *observer) loop() {
	for {
		ev, err := o.c.WaitForEvent()
		if ev == nil && err == nil {
			return // connection closed
		}
		now := time.Now()
		switch e := ev.(type) {
		case xproto.PropertyNotifyEvent:
			switch {
			case e.Window == o.root && e.Atom == o.atoms["_NET_ACTIVE_WINDOW"]:
				o.active <- stamped[xproto.Window]{now, o.activeWindow()}
			case e.Window != o.root && e.Atom == o.atoms["_NET_WM_NAME"]:
				o.names <- stamped[string]{now, o.name(e.Window)}
			}
		case xproto.MapNotifyEvent:
			o.maps <- stamped[bool]{now, true}
		case xproto.UnmapNotifyEvent:
			o.maps <- stamped[bool]{now, false}
		}
	}
}

func (o *observer) activeWindow() xproto.Window {
	r, err := xproto.GetProperty(o.c, false, o.root, o.atoms["_NET_ACTIVE_WINDOW"], xproto.AtomWindow, 0, 1).Reply()
	if err != nil || len(r.Value) < 4 {
		return 0
	}
	return xproto.Window(xgb.Get32(r.Value))
}

func (o *observer) name(w xproto.Window) string {
	r, err := xproto.GetProperty(o.c, false, w, o.atoms["_NET_WM_NAME"], o.atoms["UTF8_STRING"], 0, 256).Reply()
	if err != nil {
		return ""
	}
	return string(r.Value)
}

// follow reports title changes and mapping of window w.
func (o *observer) follow(w xproto.Window) {
	o.watch = w
	xproto.ChangeWindowAttributes(o.c, w, xproto.CwEventMask, []uint32{xproto.EventMaskPropertyChange | xproto.EventMaskStructureNotify})
	o.sync()
}

func (o *observer) viewable(w xproto.Window) bool {
	a, err := xproto.GetWindowAttributes(o.c, w).Reply()
	return err == nil && a.MapState == xproto.MapStateViewable
}

// sync waits until the server has handled everything sent.
func (o *observer) sync() { xproto.GetInputFocus(o.c).Reply() }

// key presses or releases the key of keysym sym.
func (o *observer) key(press bool, sym uint32) {
	code, ok := o.codes[sym]
	if !ok {
		o.b.Fatalf("no keycode for keysym %#x", sym)
	}
	t := byte(xproto.KeyRelease)
	if press {
		t = xproto.KeyPress
	}
	xtest.FakeInput(o.c, t, byte(code), 0, o.root, 0, 0, 0)
}

// activate asks the window manager to focus w, as a task bar does.
func (o *observer) activate(w xproto.Window) {
	ev := xproto.ClientMessageEvent{Format: 32, Window: w, Type: o.atoms["_NET_ACTIVE_WINDOW"],
		Data: xproto.ClientMessageDataUnionData32New([]uint32{2, 0, 0, 0, 0})}
	xproto.SendEvent(o.c, false, o.root, xproto.EventMaskSubstructureNotify|xproto.EventMaskSubstructureRedirect, string(ev.Bytes()))
	o.sync()
}

// waitActive waits for w (or, with w 0, any window but not) to be active.
func (o *observer) waitActive(w, not xproto.Window) stamped[xproto.Window] {
	o.b.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case a := <-o.active:
			if (w != 0 && a.v == w) || (w == 0 && a.v != not && a.v != 0) {
				return a
			}
		case <-timeout:
			o.b.Fatalf("window %#x did not become active within 10 s (active %#x)", w, o.activeWindow())
		}
	}
}

func drain[T any](ch chan T) {
	for {
		select {
		case <-ch:
		default:
			return
		}
	}
}

const (
	keyCtrlL  = 0xffe3
	keyAltL   = 0xffe9
	keySpace  = 0x20
	keyEscape = 0xff1b
)

func reportLatency(b *testing.B, name string, lat []time.Duration) {
	b.ReportMetric(percentile.Millis(percentile.Of(lat, 0.50)), name+"_p50_ms")
	b.ReportMetric(percentile.Millis(percentile.Of(lat, 0.95)), name+"_p95_ms")
	b.ReportMetric(percentile.Millis(percentile.Of(lat, 1)), name+"_max_ms")
}

// BenchmarkDesktopHotkeySearch: Ctrl+Alt+Space pressed (XTEST) to the
// search window created, shown and focused (the window manager's
// _NET_ACTIVE_WINDOW names it); Escape closes it between presses. Target p95 <= 100 ms. Run
// with -benchtime 60x.
func BenchmarkDesktopHotkeySearch(b *testing.B) {
	s := newSession(b)
	o := newObserver(b, s.x.Display)
	s.start(b, binary, "--library", sample, "app")
	c := s.x.Client()
	browser := xproto.Window(c.Open("a", -1, "chromium", "Chromium", "Deals | Acme CRM - Chromium"))
	s.x.WaitActive(uint32(browser))
	time.Sleep(3 * time.Second) // the app starts, and the panel pops and settles
	press := func() {
		o.key(true, keyCtrlL)
		o.key(true, keyAltL)
		o.key(true, keySpace)
		o.key(false, keySpace)
		o.key(false, keyAltL)
		o.key(false, keyCtrlL)
	}
	// The first press finds the search window.
	drain(o.active)
	o.activate(browser)
	press()
	o.sync()
	search := o.waitActive(0, browser).v
	if n := o.name(search); n != "Search guides - Cuecard" {
		b.Fatalf("the hotkey focused %q, not the search window", n)
	}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		o.key(true, keyEscape)
		o.key(false, keyEscape)
		o.sync()
		o.waitActive(0, search)
		time.Sleep(200 * time.Millisecond)
		drain(o.active)
		b.StartTimer()
		start := time.Now()
		press()
		o.sync()
		// The search window is created anew for each search.
		a := o.waitActive(0, browser)
		lat = append(lat, a.at.Sub(start))
		b.StopTimer()
		if n := o.name(a.v); n != "Search guides - Cuecard" {
			b.Fatalf("the hotkey focused %q, not the search window", n)
		}
		search = a.v
		b.StartTimer()
	}
	b.StopTimer()
	reportLatency(b, "hotkey_to_search", lat)
}

// BenchmarkDesktopFocusPanel: the focus moves (_NET_ACTIVE_WINDOW request,
// as a task bar sends it) between a browser tab of Acme CRM (one guide) and
// LibreOffice Calc (two guides) while the panel is up; the clock stops when
// the panel names the newly focused app and, as its size changes, is shown
// again at its new size. Target p95 <= 150 ms. Run with -benchtime 60x.
func BenchmarkDesktopFocusPanel(b *testing.B) {
	s := newSession(b)
	o := newObserver(b, s.x.Display)
	app := s.start(b, binary, "--library", sample, "app")
	c := s.x.Client()
	crm := xproto.Window(c.Open("a", -1, "chromium", "Chromium", "Deals | Acme CRM - Chromium"))
	s.x.WaitActive(uint32(crm))
	calc := xproto.Window(c.Open("b", -1, "libreoffice", "libreoffice-calc", "Budget.ods - LibreOffice Calc"))
	s.x.WaitActive(uint32(calc))
	o.activate(crm)
	// The panel pops for the CRM after the 1 s dwell.
	var panel xproto.Window
	pid := strconv.Itoa(app.Process.Pid)
	for deadline := time.Now().Add(15 * time.Second); panel == 0 && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		out, _ := xdotool(s.x, "search", "--onlyvisible", "--pid", pid, "--name", "^Cuecard: ")
		if f := strings.Fields(out); len(f) > 0 {
			id, _ := strconv.ParseUint(f[0], 10, 32)
			panel = xproto.Window(id)
		}
	}
	if panel == 0 {
		b.Fatal("the panel never appeared")
	}
	o.follow(panel)
	windows := []xproto.Window{calc, crm}
	want := []string{"LibreOffice Calc", "Acme CRM"}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		time.Sleep(300 * time.Millisecond)
		drain(o.names)
		drain(o.maps)
		b.StartTimer()
		start := time.Now()
		o.activate(windows[i%2])
		var named time.Time
		timeout := time.After(10 * time.Second)
		for named.IsZero() {
			select {
			case n := <-o.names:
				if strings.Contains(n.v, want[i%2]) {
					named = n.at
				}
			case <-timeout:
				b.Fatalf("the panel never named %q (now %q)", want[i%2], o.name(panel))
			}
		}
		end := named
		// Shown again at its new size (it is resized while hidden).
		for !o.viewable(panel) {
			select {
			case m := <-o.maps:
				if m.v {
					end = m.at
				}
			case <-timeout:
				b.Fatal("the panel was not shown again")
			}
		}
		select { // a map already queued before the check above
		case m := <-o.maps:
			if m.v && m.at.After(end) {
				end = m.at
			}
		default:
		}
		lat = append(lat, end.Sub(start))
	}
	b.StopTimer()
	reportLatency(b, "focus_to_panel", lat)
}

func xdotool(x *focustest.X, args ...string) (string, error) {
	cmd := exec.Command("xdotool", args...)
	cmd.Env = x.Env()
	out, err := cmd.Output()
	return string(out), err
}

// procStat is a process's CPU time so far and its resident memory.
func procStat(b *testing.B, pid int) (cpu time.Duration, rss int64) {
	b.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		b.Fatal(err)
	}
	// Fields after the command name (which may hold spaces), from field 3.
	f := strings.Fields(string(data[strings.LastIndexByte(string(data), ')')+2:]))
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	const hz = 100 // USER_HZ on Linux
	cpu = time.Duration(ut+st) * time.Second / hz
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Fatal(err)
	}
	for _, l := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			rss = kb << 10
		}
	}
	return cpu, rss
}

// idle lets a started process settle, then measures its CPU use over
// window and its resident memory at the end.
func idle(b *testing.B, pid int, settle, window time.Duration) (cpuPct float64, rss int64) {
	time.Sleep(settle)
	c0, _ := procStat(b, pid)
	t0 := time.Now()
	time.Sleep(window)
	c1, rss := procStat(b, pid)
	return 100 * float64(c1-c0) / float64(time.Since(t0)), rss
}

// BenchmarkDesktopIdle: the app idle with the panel hidden, on a
// 10,000-guide library and on the sample library, against a bare fyne
// window with a tray icon (cmd internal/ui/baseline) in the same session.
// Reports idle CPU (% of a core) and resident memory of each, and the
// ratios to the bare app. Each library runs twice: as users run it, and
// with CUECARD_NO_BINARY_PAGEOUT=1 (the memory tidy leaves the binary's
// read-only pages resident, as the bare app does: like for like), reported
// as *_no_pageout_*. Targets: CPU <= 1 %; RSS <= 1.35 x the bare app at
// 10,000 guides and <= 1.2 x with the sample library, both ways. Run with
// -benchtime 1x (each iteration takes ~3 min).
func BenchmarkDesktopIdle(b *testing.B) {
	const guides = 10000
	lib := filepath.Join(b.TempDir(), "library")
	if err := bench.Generate(lib, guides, 1); err != nil {
		b.Fatal(err)
	}
	s := newSession(b)
	bare := filepath.Join(b.TempDir(), "baseline")
	if out, err := exec.Command("go", "build", "-o", bare, "github.com/cuecard/cuecard/internal/ui/baseline").CombinedOutput(); err != nil {
		b.Fatalf("build the baseline: %v\n%s", err, out)
	}
	for _, l := range []string{lib, sample} {
		index := exec.Command(binary, "--library", l, "index")
		index.Env = s.env
		if out, err := index.CombinedOutput(); err != nil {
			b.Fatalf("index %s: %v\n%s", l, err, out)
		}
	}
	var bareCPU, appCPU, sampleCPU []float64
	var bareRSS, appRSS, sampleRSS, appNoPageoutRSS, sampleNoPageoutRSS []int64
	// app runs the app on library l and measures it idle; noPageout keeps
	// the binary's pages resident.
	app := func(l string, noPageout bool) (float64, int64) {
		env := s.env
		if noPageout {
			env = append(slices.Clip(env), desktop.NoBinaryPageoutEnv+"=1")
		}
		p := s.startEnv(b, env, binary, "--library", l, "app")
		defer stopProcess(p)
		// Settled: the index opened and reconciled, the watcher armed
		// (it reads every guide once for the problems list).
		cpu, rss := idle(b, p.Process.Pid, 20*time.Second, 20*time.Second)
		if n := strings.TrimSpace(mustXdotool(b, s.x, "search", "--onlyvisible", "--pid", strconv.Itoa(p.Process.Pid), "--name", "Cuecard")); n != "" {
			b.Errorf("a window of the app is shown while idle: %s", n)
		}
		return cpu, rss
	}
	b.ResetTimer()
	for range b.N {
		p := s.start(b, bare)
		cpu, rss := idle(b, p.Process.Pid, 10*time.Second, 20*time.Second)
		bareCPU, bareRSS = append(bareCPU, cpu), append(bareRSS, rss)
		stopProcess(p)

		cpu, rss = app(lib, false)
		appCPU, appRSS = append(appCPU, cpu), append(appRSS, rss)
		cpu, rss = app(sample, false)
		sampleCPU, sampleRSS = append(sampleCPU, cpu), append(sampleRSS, rss)
		_, rss = app(lib, true)
		appNoPageoutRSS = append(appNoPageoutRSS, rss)
		_, rss = app(sample, true)
		sampleNoPageoutRSS = append(sampleNoPageoutRSS, rss)
	}
	b.StopTimer()
	mean := func(xs []float64) float64 {
		t := 0.0
		for _, x := range xs {
			t += x
		}
		return t / float64(len(xs))
	}
	meanMB := func(xs []int64) float64 {
		t := 0.0
		for _, x := range xs {
			t += float64(x) / (1 << 20)
		}
		return t / float64(len(xs))
	}
	b.ReportMetric(mean(appCPU), "app_idle_cpu_%")
	b.ReportMetric(mean(sampleCPU), "sample_idle_cpu_%")
	b.ReportMetric(mean(bareCPU), "bare_idle_cpu_%")
	b.ReportMetric(meanMB(appRSS), "app_rss_MB")
	b.ReportMetric(meanMB(sampleRSS), "sample_rss_MB")
	b.ReportMetric(meanMB(bareRSS), "bare_rss_MB")
	b.ReportMetric(meanMB(appRSS)/meanMB(bareRSS), "rss_ratio")
	b.ReportMetric(meanMB(sampleRSS)/meanMB(bareRSS), "sample_rss_ratio")
	b.ReportMetric(meanMB(appNoPageoutRSS), "app_rss_no_pageout_MB")
	b.ReportMetric(meanMB(sampleNoPageoutRSS), "sample_rss_no_pageout_MB")
	b.ReportMetric(meanMB(appNoPageoutRSS)/meanMB(bareRSS), "rss_no_pageout_ratio")
	b.ReportMetric(meanMB(sampleNoPageoutRSS)/meanMB(bareRSS), "sample_rss_no_pageout_ratio")
}

func mustXdotool(b *testing.B, x *focustest.X, args ...string) string {
	out, _ := xdotool(x, args...)
	return out
}
