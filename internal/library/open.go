package library

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/cuecard/cuecard/internal/guide"
)

const isWindows = runtime.GOOS == "windows"

// ErrNotOpenable is why OpenablePath refused a file.
var ErrNotOpenable = errors.New("not opened")

// OpenablePath checks that rel, a slash path relative to the library root,
// names a file the desktop may open for a guide and returns its absolute
// path. It refuses, with ErrNotOpenable and the reason: absolute paths and
// ".." escapes; symbolic links (of the file or of a folder on the way)
// that lead outside the library; folders; executable files; and any kind
// of file but documents, images, audio and video (no programs, scripts,
// .desktop launchers or web pages).
func OpenablePath(root, rel string) (string, error) {
	if rel == "" || strings.ContainsRune(rel, 0) || strings.Contains(rel, `\`) || strings.HasPrefix(rel, "/") {
		return "", fmt.Errorf("%w: %q is not a path inside the library", ErrNotOpenable, rel)
	}
	clean := filepath.Clean(filepath.FromSlash(rel))
	if clean == ".." || strings.HasPrefix(clean, ".."+string(filepath.Separator)) || filepath.IsAbs(clean) {
		return "", fmt.Errorf("%w: %q is outside the library", ErrNotOpenable, rel)
	}
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return "", fmt.Errorf("library %s: %w", root, err)
	}
	real, err := filepath.EvalSymlinks(filepath.Join(root, clean))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return "", fmt.Errorf("%s: not found in the library: check the guide's path", rel)
		}
		return "", fmt.Errorf("%s: %w", rel, err)
	}
	if r, err := filepath.Rel(realRoot, real); err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("%w: %s is a link that leads outside the library", ErrNotOpenable, rel)
	}
	st, err := os.Stat(real)
	if err != nil {
		return "", fmt.Errorf("%s: %w", rel, err)
	}
	switch {
	case st.IsDir():
		return "", fmt.Errorf("%w: %s is a folder", ErrNotOpenable, rel)
	case !st.Mode().IsRegular():
		return "", fmt.Errorf("%w: %s is not a regular file", ErrNotOpenable, rel)
	case st.Mode().Perm()&0o111 != 0 && !isWindows:
		return "", fmt.Errorf("%w: %s is executable: Cuecard never runs programs from the library (remove its execute permission if it is a document)", ErrNotOpenable, rel)
	}
	if ext := strings.ToLower(filepath.Ext(real)); !guide.Openable(real) {
		return "", fmt.Errorf("%w: %s: Cuecard opens documents, images, audio and video only, not %q files", ErrNotOpenable, rel, ext)
	}
	return real, nil
}

// FS is the library folder as an fs.FS that stays inside it: a symbolic
// link that leads outside is an error, not followed (os.Root). The root is
// opened anew for each file, so a git library whose folder is a link that
// moves to each new commit is read where it is now.
func FS(root string) fs.FS { return rootFS(root) }

type rootFS string

func (r rootFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	rt, err := os.OpenRoot(string(r))
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	defer rt.Close()
	return rt.Open(filepath.FromSlash(name))
}
