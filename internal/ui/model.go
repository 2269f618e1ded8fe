package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/ui/kit"
)

// Hit is one guide as the panel and the search window show it. The rest of
// the app fills it in from the index or the coach's suggestions.
type Hit struct {
	ID       string
	Title    string
	Summary  string
	Format   guide.Format
	Duration time.Duration
	// Stale is true when the guide's review is overdue.
	Stale bool
	// Snippet is a short extract around the matched words, which are marked
	// «like this»; empty for none.
	Snippet string
	// Section and Anchor name the FAQ question (or section) that matched,
	// when the hit is a part of a guide.
	Section string
	Anchor  string
	// AppMatch is true when the guide belongs to the focused application.
	AppMatch bool
	// ForOthers names the roles a guide is for when they are not the
	// user's (e.g. "finance"): search finds every guide and labels these.
	ForOthers string
	// Meta, when set, replaces the panel row's format and duration line
	// (e.g. "Start here · overdue since 21 Nov").
	Meta string
	// GuideMe is true when the guide has recorded click targets, to
	// play as Guide me.
	GuideMe bool
}

// Searcher runs as-you-type queries. It ranks the focused application's
// guides first; for the empty text it may return those guides alone.
// Search is called on a goroutine of its own and must honour ctx.
type Searcher interface {
	Search(ctx context.Context, text string, limit int) ([]Hit, error)
}

// GuideSource gives the full parsed guide for an id, read from the library.
type GuideSource interface {
	Guide(id string) (*guide.Guide, error)
}

// Progress keeps a reader's checklist progress by step id.
type Progress interface {
	// Steps returns the saved state of the guide's steps; steps not in the
	// map keep the state written in the file.
	Steps(guideID string) map[string]bool
	SetStep(guideID, stepID string, checked bool) error
	// Reset forgets the saved state of every step of the guide.
	Reset(guideID string) error
}

// Feedback records what readers think of guides.
type Feedback interface {
	Vote(guideID string, helpful bool) error
	// Viewed records that the guide was opened.
	Viewed(guideID string)
}

// Stats gives a guide's usage for its owner: views and helpful votes, of
// this computer and of every installation that shares its usage.
type Stats interface {
	GuideStats(guideID string) (views, helpful int, err error)
}

// Opener hands things to the desktop. The ui only ever passes http, https
// and mailto URLs to OpenURL, and slash-separated paths inside the library to
// OpenFile.
type Opener interface {
	OpenURL(u string) error
	OpenFile(libraryRelPath string) error
	CopyText(s string)
}

// FormatIcon is the icon shown for a guide format.
func FormatIcon(f guide.Format) fyne.Resource {
	switch f {
	case guide.FormatChecklist:
		return theme.ListIcon()
	case guide.FormatVideo:
		return theme.MediaVideoIcon()
	case guide.FormatTemplate:
		return theme.FileTextIcon()
	case guide.FormatFAQ:
		return theme.QuestionIcon()
	case guide.FormatReference:
		return theme.InfoIcon()
	default:
		return theme.DocumentIcon()
	}
}

// FormatName is the human name of a guide format.
func FormatName(f guide.Format) string {
	switch f {
	case guide.FormatChecklist:
		return "Checklist"
	case guide.FormatVideo:
		return "Video"
	case guide.FormatTemplate:
		return "Template"
	case guide.FormatFAQ:
		return "FAQ"
	case guide.FormatReference:
		return "Reference"
	default:
		return "Guide"
	}
}

// durationText is a hit's duration as shown in lists ("5 min"), or "" when
// unknown.
func durationText(d time.Duration) string {
	if d <= 0 {
		return ""
	}
	return guide.FormatDuration(d)
}

// snippetRuns turns a snippet whose matched words are marked «like this»
// into text runs with the matches in bold. Unbalanced marks are tolerated:
// an unclosed « bolds to the end, a stray » is dropped.
func snippetRuns(s string) []kit.Run {
	var runs []kit.Run
	add := func(text string, bold bool) {
		if text != "" {
			runs = append(runs, kit.Run{Text: text, Style: kit.Style{Bold: bold}})
		}
	}
	rest := strings.Join(strings.Fields(s), " ")
	for rest != "" {
		open := strings.Index(rest, "«")
		if open < 0 {
			add(strings.ReplaceAll(rest, "»", ""), false)
			break
		}
		add(strings.ReplaceAll(rest[:open], "»", ""), false)
		rest = rest[open+len("«"):]
		end := strings.Index(rest, "»")
		if end < 0 {
			add(strings.ReplaceAll(rest, "«", ""), true)
			break
		}
		add(strings.ReplaceAll(rest[:end], "«", ""), true)
		rest = rest[end+len("»"):]
	}
	return runs
}

// startOfTomorrow is local midnight after now.
func startOfTomorrow(now time.Time) time.Time {
	y, m, d := now.Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, now.Location())
}

// dateText is how dates appear in the ui: "2 Nov 2026".
func dateText(t time.Time) string {
	return t.Format("2 Jan 2006")
}

// staleBadge is the badge of a guide whose review is overdue.
func staleBadge() *kit.Badge {
	return kit.NewBadge("review overdue", theme.ColorNameWarning)
}

// OpenError says that the desktop could not open something for the user
// (a file, a folder, a web page): Target is its path or address, for the
// notice that offers to copy it.
type OpenError struct {
	Target string
	Err    error
}

func (e *OpenError) Error() string {
	return fmt.Sprintf("could not open %s: %v", e.Target, e.Err)
}

func (e *OpenError) Unwrap() error { return e.Err }
