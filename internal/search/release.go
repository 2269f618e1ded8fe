package search

import (
	"path/filepath"
	"strings"

	"github.com/cuecard/cuecard/internal/pageout"
)

// ReleasePages hands back to the system the pages of the index's files
// that this process has mapped and touched (bleve maps its segment
// files), and returns how many bytes of mappings it advised. Start-up
// reads every guide's record once; afterwards an idle app keeps those
// pages resident for nothing, and a search maps in again only what it
// reads. MADV_PAGEOUT never changes memory contents, so a segment that
// bleve unmaps meanwhile cannot come to harm. Older kernels do nothing.
func (ix *Index) ReleasePages() int64 {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.bi == nil {
		return 0
	}
	dir := filepath.Clean(ix.dir) + string(filepath.Separator)
	return pageout.Files(func(path, _ string) bool { return strings.HasPrefix(path, dir) })
}
