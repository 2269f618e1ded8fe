//go:build !unix && !windows

package library

import "io/fs"

// fileKey identifies a folder independently of its path; elsewhere than on
// Unix and Windows the watcher goes without.
type fileKey struct{ dev, ino uint64 }

func keyOf(string, fs.FileInfo) (fileKey, bool) { return fileKey{}, false }
