//go:build linux

package main

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/focus/focustest"
)

// TestDesktopStartHere: a person in sales who started 20 days ago, on a
// copy of the sample library that asks for named records. The daily
// reminder pops up in the panel without taking the focus, once; the tray
// says how far along the track is and opens the track window; a checklist
// worked through in its viewer (from the keyboard) is done, its record is
// in the library and `cuecard report --training` lists it; `cuecard track`
// asks the running app.
func TestDesktopStartHere(t *testing.T) {
	focustest.Require(t, "dbus-daemon", "xdotool", "xprop", "xwininfo")
	x := focustest.StartX(t)
	x.StartWM()
	lib := copyLibrary(t)
	settings := filepath.Join(lib, "cuecard.yaml")
	data, err := os.ReadFile(settings)
	if err != nil {
		t.Fatal(err)
	}
	var e []string
	for _, kv := range env(t) {
		if !strings.HasPrefix(kv, "CUECARD_TODAY=") { // the app's clock is the real one
			e = append(e, kv)
		}
	}
	// Records are sealed to the library's readers: a reader (HR) makes a
	// key, and the library names it.
	r := run(t, e, "keys", "new")
	recipient := regexp.MustCompile(`\bage1[02-9ac-hj-np-z]{58}\b`).FindString(r.stdout)
	if r.code != 0 || recipient == "" {
		t.Fatalf("keys new: %d %s %s", r.code, r.stdout, r.stderr)
	}
	named := strings.Replace(string(data), "track_records: off", "track_records: named", 1) + "\nreaders:\n  - " + recipient + "\n"
	if err := os.WriteFile(settings, []byte(named), 0o644); err != nil {
		t.Fatal(err)
	}
	start := time.Now().AddDate(0, 0, -20).Format("2006-01-02")
	cfgDir := envValue(e, "CUECARD_CONFIG")
	if err := os.MkdirAll(cfgDir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cfgDir, "config.yaml"), []byte("identity: kim@example.com\nroles: [sales]\nstart_date: "+start+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	bus := newTrayBus(t)
	e = append(e, x.Env()...)
	e = append(e, "CUECARD_RUNTIME="+t.TempDir(), "DBUS_SESSION_BUS_ADDRESS="+bus.addr, "CUECARD_REMIND_FIRST=2s")
	c := x.Client()
	term := c.Open("t", -1, "xterm", "XTerm", "bash")
	x.WaitActive(term)
	app, stop := startApp(t, e, "--library", lib)
	pid := strconv.Itoa(app.Process.Pid)

	// The track over the socket: the sales and everyone items, overdue ones.
	type trackOut struct {
		Track struct {
			Items []struct {
				ID, Status string
			} `json:"items"`
			Done int `json:"done"`
		}
	}
	var tr trackOut
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		r := run(t, e, "--library", lib, "track", "--json")
		if r.code == 0 && json.Unmarshal([]byte(r.stdout), &tr.Track) == nil && len(tr.Track.Items) > 0 {
			break
		}
	}
	var ids, overdue []string
	for _, it := range tr.Track.Items {
		ids = append(ids, it.ID)
		if it.Status == "overdue" {
			overdue = append(overdue, it.ID)
		}
	}
	for _, want := range []string{"people/code-of-conduct.md", "it/security-basics.md", "finance/expense-policy.md", "sales/create-a-deal-in-acme-crm.md"} {
		if !strings.Contains(strings.Join(ids, " "), want) {
			t.Errorf("track %v lacks %s", ids, want)
		}
	}
	if strings.Contains(strings.Join(ids, " "), "support/") || strings.Contains(strings.Join(ids, " "), "month-end-close") {
		t.Errorf("track %v has other roles' items", ids)
	}
	if len(overdue) == 0 {
		t.Errorf("nothing overdue 20 days in: %v", tr.Track.Items)
	}

	// The reminder: the panel, titled Start here, without the focus.
	var panel string
	for deadline := time.Now().Add(20 * time.Second); panel == "" && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		for _, w := range strings.Fields(x.Tool("xdotool", "search", "--onlyvisible", "--pid", pid)) {
			if strings.Contains(x.Tool("xprop", "-id", w, "WM_NAME"), "Cuecard: Start here") {
				panel = w
			}
		}
	}
	if panel == "" {
		t.Fatal("no Start here reminder in the panel")
	}
	if x.ActiveWindow() != term {
		t.Errorf("the reminder took the focus: active %#x", x.ActiveWindow())
	}
	if testing.Verbose() {
		time.Sleep(300 * time.Millisecond)
		x.Screenshot(os.TempDir() + "/cuecard-start-here-reminder.png")
	}

	// The tray says how far along the track is, and opens it.
	item := bus.item(t)
	if _, ok := bus.waitLabel(t, item, "Start here (0 of ", false); !ok {
		t.FailNow()
	}
	bus.clickLabel(t, item, "Start here")
	if waitWindow(t, x, "Start here - Cuecard") == "" {
		t.Fatal("the tray's Start here opened no window")
	}
	if testing.Verbose() {
		time.Sleep(300 * time.Millisecond)
		x.Screenshot(os.TempDir() + "/cuecard-start-here.png")
	}

	// The security checklist, from the keyboard: Tab to each step, Space.
	r = run(t, e, "--library", lib, "search", "--json", "security basics")
	if r.code != 0 {
		t.Fatalf("search: %s", r.stderr)
	}
	openBySearch(t, x, "security basics first week", "security basics in your first week - Cuecard")
	records := func() (files []string) {
		filepath.WalkDir(filepath.Join(lib, "_training"), func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				files = append(files, p)
			}
			return nil
		})
		return files
	}
	for i := 0; i < 30 && len(records()) == 0; i++ {
		x.Tool("xdotool", "key", "Tab", "space")
		time.Sleep(150 * time.Millisecond)
	}
	if testing.Verbose() {
		x.Screenshot(os.TempDir() + "/cuecard-start-here-checklist.png")
	}
	files := records()
	if len(files) != 1 {
		t.Fatalf("want one record of the completed checklist in the library, found %q", files)
	}
	rec, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(files[0], "kim") || strings.Contains(files[0], "security") || strings.Contains(string(rec), "kim@example.com") ||
		!strings.HasPrefix(string(rec), "age-encryption.org/v1") {
		t.Errorf("the record is not sealed, or its name tells who or what: %s\n%.200s", files[0], rec)
	}
	if _, ok := bus.waitLabel(t, item, "Start here (1 of ", false); !ok {
		t.Error("the tray does not count the checklist as done")
	}
	rep := run(t, e, "--library", lib, "report", "--training")
	if rep.code != 0 || !strings.Contains(rep.stdout, "kim@example.com") || !strings.Contains(rep.stdout, "security basics") {
		t.Errorf("report --training: %d %s %s", rep.code, rep.stdout, rep.stderr)
	}

	// A restart the same day: no second reminder.
	stop()
	app, _ = startApp(t, e, "--library", lib)
	pid = strconv.Itoa(app.Process.Pid)
	deadline := time.Now().Add(6 * time.Second) // the first check comes after 2 s
	for time.Now().Before(deadline) {
		for _, w := range strings.Fields(x.Tool("xdotool", "search", "--onlyvisible", "--pid", pid)) {
			if strings.Contains(x.Tool("xprop", "-id", w, "WM_NAME"), "Cuecard: Start here") {
				t.Fatal("a second reminder the same day, after a restart")
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
}
