package library

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
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
	// Managed is whether the managed-library checks ran.
	Managed bool
	// Links is the link style the links were resolved in.
	Links LinkStyle
	// Unchecked counts links lint cannot resolve and did not check: Hugo
	// shortcodes and template code such as {{< ref "a.md" >}}.
	Unchecked int
	// Silenced counts problems left out by the settings' silence list.
	Silenced int
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

// ManagedCodes are the problems of the managed-library checks: a library
// whose settings say "managed: true" (or lint --managed) gets them, any
// other folder only the problems that break something (front matter that
// cannot be read, broken links, empty or unreadable files).
var ManagedCodes = map[string]bool{
	"no-owner": true, "no-reviewed": true, "overdue": true, "title": true, "unreachable": true,
	"duplicate-title": true, "too-long": true, "unknown-key": true, "placeholder": true,
}

// Keep reports whether a problem is reported in a library with these
// settings: managed-library checks only when Managed, and no silenced code.
func (s Settings) Keep(p guide.Problem) bool {
	if !s.Managed && ManagedCodes[p.Code] {
		return false
	}
	return !slices.Contains(s.Silence, p.Code)
}

// LintOptions tune LintWith.
type LintOptions struct {
	// Ignore adds name patterns to DefaultIgnore (see Options.Ignore).
	Ignore []string
	// Managed runs the managed-library checks whatever the settings say.
	Managed bool
}

// Lint is LintWith with the ignore patterns and the library's own settings.
func Lint(ctx context.Context, root string, now time.Time, ignore []string) (*Report, error) {
	return LintWith(ctx, root, now, LintOptions{Ignore: ignore})
}

// LintWith scans the whole library and adds the checks that need more than
// one file or the clock: overdue reviews, duplicate titles, and links,
// images, videos and templates that do not exist or point outside the
// library. Links are resolved in the library's style (DetectLinkStyle);
// the library's settings (cuecard.yaml) choose which problems are kept.
func LintWith(ctx context.Context, root string, now time.Time, o LintOptions) (*Report, error) {
	res, err := Scan(ctx, root, Options{Ignore: o.Ignore})
	if err != nil {
		return nil, err
	}
	rep := &Report{Root: res.Root, Guides: res.Guides, Files: res.Files}
	settings, serr := LoadSettings(res.Root)
	// The links are the folder's own, whatever checks the caller asks for.
	rep.Links = DetectLinkStyle(res.Root, settings)
	if o.Managed {
		settings.Managed = true
	}
	rep.Managed = settings.Managed
	lk := newLinker(res.Root, rep.Links, newIgnore(o.Ignore, settings.HiddenFolders))
	all := append(res.Problems, check(res.Root, res.Guides, now, lk)...)
	all = append(all, TrackProblems(res.Guides, settings)...)
	rep.Unchecked = lk.Skipped
	if serr != nil {
		p := guide.Problem{Path: SettingsFile, Line: 1, Level: guide.LevelError, Code: "settings", Message: serr.Error()}
		var se *SettingsError
		if errors.As(serr, &se) {
			p.Line, p.Message = se.Line, se.Message
		}
		all = append(all, p)
	}
	for _, p := range all {
		if settings.Keep(p) {
			rep.Problems = append(rep.Problems, p)
		} else if !ManagedCodes[p.Code] || settings.Managed {
			rep.Silenced++
		}
	}
	sortProblems(rep.Problems)
	return rep, nil
}

// Check runs the library-wide checks over parsed guides, with links
// resolved relative to each guide (the managed-library style).
func Check(root string, guides []*guide.Guide, now time.Time) []guide.Problem {
	return check(root, guides, now, nil)
}

func check(root string, guides []*guide.Guide, now time.Time, lk *linker) []guide.Problem {
	sorted := append([]*guide.Guide(nil), guides...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].ID < sorted[j].ID })
	if lk == nil {
		lk = &linker{root: root, style: LinksRelative}
	}
	var ps []guide.Problem
	for _, g := range sorted {
		if p, ok := Overdue(g, now); ok {
			ps = append(ps, p)
		}
		ps = append(ps, linkProblems(lk, g)...)
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

// duplicateTitles reports the titles used twice within one language: in a
// library with language folders (two or more sibling folders named like
// "de", "pt-br", "zh-TW") pages in different ones may share a title, as
// untranslated pages do.
func duplicateTitles(ts []titled) []guide.Problem {
	langs := languageFolders(ts)
	var ps []guide.Problem
	byTitle := make(map[string]string, len(ts)) // language folder + normalised title -> first id
	for _, t := range ts {
		key := languageOf(t.id, langs) + "\x00" + strings.ToLower(strings.Join(strings.Fields(t.title), " "))
		if first, ok := byTitle[key]; ok {
			ps = append(ps, guide.Problem{Path: t.id, Line: max(t.line, 1), Level: guide.LevelError, Code: "duplicate-title",
				Message: fmt.Sprintf("title %s is also used by %s: give each guide a unique title", guide.Quote(t.title), first)})
		} else {
			byTitle[key] = t.id
		}
	}
	return ps
}

// languageFolders are the folders (slash paths) of the guides' paths that
// are named like a language and have at least one sibling that is too.
func languageFolders(ts []titled) map[string]bool {
	children := map[string]map[string]bool{} // parent -> language-named child folders
	for _, t := range ts {
		dir := path.Dir(t.id)
		for dir != "." && dir != "/" {
			if isLanguage(path.Base(dir)) {
				parent := path.Dir(dir)
				if children[parent] == nil {
					children[parent] = map[string]bool{}
				}
				children[parent][dir] = true
			}
			dir = path.Dir(dir)
		}
	}
	langs := map[string]bool{}
	for _, c := range children {
		if len(c) >= 2 {
			for d := range c {
				langs[d] = true
			}
		}
	}
	return langs
}

// languageOf is the innermost language folder holding id, or "".
func languageOf(id string, langs map[string]bool) string {
	if len(langs) == 0 {
		return ""
	}
	for dir := path.Dir(id); dir != "." && dir != "/"; dir = path.Dir(dir) {
		if langs[dir] {
			return dir
		}
	}
	return ""
}

// LinkProblems checks a guide's links, images, video and template, with
// links resolved relative to the guide.
func LinkProblems(root string, g *guide.Guide) []guide.Problem {
	return linkProblems(&linker{root: root, style: LinksRelative}, g)
}

func linkProblems(lk *linker, g *guide.Guide) []guide.Problem {
	var ps []guide.Problem
	brokenLinks(lk, g.ID, g.Links, g.Video, g.Line("video"), g.Template, g.Line("template"), func(line int, msg string) {
		ps = append(ps, guide.Problem{Path: g.ID, Line: max(line, 1), Level: guide.LevelError, Code: "broken-link", Message: msg})
	})
	return ps
}

// brokenLinks calls broken with the line and message of each link, image,
// video or template of guide id that does not resolve to a file in the
// library (the problems LinkProblems reports, all "broken-link" errors).
// Links resolve in lk's style; video and template are Cuecard's own keys
// and always resolve from the library's top or the guide's folder.
func brokenLinks(lk *linker, id string, links []guide.Link, video string, videoLine int, template string, templateLine int, broken func(line int, msg string)) {
	root := lk.root
	for _, l := range links {
		if msg := lk.check(id, l.Dest, l.Text, l.Kind); msg != "" {
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
			broken(templateLine, fmt.Sprintf("template %s must be a file in the library, not a URL", guide.Quote(template)))
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
		return "", fmt.Sprintf("%s is not a valid link: %v", guide.Quote(dest), err)
	}
	if u.Scheme == "file" {
		p := filepath.FromSlash(u.Path)
		r, err := filepath.Rel(root, p)
		if err != nil || !filepath.IsAbs(p) || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
			return "", guide.Quote(dest) + " points outside the library: link to a file inside the library with a relative path"
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
		return "", guide.Quote(dest) + " is an absolute path: use a path relative to the guide, inside the library"
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
		return "", guide.Quote(dest) + " points outside the library: move the file into the library"
	}
	return "", guide.Quote(dest) + " does not exist: fix the path or add the file"
}

func checkLink(root, id, dest string, rootRelative bool) string {
	_, msg := Resolve(root, id, dest, rootRelative)
	return msg
}

// TrackProblems are the checks of the Start-here track's keys: a required
// guide must have an owner (who answers for it) and a due date (errors),
// and a role must be one of the library's roles when its settings list
// them (a warning: a misspelt role hides the guide from its people).
func TrackProblems(guides []*guide.Guide, s Settings) []guide.Problem {
	var ps []guide.Problem
	for _, g := range guides {
		ps = trackFactsOf(g, nil).problems(g.ID, s.Roles, ps)
	}
	return ps
}

// trackFacts is what the track checks need of a guide.
type trackFacts struct {
	// roles are the guide's roles joined by "\n" (interned by the watcher:
	// libraries repeat a few roles).
	roles     string
	rolesLine int32
	// requiredLine is the line of required: true; 0 when not required.
	requiredLine   int32
	noOwner, noDue bool
}

// trackFactsOf extracts them; intern, when not nil, shares equal role
// strings.
func trackFactsOf(g *guide.Guide, intern map[string]string) trackFacts {
	t := trackFacts{rolesLine: int32(g.Line("roles"))}
	if g.Required {
		t.requiredLine, t.noOwner, t.noDue = int32(g.Line("required")), g.Owner == "", g.Deadline.IsZero()
	}
	if len(g.Roles) > 0 {
		t.roles = strings.Join(g.Roles, "\n")
		if intern != nil {
			if s, ok := intern[t.roles]; ok {
				t.roles = s
			} else {
				t.roles = strings.Clone(t.roles)
				intern[t.roles] = t.roles
			}
		}
	}
	return t
}

// problems appends the guide's track problems, with libRoles the roles
// the library's settings list, to ps.
func (t trackFacts) problems(id string, libRoles []string, ps []guide.Problem) []guide.Problem {
	if t.requiredLine > 0 && t.noOwner {
		ps = append(ps, guide.Problem{Path: id, Line: int(t.requiredLine), Level: guide.LevelError, Code: "required-owner",
			Message: "a required guide has no owner: add 'owner: name@example.com', the person who answers for it and sees who has done it"})
	}
	if t.requiredLine > 0 && t.noDue {
		ps = append(ps, guide.Problem{Path: id, Line: int(t.requiredLine), Level: guide.LevelError, Code: "required-due",
			Message: "a required guide has no due date: add 'due: 14d' (days after the person's start date) or 'due: 2027-01-31'"})
	}
	if len(libRoles) == 0 || t.roles == "" {
		return ps
	}
	for _, r := range strings.Split(t.roles, "\n") {
		if strings.EqualFold(r, guide.Everyone) || slices.ContainsFunc(libRoles, func(k string) bool { return strings.EqualFold(k, r) }) {
			continue
		}
		ps = append(ps, guide.Problem{Path: id, Line: max(int(t.rolesLine), 1), Level: guide.LevelWarning, Code: "unknown-role",
			Message: fmt.Sprintf("role %q is not one of the library's roles (%s in %s): correct it, or add it to the roles there", r, strings.Join(libRoles, ", "), SettingsFile)})
	}
	return ps
}
