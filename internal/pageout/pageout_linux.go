// Package pageout hands pages of mapped files back to the system: an app
// that idles for hours after start-up need not keep resident what only
// start-up touched.
package pageout

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// madvPageout is MADV_PAGEOUT (Linux 5.4): reclaim the pages now.
const madvPageout = 21

// Files advises the kernel to reclaim the pages of this process's mappings
// of files that want accepts (given the file's path and the mapping's
// permissions, as /proc/self/maps spells them: "r--p", "r-xp", ...), and
// returns how many bytes of mappings it advised. MADV_PAGEOUT never changes
// memory contents: a page needed again is read back from its file (a
// written private page is swapped or kept). Older kernels do nothing.
func Files(want func(path, perms string) bool) int64 {
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		return 0
	}
	defer f.Close()
	var n int64
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// start-end perms offset dev inode path
		fields := strings.Fields(sc.Text())
		if len(fields) < 6 || !want(fields[5], fields[1]) {
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

// Executable advises the kernel to reclaim the pages of this program's
// read-only mappings of its own file (code and read-only data: start-up
// code, embedded files, tables), and returns how many bytes it advised.
// Its writable data is left alone.
func Executable() int64 {
	exe, err := os.Executable()
	if err != nil {
		return 0
	}
	return Files(func(path, perms string) bool {
		return path == exe && !strings.Contains(perms, "w")
	})
}
