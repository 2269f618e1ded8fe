package ui

import (
	"io/fs"
	"net/url"
	"path"
	"strings"

	"github.com/cuecard/cuecard/internal/guide"
)

// linkKind is what following a link in a guide does.
type linkKind int

const (
	// linkNone: the link is ignored (a file outside the library, a
	// file: URL, a script, anything that is not a web page or a guide).
	linkNone linkKind = iota
	// linkURL: an http, https or mailto URL, opened by the desktop.
	linkURL
	// linkGuide: another guide of the library, opened in Cuecard.
	linkGuide
	// linkAnchor: a section of the same guide.
	linkAnchor
)

// linkTarget is where a link goes.
type linkTarget struct {
	kind   linkKind
	url    string // linkURL
	id     string // linkGuide
	anchor string // linkGuide, linkAnchor
}

// resolveLink decides what a link written in guide guideID does. Only
// http, https and mailto URLs leave Cuecard; relative links to guides inside
// the library open those guides; everything else is ignored, so a guide can
// never make the desktop run a file.
func resolveLink(guideID, dest string) linkTarget {
	dest = strings.TrimSpace(dest)
	if dest == "" || strings.ContainsAny(dest, "\\\x00") {
		return linkTarget{}
	}
	u, err := url.Parse(dest)
	if err != nil {
		return linkTarget{}
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		if u.Host == "" {
			return linkTarget{}
		}
		return linkTarget{kind: linkURL, url: u.String()}
	case "mailto":
		if u.Opaque == "" && u.Path == "" {
			return linkTarget{}
		}
		return linkTarget{kind: linkURL, url: u.String()}
	case "":
	default:
		return linkTarget{} // file:, javascript:, smb:, ...
	}
	if u.Host != "" || u.User != nil || u.Opaque != "" {
		return linkTarget{} // "//host/path"
	}
	if u.Path == "" {
		if u.Fragment == "" {
			return linkTarget{}
		}
		return linkTarget{kind: linkAnchor, anchor: u.Fragment}
	}
	p, ok := libraryPath(guideID, u.Path)
	if !ok || !guide.IsGuideFile(p) {
		return linkTarget{}
	}
	if p == guideID {
		return linkTarget{kind: linkAnchor, anchor: u.Fragment}
	}
	return linkTarget{kind: linkGuide, id: p, anchor: u.Fragment}
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

// libraryFile resolves the video: or template: value of a guide, which is
// relative to the library root (or, failing that, to the guide's folder).
// With lib set, the first of the two that exists wins. ok is false for a
// path that leaves the library.
func libraryFile(lib fs.FS, guideID, p string) (string, bool) {
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

// isWebURL reports whether s is an http or https URL with a host.
func isWebURL(s string) bool {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil {
		return false
	}
	sc := strings.ToLower(u.Scheme)
	return (sc == "http" || sc == "https") && u.Host != ""
}
