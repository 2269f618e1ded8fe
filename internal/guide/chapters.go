package guide

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Chapter is a point in a video guide's recording to jump to: an item of
// the list (or a row of the table) under a "Chapters" heading that starts
// with its time, e.g. "1. [0:05] Click the **Save** button." or
// "| 1:10 | Fix a missing clock-out |".
type Chapter struct {
	At time.Duration
	// Text is what happens there, in Markdown.
	Text string
	// Line is the file's line of the item.
	Line int
}

var (
	chaptersHeading = regexp.MustCompile(`(?i)^ {0,3}#{1,6}[ \t]+chapters[ \t#]*$`)
	anyHeading      = regexp.MustCompile(`^ {0,3}#{1,6}([ \t]|$)`)
	chapterItem     = regexp.MustCompile(`^[ \t]*(?:\d+[.)]|[-*+])[ \t]+(?:\[(\d{1,2}(?::\d{2}){1,2})\]|(\d{1,2}(?::\d{2}){1,2}))(?:[ \t]+(.*))?$`)
	listItem        = regexp.MustCompile(`^[ \t]*(?:\d+[.)]|[-*+])[ \t]+(.*)$`)
	chapterRow      = regexp.MustCompile(`^[ \t]*\|[ \t]*\[?(\d{1,2}(?::\d{2}){1,2})\]?[ \t]*\|[ \t]*(.*?)[ \t]*\|?[ \t]*$`)
	fence           = regexp.MustCompile("^ {0,3}(```|~~~)")
)

// chapters reads a video guide's chapters: the items and rows under its
// "Chapters" headings (code blocks skipped). A list item there without a
// time, or a time before the one above it, is a warning.
func (p *parser) chapters(g *Guide) {
	in, code := false, false
	var last time.Duration
	for i, line := range strings.Split(g.Body, "\n") {
		n := g.BodyLine + i
		if fence.MatchString(line) {
			code = !code
			continue
		}
		if code {
			continue
		}
		if anyHeading.MatchString(line) {
			in = chaptersHeading.MatchString(line)
			continue
		}
		if !in {
			continue
		}
		var at, text string
		if m := chapterItem.FindStringSubmatch(line); m != nil {
			at, text = m[1]+m[2], m[3]
		} else if m := chapterRow.FindStringSubmatch(line); m != nil {
			at, text = m[1], m[2]
		} else if m := listItem.FindStringSubmatch(line); m != nil && !strings.HasPrefix(line, "  ") {
			p.warnf(n, "chapter", "chapter %s has no time: start it with where it is in the video, e.g. \"1. [0:05] %s\"", Quote(m[1]), m[1])
			continue
		} else {
			continue
		}
		d, ok := ParseClock(at)
		if !ok {
			p.warnf(n, "chapter", "chapter time %s is not a time: write m:ss or h:mm:ss, e.g. 1:05", Quote(at))
			continue
		}
		if len(g.Chapters) > 0 && d < last {
			p.warnf(n, "chapter", "chapter at %s comes before the one above it (%s): put the chapters in the order of the video", at, FormatClock(last))
		}
		last = d
		g.Chapters = append(g.Chapters, Chapter{At: d, Text: strings.TrimSpace(text), Line: n})
	}
}

// ParseClock reads a time in a video: "m:ss" or "h:mm:ss" (seconds and
// minutes after the first part below 60).
func ParseClock(s string) (time.Duration, bool) {
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, false
	}
	var d time.Duration
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 || (i > 0 && (v > 59 || len(p) != 2)) {
			return 0, false
		}
		d = d*60 + time.Duration(v)
	}
	return d * time.Second, true
}

// FormatClock writes a time in a video as ParseClock reads it: "0:05",
// "12:30", "1:02:03" (whole seconds, rounded down).
func FormatClock(d time.Duration) string {
	s := int(d / time.Second)
	if s < 0 {
		s = 0
	}
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// PlainInline is a line of Markdown without its emphasis marks, code
// ticks and backslash escapes: "Click the **Save** button." is "Click the
// Save button." (a chapter's title in a video file or a button).
func PlainInline(md string) string {
	md = strings.NewReplacer("**", "", "__", "", "`", "").Replace(md)
	var b strings.Builder
	for i := 0; i < len(md); i++ {
		if md[i] == '\\' && i+1 < len(md) {
			i++
		}
		b.WriteByte(md[i])
	}
	return b.String()
}
