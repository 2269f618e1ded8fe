package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/cuecard/cuecard/internal/link"
	"github.com/cuecard/cuecard/internal/owner"
)

// cmdGuideMe starts Guide me on a guide in the desktop app: the running
// one, or one it starts. The walkthrough runs in the app; `cuecard status`
// shows where it is.
func (m *Main) cmdGuideMe(ctx context.Context, args []string) error {
	fs := m.flags("guide-me")
	pos, err := m.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("guide-me takes one guide: its path in the library (crm/save-a-deal/index.md), a cuecard:// link or the guide file")
	}
	root, l, err := m.resolveApp(pos[0], false)
	if err != nil {
		return err
	}
	if l.Kind != link.Guide {
		return usagef("guide-me: %s is not a guide", pos[0])
	}
	o, started, err := m.reachApp(ctx, root)
	if err != nil {
		return err
	}
	if _, err := o.Ask(ctx, owner.Request{Cmd: "guide-me", Guide: l.ID}); err != nil {
		if strings.Contains(err.Error(), "no guide") {
			return fmt.Errorf("%w: find it with 'cuecard search WORDS'", err)
		}
		return err
	}
	if started {
		fmt.Fprintf(m.Stdout, "Started Cuecard: Guide me on %s.\n", l.ID)
	} else {
		fmt.Fprintf(m.Stdout, "Guide me on %s: follow the ring in the app.\n", l.ID)
	}
	return nil
}
