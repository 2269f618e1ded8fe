package desktop

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/cuecard/cuecard/internal/config"
	"github.com/cuecard/cuecard/internal/library"
	"github.com/cuecard/cuecard/internal/paths"
	"github.com/cuecard/cuecard/internal/seal"
	"github.com/cuecard/cuecard/internal/track"
	"github.com/cuecard/cuecard/internal/ui"
)

// The Start-here track in the app: the person's profile (their settings,
// else the library's _people preset) given to the coach, the completion
// records the library asks for, the viewer's training line, and the daily
// reminder.

// profile is the person's profile: the settings' identity, roles and
// first day, and the library's _people preset where those are unset.
func (a *App) profile() track.Profile {
	cfg := a.settings()
	p := track.Profile{Identity: cfg.Identity, Roles: cfg.Roles, Start: cfg.StartDate}
	preset, ok, err := library.LoadPerson(a.root, cfg.Identity)
	if err != nil {
		a.log.Warn("the library's preset for you is ignored", "err", err)
	} else if ok {
		p = p.Merge(track.Profile{Identity: preset.Identity, Roles: preset.Roles, Start: preset.StartDate})
	}
	return p
}

// applyProfile gives the coach the profile and the recorder of completion
// records (only when the library asks for them and the person has an
// identity).
func (a *App) applyProfile() {
	p := a.profile()
	a.coach.SetProfile(p)
	ls, err := library.LoadSettings(a.root)
	if err != nil {
		a.log.Warn("library settings ignored", "err", err)
	}
	readers, _ := ls.SharingReaders() // checked when the settings were read
	var secret []byte
	if ls.Records() && !readers.Empty() {
		if secret, err = seal.Secret(paths.SharingSecret()); err != nil {
			a.log.Warn("training records are not written", "err", err)
		}
	}
	a.coach.SetRecorder(track.NewRecorder(a.root, ls.Records(), p.Identity, readers, secret))
}

// profileValues is the profile as Settings and the welcome show it.
func (a *App) profileValues() ui.ProfileValues {
	p := a.profile()
	v := ui.ProfileValues{Roles: p.Roles}
	if !p.Start.IsZero() {
		v.Start = p.Start.Format("2006-01-02")
	}
	if ls, err := library.LoadSettings(a.root); err == nil {
		v.LibraryRoles = ls.Roles
	}
	return v
}

// checkProfile says what is wrong with a profile, naming the field.
func checkProfile(v ui.ProfileValues) (roles []string, start time.Time, err error) {
	roles, err = config.CleanRoles(v.Roles)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("your role: %w", err)
	}
	if s := strings.TrimSpace(v.Start); s != "" {
		if start, err = config.ParseDate(s); err != nil {
			return nil, time.Time{}, fmt.Errorf("your first day %q: write it as YYYY-MM-DD, e.g. 2026-11-17", s)
		}
	}
	return roles, start, nil
}

// saveProfile saves the person's roles and first day (the welcome's
// profile step) and applies them at once.
func (a *App) saveProfile(v ui.ProfileValues) error {
	roles, start, err := checkProfile(v)
	if err != nil {
		return err
	}
	a.cfgMu.Lock()
	cfg := a.cfg
	path := cfg.Path
	if path == "" {
		path = config.File()
	}
	cfg.Roles, cfg.StartDate = roles, start
	if err := config.Save(path, cfg); err != nil {
		a.cfgMu.Unlock()
		return err
	}
	cfg.Path = path
	a.cfg = cfg
	a.cfgMu.Unlock()
	a.applyProfile()
	return nil
}

// trackShared says, in Settings, what the library's track records share.
func (a *App) trackShared() string {
	ls, err := library.LoadSettings(a.root)
	if err != nil || !ls.Records() {
		return ""
	}
	if off := ls.SharingOff(); off != "" {
		return "This library asks for a record of completed Start-here items, but " + off + "."
	}
	id := a.profile().Identity
	if id == "" {
		return "This library keeps a record of completed Start-here items once you set your email above; without it nothing is shared."
	}
	return fmt.Sprintf("This library keeps a record of each Start-here item you complete (the guide, its version, when, and whether you acknowledged it) with your email in %s, sealed: only the library's readers can open it.",
		filepath.Join(a.root, "_training", ""))
}

// training is the viewer's side of the track.
type training struct{ a *App }

func (t training) Item(id string) (track.Item, bool) {
	tr, err := t.a.coach.Track()
	if err != nil {
		return track.Item{}, false
	}
	for _, it := range tr.Items {
		if it.ID == id {
			return it, true
		}
	}
	return track.Item{}, false
}

func (t training) Ack(id string) error                 { return t.a.coach.Ack(id) }
func (t training) MarkDone(id string, done bool) error { return t.a.coach.MarkDone(id, done) }

// RemindEvery is how often the app asks whether to remind the person of
// their track (the policy itself allows one reminder a day); the first
// check waits RemindFirst after start, so the reminder never lands on top
// of the first-run welcome or the first suggestion.
var (
	RemindEvery = 10 * time.Minute
	RemindFirst = 2 * time.Minute
)

// remind shows the daily reminder when the policy allows it, and keeps the
// tray's Start here current (a new day can make an item overdue).
func (a *App) remind(ctx context.Context) {
	wait := RemindFirst
	// CUECARD_REMIND_FIRST (a Go duration) moves the first check, e.g. for
	// a trial of the reminder.
	if d, err := time.ParseDuration(os.Getenv("CUECARD_REMIND_FIRST")); err == nil && d >= 0 {
		wait = d
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = RemindEvery
		r, ok, err := a.coach.Reminder()
		if err != nil {
			a.log.Debug("start here reminder", "err", err)
		}
		a.shell.Do(func() {
			a.shell.RefreshTrack()
			if ok {
				a.shell.ShowReminder(r)
			}
		})
	}
}
