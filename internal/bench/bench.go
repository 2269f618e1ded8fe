// Package bench is the benchmark behind `cuecard bench`: it generates a
// deterministic synthetic library, indexes it, measures index time, size,
// memory and start-up reconcile, then times as-you-type queries of several
// kinds through the real search index, next to ripgrep over the same files.
package bench

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/library"
	"github.com/cuecard/cuecard/internal/search"
)

// Options configure a Run.
type Options struct {
	// Guides is the library size; 0 means 10,000.
	Guides int
	// Dir is the work directory (its "library" and "index" folders are
	// replaced); empty means a temporary directory, removed afterwards.
	Dir string
	// Seed makes the library and the queries; the same seed gives the same
	// run.
	Seed int64
	// Out receives progress lines; nil means none.
	Out io.Writer
	// Queries is the number of queries per kind; 0 means 300.
	Queries int
	// RipgrepQueries is the number of queries per kind also run through
	// ripgrep; 0 means 15.
	RipgrepQueries int
	// Mixed writes a fifth of the library as Word (.docx) and PDF files,
	// and measures each format's parse time.
	Mixed bool
}

// Result is what a Run measured.
type Result struct {
	Guides int `json:"guides"`
	// IndexSeconds is the full index: scan and parse every file, open a new
	// index and Apply every guide.
	IndexSeconds  float64 `json:"index_seconds"`
	DocsPerSecond float64 `json:"docs_per_second"`
	// IndexCPUSeconds is the CPU time (all cores) the full index used: on a
	// shared machine it shows the work done independent of the load.
	IndexCPUSeconds float64 `json:"index_cpu_seconds"`
	// IndexBytes is the size of the index directory after the full index.
	IndexBytes int64 `json:"index_bytes"`
	// RSSBytes is the resident memory (VmRSS) with the index open, after the
	// queries and a garbage collection; PeakRSSBytes is the high-water mark
	// (VmHWM) of the whole run, generation and parsing included.
	RSSBytes     int64 `json:"rss_bytes"`
	PeakRSSBytes int64 `json:"peak_rss_bytes"`
	// ReconcileSeconds is a start-up with an unchanged library: open the
	// index, read Known, stat every file and compare (library.Scan with
	// Known).
	ReconcileSeconds float64 `json:"reconcile_seconds"`
	// CompactSeconds is the merge of the index into one segment that the
	// app makes once it has been quiet for a while after start-up
	// (search.Index.Compact); the queries run on the compacted index, as
	// the user's do.
	CompactSeconds float64     `json:"compact_seconds"`
	Queries        []QueryStat `json:"queries"`
	// RipgrepMissing is true when rg was not found: ripgrep figures are 0.
	RipgrepMissing bool `json:"ripgrep_missing,omitempty"`
	// Formats, for a mixed library, is each format's share and the time
	// to read and parse its files (library.ParseFile, one after another).
	Formats []FormatStat `json:"formats,omitempty"`
}

// FormatStat is one format of a mixed library.
type FormatStat struct {
	Format string `json:"format"`
	Files  int    `json:"files"`
	// ParseSeconds reads and parses every file of the format; PerFileMs
	// is its mean.
	ParseSeconds float64 `json:"parse_seconds"`
	PerFileMs    float64 `json:"per_file_ms"`
}

// QueryStat is the latency of one kind of query. RipgrepMs is the median time
// of `rg -il WORD DIR` over the library for the same words, and RipgrepRatio
// is P50ms / RipgrepMs (below 1: the index is faster).
type QueryStat struct {
	Kind         string  `json:"kind"`
	N            int     `json:"n"`
	P50ms        float64 `json:"p50_ms"`
	P99ms        float64 `json:"p99_ms"`
	RipgrepMs    float64 `json:"ripgrep_ms"`
	RipgrepRatio float64 `json:"ripgrep_ratio"`
}

// Query kinds, in report order.
const (
	KindPrefix1    = "prefix1"     // one letter
	KindPrefix2    = "prefix2"     // two letters
	KindPrefix3    = "prefix3plus" // three letters or more, sometimes after a whole word
	KindTypo       = "typo"        // a word with one edit
	KindAppContext = "app_context" // a short prefix with a focused window
)

// Kinds lists the query kinds.
var Kinds = []string{KindPrefix1, KindPrefix2, KindPrefix3, KindTypo, KindAppContext}

// Run generates a library of o.Guides guides, indexes it and times queries.
func Run(ctx context.Context, o Options) (*Result, error) {
	if o.Guides <= 0 {
		o.Guides = 10000
	}
	if o.Queries <= 0 {
		o.Queries = 300
	}
	if o.RipgrepQueries <= 0 {
		o.RipgrepQueries = 15
	}
	out := o.Out
	if out == nil {
		out = io.Discard
	}
	dir := o.Dir
	if dir == "" {
		tmp, err := os.MkdirTemp("", "cuecard-bench-")
		if err != nil {
			return nil, fmt.Errorf("bench: %w", err)
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	libDir, idxDir := filepath.Join(dir, "library"), filepath.Join(dir, "index")
	for _, d := range []string{libDir, idxDir} {
		if err := os.RemoveAll(d); err != nil {
			return nil, fmt.Errorf("bench: clean %s: %w", d, err)
		}
	}

	fmt.Fprintf(out, "generating %d guides in %s\n", o.Guides, libDir)
	ids, err := generate(libDir, o.Guides, o.Seed, o.Mixed)
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	res := &Result{}

	fmt.Fprintf(out, "indexing\n")
	start, startCPU := time.Now(), cpuTime()
	ix, err := search.Open(idxDir, libDir)
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	// As `cuecard index` does it: parse and index in overlapping batches.
	scan, err := library.ScanApply(ctx, libDir, library.Options{}, 500, func(gs []*guide.Guide) error {
		return ix.Apply(ctx, gs, nil)
	})
	if err != nil {
		ix.Close()
		return nil, fmt.Errorf("bench: %w", err)
	}
	parsed := time.Since(start)
	res.IndexSeconds = time.Since(start).Seconds()
	res.IndexCPUSeconds = (cpuTime() - startCPU).Seconds()
	res.Guides = ix.Count()
	res.DocsPerSecond = float64(res.Guides) / res.IndexSeconds
	fmt.Fprintf(out, "indexed %d guides in %.2f s (scan, parse and index %.2f s, %d problems)\n",
		res.Guides, res.IndexSeconds, parsed.Seconds(), len(scan.Problems))
	if err := ix.Close(); err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	scan = nil
	if res.IndexBytes, err = dirSize(idxDir); err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}

	if o.Mixed {
		for _, kind := range []string{"", "docx", "pdf"} {
			st := FormatStat{Format: kind, Files: len(ids[kind])}
			if kind == "" {
				st.Format = "md"
			}
			start := time.Now()
			for _, id := range ids[kind] {
				if g, ps := library.ParseFile(id, filepath.Join(libDir, filepath.FromSlash(id))); g == nil {
					return nil, fmt.Errorf("bench: %s does not parse: %v", id, ps)
				}
			}
			st.ParseSeconds = time.Since(start).Seconds()
			if st.Files > 0 {
				st.PerFileMs = st.ParseSeconds * 1000 / float64(st.Files)
			}
			res.Formats = append(res.Formats, st)
		}
	}

	fmt.Fprintf(out, "reconciling\n")
	start = time.Now()
	ix, err = search.Open(idxDir, libDir)
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	defer ix.Close()
	known := ix.Known()
	rescan, err := library.Scan(ctx, libDir, library.Options{Known: known})
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	removed := rescan.Removed(known)
	res.ReconcileSeconds = time.Since(start).Seconds()
	if len(rescan.Guides) != 0 || len(removed) != 0 || ix.Rebuilt() {
		return nil, fmt.Errorf("bench: reconcile of an unchanged library found %d changed and %d removed guides (rebuilt %v)",
			len(rescan.Guides), len(removed), ix.Rebuilt())
	}

	start = time.Now()
	if _, err := ix.Compact(ctx); err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	res.CompactSeconds = time.Since(start).Seconds()

	guides := ix.Guides()
	sets := Queries(guides, o.Queries, o.Seed)
	rg, rgErr := exec.LookPath("rg")
	res.RipgrepMissing = rgErr != nil
	if res.RipgrepMissing {
		fmt.Fprintf(out, "rg (ripgrep) not found: ripgrep figures are 0\n")
	}
	for _, kind := range Kinds {
		qs := sets[kind]
		fmt.Fprintf(out, "querying %s\n", kind)
		// Warm up: the first queries after open fault pages in.
		for _, q := range qs[:min(20, len(qs))] {
			if _, err := ix.Search(ctx, q); err != nil {
				return nil, fmt.Errorf("bench: %s %q: %w", kind, q.Text, err)
			}
		}
		lat := make([]float64, 0, len(qs))
		for _, q := range qs {
			elapsed := stopwatch()
			if _, err := ix.Search(ctx, q); err != nil {
				return nil, fmt.Errorf("bench: %s %q: %w", kind, q.Text, err)
			}
			lat = append(lat, ms(elapsed()))
		}
		st := QueryStat{Kind: kind, N: len(lat), P50ms: percentile(lat, 50), P99ms: percentile(lat, 99)}
		if !res.RipgrepMissing {
			var rgLat []float64
			for _, q := range qs[:min(o.RipgrepQueries, len(qs))] {
				d, err := ripgrep(ctx, rg, lastWord(q.Text), libDir)
				if err != nil {
					return nil, fmt.Errorf("bench: %w", err)
				}
				rgLat = append(rgLat, ms(d))
			}
			st.RipgrepMs = percentile(rgLat, 50)
			if st.RipgrepMs > 0 {
				st.RipgrepRatio = st.P50ms / st.RipgrepMs
			}
		}
		res.Queries = append(res.Queries, st)
	}

	guides, known, sets = nil, nil, nil
	runtime.GC()
	debug.FreeOSMemory()
	res.RSSBytes, res.PeakRSSBytes = memory()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Fprintf(out, "memory: %.1f MB RSS, of which Go heap in use %.1f MB\n", float64(res.RSSBytes)/1e6, float64(ms.HeapInuse)/1e6)
	return res, nil
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// percentile is the p-th percentile (nearest rank) of xs.
func percentile(xs []float64, p float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	i := int(p/100*float64(len(s))+0.5) - 1
	return s[max(0, min(i, len(s)-1))]
}

func lastWord(text string) string {
	f := strings.Fields(text)
	if len(f) == 0 {
		return text
	}
	return f[len(f)-1]
}

// ripgrep times `rg -il WORD DIR`; finding nothing is not an error.
func ripgrep(ctx context.Context, rg, word, dir string) (time.Duration, error) {
	cmd := exec.CommandContext(ctx, rg, "-il", "--", word, dir)
	cmd.Stdout = io.Discard
	t := time.Now()
	err := cmd.Run()
	d := time.Since(t)
	var ee *exec.ExitError
	if errors.As(err, &ee) && ee.ExitCode() == 1 {
		err = nil
	}
	if err != nil {
		return 0, fmt.Errorf("rg %s: %w", word, err)
	}
	return d, nil
}

func dirSize(dir string) (int64, error) {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			n += info.Size()
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("size of %s: %w", dir, err)
	}
	return n, nil
}

// memory reads VmRSS and VmHWM from /proc/self/status (0 where there is no
// /proc).
func memory() (rss, peak int64) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		fields := strings.Fields(v)
		if len(fields) == 0 {
			continue
		}
		kb, err := strconv.ParseInt(fields[0], 10, 64)
		if err != nil {
			continue
		}
		switch k {
		case "VmRSS":
			rss = kb * 1024
		case "VmHWM":
			peak = kb * 1024
		}
	}
	return rss, peak
}

// Queries returns n queries of each kind (see Kinds) made from the titles of
// guides, the way people type: the start of a word of the task they want, a
// word with a typo, a short prefix in a focused app's window. The same
// guides and seed give the same queries.
func Queries(guides []*guide.Guide, n int, seed int64) map[string][]search.Query {
	sets := map[string][]search.Query{}
	if len(guides) == 0 {
		return sets
	}
	r := rand.New(rand.NewPCG(uint64(seed), 0x5eed))
	words := func(g *guide.Guide) []string {
		var ws []string
		for _, w := range strings.FieldsFunc(strings.ToLower(g.Title), func(c rune) bool {
			return !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9')
		}) {
			if len(w) >= 3 && !commonWord[w] {
				ws = append(ws, w)
			}
		}
		return ws
	}
	pickWord := func(minLen int) (*guide.Guide, []string, string) {
		for {
			g := guides[r.IntN(len(guides))]
			ws := words(g)
			var ok []string
			for _, w := range ws {
				if len(w) >= minLen {
					ok = append(ok, w)
				}
			}
			if len(ok) > 0 {
				return g, ws, ok[r.IntN(len(ok))]
			}
		}
	}
	windows := windowsByRule()
	for i := 0; i < n; i++ {
		_, _, w := pickWord(1)
		sets[KindPrefix1] = append(sets[KindPrefix1], search.Query{Text: w[:1]})
		_, _, w = pickWord(2)
		sets[KindPrefix2] = append(sets[KindPrefix2], search.Query{Text: w[:2]})

		_, ws, w := pickWord(3)
		text := w[:3+r.IntN(len(w)-2)]
		if r.IntN(2) == 0 && len(ws) > 1 {
			first := ws[r.IntN(len(ws))]
			if first != w {
				text = first + " " + text
			}
		}
		sets[KindPrefix3] = append(sets[KindPrefix3], search.Query{Text: text})

		_, _, w = pickWord(5)
		sets[KindTypo] = append(sets[KindTypo], search.Query{Text: typo(r, w)})

		for {
			g, _, w := pickWord(2)
			win, ok := windowFor(g, windows)
			if !ok {
				continue
			}
			sets[KindAppContext] = append(sets[KindAppContext], search.Query{Text: w[:2+r.IntN(min(3, len(w)-1))], Window: win})
			break
		}
	}
	return sets
}

// commonWord are title words people do not start a search with.
var commonWord = map[string]bool{"how": true, "the": true, "and": true, "for": true, "what": true, "why": true,
	"who": true, "about": true, "people": true, "ask": true, "write": true}

// typo makes one edit in w: swap two neighbours, drop, double or replace a
// letter (never the first one).
func typo(r *rand.Rand, w string) string {
	b := []byte(w)
	i := 1 + r.IntN(len(b)-2)
	switch r.IntN(4) {
	case 0:
		b[i], b[i+1] = b[i+1], b[i]
	case 1:
		b = append(b[:i], b[i+1:]...)
	case 2:
		b = append(b[:i+1], b[i:]...)
	default:
		c := byte('a' + r.IntN(26))
		if c == b[i] {
			c = 'z' - (c - 'a')
		}
		b[i] = c
	}
	if !utf8.Valid(b) {
		return w
	}
	return string(b)
}

// windowsByRule maps every generated rule to a window of its app.
func windowsByRule() map[appRule]guide.Window {
	m := map[appRule]guide.Window{}
	for _, a := range apps {
		for _, r := range a.Rules {
			m[r] = guide.Window{Exe: a.Exe, Class: a.Class, Instance: a.Class, Title: a.Title}
		}
	}
	return m
}

// windowFor is a window that one of g's rules matches.
func windowFor(g *guide.Guide, windows map[appRule]guide.Window) (guide.Window, bool) {
	for _, rule := range g.Apps {
		w, ok := windows[appRule{Exe: rule.Exe, Class: rule.Class, Title: rule.Title}]
		if ok && rule.Match(w) {
			return w, true
		}
	}
	return guide.Window{}, false
}

// WriteTable prints r as a table.
func (r *Result) WriteTable(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "guides\t%d\n", r.Guides)
	fmt.Fprintf(tw, "full index\t%.2f s\t%.0f guides/s\t%.2f CPU s\n", r.IndexSeconds, r.DocsPerSecond, r.IndexCPUSeconds)
	fmt.Fprintf(tw, "index size\t%.1f MB\n", float64(r.IndexBytes)/1e6)
	fmt.Fprintf(tw, "memory\t%.1f MB RSS\t%.1f MB peak\n", float64(r.RSSBytes)/1e6, float64(r.PeakRSSBytes)/1e6)
	fmt.Fprintf(tw, "reconcile (unchanged)\t%.3f s\n", r.ReconcileSeconds)
	fmt.Fprintf(tw, "compact (app, when idle)\t%.3f s\n", r.CompactSeconds)
	tw.Flush()
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "query\tn\tp50 ms\tp99 ms\trg p50 ms\tp50 / rg\t\n")
	for _, q := range r.Queries {
		fmt.Fprintf(tw, "%s\t%d\t%.2f\t%.2f\t%.1f\t%.4f\t\n", q.Kind, q.N, q.P50ms, q.P99ms, q.RipgrepMs, q.RipgrepRatio)
	}
	tw.Flush()
	if len(r.Formats) > 0 {
		fmt.Fprintln(w)
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "format	files	parse s	ms per file	\n")
		for _, f := range r.Formats {
			fmt.Fprintf(tw, "%s\t%d\t%.2f\t%.2f\t\n", f.Format, f.Files, f.ParseSeconds, f.PerFileMs)
		}
		tw.Flush()
	}
	if r.RipgrepMissing {
		fmt.Fprintln(w, "rg (ripgrep) was not found: the ripgrep columns are 0")
	}
}
