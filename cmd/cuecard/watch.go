package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/cuecard/cuecard/internal/focus"
	"github.com/cuecard/cuecard/internal/guide"
)

// watchGuide is a matching guide in `watch --json` output.
type watchGuide struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Rule        string `json:"rule"`
	Specificity int    `json:"specificity"`
}

// watchWindow is one focus change in `watch --json` output.
type watchWindow struct {
	guide.Window
	Guides []watchGuide `json:"guides"`
}

// watchStatus is a status change in `watch --json` output.
type watchStatus struct {
	Status    string `json:"status"`
	Available bool   `json:"available"`
}

// cmdWatch prints every focus change and the guides that match it: the tool
// an author uses to write app rules.
func (m *Main) cmdWatch(ctx context.Context, args []string) error {
	fs := m.flags("watch")
	asJSON := fs.Bool("json", false, "print one JSON object per line: a window with its guides, or a status")
	pos, err := m.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("watch takes no arguments")
	}
	root, err := m.libraryRoot()
	if err != nil {
		return err
	}
	ix, err := m.queryIndex(ctx, root)
	if err != nil {
		return err
	}
	guides, err := ix.Guides()
	if err != nil {
		ix.Close()
		return err
	}
	matcher := guide.NewMatcher(guides)
	if err := ix.Close(); err != nil {
		return err
	}
	m.log.Debug("watch", "library", root, "rules", matcher.Len())
	if !*asJSON {
		fmt.Fprintf(m.Stdout, "Watching the focused window (%d app rules in %s). Press Ctrl-C to stop.\n", matcher.Len(), root)
	}

	tr := focus.New(focus.Options{Logger: m.log})
	defer tr.Close()
	enc := json.NewEncoder(m.Stdout)
	enc.SetEscapeHTML(false)
	for {
		var ev focus.Event
		select {
		case <-ctx.Done():
			return nil
		case e, ok := <-tr.Events():
			if !ok {
				return nil
			}
			ev = e
		}
		if ev.IsStatus() {
			if *asJSON {
				if err := enc.Encode(watchStatus{Status: ev.Status, Available: ev.Available}); err != nil {
					return err
				}
			} else {
				fmt.Fprintf(m.Stdout, "[%s]\n", ev.Status)
			}
			continue
		}
		matches := matcher.Match(ev.Window)
		if *asJSON {
			out := watchWindow{Window: ev.Window, Guides: []watchGuide{}}
			for _, mt := range matches {
				out.Guides = append(out.Guides, watchGuide{ID: mt.Guide.ID, Title: mt.Guide.Title, Rule: mt.Rule.String(), Specificity: mt.Specificity})
			}
			if err := enc.Encode(out); err != nil {
				return err
			}
			continue
		}
		if ev.Window.IsZero() {
			fmt.Fprintln(m.Stdout, "no window (nothing focused, or an excluded window)")
			continue
		}
		w := ev.Window
		fmt.Fprintf(m.Stdout, "exe=%q class=%q instance=%q pid=%d title=%q\n", w.Exe, w.Class, w.Instance, w.PID, w.Title)
		if len(matches) == 0 {
			fmt.Fprintln(m.Stdout, "    no guide")
		}
		for _, mt := range matches {
			fmt.Fprintf(m.Stdout, "    %s (%s), rule %s\n", mt.Guide.Title, mt.Guide.ID, mt.Rule)
		}
	}
}
