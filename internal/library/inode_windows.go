package library

import (
	"io/fs"
	"syscall"
)

// fileKey identifies a folder independently of its path: its volume's
// serial number and its file index. fsnotify keys its Windows watches the
// same way, so, as with inotify, a folder moved within the library keeps
// one watch that still reports the folder's old path.
type fileKey struct{ dev, ino uint64 }

func keyOf(path string, _ fs.FileInfo) (fileKey, bool) {
	p, err := syscall.UTF16PtrFromString(path)
	if err != nil {
		return fileKey{}, false
	}
	h, err := syscall.CreateFile(p, 0, syscall.FILE_SHARE_READ|syscall.FILE_SHARE_WRITE|syscall.FILE_SHARE_DELETE,
		nil, syscall.OPEN_EXISTING, syscall.FILE_FLAG_BACKUP_SEMANTICS, 0)
	if err != nil {
		return fileKey{}, false
	}
	defer syscall.CloseHandle(h)
	var d syscall.ByHandleFileInformation
	if err := syscall.GetFileInformationByHandle(h, &d); err != nil {
		return fileKey{}, false
	}
	return fileKey{dev: uint64(d.VolumeSerialNumber), ino: uint64(d.FileIndexHigh)<<32 | uint64(d.FileIndexLow)}, true
}
