// Package search is Cuecard's full-text index of the guide library, built on
// bleve (scorch) with a static mapping. It opens, versions and rebuilds the
// index, applies library changes in batches, and answers as-you-type
// queries: the last word is a prefix, earlier words are whole words with
// typo tolerance, title matches rank over tags over body, guides for the
// focused window are boosted, overdue guides rank a little lower, and FAQ
// sections are results of their own.
//
// The index also keeps a catalogue of every guide (title, rules, tags,
// review dates, file state...) as a stored field written atomically with the
// guide's documents; it is loaded into memory at Open, so Known, Guides and
// window matching never re-read the library and are exact after a crash.
//
// How as-you-type stays fast at 50,000 guides:
//   - The last word is looked up as one term of an edge n-gram field of the
//     title and tag words (stop words left out: "h" would match every
//     "How to ..."), never as a bleve prefix query.
//   - Body words complete a last word of three letters or more through a
//     bounded expansion: the few most frequent dictionary words with that
//     prefix whose documents stay within a budget.
//   - Typo corrections are looked up (Levenshtein automaton, transpositions
//     count as one edit) only for words no document contains.
//   - Window boosts use one indexed term per distinct app rule; the rules
//     are matched once per window with guide.Matcher.
//   - Nothing but a 1,200-byte plain-text prefix (for snippets) and the
//     catalogue record is stored; no term vectors, doc values or _all.
package search

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	index "github.com/blevesearch/bleve_index_api"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/cuecard/cuecard/internal/guide"
)

// MappingVersion is the version of the index layout (mapping, analyzers,
// stored fields, catalogue record). An index of another version is rebuilt.
const MappingVersion = 4

// ErrLocked is returned by Open when another process has the index open.
var ErrLocked = errors.New("index in use by another cuecard process")

// OpenTimeout is how long Open waits for the index lock before ErrLocked.
var OpenTimeout = 300 * time.Millisecond

// Internal keys stored in the index.
var (
	keyVersion = []byte("cuecard.mapping_version")
	keyLibrary = []byte("cuecard.library")
)

// Index is the search index of one library. It is safe for concurrent use:
// Search runs alongside Apply; Apply calls are serialised.
type Index struct {
	dir, root string
	bi        bleve.Index
	docs      *docBuilder
	rebuilt   bool

	writeMu sync.Mutex // serialises Apply and Close

	mu     sync.RWMutex // guards bi (nil after Close), cat and the window cache
	cat    *catalogue
	rules  ruleSet
	gen    uint64 // bumped by every change to cat
	appGen uint64
	appWin guide.Window
	app    *appMatch
	// langFolders is true when the library keeps its languages in top
	// folders (en/, de/, ...); computed for catalogue generation langGen.
	langFolders bool
	langGen     uint64

	// failed is closed when a write to the index has failed for good
	// (failErr says why); see writefail.go.
	failed   chan struct{}
	failOnce sync.Once
	failErr  error
}

// errNoIndex means there is no index at the directory yet.
var errNoIndex = errors.New("no index")

// Open opens the index in dir for the library at libraryRoot, creating it if
// needed. An index of another MappingVersion or library, or one that cannot be
// opened or read (damaged), is removed and created again empty, with a
// warning in the log; Rebuilt then reports true. Open waits at most
// OpenTimeout for each of its locks (one that serialises Open itself, see
// openlock.go, and bleve's) and returns ErrLocked when another process
// holds one. A non-empty dir that does not look like an index is refused, never
// removed.
func Open(dir, libraryRoot string) (_ *Index, err error) {
	root := libraryRoot
	if root != "" {
		abs, err := filepath.Abs(root)
		if err != nil {
			return nil, fmt.Errorf("open index: library %s: %w", root, err)
		}
		root = abs
	}
	ix := &Index{dir: dir, root: root, failed: make(chan struct{})}
	ix.watchFailures()
	defer func() {
		if err != nil {
			ix.unwatchFailures()
		}
	}()
	lock, err := lockOpen(dir)
	if err != nil {
		if errors.Is(err, ErrLocked) {
			return nil, fmt.Errorf("open index %s: %w", dir, err)
		}
		return nil, err
	}
	defer lock.release()
	bi, err := openBleve(dir)
	switch {
	case err == nil:
		if reason := ix.mismatch(bi); reason != "" {
			slog.Warn("search index is for another version or library; rebuilding it", "dir", dir, "reason", reason)
			_ = bi.Close()
			bi, err = ix.recreate()
		}
	case errors.Is(err, ErrLocked):
		return nil, fmt.Errorf("open index %s: %w", dir, err)
	case errors.Is(err, errNoIndex):
		bi, err = ix.create()
	default:
		if !looksLikeIndex(dir) {
			return nil, fmt.Errorf("open index %s: %w; the folder is not a Cuecard index: choose an empty folder", dir, err)
		}
		slog.Warn("search index is damaged; rebuilding it", "dir", dir, "err", err)
		bi, err = ix.recreate()
	}
	if err != nil {
		return nil, err
	}
	if err := ix.attach(bi); err != nil {
		_ = bi.Close()
		if ix.rebuilt {
			return nil, err
		}
		// The documents cannot be read back: damaged after all.
		slog.Warn("search index is damaged; rebuilding it", "dir", dir, "err", err)
		if bi, err = ix.recreate(); err != nil {
			return nil, err
		}
		if err := ix.attach(bi); err != nil {
			_ = bi.Close()
			return nil, err
		}
	}
	return ix, nil
}

// attach makes bi the index of ix and loads its catalogue.
func (ix *Index) attach(bi bleve.Index) error {
	docs, err := newDocBuilder(bi.Mapping())
	if err != nil {
		return err
	}
	ix.bi, ix.docs = bi, docs
	return ix.load()
}

// openBleve opens an existing index, never waiting longer than OpenTimeout
// for its lock. bleve can panic on damaged files; that is an error here.
func openBleve(dir string) (bi bleve.Index, err error) {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) || (err == nil && len(ents) == 0) {
		return nil, errNoIndex
	}
	if err != nil {
		return nil, fmt.Errorf("open index %s: %w", dir, err)
	}
	defer recoverTo(&err, "open index "+dir)
	bi, err = bleve.OpenUsing(dir, scorchConfig())
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, ErrLocked
	}
	return bi, err
}

// scorchConfig is the runtime configuration of every index opened here:
// the lock timeout, and the callback that stops writes after a failed one.
func scorchConfig() map[string]any {
	return map[string]any{"bolt_timeout": OpenTimeout.String(), "asyncErrorCallbackName": asyncErrorCallback}
}

// looksLikeIndex reports whether dir holds bleve's files, so that removing
// it cannot destroy anything else.
func looksLikeIndex(dir string) bool {
	for _, name := range []string{"index_meta.json", "store"} {
		if _, err := os.Lstat(filepath.Join(dir, name)); err == nil {
			return true
		}
	}
	return false
}

// mismatch says why an open index cannot be used, or "".
func (ix *Index) mismatch(bi bleve.Index) string {
	v, err := bi.GetInternal(keyVersion)
	if err != nil {
		return fmt.Sprintf("cannot read its version: %v", err)
	}
	if string(v) != strconv.Itoa(MappingVersion) {
		return fmt.Sprintf("mapping version %q, want %d", v, MappingVersion)
	}
	lib, err := bi.GetInternal(keyLibrary)
	if err != nil {
		return fmt.Sprintf("cannot read its library: %v", err)
	}
	if string(lib) != ix.root {
		return fmt.Sprintf("built for library %q, not %q", lib, ix.root)
	}
	return ""
}

// recreate removes the index directory and creates a new empty index.
func (ix *Index) recreate() (bleve.Index, error) {
	if err := os.RemoveAll(ix.dir); err != nil {
		return nil, fmt.Errorf("remove outdated index %s: %w", ix.dir, err)
	}
	return ix.create()
}

func (ix *Index) create() (bleve.Index, error) {
	im, err := newMapping()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(filepath.Clean(ix.dir)), 0o700); err != nil {
		return nil, fmt.Errorf("create index %s: %w", ix.dir, err)
	}
	// An empty directory is fine; bleve wants to create it itself.
	_ = os.Remove(ix.dir)
	bi, err := bleve.NewUsing(ix.dir, im, scorch.Name, scorch.Name, scorchConfig())
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("create index %s: %w", ix.dir, ErrLocked)
	}
	if err != nil {
		return nil, fmt.Errorf("create index %s: %w", ix.dir, err)
	}
	b := bi.NewBatch()
	b.SetInternal(keyVersion, []byte(strconv.Itoa(MappingVersion)))
	b.SetInternal(keyLibrary, []byte(ix.root))
	if err := bi.Batch(b); err != nil {
		_ = bi.Close()
		return nil, fmt.Errorf("create index %s: %w", ix.dir, err)
	}
	ix.rebuilt = true
	return bi, nil
}

// Rebuilt reports whether Open created the index empty (new, outdated or
// damaged): the caller must then index the whole library.
func (ix *Index) Rebuilt() bool { return ix.rebuilt }

// Close closes the index. Further use of ix is an error.
func (ix *Index) Close() error {
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	if ix.bi == nil {
		return nil
	}
	defer ix.unwatchFailures()
	ix.mu.Lock()
	bi := ix.bi
	ix.bi = nil
	ix.mu.Unlock()
	if ix.failure() != nil {
		// A write that scorch can no longer finish still holds the index's
		// lock (writefail.go): closing would wait for it for ever. What is
		// on disk is complete; the file lock goes with the process.
		go bi.Close()
		return nil
	}
	err := bi.Close()
	if err != nil {
		return fmt.Errorf("close index %s: %w", ix.dir, err)
	}
	return nil
}

// recoverTo turns a panic into an error in *err: bleve can panic on damaged
// files, and a damaged index must never take the application down.
func recoverTo(err *error, what string) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%s: bleve panicked: %v", what, r)
	}
}

// load reads the catalogue records of every guide document.
func (ix *Index) load() (err error) {
	defer recoverTo(&err, "load index catalogue")
	cat := newCatalogue()
	err = visitStored(ix.bi, fieldCat, func(id string, val []byte) error {
		e, err := ix.rules.decodeEntry(id, val)
		if err != nil {
			return err
		}
		cat.put(e)
		return nil
	})
	if err != nil {
		return fmt.Errorf("load index catalogue: %w", err)
	}
	ix.mu.Lock()
	ix.cat = cat
	ix.gen++
	ix.mu.Unlock()
	return nil
}

// visitStored calls fn with the id and the stored value of field for every
// live document that has it. With scorch it walks the segments directly
// (no per-document id lookups); otherwise it goes through the public reader.
func visitStored(bi bleve.Index, field string, fn func(id string, val []byte) error) (err error) {
	adv, err := bi.Advanced()
	if err != nil {
		return err
	}
	r, err := adv.Reader()
	if err != nil {
		return err
	}
	defer func() {
		if cerr := r.Close(); err == nil && cerr != nil {
			err = cerr
		}
	}()
	if snap, ok := r.(*scorch.IndexSnapshot); ok {
		for _, seg := range snap.Segments() {
			live := seg.DocNumbersLive()
			it := live.Iterator()
			for it.HasNext() {
				num := uint64(it.Next())
				var id string
				var val []byte
				verr := seg.VisitDocument(num, func(name string, typ byte, v []byte, pos []uint64) bool {
					switch name {
					case "_id":
						id = string(v)
					case field:
						val = bytes.Clone(v)
					}
					return true
				})
				if verr != nil {
					return verr
				}
				if val != nil {
					if err := fn(id, val); err != nil {
						return err
					}
				}
			}
		}
		return nil
	}
	ids, err := r.DocIDReaderAll()
	if err != nil {
		return err
	}
	defer ids.Close()
	for {
		iid, err := ids.Next()
		if err != nil {
			return err
		}
		if iid == nil {
			return nil
		}
		id, err := r.ExternalID(iid)
		if err != nil {
			return err
		}
		doc, err := r.Document(id)
		if err != nil {
			return err
		}
		if doc == nil {
			continue
		}
		var val []byte
		doc.VisitFields(func(f index.Field) {
			if f.Name() == field {
				val = f.Value()
			}
		})
		if val != nil {
			if err := fn(id, val); err != nil {
				return err
			}
		}
	}
}

// Known returns what the index holds for each guide: id -> size, mtime and
// hash, as recorded when the guide was indexed.
func (ix *Index) Known() map[string]guide.FileState {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	out := make(map[string]guide.FileState, len(ix.cat.byID))
	for id, e := range ix.cat.byID {
		out[id] = e.state()
	}
	return out
}

// Count is the number of indexed guides (FAQ section documents not counted).
func (ix *Index) Count() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.cat.byID)
}

// Guides returns the light metadata of every indexed guide, sorted by ID:
// ID, Title, Summary, Format, Apps (compiled), Tags, Roles, Owner, Reviewed,
// ReviewEvery, Duration, Suggest, Video, Template, Hash, Size, ModTime, the
// track's Required, Ack, Deadline and Order and, for FAQ guides, Sections
// (anchor and title, no text). Body, Text and Links are empty; Steps too,
// except a required guide's, which hold their ids only. The guides are
// made anew from the catalogue's records for each call.
func (ix *Index) Guides() []*guide.Guide {
	ix.mu.RLock()
	out := make([]*guide.Guide, 0, len(ix.cat.byID))
	for _, e := range ix.cat.byID {
		out = append(out, e.guide())
	}
	ix.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// appMatch matches w against the rules of every guide, remembering the last
// window: while the user types, the window does not change.
func (ix *Index) appMatch(w guide.Window) *appMatch {
	ix.mu.RLock()
	if ix.app != nil && ix.appGen == ix.gen && ix.appWin == w {
		am := ix.app
		ix.mu.RUnlock()
		return am
	}
	ix.mu.RUnlock()
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return ix.appMatchLocked(w)
}

// appMatchLocked is appMatch with ix.mu held for writing.
func (ix *Index) appMatchLocked(w guide.Window) *appMatch {
	if ix.app != nil && ix.appGen == ix.gen && ix.appWin == w {
		return ix.app
	}
	am := ix.cat.match(&ix.rules, w)
	ix.app, ix.appGen, ix.appWin = am, ix.gen, w
	return am
}

// Match returns the indexed guides with an app rule that matches w, as
// guide.NewMatcher(ix.Guides()).Match(w) would: one per guide, with its most
// specific matching rule (the first of equals), most specific first, then
// by lower-case title, then by id. It reads the catalogue's distinct rules,
// so it keeps no copy of the guides. The guides are light (as Guides
// describes them) and made anew for each call.
func (ix *Index) Match(w guide.Window) []guide.Match {
	if w.IsZero() {
		return nil
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	am := ix.appMatchLocked(w)
	if len(am.best) == 0 {
		return nil
	}
	out := make([]guide.Match, 0, len(am.best))
	titles := make([]string, 0, len(am.best))
	for id, spec := range am.best {
		e := ix.cat.byID[id]
		if e == nil {
			continue
		}
		g := e.guide()
		for i, k := range e.rules {
			if _, ok := slices.BinarySearch(am.keys, k); ok && i < len(g.Apps) && g.Apps[i].Specificity() == spec {
				out = append(out, guide.Match{Guide: g, Rule: g.Apps[i], Specificity: spec})
				titles = append(titles, strings.ToLower(g.Title))
				break
			}
		}
	}
	guide.SortMatches(out, titles) // as guide.Matcher ranks
	return out
}

// Guide returns the light metadata of one indexed guide (as Guides
// describes it), made anew for each call, or nil.
func (ix *Index) Guide(id string) *guide.Guide {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if e := ix.cat.byID[id]; e != nil {
		return e.guide()
	}
	return nil
}
