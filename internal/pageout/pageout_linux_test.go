package pageout

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
)

// residentRO is how many bytes of this test binary's read-only mappings of
// its own file are resident.
func residentRO(t *testing.T) int64 {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Skip(err)
	}
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	var n int64
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) > 0 && strings.Contains(fields[0], "-") && !strings.HasSuffix(fields[0], ":") {
			in = len(fields) >= 6 && fields[5] == exe && !strings.Contains(fields[1], "w")
			continue
		}
		if in && len(fields) >= 2 && fields[0] == "Rss:" {
			kb, _ := strconv.ParseInt(fields[1], 10, 64)
			n += kb << 10
		}
	}
	return n
}

// TestExecutable: the program's read-only pages stop counting in its
// memory (those it uses come back as it runs), and it still runs.
func TestExecutable(t *testing.T) {
	before := residentRO(t)
	if before == 0 {
		t.Skip("no resident read-only mappings of the test binary")
	}
	if Executable() == 0 {
		t.Skip("MADV_PAGEOUT not supported (Linux before 5.4)")
	}
	after := residentRO(t)
	t.Logf("resident read-only pages of the binary: %d KiB before, %d KiB after", before>>10, after>>10)
	if after >= before {
		t.Errorf("resident read-only pages did not drop: %d KiB before, %d KiB after", before>>10, after>>10)
	}
}
