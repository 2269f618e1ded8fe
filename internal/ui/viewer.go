package ui

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/link"
	"github.com/cuecard/cuecard/internal/ui/kit"
	"github.com/cuecard/cuecard/internal/ui/markdown"
)

// ViewerSize is the size the guide viewer is designed for.
var ViewerSize = fyne.NewSize(600, 640)

// ViewerConfig is what a Viewer needs besides the guide. Every field is
// optional: without Progress checklist ticks are not saved, without
// Feedback there is no "Was this helpful?", without Opener links and
// buttons that leave Cuecard do nothing.
type ViewerConfig struct {
	// Library is the library folder, for images and to find video and
	// template files. Give it a file system that cannot leave the folder,
	// such as an os.Root's FS. nil shows images as their descriptions.
	Library fs.FS
	// LibraryDir is the library folder's path on disk, for "Copy path".
	LibraryDir string
	// WebBase is the address the library is published at as a web site
	// (the library setting web_base): "Copy web link" copies the guide's
	// page there. Empty: only the cuecard:// link is offered.
	WebBase string
	// Guides reads guides by id, for OpenGuide.
	Guides   GuideSource
	Progress Progress
	Feedback Feedback
	Opener   Opener
	// OnOpenGuide is called by links to other guides of the library.
	OnOpenGuide func(id, anchor string)
	// Training, when set, gives a guide of the person's Start-here track
	// its line: due date and status, with "I have read and understood"
	// (ack guides) or "Mark as done" (other guides; a checklist is done by
	// its ticks). OnTrackChanged is called after each change to the track
	// (an acknowledgement, a mark, a tick).
	Training       Training
	OnTrackChanged func()
	// OnWorkBeside, when set, gives a guide with steps (a checklist or
	// numbered steps) a "Work beside the app" button, which calls it: the
	// steps one at a time in a small window that floats beside the app.
	OnWorkBeside func(g *guide.Guide)
	// OnGuideMe, when set, gives a guide with recorded click targets a
	// "Guide me" button, which calls it: a walkthrough that points at
	// where to click in the app itself.
	OnGuideMe func(g *guide.Guide)
	// OnWatchVideo, when set, plays a video guide's local video (file,
	// its path on disk, from LibraryDir) from at beside the app (the
	// Shell's WatchVideo); else "Watch video" opens it with Opener. A
	// guide opened at the anchor "t=1:05" (a link's "#t=1:05", as media
	// fragments write it) starts playing there.
	OnWatchVideo func(g *guide.Guide, file string, at time.Duration)
	// Now is the clock for the stale warning; nil means time.Now.
	Now func() time.Time
	// Identity returns the user's email as guides name their owner; with
	// Stats, a guide's owner sees "N views, M found it helpful" on it.
	Identity func() string
	Stats    Stats
	// Remote loads images from the web that the library's settings allow
	// (docs/SECURITY.md); nil: remote images are never loaded.
	Remote RemoteImages

	// do runs a change from another goroutine on the UI goroutine:
	// fyne.Do, or a queue in tests (fyne's test driver runs fyne.Do at
	// once, on the calling goroutine).
	do func(func())
}

// RemoteImages loads the remote images a library allows.
type RemoteImages = markdown.RemoteImages

// Viewer shows one guide: a header with the title, format, duration, owner,
// review date and a stale warning; the rendered Markdown with interactive
// checklists and foldable FAQ questions; the video or template buttons; and
// "Was this helpful?".
type Viewer struct {
	widget.BaseWidget

	g   *guide.Guide
	cfg ViewerConfig

	content fyne.CanvasObject
	scroll  *container.Scroll
	body    *fyne.Container

	// anchors maps section anchors to the body's direct children.
	anchors map[string]fyne.CanvasObject
	folds   map[string]*fold
	// pending is the anchor to keep in view until the user scrolls.
	pending string
	// shownAnchor is the section last shown with ShowAnchor ("" for none):
	// a PDF shown at its page "page-3" opens at that page.
	shownAnchor string
	autoOffset  fyne.Position

	checks   map[string]*widget.Check
	state    map[string]bool
	progress *widget.ProgressBar
	errLabel *widget.Label
	// errCopy copies the path or address the desktop could not open.
	errCopy   *kit.Button
	errTarget string
	errRow    fyne.CanvasObject

	training *trainingBar

	vote      *fyne.Container
	voteLabel *widget.Label
	voted     bool
}

// OpenGuide reads guide id through cfg.Guides and returns its viewer, open
// at anchor ("" for the top).
func OpenGuide(cfg ViewerConfig, id, anchor string) (*Viewer, error) {
	if cfg.Guides == nil {
		return nil, fmt.Errorf("open guide %s: no guide source", id)
	}
	g, err := cfg.Guides.Guide(id)
	if err != nil {
		return nil, fmt.Errorf("open guide %s: %w", id, err)
	}
	v := NewViewer(g, cfg)
	v.ShowAnchor(anchor)
	return v, nil
}

// NewViewer returns the viewer of g and records the view with
// cfg.Feedback.Viewed.
func NewViewer(g *guide.Guide, cfg ViewerConfig) *Viewer {
	v := &Viewer{
		g:       g,
		cfg:     cfg,
		anchors: map[string]fyne.CanvasObject{},
		folds:   map[string]*fold{},
		checks:  map[string]*widget.Check{},
		state:   map[string]bool{},
	}
	v.ExtendBaseWidget(v)
	v.loadProgress()

	v.errLabel = widget.NewLabel("")
	v.errLabel.Importance = widget.DangerImportance
	v.errLabel.Wrapping = fyne.TextWrapWord
	v.errCopy = kit.NewButton("Copy", theme.ContentCopyIcon(), func() {
		if v.cfg.Opener != nil {
			v.cfg.Opener.CopyText(v.errTarget)
		}
	})
	v.errRow = container.NewBorder(nil, nil, nil, container.NewVBox(v.errCopy), v.errLabel)
	v.errRow.Hide()

	v.body = container.New(&bodyLayout{v: v})
	v.buildBody()
	v.scroll = container.NewVScroll(container.NewPadded(v.body))
	v.scroll.OnScrolled = func(p fyne.Position) {
		if v.pending != "" && p != v.autoOffset {
			v.pending = "" // the reader scrolled: stop holding the anchor in view
		}
	}

	v.content = container.NewBorder(v.header(), v.footer(), nil, nil, v.scroll)
	if cfg.Feedback != nil {
		cfg.Feedback.Viewed(g.ID)
	}
	return v
}

func (v *Viewer) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(v.content)
}

// Guide is the guide shown.
func (v *Viewer) Guide() *guide.Guide { return v.g }

// Done returns how many checklist steps are ticked, of how many.
func (v *Viewer) Done() (done, total int) {
	for id := range v.checks {
		total++
		if v.state[id] {
			done++
		}
	}
	return done, total
}

// ShowAnchor scrolls to the section with the anchor and, in an FAQ, opens
// that question. "" scrolls to the top.
func (v *Viewer) ShowAnchor(anchor string) {
	anchor = strings.TrimPrefix(anchor, "#")
	v.shownAnchor = anchor
	if t, ok := strings.CutPrefix(anchor, "t="); ok && v.g.Format == guide.FormatVideo {
		at, ok := guide.ParseClock(t)
		if !ok {
			secs, err := strconv.ParseFloat(t, 64)
			at, ok = time.Duration(secs*float64(time.Second)), err == nil && secs >= 0
		}
		if ok {
			v.watchVideoAt(at)
			return
		}
	}
	if anchor == "" {
		v.pending = ""
		v.scroll.ScrollToTop()
		return
	}
	if f, ok := v.folds[anchor]; ok {
		f.setOpen(true)
	}
	if _, ok := v.anchors[anchor]; !ok {
		return
	}
	v.pending = anchor
	v.applyAnchor()
}

// applyAnchor scrolls the pending anchor to the top of the view. The body's
// layout calls it, so it holds while wrapped text settles.
func (v *Viewer) applyAnchor() {
	if v.pending == "" || v.scroll == nil || v.scroll.Size().Height <= 0 {
		return
	}
	obj, ok := v.anchors[v.pending]
	if !ok {
		return
	}
	y := obj.Position().Y + theme.Padding() // the body sits in a padded container
	maxY := v.scroll.Content.MinSize().Height - v.scroll.Size().Height
	y = max(0, min(y, maxY))
	v.autoOffset = fyne.NewPos(0, y)
	if v.scroll.Offset != v.autoOffset {
		v.scroll.ScrollToOffset(v.autoOffset)
	}
}

// header builds the fixed top of the viewer.
func (v *Viewer) header() fyne.CanvasObject {
	g := v.g
	var title fyne.CanvasObject = kit.NewText(g.Title, kit.HeadingStyle(1))
	if b := v.besideButton(); b != nil {
		// Top right, beside the title: follow the steps one at a time in a
		// small window beside the app.
		title = container.NewBorder(nil, nil, nil, b, title)
	}

	meta := []string{FormatName(g.Format)}
	if d := durationText(g.Duration); d != "" {
		meta = append(meta, d)
	}
	if g.Owner != "" {
		meta = append(meta, "Owner: "+g.Owner)
	}
	if !g.Reviewed.IsZero() {
		meta = append(meta, "Reviewed "+dateText(g.Reviewed))
	}
	metaLabel := kit.Subtle(strings.Join(meta, "  ·  "))
	metaRow := container.NewBorder(nil, nil, kit.LineIcon(FormatIcon(g.Format)), v.linkButton(), metaLabel)

	objs := []fyne.CanvasObject{title, metaRow}
	if o := v.ownerStats(); o != "" {
		objs = append(objs, kit.Subtle(o))
	}
	if g.Summary != "" {
		objs = append(objs, kit.NewText(g.Summary, kit.Style{Italic: true}))
	}
	if w := v.staleWarning(); w != nil {
		objs = append(objs, w)
	}
	if t := v.trainingBar(); t != nil {
		objs = append(objs, t)
	}
	if a := v.actions(); a != nil {
		objs = append(objs, a)
	}
	objs = append(objs, v.errRow, widget.NewSeparator())
	return container.NewVBox(objs...)
}

// ownerStats is "Your guide: N views, M found it helpful" when the reader
// owns the guide, else "".
func (v *Viewer) ownerStats() string {
	if v.cfg.Identity == nil || v.cfg.Stats == nil || v.g.Owner == "" {
		return ""
	}
	me := strings.TrimSpace(v.cfg.Identity())
	if me == "" || !strings.EqualFold(me, strings.TrimSpace(v.g.Owner)) {
		return ""
	}
	views, helpful, err := v.cfg.Stats.GuideStats(v.g.ID)
	if err != nil {
		return "Your guide: its usage could not be read (" + err.Error() + ")"
	}
	return fmt.Sprintf("Your guide: %s, %d found it helpful", count(views, "view", "views"), helpful)
}

func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// staleWarning is the notice of an overdue review, or nil.
func (v *Viewer) staleWarning() fyne.CanvasObject {
	now := time.Now()
	if v.cfg.Now != nil {
		now = v.cfg.Now()
	}
	if !v.g.Stale(now) {
		return nil
	}
	ask := "ask the library's maintainers"
	if v.g.Owner != "" {
		ask = "ask " + v.g.Owner
	}
	text := fmt.Sprintf("Review overdue since %s: this guide may be out of date. If something does not match, %s.",
		dateText(v.g.Due()), ask)
	return kit.Notice(theme.NewWarningThemedResource(theme.WarningIcon()), theme.ColorNameWarning,
		kit.NewText(text, kit.Style{Bold: true}))
}

// actions is the row of buttons of the guide's format, or nil.
func (v *Viewer) actions() fyne.CanvasObject {
	g := v.g
	if g.Format != guide.FormatVideo && guide.LinkItem(g.ID) && len(g.Links) > 0 && guide.IsWebURL(g.Links[0].Dest) {
		// A link file (a Google document's shortcut, a web link): its page.
		b := kit.NewButton("Open in browser", theme.ComputerIcon(), v.openLinkItem)
		b.Importance = widget.HighImportance
		return container.NewHBox(b)
	}
	if g.Format != guide.FormatVideo && !guide.IsGuideFile(g.ID) && guide.Openable(g.ID) {
		// A PDF, Word or OpenDocument file of the library: shown here as
		// text, and opened whole in the desktop's program.
		b := kit.NewButton("Open document", theme.FolderOpenIcon(), v.openDocument)
		b.Importance = widget.HighImportance
		return container.NewHBox(b)
	}
	switch g.Format {
	case guide.FormatVideo:
		if g.Video == "" {
			return nil
		}
		b := kit.NewButton("Watch video", theme.MediaPlayIcon(), v.watchVideo)
		b.Importance = widget.HighImportance
		return container.NewHBox(b)
	case guide.FormatTemplate:
		if g.Template == "" {
			return nil
		}
		p, _ := guide.LibraryFile(v.cfg.Library, g.ID, g.Template)
		cp := kit.NewButton("Copy path", theme.ContentCopyIcon(), v.copyTemplatePath)
		name := kit.Subtle(p)
		if !guide.Openable(p) {
			// A program, script or web page: never opened (docs/SECURITY.md).
			cp.Importance = widget.HighImportance
			why := kit.Subtle(fmt.Sprintf("Cuecard opens documents and media only, not %s files: copy the path and open it with your own program.", path.Ext(p)))
			return container.NewVBox(container.NewBorder(nil, nil, cp, nil, name), why)
		}
		open := kit.NewButton("Open template", theme.FolderOpenIcon(), v.openTemplate)
		open.Importance = widget.HighImportance
		return container.NewBorder(nil, nil, container.NewHBox(open, cp), nil, name)
	}
	if len(v.checks) == 0 {
		return nil
	}
	v.progress = widget.NewProgressBar()
	v.progress.TextFormatter = func() string {
		done, total := v.Done()
		return fmt.Sprintf("%d of %d done", done, total)
	}
	v.updateProgress()
	reset := kit.NewButton("Reset checklist", theme.ViewRefreshIcon(), v.resetChecklist)
	return container.NewBorder(nil, nil, nil, reset, v.progress)
}

// linkButton is "Copy link": it copies the guide's cuecard:// link, to
// paste in a task, a ticket or a chat; when the library is published on
// the web it offers that link or the guide's web page in a menu. nil
// without an Opener to copy with.
func (v *Viewer) linkButton() fyne.CanvasObject {
	if v.cfg.Opener == nil {
		return nil
	}
	var b *kit.Button
	copied := func(text string) func() {
		return func() {
			v.cfg.Opener.CopyText(text)
			b.SetText("Link copied")
			b.SetIcon(theme.ConfirmIcon())
		}
	}
	app := copied(link.GuideURL(v.g.ID, ""))
	web := link.WebURL(v.cfg.WebBase, v.g.ID)
	b = kit.NewButton("Copy link", theme.ContentCopyIcon(), app)
	b.Importance = widget.LowImportance
	if web != "" {
		host := web
		if u, err := url.Parse(web); err == nil {
			host = u.Host
		}
		menu := fyne.NewMenu("",
			fyne.NewMenuItem("Cuecard link (opens the guide in Cuecard)", app),
			fyne.NewMenuItem("Web link (the guide's page on "+host+")", copied(web)))
		b.OnTapped = func() {
			c := fyne.CurrentApp().Driver().CanvasForObject(b)
			widget.ShowPopUpMenuAtRelativePosition(menu, c, fyne.NewPos(0, b.Size().Height), b)
		}
	}
	return b
}

// besideButton is "Work beside the app" for a guide with steps, or nil.
func (v *Viewer) besideButton() fyne.CanvasObject {
	if v.cfg.OnWorkBeside == nil || !HasSteps(v.g) {
		return nil
	}
	b := kit.NewButton("Step by step", theme.ViewRestoreIcon(), func() { v.cfg.OnWorkBeside(v.g) })
	if v.cfg.OnGuideMe != nil && CanGuideMe(v.g) {
		gm := kit.NewButton("Guide me", theme.VisibilityIcon(), func() { v.cfg.OnGuideMe(v.g) })
		gm.Importance = widget.HighImportance
		return container.NewVBox(container.NewHBox(gm, b))
	}
	return container.NewVBox(b)
}

// CanGuideMe reports whether g can be played as Guide me: it has steps
// and at least one recorded click target.
func CanGuideMe(g *guide.Guide) bool { return (g.HasClicks || len(g.Clicks) > 0) && HasSteps(g) }

// footer is "Was this helpful? Yes / No".
func (v *Viewer) footer() fyne.CanvasObject {
	if v.cfg.Feedback == nil {
		return nil
	}
	v.voteLabel = widget.NewLabel("Was this helpful?")
	yes := kit.NewButton("Yes", theme.ConfirmIcon(), func() { v.sendVote(true) })
	no := kit.NewButton("No", theme.CancelIcon(), func() { v.sendVote(false) })
	v.vote = container.NewHBox(yes, no)
	return container.NewVBox(widget.NewSeparator(),
		container.NewHBox(layout.NewSpacer(), v.voteLabel, v.vote, layout.NewSpacer()))
}

func (v *Viewer) sendVote(helpful bool) {
	if v.voted {
		return
	}
	v.voted = true
	v.vote.Hide()
	if err := v.cfg.Feedback.Vote(v.g.ID, helpful); err != nil {
		v.voteLabel.SetText("Could not save your answer: " + err.Error())
		return
	}
	v.voteLabel.SetText("Thanks for your feedback.")
}

// follow does what a link's target says.
func (v *Viewer) follow(t guide.Target) {
	switch t.Kind {
	case guide.TargetURL:
		if v.cfg.Opener != nil {
			v.showErr("open "+t.URL, v.cfg.Opener.OpenURL(t.URL))
		}
	case guide.TargetGuide:
		if v.cfg.OnOpenGuide != nil {
			v.cfg.OnOpenGuide(t.ID, t.Anchor)
		}
	case guide.TargetAnchor:
		v.ShowAnchor(t.Anchor)
	}
}

// followLink applies the link policy to a destination written in the guide.
func (v *Viewer) followLink(dest string) { v.follow(guide.ResolveLink(v.g.ID, dest)) }

func (v *Viewer) watchVideo() { v.watchVideoAt(0) }

// watchVideoAt plays the video from at: beside the app (OnWatchVideo) for
// a file of the library, else in the browser or the desktop's player.
func (v *Viewer) watchVideoAt(at time.Duration) {
	if v.cfg.OnWatchVideo != nil && v.cfg.LibraryDir != "" && !guide.IsWebURL(v.g.Video) {
		if p, ok := guide.LibraryFile(v.cfg.Library, v.g.ID, v.g.Video); ok {
			v.cfg.OnWatchVideo(v.g, filepath.Join(v.cfg.LibraryDir, filepath.FromSlash(p)), at)
			return
		}
	}
	if v.cfg.Opener == nil {
		return
	}
	if guide.IsWebURL(v.g.Video) {
		v.showErr("open the video", v.cfg.Opener.OpenURL(strings.TrimSpace(v.g.Video)))
		return
	}
	if p, ok := guide.LibraryFile(v.cfg.Library, v.g.ID, v.g.Video); ok {
		v.showErr("open the video", v.cfg.Opener.OpenFile(p))
	}
}

func (v *Viewer) openLinkItem() {
	if v.cfg.Opener == nil || len(v.g.Links) == 0 {
		return
	}
	v.showErr("open the link", v.cfg.Opener.OpenURL(strings.TrimSpace(v.g.Links[0].Dest)))
}

// PageOpener is an Opener that can open a paged document (a PDF) at a
// page, from 1.
type PageOpener interface {
	OpenFilePage(libraryRelPath string, page int) error
}

func (v *Viewer) openDocument() {
	if v.cfg.Opener == nil {
		return
	}
	// A PDF shown at a page (a search hit on it) opens at that page.
	if n, err := strconv.Atoi(strings.TrimPrefix(v.shownAnchor, "page-")); err == nil && n > 0 && guide.Paged(v.g.ID) && strings.HasPrefix(v.shownAnchor, "page-") {
		if po, ok := v.cfg.Opener.(PageOpener); ok {
			v.showErr("open the document", po.OpenFilePage(v.g.ID, n))
			return
		}
	}
	v.showErr("open the document", v.cfg.Opener.OpenFile(v.g.ID))
}

func (v *Viewer) openTemplate() {
	if v.cfg.Opener == nil {
		return
	}
	if p, ok := guide.LibraryFile(v.cfg.Library, v.g.ID, v.g.Template); ok {
		v.showErr("open the template", v.cfg.Opener.OpenFile(p))
	}
}

func (v *Viewer) copyTemplatePath() {
	if v.cfg.Opener == nil {
		return
	}
	p, ok := guide.LibraryFile(v.cfg.Library, v.g.ID, v.g.Template)
	if !ok {
		return
	}
	if v.cfg.LibraryDir != "" {
		p = filepath.Join(v.cfg.LibraryDir, filepath.FromSlash(p))
	}
	v.cfg.Opener.CopyText(p)
}

// showErr shows a failed action under the header; nil clears it.
func (v *Viewer) showErr(what string, err error) {
	if err == nil {
		v.errRow.Hide()
		return
	}
	v.errLabel.SetText(fmt.Sprintf("Could not %s: %v", what, err))
	var oe *OpenError
	if errors.As(err, &oe) {
		// The desktop could not open it: the path or address to copy.
		v.errTarget = oe.Target
		v.errLabel.SetText(fmt.Sprintf("Could not %s: %v. Copy it to open it another way.", what, err))
		v.errCopy.Show()
	} else {
		v.errCopy.Hide()
	}
	v.errRow.Show()
}

// loadProgress sets each step's state: the saved one, else the file's.
func (v *Viewer) loadProgress() {
	for _, s := range v.g.Steps {
		v.state[s.ID] = s.Checked
	}
	if v.cfg.Progress == nil {
		return
	}
	for id, on := range v.cfg.Progress.Steps(v.g.ID) {
		if _, ok := v.state[id]; ok {
			v.state[id] = on
		}
	}
}

// newStep builds the row of one checklist step; known is false for a task
// item the parser did not report (its state is not saved).
func (v *Viewer) newStep(s guide.Step, known bool, runs []kit.Run) fyne.CanvasObject {
	check := kit.NewCheck("", nil)
	if known {
		check.Checked = v.state[s.ID]
		v.checks[s.ID] = &check.Check
		id := s.ID
		check.OnChanged = func(on bool) { v.setStep(id, on) }
	} else {
		check.Checked = s.Checked
	}
	label := kit.NewTapBox(kit.NewFlowText(runs...), func() { check.SetChecked(!check.Checked) })
	return container.NewBorder(nil, nil, container.NewVBox(check), nil, label)
}

func (v *Viewer) setStep(id string, on bool) {
	v.state[id] = on
	v.updateProgress()
	if v.cfg.Progress != nil {
		v.showErr("save your progress", v.cfg.Progress.SetStep(v.g.ID, id, on))
	}
	v.trackChanged()
}

func (v *Viewer) trackChanged() {
	if v.training != nil {
		v.training.refresh()
	}
	if v.cfg.OnTrackChanged != nil {
		v.cfg.OnTrackChanged()
	}
}

func (v *Viewer) updateProgress() {
	if v.progress == nil {
		return
	}
	done, total := v.Done()
	if total == 0 {
		v.progress.SetValue(0)
		return
	}
	v.progress.SetValue(float64(done) / float64(total))
}

// resetChecklist forgets the saved progress and shows the file's ticks.
func (v *Viewer) resetChecklist() {
	if v.cfg.Progress != nil {
		if err := v.cfg.Progress.Reset(v.g.ID); err != nil {
			v.showErr("reset the checklist", err)
			return
		}
	}
	for _, s := range v.g.Steps {
		v.state[s.ID] = s.Checked
		if c, ok := v.checks[s.ID]; ok && c.Checked != s.Checked {
			c.Checked = s.Checked // not SetChecked: that would save each step again
			c.Refresh()
		}
	}
	v.updateProgress()
	v.showErr("", nil)
}

// buildBody renders the Markdown into v.body.
func (v *Viewer) buildBody() {
	pre, sections := markdown.Render(v.g, markdown.Options{Library: v.cfg.Library, Remote: v.cfg.Remote,
		Do: v.cfg.do, OnLink: v.follow, Step: v.newStep})
	objs := append([]fyne.CanvasObject(nil), pre...)
	if v.g.Format == guide.FormatFAQ {
		for _, s := range sections {
			f := newFold(v, s)
			v.folds[s.Anchor] = f
			v.anchors[s.Anchor] = f.box
			objs = append(objs, f.box)
		}
	} else {
		for _, s := range sections {
			h := kit.NewText(s.Title, kit.HeadingStyle(2))
			v.anchors[s.Anchor] = h
			objs = append(objs, h)
			objs = append(objs, s.Blocks...)
		}
	}
	if len(objs) == 0 {
		objs = append(objs, kit.Subtle("This guide is empty."))
	}
	v.body.Objects = objs
}

// bodyLayout is a VBox that keeps the viewer's pending anchor in view as
// the layout settles.
type bodyLayout struct {
	v    *Viewer
	vbox fyne.Layout
}

func (l *bodyLayout) inner() fyne.Layout {
	if l.vbox == nil {
		l.vbox = layout.NewVBoxLayout()
	}
	return l.vbox
}

func (l *bodyLayout) MinSize(objs []fyne.CanvasObject) fyne.Size { return l.inner().MinSize(objs) }

func (l *bodyLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	l.inner().Layout(objs, size)
	l.v.applyAnchor()
}

// fold is one FAQ question: a header that opens and closes its answer.
type fold struct {
	v      *Viewer
	icon   *widget.Icon
	detail *fyne.Container
	answer fyne.CanvasObject
	box    *fyne.Container
	open   bool
}

func newFold(v *Viewer, s markdown.Section) *fold {
	f := &fold{v: v, icon: widget.NewIcon(theme.MenuExpandIcon())}
	q := kit.NewText(s.Title, kit.Style{Bold: true})
	header := kit.NewTapBox(container.NewBorder(nil, nil, container.New(&kit.TopOffset{}, f.icon), nil, q), func() {
		v.pending = "" // the reader chose: do not jump back to an anchor
		f.setOpen(!f.open)
	})
	blocks := s.Blocks
	if len(blocks) == 0 {
		blocks = []fyne.CanvasObject{kit.Subtle("No answer yet.")}
	}
	f.detail = container.NewVBox(blocks...)
	f.answer = kit.Indent(1, f.detail)
	f.answer.Hide()
	f.box = container.NewVBox(header, f.answer)
	return f
}

func (f *fold) setOpen(open bool) {
	if f.open == open {
		return
	}
	f.open = open
	if open {
		f.icon.SetResource(theme.MenuDropDownIcon())
		f.answer.Show()
	} else {
		f.icon.SetResource(theme.MenuExpandIcon())
		f.answer.Hide()
	}
	f.box.Refresh()
	f.v.body.Refresh()
}

// now is the viewer's clock.
func (v *Viewer) now() time.Time {
	if v.cfg.Now != nil {
		return v.cfg.Now()
	}
	return time.Now()
}
