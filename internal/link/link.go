// Package link reads and writes the links that open Cuecard from another
// program: cuecard://guide/<id>[#anchor], which opens a guide of the
// library, and cuecard://search?q=<text>, which opens the search window.
// A guide's id is its path in the library, with forward slashes
// (sales/monthly-sales-report.md), URL-escaped in the link.
//
// It also makes a guide's plain web address when the library is published
// as a web site (the library setting web_base).
package link

import (
	"errors"
	"fmt"
	"net/url"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cuecard/cuecard/internal/doc"
)

// Scheme is the URL scheme Cuecard handles.
const Scheme = "cuecard"

// Kind is what a link opens.
type Kind int

const (
	// Guide opens the guide ID, at Anchor when not empty.
	Guide Kind = iota + 1
	// Search opens the search window with Query typed in.
	Search
)

// Link is a parsed cuecard:// link.
type Link struct {
	Kind   Kind
	ID     string // Guide: the guide's path in the library
	Anchor string // Guide: a section's anchor, without "#"
	Query  string // Search: the text to search for
}

// String is the link as a URL.
func (l Link) String() string {
	if l.Kind == Search {
		return SearchURL(l.Query)
	}
	return GuideURL(l.ID, l.Anchor)
}

// maxLen bounds a link: an id is a path, and a query a few words.
const maxLen = 4096

// IsLink reports whether s is a cuecard: URL (well formed or not), so that
// `cuecard <url>` and `cuecard open <url>` know to parse it as one.
func IsLink(s string) bool {
	return len(s) > len(Scheme) && strings.EqualFold(s[:len(Scheme)+1], Scheme+":")
}

// Parse reads a cuecard:// link. The errors say what is wrong and what a
// link looks like.
func Parse(raw string) (Link, error) {
	s := strings.TrimSpace(raw)
	if len(s) > maxLen {
		return Link{}, fmt.Errorf("the link is %d bytes long: a cuecard link is at most %d", len(s), maxLen)
	}
	if !IsLink(s) {
		return Link{}, fmt.Errorf("%q is not a cuecard link (cuecard://guide/<path in the library> or cuecard://search?q=<words>)", raw)
	}
	u, err := url.Parse(s)
	if err != nil {
		return Link{}, fmt.Errorf("%q is not a valid link: %v", raw, unwrapURLError(err))
	}
	// cuecard://guide/a.md has the host "guide"; cuecard:guide/a.md (no
	// slashes, as some programs rewrite it) has it in Opaque, and
	// cuecard:///guide/a.md in the path.
	kind, rest := strings.ToLower(u.Host), u.Path
	if u.Opaque != "" {
		p, err := url.PathUnescape(u.Opaque)
		if err != nil {
			return Link{}, fmt.Errorf("%q is not a valid link: %v", raw, err)
		}
		kind, rest, _ = strings.Cut(p, "/")
		kind, rest = strings.ToLower(kind), "/"+rest
	} else if kind == "" {
		p := strings.TrimPrefix(rest, "/")
		kind, rest, _ = strings.Cut(p, "/")
		kind, rest = strings.ToLower(kind), "/"+rest
	}
	if u.User != nil || u.Port() != "" {
		return Link{}, fmt.Errorf("%q is not a cuecard link: it names a user or a port", raw)
	}
	switch kind {
	case "guide":
		if len(u.Query()) > 0 {
			return Link{}, fmt.Errorf("%q: a guide link takes no ?query (cuecard://guide/<path>#<section>)", raw)
		}
		// A trailing slash is what some programs add to a URL's path.
		id := strings.TrimSuffix(strings.TrimPrefix(rest, "/"), "/")
		if err := CheckID(id); err != nil {
			return Link{}, fmt.Errorf("%q: %w", raw, err)
		}
		anchor := strings.TrimSpace(u.Fragment)
		if !printable(anchor) {
			return Link{}, fmt.Errorf("%q: the #section holds control characters", raw)
		}
		return Link{Kind: Guide, ID: id, Anchor: anchor}, nil
	case "search":
		if strings.Trim(rest, "/") != "" {
			return Link{}, fmt.Errorf("%q: a search link is cuecard://search?q=<words>, with nothing after search/", raw)
		}
		q := u.Query()
		for k := range q {
			if k != "q" {
				return Link{}, fmt.Errorf("%q: a search link takes only q=<words>, not %s=", raw, k)
			}
		}
		text := strings.TrimSpace(q.Get("q"))
		if !printable(text) {
			return Link{}, fmt.Errorf("%q: the search words hold control characters", raw)
		}
		return Link{Kind: Search, Query: text}, nil
	case "":
		return Link{}, fmt.Errorf("%q says nothing to open: write cuecard://guide/<path in the library> or cuecard://search?q=<words>", raw)
	}
	return Link{}, fmt.Errorf("%q: cuecard links open a guide or the search (cuecard://guide/... or cuecard://search?q=...), not %q", raw, kind)
}

func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// CheckID reports what is wrong with id as a guide's path in a library: it
// must be a clean relative path with forward slashes, inside the library,
// naming a Markdown file.
func CheckID(id string) error {
	switch {
	case id == "":
		return errors.New("no guide named: write the guide's path in the library, e.g. cuecard://guide/sales/monthly-sales-report.md")
	case !utf8.ValidString(id) || !printable(id):
		return errors.New("the guide's path holds control characters or is not UTF-8")
	case strings.Contains(id, `\`):
		return fmt.Errorf("the guide's path %q has a backslash: write it with forward slashes", id)
	case strings.HasPrefix(id, "/") || (len(id) >= 2 && id[1] == ':'):
		return fmt.Errorf("the guide's path %q is absolute: write its path in the library", id)
	}
	if path.Clean(id) != id {
		if c := path.Clean(id); c == ".." || strings.HasPrefix(c, "../") {
			return fmt.Errorf("the guide's path %q leaves the library", id)
		}
		return fmt.Errorf("the guide's path %q is not clean (no ./, ../ or //): write %s", id, path.Clean(id))
	}
	if id == ".." || strings.HasPrefix(id, "../") {
		return fmt.Errorf("the guide's path %q leaves the library", id)
	}
	if !strings.EqualFold(path.Ext(id), ".md") && doc.KindOf(id) == doc.KindNone {
		return fmt.Errorf("%q is not a guide: guides are Markdown files (.md), documents (.docx, .odt, .html, .pdf) or link files", id)
	}
	return nil
}

// printable reports whether s has no control characters.
func printable(s string) bool {
	return strings.IndexFunc(s, unicode.IsControl) < 0
}

// GuideURL is the link that opens guide id, at anchor when not empty.
func GuideURL(id, anchor string) string {
	u := url.URL{Scheme: Scheme, Host: "guide", Path: "/" + id, Fragment: anchor}
	return u.String()
}

// SearchURL is the link that opens the search window with q typed in.
func SearchURL(q string) string {
	return Scheme + "://search?" + url.Values{"q": {q}}.Encode()
}

// WebURL is guide id's address on the library's web site: base, then the
// id without its .md, then "/" (the "pretty URLs" of static site
// generators such as Hugo and MkDocs), each part escaped. "" when base is
// empty.
func WebURL(base, id string) string {
	if base == "" {
		return ""
	}
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	p := strings.TrimSuffix(id, path.Ext(id))
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	return base + strings.Join(parts, "/") + "/"
}
