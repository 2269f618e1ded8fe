package search

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// madvPageout is MADV_PAGEOUT (Linux 5.4): reclaim the pages now.
const madvPageout = 21

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
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		return 0
	}
	defer f.Close()
	dir := filepath.Clean(ix.dir) + string(filepath.Separator)
	var n int64
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// start-end perms offset dev inode path
		fields := strings.Fields(sc.Text())
		if len(fields) < 6 || !strings.HasPrefix(fields[5], dir) {
			continue
		}
		lo, hi, ok := strings.Cut(fields[0], "-")
		if !ok {
			continue
		}
		start, err1 := strconv.ParseUint(lo, 16, 64)
		end, err2 := strconv.ParseUint(hi, 16, 64)
		if err1 != nil || err2 != nil || end <= start {
			continue
		}
		if _, _, errno := syscall.Syscall(syscall.SYS_MADVISE, uintptr(start), uintptr(end-start), madvPageout); errno != 0 {
			return n // EINVAL before Linux 5.4: nothing to gain here
		}
		n += int64(end - start)
	}
	return n
}
