// Package doc reads the documents a company already keeps its how-tos in:
// Word (.docx), OpenDocument text (.odt), web pages (.html, .htm), PDF, and
// link files (.url, .webloc, .desktop links, Google Drive's .gdoc, .gsheet
// and .gslides). Each becomes a Doc: its title, owner and dates from the
// document's own properties, and its text as Markdown (headings, lists,
// checkbox lists and tables kept) that the guide parser reads like a guide.
//
// Parsers never panic on a corrupt file: they return an error that says
// what is wrong (ErrCorrupt, ErrEncrypted), and the caller reports it.
package doc

import (
	"errors"
	"fmt"
	"path"
	"strings"
	"time"
)

// Kind is the kind of a document file, from its name.
type Kind int

// The kinds of document files.
const (
	KindNone Kind = iota
	KindHTML
	KindDOCX
	KindODT
	KindPDF
	KindLink
)

func (k Kind) String() string {
	switch k {
	case KindHTML:
		return "html"
	case KindDOCX:
		return "docx"
	case KindODT:
		return "odt"
	case KindPDF:
		return "pdf"
	case KindLink:
		return "link"
	}
	return "none"
}

// KindOf returns the kind of the file named name (by its extension, in any
// case); KindNone for files this package does not read.
func KindOf(name string) Kind {
	switch strings.ToLower(path.Ext(strings.ReplaceAll(name, "\\", "/"))) {
	case ".html", ".htm":
		return KindHTML
	case ".docx":
		return KindDOCX
	case ".odt":
		return KindODT
	case ".pdf":
		return KindPDF
	case ".url", ".webloc", ".desktop", ".gdoc", ".gsheet", ".gslides":
		return KindLink
	}
	return KindNone
}

// Doc is what a document says about itself.
type Doc struct {
	// Title is the document's title property, else its first heading
	// ("" when it has neither: the caller names it after the file).
	Title string
	// Creator and LastModifiedBy are the document's author properties.
	Creator, LastModifiedBy string
	// Modified is the document's own last-modified date, when it has one.
	Modified time.Time
	// Lang is the document's language, e.g. "en-GB", when it says.
	Lang string
	// Markdown is the text, with headings ("## "), lists, checkbox lists
	// ("- [ ] "), tables and links kept as Markdown.
	Markdown string
	// Pages are the text of each page (PDF only).
	Pages []string
	// URL is where a link file points (link files only).
	URL string
}

// Errors a parser returns, wrapped with what was wrong.
var (
	// ErrCorrupt is a file that is not a readable document of its kind.
	ErrCorrupt = errors.New("not a readable document")
	// ErrEncrypted is a password-protected document.
	ErrEncrypted = errors.New("password-protected")
	// ErrIncomplete is a file that is empty or ends early: most likely
	// still being written (a sync client or an editor saving it).
	ErrIncomplete = errors.New("empty or incomplete")
	// ErrNotLink is a .desktop file that is not a link (an application
	// launcher): it is not a library item and is never run.
	ErrNotLink = errors.New("not a link")
)

func corrupt(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrCorrupt, fmt.Sprintf(format, args...))
}

// Parse reads the document named name (its extension picks the parser)
// from data.
func Parse(name string, data []byte) (*Doc, error) {
	if len(data) == 0 {
		return nil, ErrIncomplete
	}
	switch KindOf(name) {
	case KindHTML:
		return ParseHTML(data)
	case KindDOCX:
		return ParseDOCX(data)
	case KindODT:
		return ParseODT(data)
	case KindPDF:
		return ParsePDF(data)
	case KindLink:
		return ParseLink(name, data)
	}
	return nil, fmt.Errorf("%s: %w", name, errors.ErrUnsupported)
}

// videoHosts are the sites whose links are videos.
var videoHosts = []string{"loom.com", "youtube.com", "youtu.be", "vimeo.com", "youtube-nocookie.com", "wistia.com", "vidyard.com"}

// IsVideoURL reports whether u is a link to a video site (Loom, YouTube,
// Vimeo and the like).
func IsVideoURL(u string) bool {
	host := hostOf(u)
	for _, h := range videoHosts {
		if host == h || strings.HasSuffix(host, "."+h) {
			return true
		}
	}
	return false
}

func hostOf(u string) string {
	s := strings.ToLower(strings.TrimSpace(u))
	s, ok := strings.CutPrefix(s, "https://")
	if !ok {
		if s, ok = strings.CutPrefix(s, "http://"); !ok {
			return ""
		}
	}
	if i := strings.IndexAny(s, "/?#"); i >= 0 {
		s = s[:i]
	}
	if i := strings.LastIndexByte(s, '@'); i >= 0 {
		s = s[i+1:]
	}
	if i := strings.LastIndexByte(s, ':'); i >= 0 {
		s = s[:i]
	}
	return s
}
