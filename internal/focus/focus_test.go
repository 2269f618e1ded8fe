package focus

import (
	"os"
	"testing"

	"github.com/cuecard/cuecard/internal/guide"
)

func TestDefaultExclude(t *testing.T) {
	f := newFilter(Options{}.withDefaults())
	for _, tc := range []struct {
		w    guide.Window
		want verdict
	}{
		{guide.Window{Exe: "keepassxc", Class: "KeePassXC", Title: "Passwords.kdbx - KeePassXC"}, hide},
		{guide.Window{Exe: "KeePassXC.exe", Title: "Passwords.kdbx"}, hide},
		{guide.Window{Exe: "electron", Class: "Bitwarden", Instance: "bitwarden"}, hide},
		{guide.Window{Exe: "1password", Title: "1Password"}, hide},
		{guide.Window{Exe: "1Password.exe"}, hide},
		{guide.Window{Exe: "org.keepassxc.KeePassXC", Class: "org.keepassxc.KeePassXC", Title: "Passwords.kdbx"}, hide}, // Wayland app_id
		{guide.Window{Exe: "firefox-esr", Class: "firefox-esr", Title: "Inbox — Mozilla Firefox Private Browsing"}, hide},
		{guide.Window{Exe: "chromium", Class: "Chromium", Title: "New Incognito tab - Chromium (Incognito)"}, hide},
		{guide.Window{Exe: "msedge.exe", Title: "New InPrivate tab - [InPrivate] - Microsoft Edge"}, hide},
		{guide.Window{Exe: "brave", Title: "New Private Tab - Brave (Private)"}, hide},
		{guide.Window{Exe: "chromium", Class: "Chromium", Title: "Deals | Acme CRM - Chromium"}, report},
		{guide.Window{Exe: "soffice.bin", Class: "libreoffice-calc", Title: "passwords.ods - LibreOffice Calc"}, report},
		{guide.Window{Exe: "keepassxc-proxy-notes", Title: "x"}, report},
		{guide.Window{}, report},
	} {
		if got := f.judge(tc.w); got != tc.want {
			t.Errorf("judge(%+v) = %v, want %v", tc.w, got, tc.want)
		}
	}
}

func TestFilterOwnAndCustom(t *testing.T) {
	f := newFilter(Options{
		Exclude: []guide.Rule{{Exe: "^banking$"}, {Title: "(unclosed"}}, // uncompiled; a bad one is skipped
		OwnPIDs: []int{42},
	}.withDefaults())
	if f.judge(guide.Window{Exe: "cuecard", PID: 42}) != silence {
		t.Error("own pid not silenced")
	}
	if f.judge(guide.Window{Exe: "banking", PID: 7}) != hide {
		t.Error("custom exclude not applied")
	}
	if f.judge(guide.Window{Exe: "keepassxc", PID: 7}) != report {
		t.Error("a custom list replaces the defaults")
	}
	if g := newFilter(Options{Exclude: []guide.Rule{}}.withDefaults()); len(g.exclude) != 0 || len(g.own) != 1 || !g.own[os.Getpid()] {
		t.Errorf("empty exclude list, default own pid: %+v", g)
	}
}

func TestOutboxLatestWins(t *testing.T) {
	o := newOutbox()
	o.status(true, "tracking")
	o.window(guide.Window{Exe: "a"})
	o.window(guide.Window{Exe: "a"}) // duplicate: not sent
	for i := 0; i < QueueLen+5; i++ {
		o.window(guide.Window{Exe: "x", PID: i})
	}
	o.window(guide.Window{Exe: "last"})
	o.close()
	o.close()
	var got []Event
	for ev := range o.ch {
		got = append(got, ev)
	}
	if len(got) != QueueLen {
		t.Fatalf("%d events buffered, want %d", len(got), QueueLen)
	}
	if got[len(got)-1].Window.Exe != "last" || got[0].Window.PID != QueueLen+5-(QueueLen-1) {
		t.Errorf("oldest not dropped first: first %+v last %+v", got[0], got[len(got)-1])
	}
	for _, ev := range got {
		if ev.IsStatus() || !ev.Available {
			t.Errorf("window event %+v", ev)
		}
	}
}
