package library

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// InstallSample copies the bundled sample library (src, rooted at the
// library folder) into dest when dest does not exist yet or is empty. It
// never overwrites: a dest with files in it is left alone and installed is
// false. The copy goes to a temporary folder first and is renamed into
// place, so a crash never leaves half a library.
func InstallSample(src fs.FS, dest string) (installed bool, err error) {
	if entries, err := os.ReadDir(dest); err == nil && len(entries) > 0 {
		return false, nil
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return false, fmt.Errorf("install sample library into %s: %w", dest, err)
	}
	parent := filepath.Dir(dest)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return false, fmt.Errorf("install sample library: %w", err)
	}
	tmp, err := os.MkdirTemp(parent, ".sample-*")
	if err != nil {
		return false, fmt.Errorf("install sample library: %w", err)
	}
	defer os.RemoveAll(tmp)
	err = fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		target := filepath.Join(tmp, filepath.FromSlash(p))
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := fs.ReadFile(src, p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		return false, fmt.Errorf("install sample library: %w", err)
	}
	_ = os.Remove(dest) // an empty folder is replaced
	if err := os.Rename(tmp, dest); err != nil {
		return false, fmt.Errorf("install sample library into %s: %w", dest, err)
	}
	return true, nil
}
