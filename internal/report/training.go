package report

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/track"
)

// Training is the managers' view of the Start-here track, from the
// completion records people's Cuecards write into the library
// (track_records: named) and the people's presets: who has done what,
// what is overdue, and which records are for an older version of a guide.
type Training struct {
	Generated string           `json:"generated"`
	People    []TrainingPerson `json:"people"`
	// Outdated are the records whose guide changed since (its content
	// hash differs) or is no longer in the library.
	Outdated []TrainingRecord `json:"outdated"`
	Warnings []string         `json:"warnings,omitempty"`
}

// TrainingPerson is one person's track.
type TrainingPerson struct {
	Identity string   `json:"identity"`
	Roles    []string `json:"roles,omitempty"`
	// Start is the start date (YYYY-MM-DD) from the person's preset; ""
	// when there is none (then only fixed due dates can be overdue).
	Start   string         `json:"start,omitempty"`
	Done    int            `json:"done"`
	Total   int            `json:"total"`
	Overdue int            `json:"overdue"`
	Items   []TrainingItem `json:"items"`
}

// TrainingItem is one item of a person's track.
type TrainingItem struct {
	Guide  string `json:"guide"`
	Title  string `json:"title"`
	Due    string `json:"due,omitempty"`
	Status string `json:"status"`
	// At is when it was done (RFC 3339); "" when not done.
	At string `json:"at,omitempty"`
	// Outdated: done against an older version of the guide.
	Outdated bool `json:"outdated,omitempty"`
}

// TrainingRecord is a record that refers to an older version of a guide.
type TrainingRecord struct {
	Identity string `json:"identity"`
	Guide    string `json:"guide"`
	Title    string `json:"title,omitempty"`
	At       string `json:"at"`
	// Removed is true when the guide is no longer in the library.
	Removed bool `json:"removed,omitempty"`
	// Path is the record's file, library-relative.
	Path string `json:"path"`
}

// BuildTraining builds the training report from the library's guides (as
// parsed, with their checklist steps), its people's presets, and the
// completion records; warnings are passed on (unreadable records).
func BuildTraining(guides []*guide.Guide, people []track.Profile, records []track.Record, warnings []string, now time.Time) *Training {
	t := &Training{Generated: now.Format("2006-01-02 15:04"), People: []TrainingPerson{}, Outdated: []TrainingRecord{}, Warnings: warnings}
	byID := map[string]*guide.Guide{}
	for _, g := range guides {
		byID[g.ID] = g
	}
	byPerson := map[string][]track.Record{}
	profiles := map[string]track.Profile{}
	for _, p := range people {
		profiles[strings.ToLower(p.Identity)] = p
	}
	for _, r := range records {
		key := strings.ToLower(r.Identity)
		byPerson[key] = append(byPerson[key], r)
		if _, ok := profiles[key]; !ok {
			profiles[key] = track.Profile{Identity: r.Identity}
		}
		g := byID[r.Guide]
		if g == nil || g.Hash != r.Hash {
			tr := TrainingRecord{Identity: r.Identity, Guide: r.Guide, At: r.At.Format(time.RFC3339), Removed: g == nil, Path: r.Path}
			if g != nil {
				tr.Title = g.Title
			}
			t.Outdated = append(t.Outdated, tr)
		}
	}
	keys := make([]string, 0, len(profiles))
	for k := range profiles {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		p := profiles[k]
		st := track.State{Checked: map[string][]string{}, Acks: map[string]guide.Completion{}, Marked: map[string]guide.Completion{}}
		hashes := map[string]string{}
		for _, r := range byPerson[k] {
			c := guide.Completion{At: r.At, Hash: r.Hash}
			st.Acks[r.Guide], st.Marked[r.Guide] = c, c
			hashes[r.Guide] = r.Hash
			if g := byID[r.Guide]; g != nil {
				for _, s := range g.Steps { // a record of a checklist is a completed checklist
					st.Checked[r.Guide] = append(st.Checked[r.Guide], s.ID)
				}
			}
		}
		tr := track.Build(guides, p, st, now)
		tp := TrainingPerson{Identity: p.Identity, Roles: p.Roles, Done: tr.Done, Total: len(tr.Items), Items: []TrainingItem{}}
		if !p.Start.IsZero() {
			tp.Start = p.Start.Format("2006-01-02")
		}
		for _, it := range tr.Items {
			ti := TrainingItem{Guide: it.ID, Title: it.Title, Status: string(it.Status)}
			if it.Status == track.InProgress {
				ti.Status = string(track.NotStarted) // the library sees completions only
			}
			if !it.Due.IsZero() {
				ti.Due = it.Due.Format("2006-01-02")
			}
			if it.Status == track.Done {
				for _, r := range byPerson[k] {
					if r.Guide == it.ID {
						ti.At = r.At.Format(time.RFC3339)
					}
				}
				ti.Outdated = hashes[it.ID] != byID[it.ID].Hash
			}
			if it.Status == track.Overdue {
				tp.Overdue++
			}
			tp.Items = append(tp.Items, ti)
		}
		t.People = append(t.People, tp)
	}
	return t
}

// RenderTraining writes the training report in format (one of Formats).
func RenderTraining(w io.Writer, t *Training, format string) error {
	switch format {
	case "text":
		return trainingText(w, t)
	case "md":
		return trainingMarkdown(w, t)
	case "csv":
		return trainingCSV(w, t)
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(t)
	case "html":
		return trainingPage.Execute(w, t)
	}
	return fmt.Errorf("unknown format %q: use one of %s", format, strings.Join(Formats, ", "))
}

func (p TrainingPerson) summary() string {
	s := fmt.Sprintf("%d of %d done", p.Done, p.Total)
	if p.Overdue > 0 {
		s += fmt.Sprintf(", %d overdue", p.Overdue)
	}
	if p.Start != "" {
		s += ", started " + p.Start
	}
	if len(p.Roles) > 0 {
		s += ", roles " + strings.Join(p.Roles, ", ")
	}
	return s
}

func (it TrainingItem) state() string {
	s := strings.ReplaceAll(it.Status, "-", " ")
	if it.At != "" {
		s += " " + it.At[:min(len(it.At), 10)]
	}
	if it.Outdated {
		s += " (older version)"
	}
	return s
}

func (r TrainingRecord) why() string {
	if r.Removed {
		return "guide no longer in the library"
	}
	return "guide changed since"
}

func trainingText(w io.Writer, t *Training) error {
	ew := &errWriter{w: w}
	p := func(format string, args ...any) { fmt.Fprintf(ew, format, args...) }
	p("Cuecard training report\nGenerated %s\n", t.Generated)
	for _, warn := range t.Warnings {
		p("warning: %s\n", warn)
	}
	if len(t.People) == 0 {
		p("\nNo people yet: add _people/<identity>.yaml presets, and set track_records: named in cuecard.yaml.\n")
	}
	for _, ps := range t.People {
		p("\n%s: %s\n", ps.Identity, ps.summary())
		tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
		for _, it := range ps.Items {
			due := ""
			if it.Due != "" {
				due = "due " + it.Due
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", it.state(), it.Title, it.Guide, due)
		}
		_ = tw.Flush()
	}
	if len(t.Outdated) > 0 {
		p("\nRECORDS OF AN OLDER VERSION\n")
		tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
		for _, r := range t.Outdated {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", r.Identity, r.Guide, r.At[:min(len(r.At), 10)], r.why())
		}
		_ = tw.Flush()
	}
	return ew.err
}

func trainingMarkdown(w io.Writer, t *Training) error {
	ew := &errWriter{w: w}
	p := func(format string, args ...any) { fmt.Fprintf(ew, format, args...) }
	p("# Cuecard training report\n\nGenerated %s.\n", t.Generated)
	for _, warn := range t.Warnings {
		p("\n> **Warning:** %s\n", mdEscape(warn))
	}
	for _, ps := range t.People {
		p("\n## %s\n\n%s.\n\n| status | guide | due |\n|---|---|---|\n", mdEscape(ps.Identity), mdEscape(ps.summary()))
		for _, it := range ps.Items {
			p("| %s | %s (`%s`) | %s |\n", it.state(), mdEscape(it.Title), strings.ReplaceAll(it.Guide, "`", ""), it.Due)
		}
	}
	if len(t.Outdated) > 0 {
		p("\n## Records of an older version\n\n| person | guide | done | why |\n|---|---|---|---|\n")
		for _, r := range t.Outdated {
			p("| %s | `%s` | %s | %s |\n", mdEscape(r.Identity), strings.ReplaceAll(r.Guide, "`", ""), r.At[:min(len(r.At), 10)], r.why())
		}
	}
	return ew.err
}

// trainingCSV writes one row per person and item, then one per outdated
// record.
func trainingCSV(w io.Writer, t *Training) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"kind", "identity", "start", "guide", "title", "due", "status", "done_at", "outdated"})
	for _, ps := range t.People {
		for _, it := range ps.Items {
			_ = cw.Write([]string{"item", ps.Identity, ps.Start, it.Guide, it.Title, it.Due, it.Status, it.At, strconv.FormatBool(it.Outdated)})
		}
	}
	for _, r := range t.Outdated {
		_ = cw.Write([]string{"outdated-record", r.Identity, "", r.Guide, r.Title, "", r.why(), r.At, "true"})
	}
	cw.Flush()
	return cw.Error()
}

var trainingPage = template.Must(template.New("training").Funcs(template.FuncMap{
	"state":   TrainingItem.state,
	"summary": TrainingPerson.summary,
	"why":     TrainingRecord.why,
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cuecard training report</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #222; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1.5rem; }
th, td { text-align: left; padding: .3rem .6rem; border-bottom: 1px solid #ddd; }
.done { color: ` + colOK + `; } .overdue { color: ` + colOverdue + `; font-weight: bold; } .not-started { color: #555; }
.warn { background: #fff3e0; padding: .5rem; }
td.date { white-space: nowrap; }
</style>
</head>
<body>
<h1>Cuecard training report</h1>
<p>Generated {{.Generated}}.</p>
{{range .Warnings}}<p class="warn">Warning: {{.}}</p>
{{end}}{{range .People}}<h2>{{.Identity}}</h2>
<p>{{summary .}}.</p>
<table><tr><th>status</th><th>guide</th><th>due</th></tr>
{{range .Items}}<tr><td class="{{.Status}}">{{state .}}</td><td>{{.Title}} <code>{{.Guide}}</code></td><td class="date">{{.Due}}</td></tr>
{{end}}</table>
{{end}}{{if .Outdated}}<h2>Records of an older version</h2>
<table><tr><th>person</th><th>guide</th><th>done</th><th>why</th></tr>
{{range .Outdated}}<tr><td>{{.Identity}}</td><td><code>{{.Guide}}</code></td><td>{{.At}}</td><td>{{why .}}</td></tr>
{{end}}</table>
{{end}}</body>
</html>
`))
