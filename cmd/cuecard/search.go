package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/library"
	"github.com/cuecard/cuecard/internal/owner"
	"github.com/cuecard/cuecard/internal/search"
)

// searchResult is the JSON form of one hit.
type searchResult struct {
	ID       string       `json:"id"`
	Path     string       `json:"path"`
	Title    string       `json:"title"`
	Format   guide.Format `json:"format"`
	Score    float64      `json:"score"`
	Stale    bool         `json:"stale"`
	Snippet  string       `json:"snippet"`
	Section  string       `json:"section"`
	Anchor   string       `json:"anchor,omitempty"`
	Minutes  int          `json:"minutes"`
	Tags     []string     `json:"tags,omitempty"`
	AppMatch bool         `json:"app_match,omitempty"`
}

func (m *Main) cmdSearch(ctx context.Context, args []string) error {
	fs := m.flags("search")
	var w guide.Window
	fs.StringVar(&w.Exe, "app", "", "rank guides for this executable first (e.g. thunderbird)")
	fs.StringVar(&w.Class, "class", "", "rank guides for this window class first")
	fs.StringVar(&w.Title, "title", "", "rank guides for this window title first (web apps: the tab title)")
	limit := fs.Int("limit", 10, "show at most N results")
	asJSON := fs.Bool("json", false, "print results as a JSON list (with -i: one list per query, one per line)")
	inter := fs.Bool("i", false, "interactive: read one query per line from standard input")
	show := fs.Bool("show", false, "open the search window of the desktop app (started if it is not running), with the query typed in: what a desktop keyboard shortcut runs")
	pos, err := m.parse(fs, args)
	if err != nil {
		return err
	}
	if *limit < 1 {
		return usagef("search: --limit must be at least 1")
	}
	query := strings.Join(pos, " ")
	if *show {
		if *inter || *asJSON || !w.IsZero() {
			return usagef("search: --show opens the desktop app's search window; it takes only a query")
		}
		return m.showSearch(ctx, query)
	}
	if query == "" && w.IsZero() && !*inter {
		return usagef("search: give a query, e.g. cuecard search refund (or -i for a prompt)")
	}
	ix, err := m.libraryIndex(ctx)
	if err != nil {
		return err
	}
	defer ix.Close()
	if *inter {
		if *asJSON {
			return m.promptJSON(ctx, ix, w, *limit)
		}
		return m.prompt(ctx, ix, w, *limit)
	}
	res, err := ix.Search(ctx, search.Query{Text: query, Window: w, Limit: *limit, Now: m.Now()})
	if err != nil {
		return err
	}
	if *asJSON {
		return m.writeJSON(resultsJSON(res))
	}
	if len(res) == 0 {
		fmt.Fprintf(m.Stdout, "No guides found for %q.\n", query)
		return nil
	}
	printResults(m.Stdout, res)
	return nil
}

// showSearch asks the running desktop app to open its search window with
// query typed in, starting the app first when none runs on the library.
func (m *Main) showSearch(ctx context.Context, query string) error {
	if m.library == "" && os.Getenv("CUECARD_LIBRARY") == "" {
		// A desktop shortcut names no library: the desktop app's.
		m.library = desktopLibrary()
	}
	root, err := m.libraryRoot()
	if err != nil {
		return err
	}
	o, started := owner.Dial(root), false
	if o == nil {
		if o, err = m.startApp(ctx, root); err != nil {
			return err
		}
		started = true
	}
	if _, err := o.Ask(ctx, owner.Request{Cmd: "show-search", Query: search.Query{Text: query}}); err != nil {
		return fmt.Errorf("ask the running cuecard to open its search: %w", err)
	}
	if started {
		fmt.Fprintln(m.Stdout, "Started Cuecard and opened the search window.")
	} else {
		fmt.Fprintln(m.Stdout, "Opened the search window in Cuecard.")
	}
	return nil
}

func resultsJSON(res []search.Result) []searchResult {
	out := make([]searchResult, 0, len(res))
	for _, r := range res {
		out = append(out, toJSON(r))
	}
	return out
}

// promptJSON reads queries line by line, as prompt does, and prints one
// JSON array of results per query, each on one line (an empty query gives
// an empty array, so answers and questions stay in step).
func (m *Main) promptJSON(ctx context.Context, ix owner.Index, w guide.Window, limit int) error {
	sc := bufio.NewScanner(m.Stdin)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	enc := json.NewEncoder(m.Stdout)
	enc.SetEscapeHTML(false)
	for sc.Scan() {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		q := strings.TrimSpace(sc.Text())
		var res []search.Result
		if q != "" {
			var err error
			if res, err = ix.Search(ctx, search.Query{Text: q, Window: w, Limit: limit, Now: m.Now()}); err != nil {
				return err
			}
		}
		if err := enc.Encode(resultsJSON(res)); err != nil {
			return err
		}
	}
	return sc.Err()
}

func toJSON(r search.Result) searchResult {
	return searchResult{
		ID: r.ID, Path: r.Path, Title: r.Title, Format: r.Format, Score: r.Score, Stale: r.Stale,
		Snippet: r.Snippet, Section: r.Section, Anchor: r.Anchor, Minutes: int(r.Duration.Minutes() + 0.5),
		Tags: r.Tags, AppMatch: r.AppMatch,
	}
}

// printResults prints hits for a person: title, format and time, path, snippet.
func printResults(w io.Writer, res []search.Result) {
	for i, r := range res {
		title := r.Title
		if r.Section != "" {
			title += " › " + r.Section
		}
		meta := []string{string(r.Format), guide.FormatDuration(r.Duration)}
		if r.Stale {
			meta = append(meta, "review overdue")
		}
		if r.AppMatch {
			meta = append(meta, "for this app")
		}
		fmt.Fprintf(w, "%2d. %s  [%s]\n", i+1, title, strings.Join(meta, " · "))
		loc := r.Path
		if r.Anchor != "" {
			loc += "#" + r.Anchor
		}
		fmt.Fprintf(w, "    %s\n", loc)
		if s := strings.TrimSpace(r.Snippet); s != "" {
			fmt.Fprintf(w, "    %s\n", s)
		}
	}
}

// prompt reads queries line by line and prints results until EOF or "q".
func (m *Main) prompt(ctx context.Context, ix owner.Index, w guide.Window, limit int) error {
	sc := bufio.NewScanner(m.Stdin)
	tty := m.IsTerminal(m.Stdin)
	for {
		if tty {
			fmt.Fprint(m.Stdout, "search> ")
		}
		if !sc.Scan() {
			if tty {
				fmt.Fprintln(m.Stdout)
			}
			return sc.Err()
		}
		q := strings.TrimSpace(sc.Text())
		if q == "q" || q == "quit" || q == "exit" {
			return nil
		}
		if q == "" {
			continue
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		res, err := ix.Search(ctx, search.Query{Text: q, Window: w, Limit: limit, Now: m.Now()})
		if err != nil {
			return err
		}
		if !tty {
			fmt.Fprintf(m.Stdout, "> %s\n", q)
		}
		if len(res) == 0 {
			fmt.Fprintf(m.Stdout, "No guides found for %q.\n", q)
			continue
		}
		printResults(m.Stdout, res)
	}
}

// interactive is what a bare `cuecard` does on a terminal until the desktop
// app lands: index the library, say what is in it, and offer a search prompt.
func (m *Main) interactive(ctx context.Context) error {
	m.setupLog()
	root, err := m.libraryRoot()
	if err != nil {
		return err
	}
	ix, res, err := m.openIndex(ctx, root, false, nil)
	if err != nil {
		return err
	}
	defer ix.Close()
	errs, warns := 0, 0
	for _, p := range res.Problems {
		if p.Level == guide.LevelError && library.IsItemFile(p.Path) { // not a folder settings file
			errs++
		} else if p.Level != guide.LevelError {
			warns++
		}
	}
	fmt.Fprintf(m.Stdout, "Cuecard %s — library %s\n%d guides indexed", version, root, ix.Count())
	if errs > 0 {
		fmt.Fprintf(m.Stdout, ", %d files skipped with errors (run 'cuecard lint')", errs)
	}
	fmt.Fprintf(m.Stdout, ".\nType a few letters to search, 'q' to quit.\n")
	return m.prompt(ctx, owner.Local{Index: ix}, guide.Window{}, 8)
}
