package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/cuecard/cuecard/internal/coach"
	"github.com/cuecard/cuecard/internal/owner"
	"github.com/cuecard/cuecard/internal/paths"
	"github.com/cuecard/cuecard/internal/store"
)

// cmdUnmute lists the muted apps, or unmutes the one named (by its name or
// key, in any case). The running app holds the state file: then it is
// asked over its socket, so that it stops muting at once; else the state
// file is changed here.
func (m *Main) cmdUnmute(ctx context.Context, args []string) error {
	fs := m.flags("unmute")
	pos, err := m.parse(fs, args)
	if err != nil {
		return err
	}
	name := strings.TrimSpace(strings.Join(pos, " "))
	muted, unmute, done, err := m.mutes(ctx)
	if err != nil {
		return err
	}
	defer done()
	apps, err := muted()
	if err != nil {
		return err
	}
	if name == "" {
		if len(apps) == 0 {
			fmt.Fprintln(m.Stdout, "No app is muted.")
			return nil
		}
		fmt.Fprintln(m.Stdout, "Muted apps (cuecard unmute NAME unmutes one):")
		for _, a := range apps {
			fmt.Fprintf(m.Stdout, "  %s\n", describeApp(a))
		}
		return nil
	}
	var found []coach.App
	for _, a := range apps {
		if strings.EqualFold(a.Name, name) || strings.EqualFold(a.Key, name) {
			found = append(found, a)
		}
	}
	if len(found) == 0 {
		if len(apps) == 0 {
			return fmt.Errorf("%q is not muted: no app is muted", name)
		}
		names := make([]string, len(apps))
		for i, a := range apps {
			names[i] = describeApp(a)
		}
		return fmt.Errorf("%q is not muted: the muted apps are %s", name, strings.Join(names, ", "))
	}
	for _, a := range found {
		if err := unmute(a.Key); err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "Unmuted %s: its guides pop again.\n", a.Name)
	}
	return nil
}

// describeApp is an app's name, with its key when that differs.
func describeApp(a coach.App) string {
	if a.Name == "" {
		return a.Key
	}
	if strings.EqualFold(a.Name, a.Key) {
		return a.Name
	}
	return fmt.Sprintf("%s (%s)", a.Name, a.Key)
}

// mutes reaches the muted apps: in the state file, or, when the running
// app holds it, through the app. done lets the state file go.
func (m *Main) mutes(ctx context.Context) (muted func() ([]coach.App, error), unmute func(key string) error, done func(), err error) {
	none := func() ([]coach.App, error) { return nil, nil }
	if _, err := os.Stat(paths.State()); errors.Is(err, os.ErrNotExist) {
		return none, func(string) error { return nil }, func() {}, nil // never used on this computer
	}
	st, err := store.Open(paths.State(), store.Options{Logger: m.log, Timeout: 300 * time.Millisecond})
	if errors.Is(err, store.ErrLocked) {
		root, rerr := m.libraryRoot()
		if rerr != nil {
			return nil, nil, nil, fmt.Errorf("%w; and the library of the running app: %v", err, rerr)
		}
		o := owner.Dial(root)
		if o == nil {
			return nil, nil, nil, fmt.Errorf("%w (a Cuecard app for another library?): use Settings... in its tray menu, or quit it", err)
		}
		m.log.Debug("the running app holds the state file: asking it", "socket", o.Path())
		ask := func(req owner.Request) ([]coach.App, error) {
			resp, err := o.Ask(ctx, req)
			if err != nil {
				return nil, err
			}
			return resp.Muted, nil
		}
		return func() ([]coach.App, error) { return ask(owner.Request{Cmd: "muted"}) },
			func(key string) error { _, err := ask(owner.Request{Cmd: "unmute", App: key}); return err },
			func() {}, nil
	}
	if err != nil {
		return nil, nil, nil, err
	}
	// The coach's own list: names as the app shows them, sorted.
	c := coach.New(coach.Options{Store: st, Logger: m.log})
	return c.Muted, c.Unmute, func() { c.Close(); st.Close() }, nil
}
