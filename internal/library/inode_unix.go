//go:build unix

package library

import (
	"io/fs"
	"syscall"
)

// fileKey identifies a folder independently of its path (device and inode).
type fileKey struct{ dev, ino uint64 }

func keyOf(_ string, fi fs.FileInfo) (fileKey, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return fileKey{}, false
	}
	return fileKey{dev: uint64(st.Dev), ino: uint64(st.Ino)}, true
}
