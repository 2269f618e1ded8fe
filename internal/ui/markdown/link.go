package markdown

import (
	"io/fs"
	"net/url"
	"path"
	"strings"

	"github.com/cuecard/cuecard/internal/guide"
)

// LinkKind is what following a link in a guide does.
type LinkKind int

const (
	// LinkNone: the link is ignored (a file outside the library, a
	// file: URL, a script, anything that is not a web page or a guide).
	LinkNone LinkKind = iota
	// LinkURL: an http, https or mailto URL, opened by the desktop.
	LinkURL
	// LinkGuide: another guide of the library, opened in Cuecard.
	LinkGuide
	// LinkAnchor: a section of the same guide.
	LinkAnchor
)

// Link is where a link goes.
type Link struct {
	Kind   LinkKind
	URL    string // LinkURL
	ID     string // LinkGuide
	Anchor string // LinkGuide, LinkAnchor
}

// ResolveLink decides what a link written in guide guideID does. Only
// http, https and mailto URLs leave Cuecard; relative links to guides inside
// the library open those guides; everything else is ignored, so a guide can
// never make the desktop run a file.
func ResolveLink(guideID, dest string) Link {
	dest = strings.TrimSpace(dest)
	if dest == "" || strings.ContainsAny(dest, "\\\x00") {
		return Link{}
	}
	u, err := url.Parse(dest)
	if err != nil {
		return Link{}
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		if u.Host == "" {
			return Link{}
		}
		return Link{Kind: LinkURL, URL: u.String()}
	case "mailto":
		if u.Opaque == "" && u.Path == "" {
			return Link{}
		}
		return Link{Kind: LinkURL, URL: u.String()}
	case "":
	default:
		return Link{} // file:, javascript:, smb:, ...
	}
	if u.Host != "" || u.User != nil || u.Opaque != "" {
		return Link{} // "//host/path"
	}
	if u.Path == "" {
		if u.Fragment == "" {
			return Link{}
		}
		return Link{Kind: LinkAnchor, Anchor: u.Fragment}
	}
	p, ok := libraryPath(guideID, u.Path)
	if !ok || !guide.IsGuideFile(p) {
		return Link{}
	}
	if p == guideID {
		return Link{Kind: LinkAnchor, Anchor: u.Fragment}
	}
	return Link{Kind: LinkGuide, ID: p, Anchor: u.Fragment}
}

// libraryPath resolves rel, written in guide guideID, to a slash path
// relative to the library root. ok is false when rel is absolute or leaves
// the library.
func libraryPath(guideID, rel string) (string, bool) {
	if rel == "" || strings.HasPrefix(rel, "/") || strings.ContainsAny(rel, "\\\x00") {
		return "", false
	}
	p := path.Join(path.Dir(guideID), rel)
	if !fs.ValidPath(p) || p == "." {
		return "", false
	}
	return p, true
}

// LibraryFile resolves the video: or template: value of a guide, which is
// relative to the library root (or, failing that, to the guide's folder).
// With lib set, the first of the two that exists wins. ok is false for a
// path that leaves the library.
func LibraryFile(lib fs.FS, guideID, p string) (string, bool) {
	if p == "" || strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\\\x00") {
		return "", false
	}
	root := path.Clean(p)
	rootOK := fs.ValidPath(root) && root != "."
	rel, relOK := libraryPath(guideID, p)
	if lib != nil {
		if rootOK && exists(lib, root) {
			return root, true
		}
		if relOK && exists(lib, rel) {
			return rel, true
		}
	}
	switch {
	case rootOK:
		return root, true
	case relOK:
		return rel, true
	}
	return "", false
}

func exists(lib fs.FS, p string) bool {
	st, err := fs.Stat(lib, p)
	return err == nil && !st.IsDir()
}

// IsWebURL reports whether s is an http or https URL with a host.
func IsWebURL(s string) bool {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil {
		return false
	}
	sc := strings.ToLower(u.Scheme)
	return (sc == "http" || sc == "https") && u.Host != ""
}
