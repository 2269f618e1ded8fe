// Package atomicfile replaces a file's content in one step: readers, and a
// crash, see the old content or the new, never a mix or a truncated file.
package atomicfile

import (
	"fmt"
	"os"
	"path/filepath"
)

// Write writes data to path, which gets permissions perm (the umask does
// not apply). It writes a temporary file in path's folder, syncs it to disk,
// renames it over path and syncs the folder so that the rename survives a
// crash too (except on Windows, which cannot sync a folder). On an error
// before the rename the temporary file is removed and path is left as it
// was.
func Write(path string, data []byte, perm os.FileMode) error {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := fill(tmp, data, perm); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := syncDir(dir); err != nil {
		// The new content is in place; only the rename's durability is
		// unsure.
		return fmt.Errorf("write %s: sync the folder: %w", path, err)
	}
	return nil
}

// fill writes data into f, sets its permissions, syncs and closes it.
func fill(f *os.File, data []byte, perm os.FileMode) error {
	_, err := f.Write(data)
	if err == nil {
		err = f.Chmod(perm)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
