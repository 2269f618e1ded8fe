package library

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/cuecard/cuecard/internal/doc"
	"github.com/cuecard/cuecard/internal/guide"
)

// MaxDocumentSize is the largest document (Word, OpenDocument, HTML, PDF)
// whose text is read; a larger one is indexed by its name only, with a
// note. A variable for tests.
var MaxDocumentSize int64 = 20 << 20

// Settled is how long after its last change an empty or cut-short
// document is taken as damaged rather than still being written.
var Settled = time.Minute

// sizeText is a file size for a message: "21.3 MB", "812 KB".
func sizeText(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d KB", (n+1023)/1024)
}

// IsItemFile reports whether the library file id (a slash path) is a
// library item: a guide (.md), a document (.docx, .odt, .html, .htm) or a
// link file (.url, .webloc, .desktop, .gdoc, .gsheet, .gslides). Documents
// in a folder named templates, assets, attachments or static are the
// files guides hand out (a template, an attachment), not items.
func IsItemFile(id string) bool {
	return guide.IsGuideFile(id) || isDocument(id)
}

// assetFolders hold the files guides use, not items of their own.
var assetFolders = map[string]bool{"templates": true, "_templates": true, "assets": true, "attachments": true, "static": true}

// siteFolders hold the web pages a site tool builds from the library's
// Markdown (Hugo's public/, Jekyll's _site/, MkDocs' site/, Docusaurus'
// build/, mdBook's book/, Sphinx's _build/): their .html files are copies
// of guides, not items.
var siteFolders = map[string]bool{"public": true, "_site": true, "site": true, "build": true, "_build": true, "book": true, "dist": true, "node_modules": true}

// isDocument reports whether the item id is a document or link file (not
// a Markdown guide).
func isDocument(id string) bool {
	if doc.KindOf(id) == doc.KindNone {
		return false
	}
	html := doc.KindOf(id) == doc.KindHTML
	for _, dir := range strings.Split(path.Dir(id), "/") {
		if d := strings.ToLower(dir); assetFolders[d] || (html && siteFolders[d]) {
			return false
		}
	}
	return true
}

// exportOfGuide reports whether the document at abs is an export of the
// Markdown guide beside it with the same name (guide.md and guide.html,
// guide.pdf or guide.docx): the guide is the item, not its copy.
func exportOfGuide(abs string) bool {
	base := strings.TrimSuffix(abs, filepath.Ext(abs))
	for _, ext := range []string{".md", ".MD", ".Md"} {
		if st, err := os.Stat(base + ext); err == nil && st.Mode().IsRegular() {
			return true
		}
	}
	return false
}

// errRetry marks a document that is still being written: not indexed
// now, read again when it settles.
var errRetry = errors.New("still being written")

// parseDocument reads a document or link file as a guide: its text as the
// body, the guide keys from its own properties (title, owner, last
// modified as the review date) under the folder settings' ones. A
// document over MaxDocumentSize, password-protected or unreadable is
// indexed by its name, with a problem that says why; an empty or
// truncated one (being written) is not indexed and gives errRetry.
func parseDocument(j job, fo *folders) (*guide.Guide, []guide.Problem, error) {
	kind := doc.KindOf(j.id)
	if kind != doc.KindLink && exportOfGuide(j.abs) {
		return nil, nil, nil
	}
	var (
		d    *doc.Doc
		err  error
		data []byte
		note []guide.Problem
	)
	warn := func(code, format string, args ...any) {
		note = append(note, guide.Problem{Path: j.id, Line: 1, Level: guide.LevelWarning, Code: code, Message: fmt.Sprintf(format, args...)})
	}
	if j.info.Size() > MaxDocumentSize {
		warn("document-too-large", "document is %s, over the %s limit: it is found by its name only; split it into smaller documents", sizeText(j.info.Size()), sizeText(MaxDocumentSize))
	} else {
		data, err = os.ReadFile(j.abs)
		if err != nil && time.Since(j.info.ModTime()) < Settled {
			// Locked by the program writing it (Windows), or going away.
			return nil, []guide.Problem{{Path: j.id, Line: 1, Level: guide.LevelWarning, Code: codeIncomplete,
				Message: fmt.Sprintf("document cannot be read now (%v): it is read again in a moment", errText(err))}}, errRetry
		}
		if err != nil {
			return nil, []guide.Problem{{Path: j.id, Line: 1, Level: guide.LevelError, Code: "unreadable",
				Message: fmt.Sprintf("cannot read this file: %v; fix its permissions or remove it", errText(err))}}, nil
		}
		d, err = doc.Parse(j.id, data)
		switch {
		case err == nil:
		case errors.Is(err, doc.ErrNotLink):
			return nil, nil, nil // an application launcher: not an item, never run
		case errors.Is(err, doc.ErrIncomplete) && time.Since(j.info.ModTime()) > Settled:
			warn("unreadable-document", "document is empty or cut short (%v): it is found by its name only; open it and save it again", err)
			d = nil
		case errors.Is(err, doc.ErrIncomplete):
			return nil, []guide.Problem{{Path: j.id, Line: 1, Level: guide.LevelWarning, Code: codeIncomplete,
				Message: fmt.Sprintf("document is %s (%v): it is read again when it has been saved whole; if it stays so, open it and save it again", "empty or incomplete", err)}}, errRetry
		case errors.Is(err, doc.ErrTooManyPages):
			warn("pdf-too-many-pages", "%v: it is found by its name only; split it into smaller documents", err)
			d = nil
		case errors.Is(err, doc.ErrEncrypted):
			warn("encrypted", "%v: it is found by its name only", err)
			d = nil
		case kind == doc.KindLink:
			return nil, []guide.Problem{{Path: j.id, Line: 1, Level: guide.LevelError, Code: "link-file",
				Message: fmt.Sprintf("link file cannot be read: %v", err)}}, nil
		default:
			warn("unreadable-document", "document cannot be read (%v): it is found by its name only; open it and save it again", err)
			d = nil
		}
	}
	if d != nil && kind == doc.KindPDF && strings.TrimSpace(d.Markdown) == "" {
		warn("pdf-no-text", "the PDF has no text (a scanned image?): it is found by its name only; run text recognition (OCR) on it to make its words searchable")
		title := d.Title
		d = nil
		if title != "" {
			d = &doc.Doc{Title: title}
		}
	}
	vals, order, from := fo.frontMatter(j.id)
	fm := &yaml.Node{Kind: yaml.MappingNode}
	has := func(k string) bool { _, ok := vals[k]; return ok }
	add := func(k, v string) {
		if v != "" && !has(k) {
			fm.Content = append(fm.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: k}, &yaml.Node{Kind: yaml.ScalarNode, Value: v, Style: yaml.DoubleQuotedStyle})
		}
	}
	for _, k := range order {
		fm.Content = append(fm.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: k}, vals[k])
	}
	body := ""
	modified := j.info.ModTime()
	if d != nil {
		add("title", d.Title)
		owner := d.LastModifiedBy
		if from == "creator" || owner == "" {
			owner = d.Creator
		}
		if from == "creator" && d.Creator == "" {
			owner = d.LastModifiedBy
		}
		add("owner", owner)
		add("lang", d.Lang)
		if !d.Modified.IsZero() && d.Modified.Before(modified) {
			modified = d.Modified
		}
		body = d.Markdown
		if d.URL != "" {
			title := d.Title
			if title == "" {
				title = titleOf(j.id)
			}
			if doc.IsVideoURL(d.URL) {
				add("format", string(guide.FormatVideo))
				add("video", d.URL)
				body = fmt.Sprintf("A video: [%s](%s)\n", mdText(title), d.URL)
			} else {
				body = fmt.Sprintf("Opens in your browser: [%s](%s)\n", mdText(title), d.URL)
			}
		}
	}
	if kind != doc.KindLink {
		add("reviewed", modified.UTC().Format("2006-01-02"))
	}
	if d == nil || body == "" {
		body = "" // found by its name only
	}
	src := "# " + mdText(titleOf(j.id)) + "\n"
	if body != "" {
		src = body
	}
	if len(fm.Content) > 0 {
		out, err := yaml.Marshal(fm)
		if err == nil {
			src = "---\n" + string(out) + "---\n" + src
		}
	}
	g, ps := guide.Parse(j.id, []byte(src))
	if g == nil {
		// The folder settings passed their own check; only the text can
		// fail here. It is found by its name.
		g, _ = guide.Parse(j.id, []byte("# "+mdText(titleOf(j.id))+"\n"))
		if g == nil {
			return nil, ps, nil
		}
		warn("unreadable-document", "document text cannot be read as a guide: it is found by its name only")
		ps = nil
	}
	// The document has no lines of its own: its problems are on line 1,
	// and those of the synthesized front matter are the folder settings'.
	kept := note
	for _, p := range ps {
		switch p.Code {
		case "title":
			if !has("title") && (d == nil || d.Title == "") {
				continue // a file name is not phrased as a task: nothing to fix in the document
			}
		case "placeholder", "broken-link":
			continue
		}
		p.Line = 1
		kept = append(kept, p)
	}
	sum := sha256.Sum256(data)
	g.Hash = hex.EncodeToString(sum[:])
	g.Size = j.info.Size()
	_, settingsMod := fo.chain(j.id)
	g.ModTime = docModTime(j.info.ModTime(), settingsMod)
	g.BodyLine = 1
	return g, kept, nil
}

// docModTime is a document's modification time as the index remembers
// it: the later of the file's and of its folder settings' files, so a
// change of the settings reads the document again.
func docModTime(file, settings time.Time) time.Time {
	if settings.After(file) {
		return settings
	}
	return file
}

// titleOf is a document's title from its file name.
func titleOf(id string) string {
	base := path.Base(id)
	base = strings.TrimSuffix(base, path.Ext(base))
	base = strings.Join(strings.Fields(strings.NewReplacer("-", " ", "_", " ").Replace(base)), " ")
	if base == "" {
		return id
	}
	return base
}

// mdText escapes text for a Markdown line.
func mdText(s string) string {
	return strings.NewReplacer("\\", "\\\\", "[", "\\[", "]", "\\]", "*", "\\*", "_", "\\_", "`", "\\`", "<", "\\<", "\n", " ").Replace(s)
}
