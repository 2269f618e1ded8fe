package library

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/cuecard/cuecard/internal/guide"
)

// Report is the result of Lint.
type Report struct {
	Root     string
	Guides   []*guide.Guide
	Files    int
	Problems []guide.Problem
}

// Errors and Warnings count the problems by level.
func (r *Report) Errors() int   { return r.count(guide.LevelError) }
func (r *Report) Warnings() int { return r.count(guide.LevelWarning) }

func (r *Report) count(l guide.Level) int {
	n := 0
	for _, p := range r.Problems {
		if p.Level == l {
			n++
		}
	}
	return n
}

// Lint scans the whole library and adds the checks that need more than one
// file or the clock: overdue reviews, duplicate titles, and links, images,
// videos and templates that do not exist or point outside the library.
func Lint(ctx context.Context, root string, now time.Time, ignore []string) (*Report, error) {
	res, err := Scan(ctx, root, Options{Ignore: ignore})
	if err != nil {
		return nil, err
	}
	rep := &Report{Root: res.Root, Guides: res.Guides, Files: res.Files, Problems: res.Problems}
	rep.Problems = append(rep.Problems, Check(res.Root, res.Guides, now)...)
	if _, err := LoadSettings(res.Root); err != nil {
		p := guide.Problem{Path: SettingsFile, Line: 1, Level: guide.LevelError, Code: "settings", Message: err.Error()}
		var se *SettingsError
		if errors.As(err, &se) {
			p.Line, p.Message = se.Line, se.Message
		}
		rep.Problems = append(rep.Problems, p)
	}
	sortProblems(rep.Problems)
	return rep, nil
}

// Check runs the library-wide checks over parsed guides.
func Check(root string, guides []*guide.Guide, now time.Time) []guide.Problem {
	sorted := append([]*guide.Guide(nil), guides...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].ID < sorted[j].ID })
	var ps []guide.Problem
	for _, g := range sorted {
		if p, ok := Overdue(g, now); ok {
			ps = append(ps, p)
		}
		ps = append(ps, LinkProblems(root, g)...)
	}
	return append(ps, DuplicateTitles(sorted)...)
}

// Overdue is the warning for a guide whose review is overdue at now.
func Overdue(g *guide.Guide, now time.Time) (guide.Problem, bool) {
	return overdue(g.ID, g.Line("reviewed"), g.Reviewed, g.ReviewEvery, now)
}

// overdue is Overdue for a guide's id, the line of its "reviewed" key, its
// review date and period.
func overdue(id string, line int, reviewed time.Time, every guide.Period, now time.Time) (guide.Problem, bool) {
	g := guide.Guide{Reviewed: reviewed, ReviewEvery: every}
	if !g.Stale(now) {
		return guide.Problem{}, false
	}
	return guide.Problem{Path: id, Line: max(line, 1), Level: guide.LevelWarning, Code: "overdue",
		Message: fmt.Sprintf("review overdue by %d days (reviewed %s, review every %s): check the guide and update 'reviewed'",
			g.DaysOverdue(now), reviewed.Format("2006-01-02"), every)}, true
}

// DuplicateTitles reports every guide whose title (case and spacing aside)
// an earlier guide, in the order given, already has.
func DuplicateTitles(guides []*guide.Guide) []guide.Problem {
	ts := make([]titled, len(guides))
	for i, g := range guides {
		ts[i] = titled{id: g.ID, title: g.Title, line: g.Line("title")}
	}
	return duplicateTitles(ts)
}

// titled is what the duplicate-title check reads of a guide.
type titled struct {
	id, title string
	line      int // of the "title" key
}

func duplicateTitles(ts []titled) []guide.Problem {
	var ps []guide.Problem
	byTitle := make(map[string]string, len(ts)) // normalised title -> first id
	for _, t := range ts {
		key := strings.ToLower(strings.Join(strings.Fields(t.title), " "))
		if first, ok := byTitle[key]; ok {
			ps = append(ps, guide.Problem{Path: t.id, Line: max(t.line, 1), Level: guide.LevelError, Code: "duplicate-title",
				Message: fmt.Sprintf("title %q is also used by %s: give each guide a unique title", t.title, first)})
		} else {
			byTitle[key] = t.id
		}
	}
	return ps
}

// LinkProblems checks a guide's links, images, video and template.
func LinkProblems(root string, g *guide.Guide) []guide.Problem {
	var ps []guide.Problem
	brokenLinks(root, g.ID, g.Links, g.Video, g.Line("video"), g.Template, g.Line("template"), func(line int, msg string) {
		ps = append(ps, guide.Problem{Path: g.ID, Line: max(line, 1), Level: guide.LevelError, Code: "broken-link", Message: msg})
	})
	return ps
}

// brokenLinks calls broken with the line and message of each link, image,
// video or template of guide id that does not resolve to a file in the
// library (the problems LinkProblems reports, all "broken-link" errors).
func brokenLinks(root, id string, links []guide.Link, video string, videoLine int, template string, templateLine int, broken func(line int, msg string)) {
	for _, l := range links {
		if msg := checkLink(root, id, l.Dest, false); msg != "" {
			broken(l.Line, string(l.Kind)+" "+msg)
		}
	}
	if video != "" {
		if msg := checkLink(root, id, video, true); msg != "" {
			broken(videoLine, "video "+msg)
		}
	}
	if template != "" {
		if isURL(template) {
			broken(templateLine, fmt.Sprintf("template %q must be a file in the library, not a URL", template))
		} else if msg := checkLink(root, id, template, true); msg != "" {
			broken(templateLine, "template "+msg)
		}
	}
}

// fileFree reports whether a link destination resolves, or fails to,
// without looking at the library's files: an in-page anchor or a URL of
// another scheme (http, mailto). Such links are never broken.
func fileFree(dest string) bool {
	d := strings.TrimSpace(dest)
	if strings.HasPrefix(d, "#") {
		return true
	}
	if d == "" {
		return false
	}
	u, err := url.Parse(d)
	return err == nil && u.Scheme != "file" && u.Scheme != "" && len(u.Scheme) > 1
}

func isURL(dest string) bool {
	u, err := url.Parse(dest)
	return err == nil && u.Scheme != "" && u.Scheme != "file" && len(u.Scheme) > 1
}

// Resolve turns a link written in guide id into a library-relative slash
// path. rootRelative links (video, template) are tried against the library
// root first, then the guide's folder. It returns "" and a message when the
// destination leaves the library. Other schemes (http, mailto) return "", "".
func Resolve(root, id, dest string, rootRelative bool) (rel string, msg string) {
	d := strings.TrimSpace(dest)
	if d == "" {
		return "", "has an empty destination: fill it in or remove it"
	}
	if strings.HasPrefix(d, "#") {
		return "", ""
	}
	u, err := url.Parse(d)
	if err != nil {
		return "", fmt.Sprintf("%q is not a valid link: %v", dest, err)
	}
	if u.Scheme == "file" {
		p := filepath.FromSlash(u.Path)
		r, err := filepath.Rel(root, p)
		if err != nil || !filepath.IsAbs(p) || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
			return "", fmt.Sprintf("%q points outside the library: link to a file inside the library with a relative path", dest)
		}
		return filepath.ToSlash(r), ""
	}
	if u.Scheme != "" && len(u.Scheme) > 1 { // "C:" is a drive, not a scheme
		return "", ""
	}
	p := u.Path
	if p == "" {
		return "", ""
	}
	if strings.HasPrefix(p, "/") || filepath.IsAbs(p) {
		return "", fmt.Sprintf("%q is an absolute path: use a path relative to the guide, inside the library", dest)
	}
	cands := []string{path.Join(path.Dir(id), p)}
	if rootRelative {
		cands = []string{path.Clean(p), path.Join(path.Dir(id), p)}
	}
	for _, c := range cands {
		if c == ".." || strings.HasPrefix(c, "../") {
			continue
		}
		if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(c))); err == nil {
			return c, ""
		}
	}
	c := cands[len(cands)-1]
	if c == ".." || strings.HasPrefix(c, "../") {
		return "", fmt.Sprintf("%q points outside the library: move the file into the library", dest)
	}
	return "", fmt.Sprintf("%q does not exist: fix the path or add the file", dest)
}

func checkLink(root, id, dest string, rootRelative bool) string {
	_, msg := Resolve(root, id, dest, rootRelative)
	return msg
}
