package report

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
)

// Formats are the output formats of Render.
var Formats = []string{"text", "md", "csv", "json", "html"}

// Render writes r in format (one of Formats).
func Render(w io.Writer, r *Report, format string) error {
	switch format {
	case "text":
		return Text(w, r)
	case "md":
		return Markdown(w, r)
	case "csv":
		return CSV(w, r)
	case "json":
		return JSON(w, r)
	case "html":
		return HTML(w, r)
	}
	return fmt.Errorf("unknown format %q: use one of %s", format, strings.Join(Formats, ", "))
}

// JSON writes the report as indented JSON.
func JSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

func (r *Report) title() string {
	if r.Owner != "" {
		return "Cuecard insights for " + r.Owner
	}
	return "Cuecard insights"
}

func (r *Report) period() string {
	who := "usage on this computer"
	if r.Scope == ScopeTeam {
		who = "usage shared by " + plural(r.Installs, "installation", "installations")
	}
	return fmt.Sprintf("%s to %s (%s), %s", r.From, r.To, plural(r.Days, "day", "days"), who)
}

// kNote says how figures from few installations are shown ("" when none
// are masked).
func (r *Report) kNote() string {
	if r.MinInstalls <= 0 {
		return ""
	}
	return fmt.Sprintf("Every figure that comes from fewer than %d installations is shown as %q; search texts and apps without a guide seen on fewer are left out.", r.MinInstalls, maskText(r.MinInstalls))
}

// figPlural is "1 view", "7 views", or "fewer than 3 views" when masked.
func figPlural(m *masking, field string, n int, one, many string) string {
	if m.masked(field) {
		return m.text + " " + many
	}
	return plural(n, one, many)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

func (f Freshness) summary() string {
	return fmt.Sprintf("%s: %d in their review window (%.1f%%), %d overdue, %d due within 14 days, %d without a review date",
		plural(f.Guides, "guide", "guides"), f.InWindow, f.Percent, f.Overdue, f.DueSoon, f.NoDate)
}

func (u Usage) summary() string {
	m := u.mask
	s := fmt.Sprintf("%s; %s found a guide helpful, %s not; checklists: %s started, %s completed",
		figPlural(m, "views", u.Views, "view", "views"), m.fig("helpful", u.Helpful), m.fig("unhelpful", u.Unhelpful),
		m.fig("checklists_started", u.Started), m.fig("checklists_completed", u.Completed))
	if u.Walked > 0 {
		s += fmt.Sprintf("; Guide me: %s done to the end", figPlural(m, "walkthroughs_done", u.Walked, "walkthrough", "walkthroughs"))
	}
	return s
}

// when says how overdue or due a guide is.
func (g DueGuide) when() string {
	switch g.Status {
	case StatusOverdue:
		return "overdue " + plural(g.Days, "day", "days")
	case StatusDueSoon:
		if g.Days == 0 {
			return "due today"
		}
		return "due in " + plural(g.Days, "day", "days")
	}
	return "no review date"
}

func duration(minutes int) string {
	if minutes < 60 {
		return fmt.Sprintf("%d min", minutes)
	}
	return fmt.Sprintf("%d h %02d min", minutes/60, minutes%60)
}

func (r *Report) top() []GuideUsage {
	n := min(len(r.Usage.Guides), 10)
	return r.Usage.Guides[:n]
}

func checklists(g GuideUsage) string {
	if g.Started == 0 && g.Completed == 0 {
		return "-"
	}
	return g.mask.fig("checklists_completed", g.Completed) + "/" + g.mask.fig("checklists_started", g.Started)
}

// Figures of a row as shown.
func (g GuideUsage) views() string     { return g.mask.fig("views", g.Views) }
func (g GuideUsage) helpful() string   { return g.mask.fig("helpful", g.Helpful) }
func (g GuideUsage) unhelpful() string { return g.mask.fig("unhelpful", g.Unhelpful) }
func (g GuideUsage) people() string    { return g.mask.fig("people", g.People) }

// failed is how many searches found nothing, as shown.
func (g *Gaps) failed() string {
	return figPlural(g.mask, "failed_searches", g.FailedSearches, "search", "searches")
}

// focused is an app gap's time, or "seen" for an app shared without it.
func (a AppGap) focused() string {
	if a.Minutes == 0 {
		return "seen"
	}
	return duration(a.Minutes)
}

// Text writes the report for a terminal.
func Text(w io.Writer, r *Report) error {
	ew := &errWriter{w: w}
	p := func(format string, args ...any) { fmt.Fprintf(ew, format, args...) }
	p("%s\n%s\nGenerated %s\n", r.title(), r.period(), r.Generated)
	if n := r.kNote(); n != "" {
		p("%s\n", n)
	}
	for _, warn := range r.Warnings {
		p("warning: %s\n", warn)
	}
	p("\nFRESHNESS\n  %s\n", r.Freshness.summary())
	for _, o := range r.Freshness.Owners {
		p("\n  %s\n", o.Owner)
		tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
		for _, g := range o.Guides {
			due := ""
			if g.Due != "" {
				due = "due " + g.Due
			}
			fmt.Fprintf(tw, "    %s\t%s\t%s\t%s\n", g.when(), g.Title, g.ID, due)
		}
		_ = tw.Flush()
	}
	p("\nUSAGE\n  %s\n", r.Usage.summary())
	if len(r.Usage.Guides) > 0 {
		p("\n  Most viewed (checklists: completed/started):\n")
		tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "    views\thelpful\tnot helpful\tchecklists\tpeople\t\n")
		for _, g := range r.top() {
			fmt.Fprintf(tw, "    %s\t%s\t%s\t%s\t%s\t  %s\n", g.views(), g.helpful(), g.unhelpful(), checklists(g), g.people(), g.Title)
		}
		_ = tw.Flush()
	}
	if r.Gaps != nil {
		g := r.Gaps
		p("\nCONTENT GAPS\n  %s found nothing.\n", g.failed())
		if len(g.Searches) > 0 {
			p("\n  Searches that found nothing (count, people):\n")
			tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', tabwriter.AlignRight)
			for _, s := range g.Searches[:min(len(g.Searches), 10)] {
				fmt.Fprintf(tw, "    %d\t%d\t  %s\n", s.Count, s.People, s.Text)
			}
			_ = tw.Flush()
		}
		if len(g.Apps) > 0 {
			p("\n  Apps used without a guide (focused time, people):\n")
			tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', tabwriter.AlignRight)
			for _, a := range g.Apps[:min(len(g.Apps), 10)] {
				fmt.Fprintf(tw, "    %s\t%d\t  %s (%s)\n", a.focused(), a.People, a.Name, a.Key)
			}
			_ = tw.Flush()
		}
	}
	return ew.err
}

// mdEscape keeps text from breaking a Markdown table.
func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ", "*", `\*`, "_", `\_`, "`", "\\`", "<", "&lt;").Replace(s)
}

// Markdown writes the report as Markdown (for a wiki page or an issue).
func Markdown(w io.Writer, r *Report) error {
	ew := &errWriter{w: w}
	p := func(format string, args ...any) { fmt.Fprintf(ew, format, args...) }
	p("# %s\n\n%s. Generated %s.\n", r.title(), r.period(), r.Generated)
	if n := r.kNote(); n != "" {
		p("\n%s\n", mdEscape(n))
	}
	for _, warn := range r.Warnings {
		p("\n> **Warning:** %s\n", mdEscape(warn))
	}
	p("\n## Freshness\n\n%s.\n", r.Freshness.summary())
	for _, o := range r.Freshness.Owners {
		p("\n### %s\n\n| status | guide | due |\n|---|---|---|\n", mdEscape(o.Owner))
		for _, g := range o.Guides {
			p("| %s | %s (`%s`) | %s |\n", g.when(), mdEscape(g.Title), strings.ReplaceAll(g.ID, "`", ""), g.Due)
		}
	}
	p("\n## Usage\n\n%s.\n", r.Usage.summary())
	if len(r.Usage.Guides) > 0 {
		p("\n| guide | views | helpful | not helpful | checklists completed/started | people |\n|---|--:|--:|--:|--:|--:|\n")
		for _, g := range r.top() {
			p("| %s | %s | %s | %s | %s | %s |\n", mdEscape(g.Title), g.views(), g.helpful(), g.unhelpful(), checklists(g), g.people())
		}
	}
	if r.Gaps != nil {
		g := r.Gaps
		p("\n## Content gaps\n\n%s found nothing.\n", g.failed())
		if len(g.Searches) > 0 {
			p("\n| search that found nothing | count | people |\n|---|--:|--:|\n")
			for _, s := range g.Searches[:min(len(g.Searches), 10)] {
				p("| %s | %d | %d |\n", mdEscape(s.Text), s.Count, s.People)
			}
		}
		if len(g.Apps) > 0 {
			p("\n| app without a guide | focused | people |\n|---|--:|--:|\n")
			for _, a := range g.Apps[:min(len(g.Apps), 10)] {
				p("| %s (`%s`) | %s | %d |\n", mdEscape(a.Name), strings.ReplaceAll(a.Key, "`", ""), a.focused(), a.People)
			}
		}
	}
	return ew.err
}

// CSV writes one row per guide of the report (every guide with a review
// to do or any use), then one per search and app gap, with a kind column.
func CSV(w io.Writer, r *Report) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"kind", "key", "title", "owner", "status", "due", "days", "views", "helpful", "unhelpful",
		"checklists_started", "checklists_completed", "count", "minutes", "people"})
	type row struct {
		due  *DueGuide
		use  *GuideUsage
		own  string
		name string
	}
	rows := map[string]*row{}
	var order []string
	add := func(id string) *row {
		if rows[id] == nil {
			rows[id] = &row{}
			order = append(order, id)
		}
		return rows[id]
	}
	for _, o := range r.Freshness.Owners {
		for i := range o.Guides {
			g := &o.Guides[i]
			rw := add(g.ID)
			rw.due, rw.own, rw.name = g, o.Owner, g.Title
		}
	}
	for i := range r.Usage.Guides {
		u := &r.Usage.Guides[i]
		rw := add(u.ID)
		rw.use, rw.name = u, u.Title
		if rw.own == "" {
			rw.own = u.Owner
		}
	}
	itoa := strconv.Itoa
	for _, id := range order {
		rw := rows[id]
		rec := []string{"guide", id, rw.name, rw.own, StatusOK, "", "", "0", "0", "0", "0", "0", "", "", "0"}
		if rw.due != nil {
			rec[4], rec[5] = rw.due.Status, rw.due.Due
			if rw.due.Status != StatusNoDate {
				rec[6] = itoa(rw.due.Days)
			}
		}
		if u := rw.use; u != nil {
			if u.Missing {
				rec[4] = "not-in-library"
			}
			m := u.mask
			rec[7], rec[8], rec[9], rec[10], rec[11], rec[14] = m.fig("views", u.Views), m.fig("helpful", u.Helpful), m.fig("unhelpful", u.Unhelpful),
				m.fig("checklists_started", u.Started), m.fig("checklists_completed", u.Completed), m.fig("people", u.People)
		}
		_ = cw.Write(rec)
	}
	if r.Gaps != nil {
		for _, s := range r.Gaps.Searches {
			_ = cw.Write([]string{"search", s.Text, "", "", "", "", "", "", "", "", "", "", itoa(s.Count), "", itoa(s.People)})
		}
		for _, a := range r.Gaps.Apps {
			_ = cw.Write([]string{"app", a.Key, a.Name, "", "", "", "", "", "", "", "", "", "", itoa(a.Minutes), itoa(a.People)})
		}
	}
	cw.Flush()
	return cw.Error()
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}
