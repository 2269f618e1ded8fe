//go:build !unix

package library

import "io/fs"

// fileKey identifies a folder independently of its path. Off Unix the
// watcher does not need it: only inotify shares one watch between the paths
// a moved folder had.
type fileKey struct{ dev, ino uint64 }

func keyOf(fs.FileInfo) (fileKey, bool) { return fileKey{}, false }
