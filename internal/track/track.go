// Package track is the headless core of the "Start here" track: from the
// library's guides (required, due, ack, order, roles), a person's Profile
// (roles, start date) and their progress (checklist ticks,
// acknowledgements, "marked as done"), Build gives the person's items in
// order, each with its due date and status, and the next one to do.
// Remind is the reminder policy as a pure function; Record and Folder are
// the completion records a library asks for (track_records: named),
// written into <library>/_training/<identity>/.
//
// Nothing here needs a display: the track window, tray item and reminders
// are built on top of it.
package track

import (
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/cuecard/cuecard/internal/guide"
)

// Profile is what the track needs to know of a person.
type Profile struct {
	// Identity is the person's email or name (config identity); "" when
	// not set: then no record is ever written.
	Identity string
	// Roles are the person's roles or teams; empty: every guide is theirs.
	Roles []string
	// Start is the person's first day, from which relative due dates
	// count; zero when not known (then only fixed dates are due).
	Start time.Time
}

// Merge is the profile with preset's values where p sets none: the
// person's own settings win over the library's _people preset.
func (p Profile) Merge(preset Profile) Profile {
	if p.Identity == "" {
		p.Identity = preset.Identity
	}
	if len(p.Roles) == 0 {
		p.Roles = slices.Clone(preset.Roles)
	}
	if p.Start.IsZero() {
		p.Start = preset.Start
	}
	return p
}

// Status is where an item of the track stands.
type Status string

// The statuses of an item.
const (
	NotStarted Status = "not-started"
	// InProgress is a checklist with some of its steps ticked.
	InProgress Status = "in-progress"
	Done       Status = "done"
	// Overdue is an item not done after its due date.
	Overdue Status = "overdue"
)

// How says how an item is done.
type How string

// The ways an item is done.
const (
	// ByChecklist: every step of the checklist is ticked.
	ByChecklist How = "checklist"
	// ByAck: the person acknowledged the guide (ack: true).
	ByAck How = "ack"
	// ByMark: the person marked the guide as done.
	ByMark How = "marked"
)

// Item is one guide of the person's track.
type Item struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	// Order is the guide's order key (0: none).
	Order int `json:"order,omitempty"`
	// Due is the day the item must be done by (UTC midnight); zero when
	// it has no due date for this person.
	Due    time.Time `json:"due,omitzero"`
	Status Status    `json:"status"`
	// How the item is done (or would be): by its checklist, by an
	// acknowledgement, or by "Mark as done".
	How How `json:"how"`
	// StepsDone of StepsTotal checklist steps are ticked (checklists only).
	StepsDone  int `json:"steps_done,omitempty"`
	StepsTotal int `json:"steps_total,omitempty"`
	// DoneAt is when the acknowledgement or the mark was given; zero for
	// checklists and for items not done.
	DoneAt time.Time `json:"done_at,omitzero"`
	// Changed is true when the item was acknowledged or marked done
	// against an earlier version of the guide (its hash differs).
	Changed bool `json:"changed,omitempty"`
}

// Track is the person's track at a moment.
type Track struct {
	// Items are in order: order, then due date, then title.
	Items []Item `json:"items"`
	// Next is the index in Items of the next one to do (the first overdue
	// item, else the first not done); -1 when every item is done.
	Next int `json:"next"`
	// Done counts the items done.
	Done int `json:"done"`
}

// Complete reports whether there is a track and every item of it is done.
func (t Track) Complete() bool { return len(t.Items) > 0 && t.Done == len(t.Items) }

// NextItem is the next item to do; ok is false when there is none.
func (t Track) NextItem() (Item, bool) {
	if t.Next < 0 || t.Next >= len(t.Items) {
		return Item{}, false
	}
	return t.Items[t.Next], true
}

// Overdue lists the overdue items, in track order.
func (t Track) Overdue() []Item {
	var out []Item
	for _, it := range t.Items {
		if it.Status == Overdue {
			out = append(out, it)
		}
	}
	return out
}

// State is the person's progress, as the per-user state file keeps it.
type State struct {
	// Checked holds, per guide id, the ticked step ids.
	Checked map[string][]string
	// Acks and Marked are the acknowledgements and "marked as done", per
	// guide id.
	Acks, Marked map[string]guide.Completion
}

// Build is the person's track at now: the required guides for their roles
// (guides for other roles are left out), each with its due date and
// status. A guide is done by its checklist when it has steps (every step
// it has now ticked), by an acknowledgement when it says ack: true, and
// otherwise by "Mark as done".
func Build(guides []*guide.Guide, p Profile, st State, now time.Time) Track {
	t := Track{Next: -1}
	today := day(now)
	for _, g := range guides {
		if g == nil || !g.Required || !g.ForRoles(p.Roles) {
			continue
		}
		it := Item{ID: g.ID, Title: g.Title, Order: g.Order, Due: g.Deadline.For(p.Start), Status: NotStarted}
		switch {
		case g.Ack:
			it.How = ByAck
			if c, ok := st.Acks[g.ID]; ok {
				it.Status, it.DoneAt, it.Changed = Done, c.At, c.Hash != "" && g.Hash != "" && c.Hash != g.Hash
			}
		case len(g.Steps) > 0:
			it.How = ByChecklist
			it.StepsTotal = len(g.Steps)
			it.StepsDone = Ticked(g, st.Checked[g.ID])
			switch {
			case it.StepsDone == it.StepsTotal:
				it.Status = Done
			case it.StepsDone > 0:
				it.Status = InProgress
			}
		default:
			it.How = ByMark
			if c, ok := st.Marked[g.ID]; ok {
				it.Status, it.DoneAt, it.Changed = Done, c.At, c.Hash != "" && g.Hash != "" && c.Hash != g.Hash
			}
		}
		if it.Status != Done && !it.Due.IsZero() && today.After(it.Due) {
			it.Status = Overdue
		}
		if it.Status == Done {
			t.Done++
		}
		t.Items = append(t.Items, it)
	}
	sort.SliceStable(t.Items, func(i, j int) bool { return less(t.Items[i], t.Items[j]) })
	for i, it := range t.Items {
		if it.Status == Overdue {
			t.Next = i
			break
		}
		if t.Next < 0 && it.Status != Done {
			t.Next = i
		}
	}
	return t
}

// less orders items: by order (unordered ones last), then due date (none
// last), then title, then id.
func less(a, b Item) bool {
	if a.Order != b.Order {
		if a.Order == 0 || b.Order == 0 {
			return b.Order == 0
		}
		return a.Order < b.Order
	}
	if !a.Due.Equal(b.Due) {
		if a.Due.IsZero() || b.Due.IsZero() {
			return b.Due.IsZero()
		}
		return a.Due.Before(b.Due)
	}
	if at, bt := strings.ToLower(a.Title), strings.ToLower(b.Title); at != bt {
		return at < bt
	}
	return a.ID < b.ID
}

// Ticked counts the steps of g that are among the checked step ids.
func Ticked(g *guide.Guide, checked []string) int {
	n := 0
	for _, s := range g.Steps {
		if slices.Contains(checked, s.ID) {
			n++
		}
	}
	return n
}

// Completes reports whether the checked step ids tick every step g has
// (false for a guide without steps).
func Completes(g *guide.Guide, checked []string) bool {
	return len(g.Steps) > 0 && Ticked(g, checked) == len(g.Steps)
}

// day is the calendar day of t, in t's own location, as UTC midnight: the
// form due dates have.
func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
