package search_test

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/cuecard/cuecard/internal/bench"
	"github.com/cuecard/cuecard/internal/library"
	"github.com/cuecard/cuecard/internal/search"
)

// residentUnder is how many bytes of this process's mappings of files
// under dir are resident.
func residentUnder(t *testing.T, dir string) int64 {
	t.Helper()
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
			in = len(fields) >= 6 && strings.HasPrefix(fields[5], dir+string(filepath.Separator))
			continue
		}
		if in && len(fields) >= 2 && fields[0] == "Rss:" {
			kb, _ := strconv.ParseInt(fields[1], 10, 64)
			n += kb << 10
		}
	}
	return n
}

// TestReleasePages: the pages of the index's segment files that opening
// and searching touched stop counting in the process's memory, and the
// index still answers afterwards.
func TestReleasePages(t *testing.T) {
	root := t.TempDir()
	lib, dir := filepath.Join(root, "library"), filepath.Join(root, "index")
	if err := bench.Generate(lib, 2000, 1); err != nil {
		t.Fatal(err)
	}
	res, err := library.Scan(context.Background(), lib, library.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ix, err := search.Open(dir, lib)
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Apply(context.Background(), res.Guides, nil); err != nil {
		t.Fatal(err)
	}
	ix.Close()
	ix, err = search.Open(dir, lib) // maps the segment files
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	query := func() int {
		rs, err := ix.Search(context.Background(), search.Query{Text: "refund"})
		if err != nil {
			t.Fatal(err)
		}
		return len(rs)
	}
	hits := query()
	if hits == 0 {
		t.Fatal("no results for the test query")
	}
	before := residentUnder(t, dir)
	if before == 0 {
		t.Fatal("no resident pages of the index's files before the release")
	}
	if ix.ReleasePages() == 0 {
		t.Skip("this kernel cannot page out (MADV_PAGEOUT is Linux 5.4)")
	}
	after := residentUnder(t, dir)
	t.Logf("resident index pages: %d KiB before, %d KiB after", before>>10, after>>10)
	if after > before/2 {
		t.Errorf("resident index pages: %d KiB before the release, %d KiB after", before>>10, after>>10)
	}
	if n := query(); n != hits {
		t.Errorf("after the release the query found %d guides, before %d", n, hits)
	}
}
