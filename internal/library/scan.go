// Package library reads the guides folder: it scans it (skipping sync-client
// and editor temp files), parses every guide, lints the whole library, and
// installs the bundled sample library.
package library

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/cuecard/cuecard/internal/guide"
)

// Options tune a Scan.
type Options struct {
	// Known is what the index holds (id -> size, mtime, hash). Files whose
	// size and modification time equal the known ones are not read again and
	// are listed in Result.Unchanged. Nil reads every file.
	Known map[string]guide.FileState
	// Ignore adds name patterns (path.Match syntax; a trailing "/" matches
	// folders only) to DefaultIgnore.
	Ignore []string
	// Workers is the number of parallel parsers; 0 means GOMAXPROCS.
	Workers int
	// Sub limits the scan to one library-relative folder (ids stay relative
	// to the library root). Empty scans the whole library.
	Sub string
	// Each, when set, receives every parsed guide as soon as its chunk of
	// files is parsed, and the guide is not kept in Result.Guides (its id
	// is in Result.Parsed): memory stays bounded for large libraries. An
	// error from Each stops the scan and is returned.
	Each func(*guide.Guide) error
	// ToParse, when set, is told how many files will be parsed, once the
	// folder walk is done and before parsing starts.
	ToParse func(n int)
}

// eachChunk is how many files are parsed between calls to Options.Each.
const eachChunk = 256

// Result is what a Scan found.
type Result struct {
	Root string
	// Guides are the parsed guides: all of them, or with Options.Known only
	// the new and changed ones.
	Guides []*guide.Guide
	// Unchanged are the ids of files that match Options.Known.
	Unchanged []string
	// Parsed are the ids of the guides handed to Options.Each.
	Parsed []string
	// Problems are every problem found, sorted by path and line.
	Problems []guide.Problem
	// Files is the number of guide files seen.
	Files int
}

// Removed returns the known ids that the scan did not find as a valid guide
// (deleted files and files that now have errors), sorted.
func (r *Result) Removed(known map[string]guide.FileState) []string {
	present := make(map[string]bool, len(r.Guides)+len(r.Unchanged))
	for _, g := range r.Guides {
		present[g.ID] = true
	}
	for _, id := range r.Unchanged {
		present[id] = true
	}
	for _, id := range r.Parsed {
		present[id] = true
	}
	var out []string
	for id := range known {
		if !present[id] {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}

// ErrNotFolder is returned when the library root is missing or not a folder.
var ErrNotFolder = errors.New("not a folder")

type job struct {
	id, abs string
	info    fs.FileInfo
	// fo are the folder settings, for documents (nil: read as needed).
	fo *folders
}

// Scan walks the library at root and parses its guides. Problems with single
// files never stop the scan; only a root that cannot be read is an error.
func Scan(ctx context.Context, root string, opts Options) (*Result, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("library %s: %w", root, err)
	}
	st, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("library %s: %w", root, err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("library %s: %w", root, ErrNotFolder)
	}
	// A root that is a symbolic link (a git source's current tree) is
	// walked where it points.
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	settings, _ := LoadSettings(abs) // a broken file is lint's to report
	ig := newIgnore(opts.Ignore, settings.HiddenFolders)
	res := &Result{Root: abs}
	fo := newFolders(abs)
	var jobs []job
	realRoot := abs
	start := abs
	if opts.Sub != "" {
		start = filepath.Join(abs, filepath.FromSlash(opts.Sub))
	}
	walkErr := filepath.WalkDir(start, func(p string, d fs.DirEntry, err error) error {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		rel, _ := filepath.Rel(abs, p)
		id := filepath.ToSlash(rel)
		if err != nil {
			if p == start {
				return err
			}
			res.Problems = append(res.Problems, guide.Problem{Path: id, Line: 1, Level: guide.LevelWarning, Code: "unreadable",
				Message: fmt.Sprintf("cannot read this: %v; fix its permissions or remove it", errText(err))})
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if p == abs || (p == start && d.IsDir()) {
			return nil
		}
		if ig.Match(id, d.IsDir()) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.IsDir() && d.Name() == SettingsFile {
			dir := path.Dir(id)
			if dir == "." {
				dir = ""
			}
			if fset := fo.of(dir); fset != nil {
				res.Problems = append(res.Problems, fset.problems...)
			}
			return nil
		}
		if d.IsDir() || !IsItemFile(id) {
			return nil
		}
		info, err := os.Stat(p) // follows a symlinked file
		if err != nil {
			res.Files++
			res.Problems = append(res.Problems, guide.Problem{Path: id, Line: 1, Level: guide.LevelError, Code: "unreadable",
				Message: fmt.Sprintf("cannot read this file: %v; fix its permissions or remove it", errText(err))})
			return nil
		}
		if !info.Mode().IsRegular() {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 && !inside(realRoot, p) {
			res.Problems = append(res.Problems, guide.Problem{Path: id, Line: 1, Level: guide.LevelWarning, Code: "symlink-outside",
				Message: "symbolic link points outside the library and is ignored: copy the file into the library instead"})
			return nil
		}
		res.Files++
		if k, ok := opts.Known[id]; ok && k.Size == info.Size() {
			mod := info.ModTime()
			if isDocument(id) {
				_, settings := fo.chain(id)
				mod = docModTime(mod, settings)
			}
			if k.ModTime.Equal(mod) {
				res.Unchanged = append(res.Unchanged, id)
				return nil
			}
		}
		jobs = append(jobs, job{id: id, abs: p, info: info, fo: fo})
		return nil
	})
	if walkErr != nil {
		return nil, fmt.Errorf("scan library %s: %w", root, walkErr)
	}
	if opts.ToParse != nil {
		opts.ToParse(len(jobs))
	}
	if opts.Each != nil {
		for i := 0; i < len(jobs); i += eachChunk {
			guides, probs := parseAll(ctx, jobs[i:min(i+eachChunk, len(jobs))], opts.Workers)
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			res.Problems = append(res.Problems, probs...)
			for _, g := range guides {
				if err := opts.Each(g); err != nil {
					return nil, err
				}
				res.Parsed = append(res.Parsed, g.ID)
			}
		}
		sortProblems(res.Problems)
		return res, nil
	}
	guides, probs := parseAll(ctx, jobs, opts.Workers)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res.Guides = guides
	res.Problems = append(res.Problems, probs...)
	sortProblems(res.Problems)
	sort.Slice(res.Guides, func(i, j int) bool { return res.Guides[i].ID < res.Guides[j].ID })
	return res, nil
}

// inside reports whether the symlink at p resolves to a place under realRoot.
func inside(realRoot, p string) bool {
	t, err := filepath.EvalSymlinks(p)
	if err != nil {
		return false
	}
	rel, err := filepath.Rel(realRoot, t)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

func errText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// ParseFile reads and parses one guide file; id is its library-relative path.
func ParseFile(id, abs string) (*guide.Guide, []guide.Problem) {
	info, err := os.Stat(abs)
	if err != nil {
		return nil, []guide.Problem{{Path: id, Line: 1, Level: guide.LevelError, Code: "unreadable",
			Message: fmt.Sprintf("cannot read this file: %v; fix its permissions or remove it", errText(err))}}
	}
	return parseOne(job{id: id, abs: abs, info: info})
}

func parseOne(j job) (*guide.Guide, []guide.Problem) {
	if isDocument(j.id) {
		fo := j.fo
		if fo == nil {
			root := strings.TrimSuffix(filepath.ToSlash(j.abs), j.id)
			fo = newFolders(filepath.FromSlash(strings.TrimSuffix(root, "/")))
		}
		g, ps, _ := parseDocument(j, fo)
		return g, ps
	}
	if j.info.Size() > guide.MaxFileSize {
		return nil, []guide.Problem{{Path: j.id, Line: 1, Level: guide.LevelError, Code: "too-large",
			Message: fmt.Sprintf("file is %d KiB, over the 1024 KiB limit for a guide: split it into shorter guides", j.info.Size()/1024)}}
	}
	data, err := os.ReadFile(j.abs)
	if err != nil {
		return nil, []guide.Problem{{Path: j.id, Line: 1, Level: guide.LevelError, Code: "unreadable",
			Message: fmt.Sprintf("cannot read this file: %v; fix its permissions or remove it", errText(err))}}
	}
	g, probs := guide.Parse(j.id, data)
	if g != nil {
		g.ModTime = j.info.ModTime()
	}
	return g, probs
}

func parseAll(ctx context.Context, jobs []job, workers int) ([]*guide.Guide, []guide.Problem) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	type out struct {
		g  *guide.Guide
		ps []guide.Problem
	}
	outs := make([]out, len(jobs))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				g, ps := parseOne(jobs[i])
				outs[i] = out{g, ps}
			}
		}()
	}
	for i := range jobs {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	var gs []*guide.Guide
	var ps []guide.Problem
	for _, o := range outs {
		if o.g != nil {
			gs = append(gs, o.g)
		}
		ps = append(ps, o.ps...)
	}
	return gs, ps
}

func sortProblems(ps []guide.Problem) {
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Code != b.Code {
			return a.Code < b.Code
		}
		return a.Message < b.Message
	})
}

// DefaultIgnore are the names never read as guides: sync-client and editor
// temp files, and the folders of version control, sync clients, note apps
// and Cuecard's own folders: insights, training records and the people's
// presets. A trailing "/" matches folders only.
var DefaultIgnore = []string{
	".~lock.*#", "~$*", "*.tmp", "*.part", "*.crdownload", "*.swp", "*.swx", "*~", "4913", ".#*",
	".DS_Store", "Thumbs.db", "desktop.ini", ".dropbox*", ".sync*", ".syncthing.*", "*.partial", ".tmp.drive*/",
	".stversions/", ".git/", ".obsidian/", ".trash/", ".Trash-*/", "_insights/", "_training/", "_people/",
}

// Ignore matches library paths against ignore patterns.
type Ignore struct {
	files, dirs []string
}

// HiddenIgnore is the pattern of hidden folders (.github, .claude), not
// read unless the library's settings say hidden_folders: true.
const HiddenIgnore = ".*/"

// NewIgnore returns DefaultIgnore, HiddenIgnore and extra patterns.
func NewIgnore(extra []string) *Ignore { return newIgnore(extra, false) }

// newIgnore is NewIgnore, with hidden folders read when hidden is set.
func newIgnore(extra []string, hidden bool) *Ignore {
	ig := &Ignore{}
	pats := append([]string{}, DefaultIgnore...)
	if !hidden {
		pats = append(pats, HiddenIgnore)
	}
	for _, p := range append(pats, extra...) {
		if d, ok := strings.CutSuffix(p, "/"); ok {
			ig.dirs = append(ig.dirs, d)
		} else {
			ig.files = append(ig.files, p)
		}
	}
	return ig
}

// Match reports whether the library-relative slash path id (a folder when
// dir is true) is ignored, either itself or through one of its parent folders.
func (ig *Ignore) Match(id string, dir bool) bool {
	parts := strings.Split(id, "/")
	for i, name := range parts {
		isDir := dir || i < len(parts)-1
		for _, pat := range ig.files {
			if ok, _ := path.Match(pat, name); ok {
				return true
			}
		}
		if isDir {
			for _, pat := range ig.dirs {
				if ok, _ := path.Match(pat, name); ok {
					return true
				}
			}
		}
	}
	return false
}

// ScanApply is Scan for indexing: the parsed guides go to apply in batches
// of about n while the next files are parsed, so parsing and indexing
// overlap and at most a few batches are in memory. The Result lists their
// ids in Parsed. The first error from apply stops the scan.
func ScanApply(ctx context.Context, root string, opts Options, n int, apply func([]*guide.Guide) error) (*Result, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan []*guide.Guide, 1)
	applied := make(chan error, 1)
	go func() {
		var err error
		for b := range batches {
			if err == nil {
				if err = apply(b); err != nil {
					cancel()
				}
			}
		}
		applied <- err
	}()
	var batch []*guide.Guide
	opts.Each = func(g *guide.Guide) error {
		batch = append(batch, g)
		if len(batch) >= n {
			select {
			case batches <- batch:
			case <-ctx.Done():
				return ctx.Err()
			}
			batch = nil
		}
		return nil
	}
	res, scanErr := Scan(ctx, root, opts)
	if scanErr == nil && len(batch) > 0 {
		batches <- batch
	}
	close(batches)
	if err := <-applied; err != nil {
		return nil, err
	}
	if scanErr != nil {
		return nil, scanErr
	}
	return res, nil
}
