package coach

import (
	"errors"
	"fmt"
	"time"

	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/track"
)

// TrackStore is the state of the Start-here track: acknowledgements, guides
// marked as done, and when the last reminder was shown. A Store that keeps
// it (internal/store's does, and the in-memory one) implements it too;
// with one that does not, the track's actions fail with ErrNoTrackState.
type TrackStore interface {
	Acknowledge(id, hash string, at time.Time) error
	SetMarkedDone(id, hash string, done bool, at time.Time) error
	Acknowledged() (map[string]guide.Completion, error)
	MarkedDone() (map[string]guide.Completion, error)
	LastReminder() (time.Time, error)
	SetLastReminder(at time.Time) error
}

// ErrNoTrackState means the coach's Store keeps no track state.
var ErrNoTrackState = errors.New("the state file does not keep the Start-here track")

// Lister is a Library that can list its guides (the search index can); the
// track is built from them. With a Library that cannot, the track is empty.
type Lister interface {
	Guides() []*guide.Guide
}

// Guides lists every guide of the list.
func (l *guideList) Guides() []*guide.Guide {
	out := make([]*guide.Guide, 0, len(l.byID))
	for _, g := range l.byID {
		out = append(out, g)
	}
	return out
}

// SetProfile sets the person's profile: their roles (a guide for other
// roles is never suggested; search still finds it), their start date
// (relative due dates count from it) and identity (named on completion
// records). It rematches the focused window and publishes an update.
func (c *Coach) SetProfile(p track.Profile) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.profile = p
	if c.closed {
		return
	}
	now := c.clock.Now()
	c.rematch(now)
	c.retime(now)
	c.publish(c.decide(now))
}

// Profile is the profile in force.
func (c *Coach) Profile() track.Profile {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.profile
}

// SetRecorder sets where completions of track items are recorded (see
// track.NewRecorder: the library's _training folder when its settings say
// track_records: named and the person has an identity); nil records
// nothing.
func (c *Coach) SetRecorder(r track.Recorder) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.recorder = r
}

func (c *Coach) trackStore() (TrackStore, error) {
	ts, ok := c.store.(TrackStore)
	if !ok {
		return nil, ErrNoTrackState
	}
	return ts, nil
}

// snapshot is what an action needs of the coach's current state.
func (c *Coach) snapshot(id string) (*guide.Guide, track.Profile, track.Recorder) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var g *guide.Guide
	if c.lib != nil {
		g = c.lib.Guide(id)
	}
	return g, c.profile, c.recorder
}

// Ack records that the person read and understood a guide (the "I have
// read and understood" of an ack: true guide), and, when the guide is in
// the track and completions are recorded, writes the record.
func (c *Coach) Ack(id string) error {
	ts, err := c.trackStore()
	if err != nil {
		return err
	}
	g, p, rec := c.snapshot(id)
	if g == nil {
		return fmt.Errorf("acknowledge %s: no such guide in the library", id)
	}
	now := c.clock.Now()
	if err := ts.Acknowledge(id, g.Hash, now); err != nil {
		return fmt.Errorf("acknowledge %s: %w", id, err)
	}
	return c.record(rec, p, g, now, track.ByAck)
}

// MarkDone marks a guide as done, or takes the mark back (done false);
// marking a track item done writes its record when completions are
// recorded.
func (c *Coach) MarkDone(id string, done bool) error {
	ts, err := c.trackStore()
	if err != nil {
		return err
	}
	g, p, rec := c.snapshot(id)
	if g == nil && done {
		return fmt.Errorf("mark %s as done: no such guide in the library", id)
	}
	hash := ""
	if g != nil {
		hash = g.Hash
	}
	now := c.clock.Now()
	if err := ts.SetMarkedDone(id, hash, done, now); err != nil {
		return fmt.Errorf("mark %s as done: %w", id, err)
	}
	if !done {
		return nil
	}
	return c.record(rec, p, g, now, track.ByMark)
}

// completedChecklist records a track item's checklist that the step just
// ticked completed.
func (c *Coach) completedChecklist(id string, before []string) error {
	g, p, rec := c.snapshot(id)
	if rec == nil || g == nil || !g.Required || track.Completes(g, before) {
		return nil
	}
	after, err := c.store.Checked(id)
	if err != nil {
		return fmt.Errorf("read checklist %s: %w", id, err)
	}
	if !track.Completes(g, after) {
		return nil
	}
	return c.record(rec, p, g, c.clock.Now(), track.ByChecklist)
}

// record writes the record of a completion of g when g is in the track and
// a recorder is set (nothing otherwise).
func (c *Coach) record(rec track.Recorder, p track.Profile, g *guide.Guide, at time.Time, how track.How) error {
	if rec == nil || g == nil || !g.Required || p.Identity == "" {
		return nil
	}
	r := track.Record{Identity: p.Identity, Guide: g.ID, Hash: g.Hash, At: at.UTC(), Ack: how == track.ByAck, How: how}
	if err := rec.Write(r); err != nil {
		return fmt.Errorf("record the completion of %s: %w", g.ID, err)
	}
	return nil
}

// Track is the person's Start-here track now: the library's required
// guides for their roles, in order, with due dates, statuses and the next
// one to do.
func (c *Coach) Track() (track.Track, error) {
	c.mu.Lock()
	lib, p := c.lib, c.profile
	c.mu.Unlock()
	now := c.clock.Now()
	l, ok := lib.(Lister)
	if !ok {
		return track.Build(nil, p, track.State{}, now), nil
	}
	var required []*guide.Guide
	for _, g := range l.Guides() {
		if g.Required && g.ForRoles(p.Roles) {
			required = append(required, g)
		}
	}
	st := track.State{Checked: map[string][]string{}}
	for _, g := range required {
		if len(g.Steps) == 0 {
			continue
		}
		ids, err := c.store.Checked(g.ID)
		if err != nil {
			return track.Track{}, fmt.Errorf("read checklist %s: %w", g.ID, err)
		}
		st.Checked[g.ID] = ids
	}
	if ts, ok := c.store.(TrackStore); ok {
		var err error
		if st.Acks, err = ts.Acknowledged(); err != nil {
			return track.Track{}, fmt.Errorf("read the track: %w", err)
		}
		if st.Marked, err = ts.MarkedDone(); err != nil {
			return track.Track{}, fmt.Errorf("read the track: %w", err)
		}
	}
	return track.Build(required, p, st, now), nil
}

// Reminder decides whether to remind the person of their track now (see
// track.Remind: at most once a day, never over a fullscreen window or
// right after a suggestion popped, none once the track is done). When ok,
// the reminder is recorded as shown now, so it counts across restarts:
// the caller shows it.
func (c *Coach) Reminder() (r track.Reminder, ok bool, err error) {
	ts, err := c.trackStore()
	if err != nil {
		return track.Reminder{}, false, err
	}
	t, err := c.Track()
	if err != nil {
		return track.Reminder{}, false, err
	}
	last, err := ts.LastReminder()
	if err != nil {
		return track.Reminder{}, false, fmt.Errorf("read the last reminder: %w", err)
	}
	c.mu.Lock()
	m := track.Moment{Now: c.clock.Now(), LastReminder: last, Fullscreen: c.window.Fullscreen, LastSuggestion: c.lastPop}
	c.mu.Unlock()
	r, why := track.Remind(t, m)
	if why != "" {
		return track.Reminder{}, false, nil
	}
	if err := ts.SetLastReminder(m.Now); err != nil {
		return track.Reminder{}, false, fmt.Errorf("save the last reminder: %w", err)
	}
	return r, true, nil
}
