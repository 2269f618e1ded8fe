package library

import (
	"strings"
	"time"

	"github.com/cuecard/cuecard/internal/guide"
)

// facts is what the watcher keeps of each parsed guide between scans: only
// what the library-wide checks (overdue reviews, duplicate titles, links
// that need a file) read, and the guide's broken links as found at the last
// check. The parsed guide itself (front matter, rules, text) is handed on and
// forgotten: at 10,000 guides keeping it cost several kilobytes a guide.
type facts struct {
	title    string
	reviewed time.Time
	every    guide.Period
	video    string
	template string
	// links are the guide's links and images that name a file (in-page
	// anchors and URLs are never broken and are left out).
	links []fileLink
	// broken are the "broken-link" errors of the last check.
	broken []brokenLink
	// Lines of the front-matter keys title, reviewed, video and template.
	titleLine, reviewedLine, videoLine, templateLine int32
	// track is what the Start-here track's checks need.
	track trackFacts
}

// fileLink is a link or image of a guide that names a file.
type fileLink struct {
	dest, text string
	line       int32
	image      bool
}

// brokenLink is one "broken-link" error of a guide: the problem's other
// fields are the guide's id, the error level and the code.
type brokenLink struct {
	line int32
	msg  string
}

// factsOf extracts a guide's facts. Strings are copied, so the facts never
// keep the parsed file's larger buffers alive; role lists are interned in
// roles.
func factsOf(g *guide.Guide, roles map[string]string) *facts {
	f := &facts{
		track: trackFactsOf(g, roles),
		title: strings.Clone(g.Title), reviewed: g.Reviewed, every: g.ReviewEvery,
		video: strings.Clone(g.Video), template: strings.Clone(g.Template),
		titleLine: int32(g.Line("title")), reviewedLine: int32(g.Line("reviewed")),
		videoLine: int32(g.Line("video")), templateLine: int32(g.Line("template")),
	}
	n := 0
	for _, l := range g.Links {
		if !fileFree(l.Dest) {
			n++
		}
	}
	if n > 0 {
		f.links = make([]fileLink, 0, n)
		for _, l := range g.Links {
			if !fileFree(l.Dest) {
				fl := fileLink{dest: strings.Clone(l.Dest), line: int32(l.Line), image: l.Kind == guide.LinkImage}
				// Only a Hugo glossary link ("[term](g)") and an Obsidian
				// wikilink followed by parentheses ("[[Note]](x)") need
				// their text.
				if l.Dest == "g" || strings.HasPrefix(l.Text, "[") {
					fl.text = strings.Clone(l.Text)
				}
				f.links = append(f.links, fl)
			}
		}
	}
	return f
}

// check finds the guide's broken links again, against the library's files
// as they are now, in lk's link style.
func (f *facts) check(lk *linker, id string) {
	links := make([]guide.Link, len(f.links))
	for i, l := range f.links {
		links[i] = guide.Link{Kind: guide.LinkText, Dest: l.dest, Line: int(l.line), Text: l.text}
		if l.image {
			links[i].Kind = guide.LinkImage
		}
	}
	var broken []brokenLink
	brokenLinks(lk, id, links, f.video, int(f.videoLine), f.template, int(f.templateLine), func(line int, msg string) {
		broken = append(broken, brokenLink{line: int32(line), msg: msg})
	})
	f.broken = nil
	if len(broken) > 0 { // exactly sized: kept until the next check
		f.broken = make([]brokenLink, len(broken))
		copy(f.broken, broken)
	}
}

// problems appends the guide's broken-link errors to ps.
func (f *facts) problems(id string, ps []guide.Problem) []guide.Problem {
	for _, b := range f.broken {
		ps = append(ps, guide.Problem{Path: id, Line: max(int(b.line), 1), Level: guide.LevelError, Code: "broken-link", Message: b.msg})
	}
	return ps
}

// overdue is the guide's overdue-review warning at now, if any.
func (f *facts) overdue(id string, now time.Time) (guide.Problem, bool) {
	return overdue(id, int(f.reviewedLine), f.reviewed, f.every, now)
}
