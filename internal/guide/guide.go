// Package guide is Cuecard's domain: a Guide parsed from a Markdown file with
// optional YAML front matter, its Format, checklist Steps, FAQ Sections, the
// Rules that tie it to application windows, and the Window being matched.
//
// Parsing never panics and never gives up on the rest of a library: every
// problem in a file is returned as a Problem that names the file and line and
// says what to do.
package guide

import (
	"fmt"
	"strings"
	"time"
)

// Format is the kind of a guide.
type Format string

// The six formats a guide can have.
const (
	FormatGuide     Format = "guide"
	FormatChecklist Format = "checklist"
	FormatVideo     Format = "video"
	FormatTemplate  Format = "template"
	FormatFAQ       Format = "faq"
	FormatReference Format = "reference"
)

// Formats lists every valid format, in documentation order.
var Formats = []Format{FormatGuide, FormatChecklist, FormatVideo, FormatTemplate, FormatFAQ, FormatReference}

// Valid reports whether f is one of Formats.
func (f Format) Valid() bool {
	for _, v := range Formats {
		if f == v {
			return true
		}
	}
	return false
}

// DefaultReviewEvery is the review period of a guide without review_every.
var DefaultReviewEvery = Period{N: 180, Unit: 'd'}

// Guide is one Markdown file of the library.
type Guide struct {
	// ID is the slash-separated path of the file relative to the library
	// root, e.g. "sales/monthly-report.md". It is stable across runs.
	ID string

	Title string
	// Summary is one sentence about the guide: front matter summary, else
	// description or excerpt (the names other site tools give it).
	Summary string
	// Lang is the language of the guide from front matter lang (or
	// language), e.g. "en", "pt-BR"; "" when not given.
	Lang   string
	Format Format
	Apps   []Rule
	Tags   []string
	Roles  []string
	Owner  string
	// Reviewed is the date of the last review; zero when not given.
	Reviewed    time.Time
	ReviewEvery Period
	// Duration is the estimated time to read or follow the guide.
	Duration time.Duration
	// DurationEstimated is true when Duration was computed from the word count.
	DurationEstimated bool
	Video             string
	Template          string
	// Suggest is false when the guide must not be suggested automatically
	// (suggest: false, or a draft).
	Suggest bool
	// Draft is true for a guide still being written (draft: true, as
	// cuecard new and the recorder write it, and as Hugo sites mark pages):
	// searchable, never suggested.
	Draft bool

	// Required puts the guide in the "Start here" track of the people it
	// is for (Roles): required: true.
	Required bool
	// Deadline is when a required guide must be done (due: 14d after the
	// person's start date, or a fixed date); zero when not given.
	Deadline Deadline
	// Ack makes the guide done by an acknowledgement ("I have read and
	// understood"), as policies are: ack: true.
	Ack bool
	// Order places the guide within the track (order: 1 comes first);
	// 0 when not given, after the ordered ones.
	Order int

	// Body is the Markdown after the front matter; BodyLine is the 1-based
	// line of the file on which Body starts.
	Body     string
	BodyLine int
	// Text is the plain text of Body (no Markdown syntax), for indexing.
	Text      string
	WordCount int
	Steps     []Step
	Sections  []Section
	Links     []Link
	// Clicks are the click targets of recorded steps, in document order
	// (see ClickTarget). HasClicks says there are some; it stays true in
	// the search index's light copies of a guide, which drop Clicks.
	Clicks    []ClickTarget
	HasClicks bool
	// Chapters are a video guide's chapters, in document order.
	Chapters []Chapter

	// Hash is the hex SHA-256 of the file's bytes.
	Hash string
	// Size is the file's size in bytes.
	Size int64
	// ModTime is the file's modification time, when known.
	ModTime time.Time

	// Meta holds source positions of front-matter keys, for lint messages.
	Meta map[string]int
}

// ForRoles reports whether the guide is for a person with these roles:
// a guide without roles, or with the role "everyone", is for everyone; a
// person without roles gets every guide. Roles compare ignoring case.
func (g *Guide) ForRoles(roles []string) bool {
	if len(g.Roles) == 0 || len(roles) == 0 {
		return true
	}
	for _, r := range g.Roles {
		if strings.EqualFold(r, Everyone) {
			return true
		}
		for _, p := range roles {
			if strings.EqualFold(strings.TrimSpace(r), strings.TrimSpace(p)) {
				return true
			}
		}
	}
	return false
}

// Everyone is the role of a guide for everyone.
const Everyone = "everyone"

// Due is the date the next review is due: Reviewed + ReviewEvery. It is the
// zero time when the guide has no review date.
func (g *Guide) Due() time.Time {
	if g.Reviewed.IsZero() {
		return time.Time{}
	}
	return g.ReviewEvery.AddTo(g.Reviewed)
}

// Stale reports whether the guide's review is overdue at now. A guide with no
// review date is not stale (lint warns about it separately).
func (g *Guide) Stale(now time.Time) bool {
	due := g.Due()
	return !due.IsZero() && now.After(due)
}

// DaysOverdue is how many whole days past its due date the guide is at now,
// or 0 when it is not overdue.
func (g *Guide) DaysOverdue(now time.Time) int {
	if !g.Stale(now) {
		return 0
	}
	return int(now.Sub(g.Due()).Hours() / 24)
}

// Line returns the line of the front-matter key, or 1 when unknown.
func (g *Guide) Line(key string) int {
	if l, ok := g.Meta[key]; ok && l > 0 {
		return l
	}
	return 1
}

// Step is one item of a checklist: a GitHub task-list item "- [ ] text".
type Step struct {
	// ID is stable across edits that do not change this step's text: it is
	// derived from the normalised text (and, for repeated texts, the repeat
	// number), not from the position.
	ID   string
	Text string
	// Checked is the box state written in the file ("- [x]").
	Checked bool
	Line    int
}

// Section is a "## heading" part of the body. FAQ guides index each section as
// its own search result.
type Section struct {
	// Anchor is the GitHub-style slug of the heading, unique within a guide.
	Anchor string
	Title  string
	// Text is the plain text of the section without the heading.
	Text string
	Line int
}

// LinkKind says where a Link was written.
type LinkKind string

// Kinds of links.
const (
	LinkText  LinkKind = "link"
	LinkImage LinkKind = "image"
)

// Link is a link or image destination in the body.
type Link struct {
	Kind LinkKind
	Dest string
	Line int
	// Text is a link's text as a reader sees it (empty for images); some
	// sites resolve a link by it (Hugo's glossary links, "[term](g)").
	Text string
}

// Level is the severity of a Problem.
type Level string

// Levels of problems.
const (
	LevelError   Level = "error"
	LevelWarning Level = "warning"
)

// Problem is something wrong with a library file, located by path and line.
type Problem struct {
	// Path is the file's path as given to the parser (library-relative for
	// guides read from a library).
	Path    string `json:"path"`
	Line    int    `json:"line"`
	Level   Level  `json:"level"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// String formats the problem compiler-style: "path:line: level: message".
func (p Problem) String() string {
	return fmt.Sprintf("%s:%d: %s: %s", p.Path, p.Line, p.Level, p.Message)
}

// HasErrors reports whether any of ps is an error.
func HasErrors(ps []Problem) bool {
	for _, p := range ps {
		if p.Level == LevelError {
			return true
		}
	}
	return false
}

// Window is what is focused on the desktop.
type Window struct {
	Exe      string `json:"exe"`
	Class    string `json:"class"`
	Instance string `json:"instance"`
	Title    string `json:"title"`
	PID      int    `json:"pid"`
	// Fullscreen is true when the window covers the whole screen (a
	// presentation, a video call): no suggestion pops over it.
	Fullscreen bool `json:"fullscreen,omitempty"`
}

// IsZero reports whether w names no window.
func (w Window) IsZero() bool {
	return w.Exe == "" && w.Class == "" && w.Instance == "" && w.Title == ""
}

// String is a short human form, for logs the user asked for.
func (w Window) String() string {
	var parts []string
	if w.Exe != "" {
		parts = append(parts, "exe="+w.Exe)
	}
	if w.Class != "" {
		parts = append(parts, "class="+w.Class)
	}
	if w.Title != "" {
		parts = append(parts, fmt.Sprintf("title=%q", w.Title))
	}
	return strings.Join(parts, " ")
}

// FileState is what the index remembers of a file to tell, on the next
// start, whether it changed: size and modification time first, then the
// content hash.
type FileState struct {
	Size    int64     `json:"size"`
	ModTime time.Time `json:"mtime"`
	Hash    string    `json:"hash"`
}

// State returns the FileState of a parsed guide.
func (g *Guide) State() FileState {
	return FileState{Size: g.Size, ModTime: g.ModTime, Hash: g.Hash}
}
