package library

import (
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cuecard/cuecard/internal/guide"
)

// LinkStyle is how a folder's own tool resolves the links of its pages;
// lint resolves them the same way, so a link is broken only where the
// folder's readers find it broken.
type LinkStyle string

// Link styles.
const (
	// LinksRelative: paths relative to the guide, as Cuecard's viewer
	// follows them; a path starting with "/" is an error. The style of a
	// managed library.
	LinksRelative LinkStyle = "relative"
	// LinksSite: relative paths, and "/a/b.md" read from the folder's top
	// (GitHub, most static sites). The style of other plain folders.
	LinksSite LinkStyle = "site"
	// LinksHugo: a Hugo site. "/a/b/" is a page under content/ (or a
	// language's content/xx/): a/b.md, a/b/_index.md or a/b/index.md,
	// any case; a relative link is read from the page's folder or its
	// pretty URL; "[term](g)" is a glossary link to glossary/term.md;
	// shortcodes ({{< ref >}}) are not checked.
	LinksHugo LinkStyle = "hugo"
	// LinksObsidian: an Obsidian vault, where a link or embed that is not
	// a path from the note or the vault's top is found by file name
	// anywhere in the vault (".md" may be left out; any case).
	LinksObsidian LinkStyle = "obsidian"
)

func (s LinkStyle) valid() bool {
	switch s {
	case LinksRelative, LinksSite, LinksHugo, LinksObsidian:
		return true
	}
	return false
}

// hugoMarkers are files and folders at the top of a Hugo site.
var hugoMarkers = []string{"hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config.toml", "config.yaml", "config.yml", "config/_default"}

// DetectLinkStyle is the link style of the library at root: the settings'
// "links" when given; LinksRelative for a managed library (written for
// Cuecard's viewer); a Hugo site when there is a content/ folder with a
// Hugo configuration file or an _index.md; an Obsidian vault when there is
// an .obsidian/ folder or at least a tenth of the first 500 pages use
// [[wikilinks]]; else LinksSite.
func DetectLinkStyle(root string, s Settings) LinkStyle {
	if s.Links != "" {
		return s.Links
	}
	if s.Managed {
		return LinksRelative
	}
	if isDir(filepath.Join(root, "content")) {
		for _, m := range hugoMarkers {
			if _, err := os.Stat(filepath.Join(root, m)); err == nil {
				return LinksHugo
			}
		}
		if m, _ := filepath.Glob(filepath.Join(root, "content", "_index.md")); len(m) > 0 {
			return LinksHugo
		}
		if m, _ := filepath.Glob(filepath.Join(root, "content", "*", "_index.md")); len(m) > 0 {
			return LinksHugo
		}
	}
	if isDir(filepath.Join(root, ".obsidian")) || usesWikilinks(root, s) {
		return LinksObsidian
	}
	return LinksSite
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

// usesWikilinks reports whether at least a tenth (and 3) of the first 500
// guide files hold "[[".
func usesWikilinks(root string, s Settings) bool {
	ig := newIgnore(nil, s.HiddenFolders)
	n, wiki := 0, 0
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || n >= 500 {
			return fs.SkipAll
		}
		rel, _ := filepath.Rel(root, p)
		if rel == "." {
			return nil
		}
		if ig.Match(filepath.ToSlash(rel), d.IsDir()) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() || !guide.IsGuideFile(d.Name()) {
			return nil
		}
		n++
		if data, err := os.ReadFile(p); err == nil && strings.Contains(string(data), "[[") {
			wiki++
		}
		return nil
	})
	return wiki >= 3 && wiki*10 >= n
}

// linker resolves links in one library's style.
type linker struct {
	root  string
	style LinkStyle
	// paths are every file and folder of the library (lower-case slash
	// paths) and names their lower-case base names; only the hugo and
	// obsidian styles need them.
	paths, names map[string]bool
	// contentRoots are a Hugo site's content folders, longest first
	// ("content/en", "content"), then static/ and the top.
	contentRoots []string
	// glossaries are a Hugo site's folders named "glossary".
	glossaries []string
	// Skipped counts links written as shortcodes or templates ({{ }}),
	// which only the site's build can resolve.
	Skipped int
}

// newLinker reads what the style needs of the library at root; ignore is
// the library's Ignore.
func newLinker(root string, style LinkStyle, ig *Ignore) *linker {
	l := &linker{root: root, style: style}
	if style != LinksHugo && style != LinksObsidian {
		return l
	}
	l.paths, l.names = map[string]bool{}, map[string]bool{}
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if d != nil && d.IsDir() && p != root {
				return fs.SkipDir
			}
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		if rel == "." {
			return nil
		}
		id := filepath.ToSlash(rel)
		if ig.Match(id, d.IsDir()) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		low := strings.ToLower(id)
		l.paths[low] = true
		if !d.IsDir() {
			l.names[path.Base(low)] = true
		} else if path.Base(low) == "glossary" {
			l.glossaries = append(l.glossaries, low)
		}
		return nil
	})
	if style == LinksHugo {
		if entries, err := os.ReadDir(filepath.Join(root, "content")); err == nil {
			for _, e := range entries {
				if e.IsDir() && isLanguage(e.Name()) {
					l.contentRoots = append(l.contentRoots, "content/"+strings.ToLower(e.Name()))
				}
			}
		}
		l.contentRoots = append(l.contentRoots, "content", "static", "assets", "")
	}
	return l
}

// check returns what is wrong with link dest (text: the link's text) of
// guide id, or "".
func (l *linker) check(id, dest, text string, kind guide.LinkKind) string {
	d := strings.TrimSpace(dest)
	if l == nil || l.style == LinksRelative || l.style == "" {
		return checkLink(l.rootOr(), id, dest, false)
	}
	if strings.Contains(d, "{{") {
		l.Skipped++
		return ""
	}
	if d == "" || strings.HasPrefix(d, "#") {
		return checkLink(l.root, id, dest, false)
	}
	u, err := url.Parse(d)
	if err != nil || u.Scheme != "" || u.Path == "" {
		return checkLink(l.root, id, dest, false)
	}
	p := u.Path
	switch l.style {
	case LinksSite:
		if !strings.HasPrefix(p, "/") {
			return checkLink(l.root, id, dest, false)
		}
		if _, err := os.Stat(filepath.Join(l.root, filepath.FromSlash(path.Clean(p)))); err == nil {
			return ""
		}
		return guide.Quote(dest) + " does not exist: a link starting with / is read from the library's top folder; fix the path or add the file"
	case LinksHugo:
		if p == "g" && kind == guide.LinkText && len(l.glossaries) > 0 {
			if l.glossary(text) {
				return ""
			}
			return "glossary link " + guide.Quote(text) + " has no page in " + strings.Join(l.glossaries, ", ") + ": add the term or fix the link text"
		}
		if l.hugo(id, p) {
			return ""
		}
		if kind == guide.LinkImage {
			return guide.Quote(dest) + " is no file of the site (read as Hugo does: beside the page in its bundle, or from content/): fix the path or add the image"
		}
		return guide.Quote(dest) + " is no page or file of the site (read as Hugo does: from content/, as page.md, page/_index.md or page/index.md): fix the link or add the page"
	case LinksObsidian:
		if strings.HasPrefix(text, "[") && strings.HasSuffix(text, "]") {
			// "[[Note]](text)": CommonMark reads a link whose text is
			// "[Note]"; Obsidian a wikilink followed by "(text)".
			return ""
		}
		if l.obsidian(id, p) {
			return ""
		}
		return guide.Quote(dest) + " is no note or file of the vault (read as Obsidian does: from the note, the vault's top, or by file name anywhere): fix the link or add the file"
	}
	return checkLink(l.root, id, dest, false)
}

func (l *linker) rootOr() string {
	if l == nil {
		return ""
	}
	return l.root
}

// has reports whether the library holds slash path p (any case).
func (l *linker) has(p string) bool {
	p = path.Clean(strings.ToLower(p))
	if p == "." || p == "" {
		return true
	}
	if p == ".." || strings.HasPrefix(p, "../") {
		return false
	}
	return l.paths[strings.TrimPrefix(p, "/")]
}

// hugoPage reports whether slash path p (from a content root) is a page or
// file: p itself, p.md, p/_index.md or p/index.md.
func (l *linker) hugoPage(p string) bool {
	p = strings.TrimSuffix(path.Clean(p), "/")
	for _, c := range []string{p + ".md", p + "/_index.md", p + "/index.md"} {
		if l.has(c) {
			return true
		}
	}
	return l.has(p) && path.Ext(p) != "" // a file, not a bare folder
}

func (l *linker) hugo(id, p string) bool {
	if strings.HasPrefix(p, "/") {
		for _, r := range l.contentRoots {
			if l.hugoPage(path.Join(r, p)) {
				return true
			}
		}
		return false
	}
	// Hugo's GetPage reads a relative path from the page, then from the
	// site's top.
	if l.hugo(id, "/"+p) {
		return true
	}
	dir := path.Dir(id)
	if l.hugoPage(path.Join(dir, p)) {
		return true
	}
	// The page's pretty URL: a/b.md is served as a/b/, so "../c/" from
	// it means a/c/; a bundle's index.md or a section's _index.md is
	// served as its folder.
	page := strings.TrimSuffix(id, path.Ext(id))
	if base := path.Base(page); base == "index" || base == "_index" {
		page = dir
	}
	return l.hugoPage(path.Join(page, p))
}

// glossary reports whether a Hugo glossary folder has a page for the term
// text, as the Hugo documentation's own link hook finds one: the term
// made into a file name (lower case, hyphens for spaces, other signs
// dropped: "CI/CD" is cicd.md), its singular, or another form of the same
// word ("chaining" is chain.md, "localized" localization.md: a page whose
// name starts with the word less its ending, of at least four letters).
func (l *linker) glossary(text string) bool {
	var b strings.Builder
	for _, f := range strings.Fields(strings.ToLower(text)) {
		if b.Len() > 0 {
			b.WriteByte('-')
		}
		for _, r := range f {
			if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' {
				b.WriteRune(r)
			}
		}
	}
	t := b.String()
	if t == "" {
		return false
	}
	cands := []string{t}
	switch {
	case strings.HasSuffix(t, "ies"):
		cands = append(cands, strings.TrimSuffix(t, "ies")+"y")
	case strings.HasSuffix(t, "es"):
		cands = append(cands, strings.TrimSuffix(t, "es"), strings.TrimSuffix(t, "s"))
	case strings.HasSuffix(t, "s"):
		cands = append(cands, strings.TrimSuffix(t, "s"))
	}
	stem := t
	for _, end := range []string{"ing", "ed", "es", "s", "e", "d"} {
		if s, ok := strings.CutSuffix(t, end); ok {
			stem = s
			break
		}
	}
	for _, g := range l.glossaries {
		for _, c := range cands {
			if l.has(path.Join(g, c+".md")) || l.has(path.Join(g, c, "index.md")) {
				return true
			}
		}
		if utf8.RuneCountInString(stem) >= 4 {
			prefix := g + "/" + stem
			for p := range l.paths {
				if strings.HasPrefix(p, prefix) && !strings.Contains(p[len(g)+1:], "/") && strings.HasSuffix(p, ".md") {
					return true
				}
			}
		}
	}
	return false
}

func (l *linker) obsidian(id, p string) bool {
	for _, c := range []string{path.Join(path.Dir(id), p), strings.TrimPrefix(p, "/")} {
		if l.has(c) || l.has(c+".md") {
			return true
		}
	}
	name := strings.ToLower(path.Base(p))
	return l.names[name] || l.names[name+".md"]
}

// isLanguage reports whether a folder name is a language code: two or
// three lower-case letters, with an optional region or script ("pt-br",
// "zh-TW", "zh-Hans").
func isLanguage(name string) bool {
	lang, region, _ := strings.Cut(name, "-")
	if len(lang) < 2 || len(lang) > 3 {
		return false
	}
	for _, r := range lang {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	if region == "" {
		return true
	}
	if len(region) < 2 || len(region) > 4 {
		return false
	}
	for _, r := range region {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}
