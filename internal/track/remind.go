package track

import "time"

// QuietAfterSuggestion is how long after a suggestion popped no reminder
// is shown: one popup at a time.
const QuietAfterSuggestion = 5 * time.Minute

// Moment is what the reminder policy needs to know of now.
type Moment struct {
	Now time.Time
	// LastReminder is when the last reminder was shown (per-user state);
	// zero when never.
	LastReminder time.Time
	// Fullscreen is true while the focused window covers the screen (a
	// presentation, a video call).
	Fullscreen bool
	// LastSuggestion is when the last automatic suggestion popped (a
	// first-open suggestion); zero when none.
	LastSuggestion time.Time
}

// Reminder is what a reminder says.
type Reminder struct {
	// Items are the items not done: overdue ones first, then the others
	// in track order.
	Items []Item
	// Overdue is how many of Items are overdue.
	Overdue int
}

// Why names why Remind said no; "" when it said yes.
type Why string

// The reasons a reminder is not shown.
const (
	NoTrack        Why = "no track"
	TrackDone      Why = "track done"
	AlreadyToday   Why = "already reminded today"
	FullscreenNow  Why = "fullscreen window"
	SuggestionOpen Why = "a suggestion just popped"
)

// Remind decides whether to remind the person of their track now: at most
// once a calendar day (in Now's location), never while a fullscreen window
// has the focus, never within QuietAfterSuggestion of a suggestion, and
// never once the track is done (or when there is none). When it says yes
// the caller shows the reminder and stores Now as the last reminder.
func Remind(t Track, m Moment) (Reminder, Why) {
	switch {
	case len(t.Items) == 0:
		return Reminder{}, NoTrack
	case t.Complete():
		return Reminder{}, TrackDone
	case !m.LastReminder.IsZero() && sameDay(m.LastReminder.In(m.Now.Location()), m.Now):
		return Reminder{}, AlreadyToday
	case m.Fullscreen:
		return Reminder{}, FullscreenNow
	case !m.LastSuggestion.IsZero() && m.Now.Sub(m.LastSuggestion) < QuietAfterSuggestion:
		return Reminder{}, SuggestionOpen
	}
	var r Reminder
	for _, it := range t.Items {
		if it.Status == Overdue {
			r.Items = append(r.Items, it)
		}
	}
	r.Overdue = len(r.Items)
	for _, it := range t.Items {
		if it.Status != Overdue && it.Status != Done {
			r.Items = append(r.Items, it)
		}
	}
	return r, ""
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}
