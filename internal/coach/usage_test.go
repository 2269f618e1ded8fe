package coach

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/store"
)

var _ FocusRecorder = (*store.Store)(nil)

// Focus time on the real store: spans under Config.MinFocus are dropped,
// a web app is timed across its tabs, apps without guides are timed by
// executable, excluded windows and lost focus tracking stop the clock, and
// FlushFocus records a long span so far without losing the rest.
func TestFocusTimeOnTheRealStore(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "state.db"), store.Options{Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	clock := newFakeClock()
	c := New(Options{Store: st, Clock: clock, Logger: testLogger(t), Buffer: 64})
	c.SetGuides([]*guide.Guide{gimpBasics, crmDeals, crmAny}, nil)
	stay := func(w guide.Window, d time.Duration) {
		c.Focus(w)
		clock.Advance(d)
	}
	stay(gimpWin, 5*time.Second)    // a glance: not counted
	stay(dealsTab, 2*time.Minute)   // web:acme crm ...
	stay(leadsTab, time.Minute)     // ... the same app in another tab
	stay(mailTab, 30*time.Second)   // no web rule matches: the browser
	stay(termWin, 12*time.Second)   // no guide at all: counted by executable
	stay(guide.Window{}, time.Hour) // excluded or nothing focused: not counted
	stay(gimpWin, 40*time.Minute)   // a long span ...
	c.FlushFocus()                  // ... recorded so far at the hourly export
	clock.Advance(3 * time.Second)  // the rest counts however short
	c.FocusStatus(false, "window manager gone")
	clock.Advance(time.Hour) // tracking unavailable: not counted
	c.Focus(termWin)
	clock.Advance(4 * time.Second)
	c.FlushFocus() // too short so far: nothing yet
	clock.Advance(8 * time.Second)
	c.Close() // quitting ends the span: 12 s

	apps, err := st.FocusApps()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	for _, a := range apps {
		got[a.Key] = a.Seconds
		if strings.Contains(a.Key+a.Name, "Deals") || strings.Contains(a.Key+a.Name, "Inbox") || strings.Contains(a.Key+a.Name, "bash") {
			t.Errorf("a window title was stored: %+v", a)
		}
	}
	want := map[string]int64{"web:acme crm": 180, "exe:firefox": 30, "exe:xterm": 24, "exe:gimp": 40*60 + 3}
	if len(got) != len(want) {
		t.Errorf("focus time %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %d s, want %d s (all: %v)", k, got[k], v, got)
		}
	}
	for _, a := range apps {
		if a.Key == "web:acme crm" && a.Name != "Acme CRM" {
			t.Errorf("web app name %q", a.Name)
		}
	}
	days, _ := st.Days(t0, t0)
	if len(days) != 1 || days[0].Focus["exe:gimp"] != 40*60+3 {
		t.Errorf("day focus %+v", days)
	}
}

func TestUsageKey(t *testing.T) {
	browsers := DefaultBrowsers()
	for _, c := range []struct {
		w    guide.Window
		want App
	}{
		{termWin, App{Key: "exe:xterm", Name: "XTerm"}},
		{guide.Window{Exe: `C:\Apps\Paint.EXE`}, App{Key: "exe:paint", Name: "Paint"}},
		{guide.Window{Class: "Legacy", Title: "secret"}, App{Key: "class:legacy", Name: "Legacy"}},
		{guide.Window{Title: "only a title"}, App{}},
		{mailTab, App{Key: "exe:firefox", Name: "firefox"}},
	} {
		if got := UsageKey(c.w, nil, browsers); got != c.want {
			t.Errorf("UsageKey(%v) = %+v, want %+v", c.w, got, c.want)
		}
	}
	m := guide.NewMatcher([]*guide.Guide{crmAny})
	if got := UsageKey(dealsTab, m.Match(dealsTab), browsers); got.Key != "web:acme crm" {
		t.Errorf("a matched web app: %+v", got)
	}
}
