package desktop

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"

	"github.com/cuecard/cuecard/internal/coach"
	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/library"
	"github.com/cuecard/cuecard/internal/search"
	"github.com/cuecard/cuecard/internal/ui"
)

// The small adapters between the UI's interfaces and the core.

// searcher runs the search window's queries, ranked toward the focused app.
type searcher struct {
	ix   *search.Index
	c    *coach.Coach
	root string // the library folder, to read checklists in progress
}

// maxInProgress is how many checklists under way the empty search lists.
const maxInProgress = 5

func (s searcher) Search(ctx context.Context, text string, limit int) ([]ui.Hit, error) {
	res, err := s.ix.Search(ctx, search.Query{Text: text, Window: s.c.Current().Window, Limit: limit})
	if err != nil {
		return nil, err
	}
	hits := make([]ui.Hit, 0, len(res))
	roles := s.c.Profile().Roles
	for _, r := range res {
		h := ui.Hit{ID: r.ID, Title: r.Title, Summary: r.Summary, Format: r.Format, Duration: r.Duration,
			Stale: r.Stale, Snippet: r.Snippet, Section: r.Section, Anchor: r.Anchor, AppMatch: r.AppMatch}
		// Search finds every guide; one for other roles says whose it is.
		if len(roles) > 0 {
			if g := s.ix.Guide(r.ID); g != nil && !g.ForRoles(roles) {
				h.ForOthers = strings.Join(g.Roles, ", ")
			}
		}
		hits = append(hits, h)
	}
	if strings.TrimSpace(text) == "" && s.root != "" {
		hits = s.withInProgress(hits, limit)
	}
	return hits, nil
}

// withInProgress puts the checklists the user has under way (some steps
// ticked, not all) first in the empty search, where the focused app's
// guides are: so a checklist left half-done is one hotkey away.
func (s searcher) withInProgress(hits []ui.Hit, limit int) []ui.Hit {
	ids, err := s.c.InProgress()
	if err != nil || len(ids) == 0 {
		return hits
	}
	var under []ui.Hit
	for _, id := range ids {
		if len(under) == maxInProgress {
			break
		}
		g, _ := library.ParseFile(id, filepath.Join(s.root, filepath.FromSlash(id)))
		if g == nil || len(g.Steps) == 0 {
			continue
		}
		p, err := s.c.Progress(id)
		if err != nil {
			continue
		}
		done := 0 // of the steps the file has now (the index keeps no steps)
		for _, st := range g.Steps {
			if p.Checked[st.ID] {
				done++
			}
		}
		if done == 0 || done == len(g.Steps) {
			continue
		}
		under = append(under, ui.Hit{ID: g.ID, Title: g.Title, Summary: g.Summary, Format: g.Format, Duration: g.Duration,
			Stale: g.Stale(time.Now()), Snippet: fmt.Sprintf("In progress: %d of %d steps done", done, len(g.Steps))})
	}
	if len(under) == 0 {
		return hits
	}
	out := append([]ui.Hit(nil), under...)
	for _, h := range hits {
		if !slices.ContainsFunc(under, func(u ui.Hit) bool { return u.ID == h.ID }) {
			out = append(out, h)
		}
	}
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

// guideSource reads a guide for the viewer from its file.
type guideSource struct{ root string }

func (g guideSource) Guide(id string) (*guide.Guide, error) {
	gd, ps := library.ParseFile(id, filepath.Join(g.root, filepath.FromSlash(id)))
	if gd == nil {
		if len(ps) > 0 {
			return nil, errors.New(ps[0].String())
		}
		return nil, fmt.Errorf("%s: cannot be read", id)
	}
	return gd, nil
}

// progress is a checklist's saved progress.
type progress struct{ c *coach.Coach }

func (p progress) Steps(id string) map[string]bool {
	pr, err := p.c.Progress(id)
	if err != nil {
		return nil
	}
	return pr.Checked
}
func (p progress) SetStep(id, step string, checked bool) error { return p.c.SetStep(id, step, checked) }
func (p progress) Reset(id string) error                       { return p.c.ResetChecklist(id) }

// feedback is the viewer's "Was this helpful?" and views.
type feedback struct{ c *coach.Coach }

func (f feedback) Vote(id string, helpful bool) error { return f.c.Vote(id, helpful) }
func (f feedback) Viewed(id string)                   { _ = f.c.MarkViewed(id) }

// opener opens links with the desktop's default programs: web and mail
// links, and files inside the library (never anything outside it).
type opener struct{ root string }

func (o *opener) OpenURL(u string) error {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https" && p.Scheme != "mailto") {
		return fmt.Errorf("not opened: only web and mail links are: %q", u)
	}
	// Through OpenPath rather than fyne's OpenURL, which does not wait to
	// hear that no browser started.
	return OpenPath(p.String())
}

// OpenFile opens a document or media file of the library; programs,
// scripts, launchers and anything outside the library (a ".." path or a
// link that leads out) are refused (library.OpenablePath, docs/SECURITY.md).
func (o *opener) OpenFile(rel string) error {
	p, err := library.OpenablePath(o.root, rel)
	if err != nil {
		return err
	}
	return OpenPath(p)
}

// OpenFilePage opens a PDF of the library at a page (ui.PageOpener).
func (o *opener) OpenFilePage(rel string, page int) error {
	p, err := library.OpenablePath(o.root, rel)
	if err != nil {
		return err
	}
	return OpenPDFPage(p, page)
}

func (o *opener) CopyText(s string) { fyne.CurrentApp().Clipboard().SetContent(s) }

// viewerConfig is the viewer's access to the library: images inside the
// library only (a symbolic link that leads outside is refused, not
// followed), guides from their files, links through opener.
func viewerConfig(root string, now func() time.Time) ui.ViewerConfig {
	return ui.ViewerConfig{Library: library.FS(root), LibraryDir: root, Guides: guideSource{root: root},
		Opener: &opener{root: root}, Now: now}
}
