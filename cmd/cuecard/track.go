package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/cuecard/cuecard/internal/coach"
	"github.com/cuecard/cuecard/internal/library"
	"github.com/cuecard/cuecard/internal/owner"
	"github.com/cuecard/cuecard/internal/paths"
	"github.com/cuecard/cuecard/internal/store"
	"github.com/cuecard/cuecard/internal/track"
)

// cmdTrack prints the person's Start-here track: the required guides for
// their roles, in order, with due dates and statuses, and the next one.
func (m *Main) cmdTrack(ctx context.Context, args []string) error {
	fs := m.flags("track")
	asJSON := fs.Bool("json", false, "print the track as JSON")
	pos, err := m.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("track takes no arguments (got %q); see cuecard track --help", pos[0])
	}
	root, err := m.libraryRoot()
	if err != nil {
		return err
	}
	p, err := m.profile(root)
	if err != nil {
		return err
	}
	t, err := m.track(ctx, root, p)
	if err != nil {
		return err
	}
	if *asJSON {
		return m.writeJSON(trackJSON{Identity: p.Identity, Roles: p.Roles, Start: dateOrEmpty(p.Start), Total: len(t.Items), Track: t})
	}
	return printTrack(m, p, t)
}

// trackJSON is what cuecard track --json prints.
type trackJSON struct {
	Identity string   `json:"identity,omitempty"`
	Roles    []string `json:"roles,omitempty"`
	Start    string   `json:"start_date,omitempty"`
	Total    int      `json:"total"`
	track.Track
}

func dateOrEmpty(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02")
}

// profile is the person's profile: the settings file's identity, roles
// and start date, and the library's _people preset where those are unset.
func (m *Main) profile(root string) (track.Profile, error) {
	cfg, err := m.settings()
	if err != nil {
		return track.Profile{}, err
	}
	p := track.Profile{Identity: cfg.Identity, Roles: cfg.Roles, Start: cfg.StartDate}
	preset, ok, err := library.LoadPerson(root, cfg.Identity)
	if err != nil {
		return p, err
	}
	if ok {
		p = p.Merge(track.Profile{Identity: preset.Identity, Roles: preset.Roles, Start: preset.StartDate})
	}
	return p, nil
}

// track is the person's track: from the state file, or, when the running
// app holds it, from the app.
func (m *Main) track(ctx context.Context, root string, p track.Profile) (track.Track, error) {
	var st *store.Store
	if _, err := os.Stat(paths.State()); err == nil {
		st, err = store.Open(paths.State(), store.Options{Logger: m.log, Timeout: 300 * time.Millisecond})
		if errors.Is(err, store.ErrLocked) {
			o := owner.Dial(root)
			if o == nil {
				return track.Track{}, fmt.Errorf("%w (a Cuecard app for another library?): open Start here in its tray menu, or quit it", err)
			}
			resp, err := o.Ask(ctx, owner.Request{Cmd: "track"})
			if err != nil {
				return track.Track{}, err
			}
			return *resp.Track, nil
		}
		if err != nil {
			return track.Track{}, err
		}
		defer st.Close()
	}
	guides, err := m.scanGuides(ctx, root)
	if err != nil {
		return track.Track{}, err
	}
	o := coach.Options{Logger: m.log, Clock: fixedNow(m.Now())}
	if st != nil {
		o.Store = st
	}
	c := coach.New(o)
	defer c.Close()
	c.SetProfile(p)
	c.SetGuides(guides, nil)
	return c.Track()
}

// fixedNow is a coach clock reading m.Now (CUECARD_TODAY in tests).
type fixedNow time.Time

func (f fixedNow) Now() time.Time { return time.Time(f) }
func (f fixedNow) AfterFunc(time.Duration, func()) func() bool {
	return func() bool { return true }
}

// printTrack writes the track for a terminal.
func printTrack(m *Main, p track.Profile, t track.Track) error {
	if len(t.Items) == 0 {
		who := "you"
		if len(p.Roles) > 0 {
			who = "your roles (" + strings.Join(p.Roles, ", ") + ")"
		}
		fmt.Fprintf(m.Stdout, "Nothing to do: the library has no required guides for %s.\n", who)
		return nil
	}
	head := fmt.Sprintf("Start here: %d of %d done", t.Done, len(t.Items))
	if n := len(t.Overdue()); n > 0 {
		head += fmt.Sprintf(", %d overdue", n)
	}
	fmt.Fprintln(m.Stdout, head+".")
	if next, ok := t.NextItem(); ok {
		fmt.Fprintf(m.Stdout, "Next: %s (%s)\n", next.Title, next.ID)
	}
	if p.Start.IsZero() {
		fmt.Fprintln(m.Stdout, "No start date is set (start_date in the settings): due dates after it are not shown.")
	}
	fmt.Fprintln(m.Stdout)
	tw := tabwriter.NewWriter(m.Stdout, 0, 0, 2, ' ', 0)
	for _, it := range t.Items {
		mark := map[track.Status]string{track.Done: "[x]", track.Overdue: "[!]", track.InProgress: "[~]", track.NotStarted: "[ ]"}[it.Status]
		status := strings.ReplaceAll(string(it.Status), "-", " ")
		if it.StepsTotal > 0 && it.Status != track.Done {
			status += fmt.Sprintf(" (%d/%d steps)", it.StepsDone, it.StepsTotal)
		}
		if it.Changed {
			status += " (guide changed since)"
		}
		due := ""
		if !it.Due.IsZero() {
			due = "due " + it.Due.Format("2006-01-02")
		}
		how := map[track.How]string{track.ByAck: "acknowledge", track.ByChecklist: "checklist", track.ByMark: "mark as done"}[it.How]
		fmt.Fprintf(tw, "%s %s\t%s\t%s\t%s\t%s\n", mark, it.Title, status, due, how, it.ID)
	}
	return tw.Flush()
}
