package ui

import (
	"fmt"
	"time"

	"github.com/cuecard/cuecard/internal/coach"
)

// whyAction is what the button beside "why nothing popped" does.
type whyAction int

const (
	actNone whyAction = iota
	actUnmute
	actUnsnooze
	actResume
	actSearch
	actSettings
)

// whyLabels are the buttons' labels.
var whyLabels = map[whyAction]string{actUnmute: "Unmute", actUnsnooze: "Unsnooze", actResume: "Resume",
	actSearch: "Search", actSettings: "Settings"}

// whyNote says, for the "show this app's guides" hotkey, why the panel did
// not pop up by itself for the focused app, and what would change it.
func whyNote(u coach.Update, now time.Time) (string, whyAction) {
	app := u.App.Name
	if app == "" {
		app = "this app"
	}
	// A state the user set wins: it is what they can change.
	switch {
	case !u.PausedUntil.IsZero() && u.Reason != coach.ReasonNoGuides && u.Reason != coach.ReasonNoWindow:
		return "Suggestions are paused until " + when(u.PausedUntil, now) + ".", actResume
	case u.Muted:
		return app + " is muted: Cuecard never pops up by itself for it.", actUnmute
	case !u.SnoozedUntil.IsZero():
		return app + " is snoozed until " + when(u.SnoozedUntil, now) + ".", actUnsnooze
	}
	switch u.Reason {
	case coach.ReasonNoWindow:
		return "No application window is focused.", actNone
	case coach.ReasonUnavailable:
		return "Cuecard cannot see which window is focused here, so nothing pops up by itself.", actSearch
	case coach.ReasonNoGuides:
		return "No guides for this window yet, so nothing popped up. Search the whole library instead.", actSearch
	case coach.ReasonUnknownApp:
		return "Guides match this window, but it names no application, so nothing pops up by itself.", actNone
	case coach.ReasonNotSuggested:
		return "The guides for " + app + " are set not to pop up by themselves (suggest: false): they are here when you ask.", actNone
	case coach.ReasonSeen:
		return "These popped up the first time you used " + app + ". Cuecard suggests an app's guides once, and again when new ones are added.", actNone
	case coach.ReasonDisabled:
		return "Automatic suggestions are turned off in Settings.", actSettings
	case coach.ReasonFullscreen:
		return "A fullscreen window is focused: Cuecard stays out of the way.", actNone
	case coach.ReasonDismissed:
		return "You closed the panel for " + app + "; it pops up again the next time it has something new.", actNone
	case coach.ReasonRateLimit:
		return "Cuecard already popped up several times in the last hour, so it waits: it never pops up more than that.", actNone
	case coach.ReasonStateError:
		return "Cuecard could not read its saved state, so it stays quiet rather than pop up again and again.", actNone
	case coach.ReasonWaiting, coach.ReasonFirstUse, coach.ReasonNewGuide:
		return fmt.Sprintf("These popped up: %s.", u.Why), actNone
	}
	return "", actNone
}

// when is a time of day today, else a date and time.
func when(t, now time.Time) string {
	if t.YearDay() == now.YearDay() && t.Year() == now.Year() {
		return t.Format("15:04")
	}
	return t.Format("Mon 2 Jan 15:04")
}
