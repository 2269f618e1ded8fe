package guide

import (
	"io/fs"
	"net/url"
	"path"
	"strings"
)

// TargetKind is what following a link in a guide does.
type TargetKind int

const (
	// TargetNone: the link is ignored (a file outside the library, a
	// file: URL, a script, anything that is not a web page or a guide).
	TargetNone TargetKind = iota
	// TargetURL: an http, https or mailto URL, opened by the desktop.
	TargetURL
	// TargetGuide: another guide of the library, opened in Cuecard.
	TargetGuide
	// TargetAnchor: a section of the same
	TargetAnchor
)

// Target is where following a link in a guide leads.
type Target struct {
	Kind   TargetKind
	URL    string // TargetURL
	ID     string // TargetGuide
	Anchor string // TargetGuide, TargetAnchor
}

// ResolveLink decides what a link written in guide guideID does. Only
// http, https and mailto URLs leave Cuecard; relative links to guides inside
// the library open those guides; everything else is ignored, so a guide can
// never make the desktop run a file.
func ResolveLink(guideID, dest string) Target {
	dest = strings.TrimSpace(dest)
	if dest == "" || strings.ContainsAny(dest, "\\\x00") {
		return Target{}
	}
	u, err := url.Parse(dest)
	if err != nil {
		return Target{}
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		if u.Host == "" {
			return Target{}
		}
		return Target{Kind: TargetURL, URL: u.String()}
	case "mailto":
		if u.Opaque == "" && u.Path == "" {
			return Target{}
		}
		return Target{Kind: TargetURL, URL: u.String()}
	case "":
	default:
		return Target{} // file:, javascript:, smb:, ...
	}
	if u.Host != "" || u.User != nil || u.Opaque != "" {
		return Target{} // "//host/path"
	}
	if u.Path == "" {
		if u.Fragment == "" {
			return Target{}
		}
		return Target{Kind: TargetAnchor, Anchor: u.Fragment}
	}
	p, ok := LibraryPath(guideID, u.Path)
	if !ok || !IsGuideFile(p) {
		return Target{}
	}
	if p == guideID {
		return Target{Kind: TargetAnchor, Anchor: u.Fragment}
	}
	return Target{Kind: TargetGuide, ID: p, Anchor: u.Fragment}
}

// LibraryPath resolves rel, written in guide guideID, to a slash path
// relative to the library root. ok is false when rel is absolute or leaves
// the library.
func LibraryPath(guideID, rel string) (string, bool) {
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
	rel, relOK := LibraryPath(guideID, p)
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
