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
// What few guides have (a video, a template, the track's keys) is kept
// apart, so the common guide's facts stay small (128 bytes).
type facts struct {
	title    string
	reviewed time.Time
	every    guide.Period
	// links are the guide's links and images that name a file (in-page
	// anchors and URLs are never broken and are left out).
	links []fileLink
	// broken are the "broken-link" errors of the last check.
	broken []brokenLink
	// Lines of the front-matter keys title and reviewed.
	titleLine, reviewedLine int32
	// rare is nil when the guide has no video, no template and none of
	// the track's keys.
	rare *rareFacts
}

// rareFacts are the facts of the few guides that have them.
type rareFacts struct {
	video, template         string
	videoLine, templateLine int32
	// track is what the Start-here track's checks need.
	track trackFacts
}

// fileLink is a link or image of a guide that names a file.
type fileLink struct {
	// dest is the destination; when the check needs the link's text too
	// (hasText, rare), it follows a NUL: "dest\x00text" (Markdown turns a
	// NUL in a destination into U+FFFD, so the first NUL ends it).
	dest           string
	line           int32
	image, hasText bool
}

// destText splits a fileLink's dest.
func (l fileLink) destText() (dest, text string) {
	if !l.hasText {
		return l.dest, ""
	}
	dest, text, _ = strings.Cut(l.dest, "\x00")
	return dest, text
}

// brokenLink is one "broken-link" error of a guide: the problem's other
// fields are the guide's id, the error level and the code.
type brokenLink struct {
	line int32
	msg  string
}

// interner shares equal strings among the facts of one batch (a scan, a
// re-check of every guide's links): guides repeat link destinations and so
// their broken-link messages. It lives for one batch only: its map would
// cost about as much as it saves if it were kept.
type interner map[string]string

// of returns the shared copy of s, a clone of s the first time (so no
// string keeps a parsed file's larger buffer alive). A nil interner clones.
func (in interner) of(s string) string {
	if s == "" {
		return ""
	}
	if in == nil {
		return strings.Clone(s)
	}
	if c, ok := in[s]; ok {
		return c
	}
	c := strings.Clone(s)
	in[c] = c
	return c
}

// factsOf extracts a guide's facts. Strings are copied (shared through
// in), so the facts never keep the parsed file's larger buffers alive; role
// lists are interned in roles.
func factsOf(g *guide.Guide, roles map[string]string, in interner) *facts {
	f := &facts{
		title: strings.Clone(g.Title), reviewed: g.Reviewed, every: g.ReviewEvery,
		titleLine: int32(g.Line("title")), reviewedLine: int32(g.Line("reviewed")),
	}
	rare := rareFacts{
		track: trackFactsOf(g, roles),
		video: in.of(g.Video), template: in.of(g.Template),
		videoLine: int32(g.Line("video")), templateLine: int32(g.Line("template")),
	}
	if rare != (rareFacts{}) {
		f.rare = &rare
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
				fl := fileLink{dest: in.of(l.Dest), line: int32(l.Line), image: l.Kind == guide.LinkImage}
				// Only a Hugo glossary link ("[term](g)") and an Obsidian
				// wikilink followed by parentheses ("[[Note]](x)") need
				// their text.
				if l.Dest == "g" || strings.HasPrefix(l.Text, "[") {
					fl.dest, fl.hasText = in.of(l.Dest+"\x00"+l.Text), true
				}
				f.links = append(f.links, fl)
			}
		}
	}
	return f
}

// track is the guide's track facts.
func (f *facts) track() trackFacts {
	if f.rare == nil {
		return trackFacts{}
	}
	return f.rare.track
}

// check finds the guide's broken links again, against the library's files
// as they are now, in lk's link style; in shares the messages.
func (f *facts) check(lk *linker, id string, in interner) {
	links := make([]guide.Link, len(f.links))
	for i, l := range f.links {
		dest, text := l.destText()
		links[i] = guide.Link{Kind: guide.LinkText, Dest: dest, Line: int(l.line), Text: text}
		if l.image {
			links[i].Kind = guide.LinkImage
		}
	}
	var rare rareFacts
	if f.rare != nil {
		rare = *f.rare
	}
	var broken []brokenLink
	brokenLinks(lk, id, links, rare.video, int(rare.videoLine), rare.template, int(rare.templateLine), func(line int, msg string) {
		broken = append(broken, brokenLink{line: int32(line), msg: in.of(msg)})
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
