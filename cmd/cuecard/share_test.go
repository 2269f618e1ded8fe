//go:build linux

package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/focus/focustest"
	"github.com/cuecard/cuecard/internal/report"
	"github.com/cuecard/cuecard/internal/seal"
	"github.com/cuecard/cuecard/internal/store"
)

// TestDesktopSharesUsage runs the app with "Share anonymous usage" on:
// an app without guides, focused under a sensitive title, is timed; while
// the app runs (holding the state file) `cuecard report` asks it for this
// computer's usage; the app writes today's aggregate into the library's
// _insights/<monthly id>/<YYYY-MM>.age every CUECARD_EXPORT_EVERY and at quit, sealed
// to the library's reader, without the title and, for an app no guide
// names, without its time; and `cuecard report --team` opens it with the
// reader's key. Before the library names a reader, status says why
// nothing is shared.
func TestDesktopSharesUsage(t *testing.T) {
	x := focustest.StartX(t)
	x.StartWM()
	var e []string
	for _, kv := range env(t) {
		if !strings.HasPrefix(kv, "CUECARD_TODAY=") { // the app's days are real days
			e = append(e, kv)
		}
	}
	e = append(e, x.Env()...)
	e = append(e, "CUECARD_RUNTIME="+t.TempDir(), "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/cuecard-test-bus", "CUECARD_EXPORT_EVERY=2s")
	cfgDir := envValue(e, "CUECARD_CONFIG")
	os.MkdirAll(cfgDir, 0o755)
	os.WriteFile(filepath.Join(cfgDir, "config.yaml"), []byte("share_usage: true\nidentity: kim@example.com\n"), 0o644)
	lib := copyLibrary(t)
	if r := run(t, e, "--library", lib, "status"); !strings.Contains(r.stdout, "sharing   nothing is shared: the library's") || !strings.Contains(r.stdout, "names no readers") {
		t.Errorf("status without readers:\n%s%s", r.stdout, r.stderr)
	}
	k := run(t, e, "keys", "new")
	recipient := regexp.MustCompile(`\bage1[02-9ac-hj-np-z]{58}\b`).FindString(k.stdout)
	if k.code != 0 || recipient == "" {
		t.Fatalf("keys new: %s", k.stderr)
	}
	f, _ := os.OpenFile(filepath.Join(lib, "cuecard.yaml"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	fmt.Fprintf(f, "\nreaders:\n  - %s\n", recipient)
	f.Close()
	_, stop := startApp(t, e, "--library", lib)
	time.Sleep(2 * time.Second)

	const title = "Salary review - Jane Doe.pdf"
	c := x.Client()
	x.WaitActive(c.Open("pdf", 0, "xpdf", "Xpdf", title))
	time.Sleep(12 * time.Second) // more than the 10 s that count as use
	x.WaitActive(c.Open("term", 0, "xterm", "XTerm", "root@secret-host: ~"))
	time.Sleep(time.Second)

	r := run(t, e, "--library", lib, "report", "--format", "json")
	var rep report.Report
	if err := json.Unmarshal([]byte(r.stdout), &rep); r.code != 0 || err != nil {
		t.Errorf("report while the app runs: exit %d %v\n%s", r.code, err, r.stderr)
	}

	today := time.Now().Format(store.DateFormat)
	var file string
	for deadline := time.Now().Add(15 * time.Second); file == "" && time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		m, _ := filepath.Glob(filepath.Join(lib, "_insights", "*", today[:7]+".age"))
		if len(m) == 1 {
			file = m[0]
		}
	}
	if file == "" {
		t.Fatal("the app wrote no usage aggregate while running")
	}
	stop()

	sealed, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if json.Valid(sealed) || !seal.IsSealed(sealed) {
		t.Fatalf("the shared file is not sealed:\n%.200s", sealed)
	}
	key, err := seal.LoadKey(filepath.Join(envValue(e, "CUECARD_CONFIG"), "reader-key.txt"))
	if err != nil {
		t.Fatal(err)
	}
	days, err := report.OpenMonth(key, sealed, today[:7])
	if err != nil || len(days) != 1 || days[0].Date != today {
		t.Fatalf("the month's file: %+v %v", days, err)
	}
	a := days[0]
	data, _ := json.Marshal(a)
	// No guide names Xpdf: it is shared as seen, without its time.
	if !slices.Contains(a.AppsSeen, "class:xpdf") || strings.Contains(string(data), "seconds") {
		t.Errorf("the focused app is not in the aggregate as seen, without time:\n%s", data)
	}
	for _, secret := range []string{"Salary", "Jane", "secret-host", "root@"} {
		if strings.Contains(string(data), secret) {
			t.Errorf("the aggregate holds %q from a window title:\n%s", secret, data)
		}
	}
	// The folder is named by this month's id, not the install id kept in
	// the state file.
	t.Setenv("CUECARD_DATA", envValue(e, "CUECARD_DATA"))
	st, err := store.Open(filepath.Join(envValue(e, "CUECARD_DATA"), "state.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	id, _ := st.InstallID()
	st.Close()
	secret, err := seal.Secret(filepath.Join(envValue(e, "CUECARD_DATA"), "sharing-secret"))
	if err != nil {
		t.Fatal(err)
	}
	if dir := filepath.Base(filepath.Dir(file)); dir == id || dir != seal.MonthID(secret, today[:7]) || a.Install != dir {
		t.Errorf("aggregate in %s, install id %s", file, id)
	}

	r = run(t, e, "--library", lib, "report", "--team", "--format", "json")
	var team struct {
		Installs    int    `json:"installs"`
		Scope       string `json:"scope"`
		MinInstalls int    `json:"min_installs"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &team); r.code != 0 || err != nil || team.Installs != 1 || team.Scope != report.ScopeTeam || team.MinInstalls != 3 {
		t.Errorf("team report after quitting: exit %d %v %+v\n%s", r.code, err, team, r.stderr)
	}
}
