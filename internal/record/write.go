package record

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/cuecard/cuecard/internal/guide"
)

// Guide is what Write needs besides the steps.
type Guide struct {
	Title string
	Owner string
	// Today is the review date written in the front matter.
	Today time.Time
	// Tags are written when no apps rule can be inferred (every step
	// hidden, or none), so that the guide can still be surfaced.
	Tags   []string
	Images ImageOptions
	// Folder is where in the library the guide goes: a library-relative
	// folder with forward slashes ("crm/deals"), "" for the library root.
	// It must exist.
	Folder string
}

// Written is where Write put the guide.
type Written struct {
	// Dir is the guide's folder and File its index.md.
	Dir, File string
	// ID is the guide's library id, e.g. "how-to-create-a-deal/index.md".
	ID string
	// Images are the written step images (library-relative to Dir), with
	// their sizes in bytes and pixels.
	Images []WrittenImage
	// Targets are the click targets' patches (step-NN-target.png), one
	// per click step with a screenshot.
	Targets []WrittenImage
	// Video and Poster are a video guide's recording and poster frame
	// (WriteVideo).
	Video, Poster string
}

// WrittenImage is one step's image.
type WrittenImage struct {
	Step  int
	Name  string
	Bytes int
	Size  [2]int
}

// Apps infers the apps rules from the steps: one rule per app, in the order
// first used; an app with an executable gets an exe rule, else a class rule.
// Hidden steps never contribute.
func Apps(steps []Step) []guide.Rule {
	var rules []guide.Rule
	seen := map[string]bool{}
	for _, s := range steps {
		if s.Hidden {
			continue
		}
		var r guide.Rule
		switch {
		case s.Window.Exe != "":
			r = guide.Rule{Exe: exeRule(s.Window.Exe)}
		case s.Window.Class != "":
			r = guide.Rule{Class: "^" + regexp.QuoteMeta(s.Window.Class) + "$"}
		case s.Window.Instance != "":
			r = guide.Rule{Class: "^" + regexp.QuoteMeta(s.Window.Instance) + "$"}
		default:
			continue
		}
		key := r.Exe + "\x00" + r.Class
		if !seen[key] {
			seen[key] = true
			rules = append(rules, r)
		}
	}
	return rules
}

// exeRule matches one executable. A Windows program's (".exe") matches in
// any case, as Windows names files: NOTEPAD.EXE is notepad.exe.
func exeRule(exe string) string {
	r := "^" + regexp.QuoteMeta(exe) + "$"
	if strings.HasSuffix(strings.ToLower(exe), ".exe") {
		r = "(?i)" + r
	}
	return r
}

// Write writes the guide for steps into a new folder in g.Folder of the
// library, named after the title's slug ("-2", "-3", ... when taken):
// index.md and step-NN.png. It never overwrites anything: the folder is
// assembled under a temporary name beside it and renamed into place, so a
// crash leaves no half-written guide (only a hidden temporary folder).
func Write(root string, g Guide, steps []Step) (Written, error) {
	title := strings.Join(strings.Fields(g.Title), " ")
	if title == "" {
		return Written{}, errors.New("write recorded guide: the guide has no title")
	}
	folder, err := CleanFolder(g.Folder)
	if err != nil {
		return Written{}, fmt.Errorf("write recorded guide: %w", err)
	}
	root = filepath.Join(root, filepath.FromSlash(folder))
	tmp, err := os.MkdirTemp(root, ".cuecard-recording-")
	if err != nil {
		return Written{}, fmt.Errorf("write recorded guide into %s: %w", root, err)
	}
	done := false
	defer func() {
		if !done {
			os.RemoveAll(tmp)
		}
	}()
	var w Written
	names := make([]string, len(steps))
	for i, s := range steps {
		if s.Hidden || s.Image == nil {
			continue
		}
		r, err := Render(s.Image, s.Point, s.HasPoint, g.Images)
		if err != nil {
			return Written{}, fmt.Errorf("step %d: %w", i+1, err)
		}
		names[i] = fmt.Sprintf("step-%02d.png", i+1)
		if err := os.WriteFile(filepath.Join(tmp, names[i]), r.PNG, 0o644); err != nil {
			return Written{}, fmt.Errorf("write recorded guide: %w", err)
		}
		w.Images = append(w.Images, WrittenImage{Step: i + 1, Name: names[i], Bytes: len(r.PNG), Size: [2]int{r.Size.X, r.Size.Y}})
		if HasTarget(s) {
			patch, _ := Patch(s.Image, s.Point)
			data, err := EncodePatch(patch)
			if err != nil {
				return Written{}, fmt.Errorf("step %d: %w", i+1, err)
			}
			name := TargetName(i + 1)
			if err := os.WriteFile(filepath.Join(tmp, name), data, 0o644); err != nil {
				return Written{}, fmt.Errorf("write recorded guide: %w", err)
			}
			sz := patch.Bounds().Size()
			w.Targets = append(w.Targets, WrittenImage{Step: i + 1, Name: name, Bytes: len(data), Size: [2]int{sz.X, sz.Y}})
		}
	}
	md := Markdown(title, g, steps, names)
	if err := writeSynced(filepath.Join(tmp, "index.md"), []byte(md)); err != nil {
		return Written{}, fmt.Errorf("write recorded guide: %w", err)
	}
	name, err := placeFolder(tmp, root, guide.FileSlug(title), nil)
	if err != nil {
		return Written{}, fmt.Errorf("write recorded guide: %w", err)
	}
	done = true
	dst := filepath.Join(root, name)
	w.Dir, w.File, w.ID = dst, filepath.Join(dst, "index.md"), path.Join(folder, name, "index.md")
	return w, nil
}

// placeFolder renames the folder tmp into dir as slug, or slug-2, slug-3,
// ... when taken, and returns the name it got; it never merges into or
// replaces another folder. before, when set, is called with each name
// tried, before the rename (to write what names the folder).
func placeFolder(tmp, dir, slug string, before func(name string) error) (string, error) {
	for n := 1; ; n++ {
		name := slug
		if n > 1 {
			name = slug + "-" + strconv.Itoa(n)
		}
		dst := filepath.Join(dir, name)
		if _, err := os.Lstat(dst); err == nil {
			continue
		} else if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		if before != nil {
			if err := before(name); err != nil {
				return "", err
			}
		}
		// Rename onto a name that appeared in between fails (the target
		// would be a non-empty folder) or, for an empty folder, replaces
		// nothing of value; check again to never merge into another guide.
		if err := os.Rename(tmp, dst); err != nil {
			if _, serr := os.Lstat(dst); serr == nil && n < 1000 {
				continue
			}
			return "", fmt.Errorf("%s: %w", dst, err)
		}
		return name, nil
	}
}

// CleanFolder checks a library-relative folder ("crm/deals", "" or "."
// for the root) and returns it cleaned, with forward slashes: it must stay
// inside the library and not be hidden.
func CleanFolder(folder string) (string, error) {
	f := path.Clean(strings.ReplaceAll(strings.TrimSpace(folder), `\`, "/"))
	if f == "." || f == "/" || f == "" {
		return "", nil
	}
	if path.IsAbs(f) || filepath.IsAbs(folder) || f == ".." || strings.HasPrefix(f, "../") {
		return "", fmt.Errorf("folder %q is not inside the library: give a folder of the library, e.g. crm/deals", folder)
	}
	for _, part := range strings.Split(f, "/") {
		if strings.HasPrefix(part, ".") {
			return "", fmt.Errorf("folder %q is hidden: pick a folder whose guides the library shows", folder)
		}
	}
	return f, nil
}

// Folder is where a recorded guide goes by default: the folder that holds
// the most guides whose apps rules match a window of the steps (for a
// guide folder's index.md, the folder around it), the first in name order
// on a tie, else the library root (""). Hidden steps never count.
func Folder(guides []*guide.Guide, steps []Step) string {
	count := map[string]int{}
	for _, g := range guides {
		if g == nil || !matchesAny(g.Apps, steps) {
			continue
		}
		d := path.Dir(g.ID)
		if path.Base(g.ID) == "index.md" {
			d = path.Dir(d)
		}
		if d == "." {
			d = ""
		}
		count[d]++
	}
	best, most := "", 0
	for f, n := range count {
		if n > most || n == most && f < best {
			best, most = f, n
		}
	}
	return best
}

// Folders are the folders of the library that hold guides, and the
// folders above them, library-relative with forward slashes, sorted (the
// root, "", first); a guide folder (the one around an index.md) is not one
// of them. For the record prompt's choice of where a guide goes.
func Folders(guides []*guide.Guide) []string {
	seen := map[string]bool{"": true}
	for _, g := range guides {
		if g == nil {
			continue
		}
		d := path.Dir(g.ID)
		if path.Base(g.ID) == "index.md" {
			d = path.Dir(d)
		}
		for ; d != "." && d != "/" && !seen[d]; d = path.Dir(d) {
			seen[d] = true
		}
	}
	out := make([]string, 0, len(seen))
	for d := range seen {
		out = append(out, d)
	}
	sort.Strings(out)
	return out
}

func matchesAny(rules []guide.Rule, steps []Step) bool {
	for _, r := range rules {
		for _, s := range steps {
			if !s.Hidden && r.Match(s.Window) {
				return true
			}
		}
	}
	return false
}

func writeSynced(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// mdEscape escapes the characters that Markdown would read as inline
// syntax (emphasis, links, code, HTML, entities) in a name put into a draft
// sentence; a name never starts a line, so block syntax needs no escape.
func mdEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune("\\`*_[]<>&~", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Markdown is the guide's index.md: front matter and the numbered steps,
// each step with its image (names[i], "" for none) in its own paragraph,
// and, for a step with a click target (HasTarget), the target's comment on
// the line after the image, in the step's list item (step-NN-target.png,
// which Write writes beside the image).
func Markdown(title string, g Guide, steps []Step, names []string) string {
	fm := guide.FrontMatter{
		Title: title, Summary: summary(steps), Format: guide.FormatGuide, Apps: Apps(steps),
		Owner: strings.TrimSpace(g.Owner), Reviewed: g.Today, ReviewEvery: guide.DefaultReviewEvery,
		Draft: true, // draft sentences: never suggested until the author edits them
	}
	if len(fm.Apps) == 0 {
		fm.Tags = g.Tags
	}
	if fm.Owner == "" {
		fm.Owner = "unknown"
	}
	var b strings.Builder
	fm.WriteTo(&b)
	b.WriteString("\n")
	if len(steps) == 0 {
		b.WriteString("No steps were recorded. Write the steps here, or record the task again.\n")
		return b.String()
	}
	for i, s := range steps {
		text := strings.Join(strings.Fields(s.Text), " ") // Markdown already (see Sentence)
		fmt.Fprintf(&b, "%d. %s\n", i+1, text)
		if i < len(names) && names[i] != "" {
			fmt.Fprintf(&b, "\n   ![Step %d](%s)\n", i+1, names[i])
			if HasTarget(s) {
				fmt.Fprintf(&b, "   %s\n", stepTarget(s, i+1))
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

func summary(steps []Step) string {
	var apps []string
	seen := map[string]bool{}
	for _, s := range steps {
		if s.Hidden || s.App == "" || seen[s.App] {
			continue
		}
		seen[s.App] = true
		apps = append(apps, s.App)
	}
	n := fmt.Sprintf("%d steps", len(steps))
	if len(steps) == 1 {
		n = "1 step"
	}
	if len(apps) == 0 {
		return fmt.Sprintf("Recorded task in %s.", n)
	}
	return fmt.Sprintf("Recorded task in %s in %s.", n, strings.Join(apps, ", "))
}
