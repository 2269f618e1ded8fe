package main

import (
	"context"
	"fmt"
	"sort"

	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/owner"
	"github.com/cuecard/cuecard/internal/search"
)

type matchJSON struct {
	ID          string   `json:"id"`
	Path        string   `json:"path"`
	Title       string   `json:"title"`
	Format      string   `json:"format"`
	Rule        string   `json:"rule"`
	Line        int      `json:"line"`
	Specificity int      `json:"specificity"`
	Suggest     bool     `json:"suggest"`
	NearMisses  []string `json:"-"`
}

type nearMissJSON struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Rule   string `json:"rule"`
	Line   int    `json:"line"`
	Reason string `json:"reason"`
}

// rankTies orders guides whose rules are equally specific by the search
// ranking for the window (the order the search window shows them in).
func rankTies(ctx context.Context, ix owner.Index, w guide.Window, matches []guide.Match) {
	if len(matches) < 2 {
		return
	}
	res, err := ix.Search(ctx, search.Query{Window: w, Limit: len(matches) + 20})
	if err != nil {
		return
	}
	rank := map[string]int{}
	for i, r := range res {
		if _, ok := rank[r.ID]; !ok {
			rank[r.ID] = i
		}
	}
	pos := func(id string) int {
		if r, ok := rank[id]; ok {
			return r
		}
		return len(res)
	}
	sort.SliceStable(matches, func(i, j int) bool {
		if matches[i].Specificity != matches[j].Specificity {
			return matches[i].Specificity > matches[j].Specificity
		}
		return pos(matches[i].Guide.ID) < pos(matches[j].Guide.ID)
	})
}

func (m *Main) cmdMatch(ctx context.Context, args []string) error {
	fs := m.flags("match")
	var w guide.Window
	fs.StringVar(&w.Exe, "exe", "", "the window's executable name (e.g. soffice.bin)")
	fs.StringVar(&w.Class, "class", "", "the window's WM_CLASS (e.g. libreoffice-calc)")
	fs.StringVar(&w.Title, "title", "", "the window title (web apps: the browser tab title)")
	explain := fs.Bool("explain", false, "say which rule matched each guide and why near misses did not")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := m.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("match takes no arguments: describe the window with --exe, --class and --title")
	}
	if w.IsZero() {
		return usagef("match: describe the window with --exe, --class and/or --title")
	}
	ix, err := m.libraryIndex(ctx)
	if err != nil {
		return err
	}
	defer ix.Close()
	guides, err := ix.Guides()
	if err != nil {
		return err
	}
	matcher := guide.NewMatcher(guides)
	matches := matcher.Match(w)
	rankTies(ctx, ix, w, matches)
	var misses []guide.NearMiss
	if *explain {
		misses = matcher.NearMisses(w)
	}
	if *asJSON {
		out := struct {
			Window     guide.Window   `json:"window"`
			Guides     []matchJSON    `json:"guides"`
			NearMisses []nearMissJSON `json:"near_misses,omitempty"`
		}{Window: w, Guides: []matchJSON{}}
		for _, mt := range matches {
			out.Guides = append(out.Guides, matchJSON{ID: mt.Guide.ID, Path: mt.Guide.ID, Title: mt.Guide.Title,
				Format: string(mt.Guide.Format), Rule: mt.Rule.String(), Line: mt.Rule.Line, Specificity: mt.Specificity, Suggest: mt.Guide.Suggest})
		}
		for _, nm := range misses {
			out.NearMisses = append(out.NearMisses, nearMissJSON{ID: nm.Guide.ID, Title: nm.Guide.Title, Rule: nm.Rule.String(), Line: nm.Rule.Line, Reason: nm.Reason})
		}
		return m.writeJSON(out)
	}
	if len(matches) == 0 {
		fmt.Fprintf(m.Stdout, "No guide has a rule for this window (%s).\n", w)
	} else {
		fmt.Fprintf(m.Stdout, "%d guides for this window (%s):\n", len(matches), w)
	}
	for i, mt := range matches {
		fmt.Fprintf(m.Stdout, "%2d. %s  [%s]\n    %s\n", i+1, mt.Guide.Title, mt.Guide.Format, mt.Guide.ID)
		if *explain {
			fmt.Fprintf(m.Stdout, "    matched by rule %s (line %d, specificity %d)\n", mt.Rule, mt.Rule.Line, mt.Specificity)
		}
	}
	if *explain && len(misses) > 0 {
		fmt.Fprintf(m.Stdout, "\nNear misses (part of the rule matched):\n")
		for _, nm := range misses {
			fmt.Fprintf(m.Stdout, "  - %s (%s:%d): rule %s: %s\n", nm.Guide.Title, nm.Guide.ID, nm.Rule.Line, nm.Rule, nm.Reason)
		}
	}
	return nil
}
