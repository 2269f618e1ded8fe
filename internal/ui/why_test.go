package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/coach"
)

func TestWhyNote(t *testing.T) {
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	crm := coach.App{Key: "web:acme crm", Name: "Acme CRM"}
	cases := []struct {
		u    coach.Update
		want string
		act  whyAction
	}{
		{coach.Update{App: crm, Reason: coach.ReasonSeen}, "first time you used Acme CRM", actNone},
		{coach.Update{App: crm, Reason: coach.ReasonMuted, Muted: true}, "Acme CRM is muted", actUnmute},
		{coach.Update{App: crm, Reason: coach.ReasonSeen, Muted: true}, "Acme CRM is muted", actUnmute},
		{coach.Update{App: crm, Reason: coach.ReasonSnoozed, SnoozedUntil: now.Add(time.Hour)}, "snoozed until 11:00", actUnsnooze},
		{coach.Update{App: crm, Reason: coach.ReasonPaused, PausedUntil: now.Add(24 * time.Hour)}, "paused until Tue 8 Dec 10:00", actResume},
		{coach.Update{Reason: coach.ReasonNoGuides, PausedUntil: now.Add(time.Hour)}, "No guides for this window", actSearch},
		{coach.Update{App: crm, Reason: coach.ReasonNotSuggested}, "suggest: false", actNone},
		{coach.Update{App: crm, Reason: coach.ReasonRateLimit}, "several times in the last hour", actNone},
		{coach.Update{App: crm, Reason: coach.ReasonDisabled}, "turned off in Settings", actSettings},
		{coach.Update{App: crm, Reason: coach.ReasonFullscreen}, "fullscreen", actNone},
		{coach.Update{App: crm, Reason: coach.ReasonDismissed}, "You closed the panel for Acme CRM", actNone},
		{coach.Update{App: crm, Reason: coach.ReasonFirstUse, Why: "first time you use Acme CRM", Pop: true}, "first time you use Acme CRM", actNone},
		{coach.Update{Reason: coach.ReasonUnavailable}, "cannot see which window", actSearch},
	}
	for _, c := range cases {
		got, act := whyNote(c.u, now)
		if !strings.Contains(got, c.want) || act != c.act {
			t.Errorf("%s: %q %v, want %q %v", c.u.Reason, got, act, c.want, c.act)
		}
	}
}
