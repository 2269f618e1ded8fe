package main

import (
	"strings"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/paths"
	"github.com/cuecard/cuecard/internal/store"
)

// muteApps mutes apps (key, name pairs) in the state file of environment
// e, as the panel's mute button does.
func muteApps(t *testing.T, e []string, apps ...string) {
	t.Helper()
	t.Setenv("CUECARD_DATA", envValue(e, "CUECARD_DATA"))
	st, err := store.Open(paths.State(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for i := 0; i+1 < len(apps); i += 2 {
		if err := st.SetMuted(apps[i], apps[i+1], true, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
}

// cuecard unmute lists the muted apps and unmutes one by its name or key
// in any case; a name that matches none says which are muted. No app
// runs: the state file is changed directly.
func TestUnmute(t *testing.T) {
	e := env(t)
	if r := run(t, e, "--library", sample, "unmute"); r.code != 0 || r.stdout != "No app is muted.\n" {
		t.Errorf("never used: exit %d %q %q", r.code, r.stdout, r.stderr)
	}
	muteApps(t, e, "gimp", "The GIMP", "web:crm.example.com", "Acme CRM", "xterm", "")
	r := run(t, e, "--library", sample, "unmute")
	want := "Muted apps (cuecard unmute NAME unmutes one):\n  Acme CRM (web:crm.example.com)\n  The GIMP (gimp)\n  xterm\n"
	if r.code != 0 || r.stdout != want {
		t.Errorf("list: exit %d\n%s\nwant\n%s%s", r.code, r.stdout, want, r.stderr)
	}
	r = run(t, e, "--library", sample, "unmute", "nothing")
	if r.code != 1 || !strings.Contains(r.stderr, `"nothing" is not muted: the muted apps are Acme CRM (web:crm.example.com), The GIMP (gimp), xterm`) {
		t.Errorf("no match: exit %d %q", r.code, r.stderr)
	}
	r = run(t, e, "--library", sample, "unmute", "acme", "crm")
	if r.code != 0 || r.stdout != "Unmuted Acme CRM: its guides pop again.\n" {
		t.Errorf("by name: exit %d %q %q", r.code, r.stdout, r.stderr)
	}
	r = run(t, e, "--library", sample, "unmute", "GIMP")
	if r.code != 0 || r.stdout != "Unmuted The GIMP: its guides pop again.\n" {
		t.Errorf("by key: exit %d %q %q", r.code, r.stdout, r.stderr)
	}
	r = run(t, e, "--library", sample, "unmute")
	if r.code != 0 || r.stdout != "Muted apps (cuecard unmute NAME unmutes one):\n  xterm\n" {
		t.Errorf("after: exit %d %q", r.code, r.stdout)
	}
	if r = run(t, e, "--library", sample, "unmute", "XTERM"); r.code != 0 || r.stdout != "Unmuted xterm: its guides pop again.\n" {
		t.Errorf("xterm: exit %d %q %q", r.code, r.stdout, r.stderr)
	}
	if r = run(t, e, "--library", sample, "unmute", "xterm"); r.code != 1 || !strings.Contains(r.stderr, `"xterm" is not muted: no app is muted`) {
		t.Errorf("none left: exit %d %q", r.code, r.stderr)
	}
}
