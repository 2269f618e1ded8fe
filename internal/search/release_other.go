//go:build !linux

package search

// ReleasePages does nothing outside Linux.
func (ix *Index) ReleasePages() int64 { return 0 }
