package coach

import (
	"fmt"
	"regexp/syntax"
	"strings"

	"github.com/cuecard/cuecard/internal/guide"
)

// assignedKey prefixes a guide's id in the store's seen apps: the guide was
// opened from a link (MarkAssigned). The store keeps it as it keeps an app.
const assignedKey = "guide:"

// MarkAssigned records that guide id was opened from a link someone sent
// (a task, a ticket, a chat): the guide was assigned, so the first-open
// policy treats its apps as seen and it does not pop up again.
//
// The apps its rules name are marked seen at once: a literal executable
// (exe: '^acme-crm$' names exe:acme-crm), a window class, a web app's site
// or title; and so is the focused app when the guide is among its
// matches. A rule that names no app by a literal (exe: 'gimp-2\.\d+') is
// covered when its app is next focused: the first-open pop of an app
// whose suggested guides include an assigned one is skipped and the app
// marked seen then, and an assigned guide is never announced as new.
func (c *Coach) MarkAssigned(id string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	var g *guide.Guide
	if c.lib != nil {
		g = c.lib.Guide(id)
	}
	if g == nil {
		return fmt.Errorf("mark %s as assigned: no such guide in the library", id)
	}
	now := c.clock.Now()
	apps := []App{{Key: assignedKey + id, Name: g.Title}}
	for _, r := range g.Apps {
		apps = append(apps, RuleApps(r, c.cfg.Browsers)...)
	}
	if c.app.Key != "" {
		for _, m := range c.matches {
			if m.Guide.ID == id {
				apps = append(apps, c.app)
				break
			}
		}
	}
	for _, a := range apps {
		first, _, err := c.store.Seen(a.Key)
		if err == nil && !first.IsZero() {
			continue // seen already: its "new guide" time stays as it is
		}
		if err := c.store.MarkSeen(a.Key, a.Name, now); err != nil {
			return fmt.Errorf("mark %s as assigned: %w", id, err)
		}
	}
	c.log.Info("guide assigned", "id", id, "apps", len(apps)-1)
	c.refresh()
	return nil
}

// assigned reports whether guide id was opened from a link (MarkAssigned).
func (c *Coach) assigned(id string) bool {
	first, _, err := c.store.Seen(assignedKey + id)
	return err == nil && !first.IsZero()
}

// RuleApps are the apps (keys as AppKey makes them) that a rule names by
// literal text: the executables or classes an expression can only be
// (`^(soffice|libreoffice)$` names both); and for a web app (a rule with
// a title and no executable or class, or a browser's) the site its title
// names, else the title expression. Expressions that match open-ended text
// name none.
func RuleApps(r guide.Rule, browsers []guide.Rule) []App {
	var out []App
	web := r.Exe == "" && r.Class == ""
	names, prefix := literals(r.Exe), "exe:"
	if r.Exe == "" {
		names, prefix = literals(r.Class), "class:"
	}
	for _, s := range names {
		if prefix == "exe:" {
			s = exeName(s)
		}
		s = strings.TrimSpace(s)
		switch {
		case s == "":
		case isBrowser(guide.Window{Exe: s, Class: s}, browsers):
			web = true
		default:
			out = append(out, App{Key: prefix + strings.ToLower(s), Name: s})
		}
	}
	title := strings.TrimSpace(r.Title)
	if !web || title == "" {
		return out
	}
	// As AppKey keys a browser's pages: by the site a title names, else
	// by the expression.
	if site := siteName(title); site != "" {
		return append(out, App{Key: "web:" + strings.ToLower(site), Name: site})
	}
	return append(out, App{Key: "web:" + strings.ToLower(title), Name: literalName(title)})
}

// maxLiterals bounds what literals enumerates.
const maxLiterals = 16

// literals is every string expr can match whole, when they are few
// (anchors are ignored: a rule's literal names its app); nil when expr
// matches open-ended text.
func literals(expr string) []string {
	if expr == "" {
		return nil
	}
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil
	}
	out, ok := enumerate(re.Simplify())
	if !ok {
		return nil
	}
	var keep []string
	for _, s := range out {
		if s != "" {
			keep = append(keep, s)
		}
	}
	return keep
}

func enumerate(re *syntax.Regexp) ([]string, bool) {
	switch re.Op {
	case syntax.OpLiteral:
		return []string{string(re.Rune)}, true
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText:
		return []string{""}, true
	case syntax.OpCapture:
		return enumerate(re.Sub[0])
	case syntax.OpCharClass:
		var out []string
		for i := 0; i+1 < len(re.Rune); i += 2 {
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				if len(out) == maxLiterals {
					return nil, false
				}
				out = append(out, string(r))
			}
		}
		return out, true
	case syntax.OpQuest:
		sub, ok := enumerate(re.Sub[0])
		if !ok || len(sub) >= maxLiterals {
			return nil, false
		}
		return append([]string{""}, sub...), true
	case syntax.OpAlternate:
		var out []string
		for _, s := range re.Sub {
			sub, ok := enumerate(s)
			if !ok || len(out)+len(sub) > maxLiterals {
				return nil, false
			}
			out = append(out, sub...)
		}
		return out, true
	case syntax.OpConcat:
		out := []string{""}
		for _, s := range re.Sub {
			sub, ok := enumerate(s)
			if !ok || len(out)*len(sub) > maxLiterals {
				return nil, false
			}
			next := make([]string, 0, len(out)*len(sub))
			for _, a := range out {
				for _, b := range sub {
					next = append(next, a+b)
				}
			}
			out = next
		}
		return out, true
	}
	return nil, false
}

// anyAssigned reports whether one of the guides ids was opened from a link.
func (c *Coach) anyAssigned(ids []string) bool {
	for _, id := range ids {
		if c.assigned(id) {
			return true
		}
	}
	return false
}
