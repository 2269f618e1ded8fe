package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"time"

	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/library"
)

// stringList is a repeatable flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

func (m *Main) cmdNew(ctx context.Context, args []string) error {
	fset := m.flags("new")
	format := fset.String("format", "guide", "guide, checklist, video, template, faq or reference")
	app := fset.String("app", "", "executable the guide is for (becomes the rule exe: ^EXE$)")
	titleRule := fset.String("title-rule", "", "regular expression over the window title (web apps: the tab title)")
	dir := fset.String("dir", "", "library sub-folder to create the guide in")
	video := fset.String("video", "", "video guides: the URL or library-relative file of the walkthrough")
	template := fset.String("template", "", "template guides: the library-relative template file")
	owner := fset.String("owner", "", "owner (default: git config user.email in the library, else $USER)")
	var tags stringList
	fset.Var(&tags, "tag", "a tag (repeatable)")
	pos, err := m.parse(fset, args)
	if err != nil {
		return err
	}
	title := strings.TrimSpace(strings.Join(pos, " "))
	if title == "" {
		return usagef("new: give the guide's title, e.g. cuecard new --format checklist \"How to process a refund\"")
	}
	f := guide.Format(strings.ToLower(*format))
	if !f.Valid() {
		return usagef("new: unknown format %q: use one of guide, checklist, video, template, faq, reference", *format)
	}
	if f == guide.FormatVideo && *video == "" {
		return usagef("new: a video guide needs --video URL (the walkthrough's address or a library-relative file)")
	}
	if f == guide.FormatTemplate && *template == "" {
		return usagef("new: a template guide needs --template FILE (a library-relative file)")
	}
	if *titleRule != "" {
		if _, err := regexp.Compile(*titleRule); err != nil {
			return usagef("new: --title-rule is not a valid regular expression: %v", err)
		}
	}
	root, err := m.libraryRoot()
	if err != nil {
		return err
	}
	if *owner == "" {
		*owner = library.DefaultOwner(root)
	}
	if len(tags) == 0 && *app == "" && *titleRule == "" {
		tags = guide.Keywords(title)
	}
	sub := filepath.Clean(filepath.FromSlash(*dir))
	if filepath.IsAbs(sub) || sub == ".." || strings.HasPrefix(sub, ".."+string(filepath.Separator)) {
		return usagef("new: --dir must be a folder inside the library")
	}
	rel := filepath.Join(sub, guide.FileSlug(title)+".md")
	abs := filepath.Join(root, rel)
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return cannotWrite(root, err)
	}
	content := scaffold(title, f, *app, *titleRule, tags, *owner, *video, *template, m.Now())
	fh, err := os.OpenFile(abs, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s already exists: pick another title or edit that guide", abs)
	}
	if err != nil {
		return cannotWrite(root, err)
	}
	if _, err := fh.WriteString(content); err != nil {
		fh.Close()
		os.Remove(abs)
		return cannotWrite(root, err)
	}
	if err := fh.Close(); err != nil {
		os.Remove(abs)
		return cannotWrite(root, err)
	}
	fmt.Fprintf(m.Stdout, "Created %s\n", abs)
	g, probs := library.ParseFile(filepath.ToSlash(rel), abs)
	if g != nil {
		probs = append(probs, library.Check(root, []*guide.Guide{g}, m.Now())...)
	}
	for _, p := range probs {
		fmt.Fprintf(m.Stderr, "%s\n", p)
	}
	return nil
}

func scaffold(title string, f guide.Format, app, titleRule string, tags []string, owner, video, template string, today time.Time) string {
	fm := guide.FrontMatter{
		Title: title, Summary: guide.PlaceholderSummary, Format: f, Tags: tags,
		Owner: owner, Reviewed: today, ReviewEvery: guide.DefaultReviewEvery, Video: video, Template: template,
		Draft: true, // never suggested until its author takes this line out
	}
	if app != "" || titleRule != "" {
		r := guide.Rule{Title: titleRule}
		if app != "" {
			r.Exe = "^" + regexp.QuoteMeta(app) + "$"
		}
		fm.Apps = []guide.Rule{r}
	}
	var b strings.Builder
	fm.WriteTo(&b)
	b.WriteString("\n")
	switch f {
	case guide.FormatChecklist:
		b.WriteString("Tick each step as you go; your progress is saved.\n\n- [ ] First step\n- [ ] Second step\n- [ ] Last step\n")
	case guide.FormatFAQ:
		b.WriteString("## First question people ask?\n\nThe answer, in two or three sentences.\n\n## Second question?\n\nThe answer.\n")
	case guide.FormatReference:
		b.WriteString("| Item | What it means |\n|---|---|\n| First | ... |\n| Second | ... |\n")
	case guide.FormatVideo:
		b.WriteString("What the video shows, and the steps in short for those who prefer reading:\n\n1. First step\n2. Second step\n")
	case guide.FormatTemplate:
		b.WriteString("When to use this template, and what to fill in:\n\n1. Open the template.\n2. Replace the highlighted parts.\n")
	default:
		b.WriteString("1. First step.\n2. Second step.\n3. Check the result.\n")
	}
	return b.String()
}

// cannotWrite explains a failed write into the library folder.
func cannotWrite(root string, err error) error {
	hint := "check that you may write to the library folder"
	if errors.Is(err, syscall.EROFS) || errors.Is(err, fs.ErrPermission) {
		hint = "the library folder is read-only for you: add the guide where the library is maintained (its source folder or repository), or use --library with a folder you can write to"
	}
	return fmt.Errorf("cannot create the guide in %s: %w; %s", root, err, hint)
}
