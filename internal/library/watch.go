package library

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"maps"
	"math"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/cuecard/cuecard/internal/guide"
)

// Watcher tunables. They are variables so tests can shrink them.
var (
	// Quiet is how long the library must be still before a batch of
	// changes is applied.
	Quiet = 60 * time.Millisecond
	// MaxDelay bounds how long changes wait while the library keeps
	// changing (a git checkout, a sync client catching up).
	MaxDelay = 750 * time.Millisecond
	// RootPoll is how often the watcher checks that the library folder is
	// still the one it watches (deleted, re-created or replaced).
	RootPoll = time.Second
	// FallbackRescan is the rescan period when folders cannot be watched
	// (the system's inotify watch limit is reached).
	FallbackRescan = 30 * time.Second
	// QueueLimit bounds the file events held while a batch is applied;
	// past it they are dropped and the library is rescanned instead.
	QueueLimit = 50000
	// RetryDelay is how long after finding a document empty or cut short
	// (a sync client or an editor still writing it) it is read again, up
	// to MaxRetries times.
	RetryDelay = 500 * time.Millisecond
	MaxRetries = 20
)

// codeIncomplete is the problem of a document found empty or cut short.
const codeIncomplete = "incomplete"

// retryLater reads the document at abs again after RetryDelay.
func (w *Watcher) retryLater(abs string) {
	if w.retry == nil {
		w.retry = map[string]int{}
	}
	if _, ok := w.retry[abs]; !ok {
		w.retry[abs] = 0
	}
}

// pump drains fsnotify's channels without ever blocking them. fsnotify
// v1.10 can send an error while holding the lock that Add and Remove take,
// so a loop that both reads its channels and adds watches can deadlock;
// reading in a goroutine of its own avoids that.
type pump struct {
	mu       sync.Mutex
	events   []fsnotify.Event
	overflow bool
	errs     []error
	limit    int
	ready    chan struct{}
}

func newPump(fsw *fsnotify.Watcher) *pump {
	p := &pump{ready: make(chan struct{}, 1), limit: QueueLimit}
	go func() {
		evs, errs := fsw.Events, fsw.Errors
		for evs != nil || errs != nil {
			select {
			case ev, ok := <-evs:
				if !ok {
					evs = nil
					continue
				}
				p.mu.Lock()
				if len(p.events) >= p.limit {
					p.overflow = true
				} else {
					p.events = append(p.events, ev)
				}
				p.mu.Unlock()
			case err, ok := <-errs:
				if !ok {
					errs = nil
					continue
				}
				p.mu.Lock()
				if errors.Is(err, fsnotify.ErrEventOverflow) {
					p.overflow = true
				} else {
					p.errs = append(p.errs, err)
				}
				p.mu.Unlock()
			}
			select {
			case p.ready <- struct{}{}:
			default:
			}
		}
	}()
	return p
}

// take returns and clears what has been collected.
func (p *pump) take() (evs []fsnotify.Event, overflow bool, errs []error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	evs, overflow, errs = p.events, p.overflow, p.errs
	p.events, p.overflow, p.errs = nil, false, nil
	return
}

// DebugEvents logs every file event and batch decision at debug level.
var DebugEvents = false

// addWatch adds one folder watch. It is a variable so a test can simulate
// the system's watch limit without changing it for the whole machine.
var addWatch = func(w *fsnotify.Watcher, dir string) error { return w.Add(dir) }

// WatchOptions configure Watch.
type WatchOptions struct {
	// Known is what the index holds (id -> file state) when the watcher
	// starts; the first Change brings the index from there to the library.
	Known map[string]guide.FileState
	// Ignore adds patterns to DefaultIgnore.
	Ignore []string
	// Now is the clock for overdue checks; nil means time.Now.
	Now func() time.Time
}

// Watcher follows the library folder and sends a guide.Change for every
// batch of changes: first a full reconcile against WatchOptions.Known, then
// one per debounced batch of file events. Applying every Change in order to
// an index that started at Known keeps it equal to a fresh scan.
type Watcher struct {
	root    string // as given (absolute)
	dir     string // root with symbolic links resolved, at the last arm
	opts    WatchOptions
	ig      *Ignore
	fsw     *fsnotify.Watcher
	pump    *pump
	changes chan guide.Change
	done    chan struct{}

	known     map[string]fileState       // what the consumer's index holds
	facts     map[string]*facts          // per valid guide: what library-wide checks need
	roles     map[string]string          // the guides' role lists, interned
	fileProbs map[string][]guide.Problem // per file or folder, those the settings keep
	lastProbs [sha256.Size]byte          // of the problem list last sent
	// rearm is set when the settings that choose which problems are kept
	// changed: the per-file problems are read again with a rescan.
	rearm bool
	// strs shares equal strings within the batch being made (nil between
	// batches): see interner.
	strs interner

	// dirs and inodes mirror fsnotify's watch paths: inotify gives a folder
	// one watch whatever its path, and fsnotify keeps reporting a moved
	// folder's events under the path it was first added with, so a folder
	// seen again at a new path must have its old watch removed first.
	dirs   map[string]fileKey
	inodes map[fileKey]string

	// settings are the library's own (cuecard.yaml), read at each arm and
	// link check; linker resolves links in the library's style.
	settings Settings
	style    LinkStyle
	linker   *linker

	// retry are documents found empty or cut short (still being written),
	// by path, with how many times they were read so: read again after
	// RetryDelay, up to MaxRetries times (docs/library.md).
	retry map[string]int

	rootInfo   fs.FileInfo // nil while the library folder is missing
	limitHit   bool        // inotify watch limit reached: rescan periodically
	limitProbs []guide.Problem
	status     string
}

// Watch starts watching the library at root. Changes arrive on Changes()
// until ctx is cancelled, after which the channel is closed. A library
// folder that does not exist yet is waited for.
func Watch(ctx context.Context, root string, opts WatchOptions) (*Watcher, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("watch library %s: %w", root, err)
	}
	fsw, err := fsnotify.NewBufferedWatcher(4096)
	if err != nil {
		return nil, fmt.Errorf("watch library %s: %w", root, err)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	w := &Watcher{
		root:      abs,
		dir:       abs,
		opts:      opts,
		ig:        NewIgnore(opts.Ignore),
		fsw:       fsw,
		changes:   make(chan guide.Change, 1),
		done:      make(chan struct{}),
		known:     make(map[string]fileState, len(opts.Known)),
		facts:     map[string]*facts{},
		fileProbs: map[string][]guide.Problem{},
		dirs:      map[string]fileKey{},
		inodes:    map[fileKey]string{},
	}
	for id, st := range opts.Known {
		w.known[id] = stateOf(st)
	}
	w.opts.Known = nil // copied: the caller's map is not kept
	go w.loop(ctx)
	return w, nil
}

// Changes delivers the batches. The watcher waits for the consumer (the
// kernel queues file events meanwhile; an overflow leads to a rescan).
func (w *Watcher) Changes() <-chan guide.Change { return w.changes }

// Done is closed when the watcher has stopped.
func (w *Watcher) Done() <-chan struct{} { return w.done }

// Root is the absolute library folder.
func (w *Watcher) Root() string { return w.root }

func (w *Watcher) send(ctx context.Context, c guide.Change) bool {
	w.strs = nil // the batch is made
	w.finish(&c)
	if c.Empty() {
		return true
	}
	select {
	case w.changes <- c:
		return true
	case <-ctx.Done():
		return false
	}
}

func (w *Watcher) loop(ctx context.Context) {
	defer close(w.done)
	defer close(w.changes)
	defer func() { w.fsw.Close() }()

	pending := map[string]bool{}
	var first, last time.Time
	rescan := false
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	rootTick := time.NewTicker(RootPoll)
	defer rootTick.Stop()
	retryTimer := time.NewTimer(time.Hour)
	retryTimer.Stop()
	retryLater := func() {
		if len(w.retry) > 0 {
			retryTimer.Reset(RetryDelay)
		}
	}
	var fallback *time.Ticker
	var fallbackC <-chan time.Time

	w.pump = newPump(w.fsw)
	if !w.send(ctx, w.arm(ctx)) {
		return
	}
	retryLater()
	arm := func() {
		if w.limitHit && fallback == nil {
			fallback = time.NewTicker(FallbackRescan)
			fallbackC = fallback.C
		}
	}
	arm()
	schedule := func(now time.Time) {
		due := last.Add(Quiet)
		if limit := first.Add(MaxDelay); limit.Before(due) {
			due = limit
		}
		timer.Reset(max(due.Sub(now), 0))
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-w.pump.ready:
			evs, overflow, errs := w.pump.take()
			now := time.Now()
			serious := false
			for _, err := range errs {
				// A watch removed twice (a folder moved away) is harmless;
				// anything else may have lost an event: rescan.
				if errors.Is(err, syscall.EINVAL) || errors.Is(err, fsnotify.ErrNonExistentWatch) {
					slog.Debug("library watcher", "library", w.root, "err", err)
					continue
				}
				slog.Warn("library watcher error: rescanning the library", "library", w.root, "err", err)
				serious = true
			}
			if overflow {
				slog.Warn("library watcher overflow: rescanning the library", "library", w.root)
			}
			if overflow || serious {
				if len(pending) == 0 && !rescan {
					first = now
				}
				last = now
				rescan = true
			}
			for _, ev := range evs {
				if DebugEvents {
					slog.Debug("fs event", "path", ev.Name, "op", ev.Op.String())
				}
				id, inLib := w.id(ev.Name)
				if !inLib || (id != "" && w.ig.Match(id, false)) {
					continue
				}
				if len(pending) == 0 && !rescan {
					first = now
				}
				last = now
				pending[ev.Name] = true
			}
			if len(pending) > 0 || rescan {
				schedule(now)
			}
		case <-timer.C:
			var c guide.Change
			if rescan || w.rootInfo == nil {
				c = w.arm(ctx)
			} else {
				c = w.flush(ctx, pending)
			}
			rescan = false
			clear(pending)
			if !w.send(ctx, c) {
				return
			}
			retryLater()
			arm()
			if w.rearm {
				w.rearm = false
				rescan = true
				first, last = time.Now(), time.Now()
				schedule(first)
			}
		case <-rootTick.C:
			fi, err := os.Stat(w.root)
			switch {
			case err != nil && w.rootInfo != nil:
				if !w.send(ctx, w.disarm(fmt.Sprintf("library folder %s is missing: waiting for it to come back", w.root))) {
					return
				}
			case err == nil && !fi.IsDir() && w.rootInfo != nil:
				if !w.send(ctx, w.disarm(fmt.Sprintf("library %s is not a folder: waiting for the folder to come back", w.root))) {
					return
				}
			case err == nil && fi.IsDir() && (w.rootInfo == nil || !os.SameFile(fi, w.rootInfo)):
				slog.Info("library folder (re)appeared: rescanning", "library", w.root)
				if !w.send(ctx, w.arm(ctx)) {
					return
				}
				arm()
			}
		case <-retryTimer.C:
			now := time.Now()
			for p, n := range w.retry {
				if n >= MaxRetries {
					delete(w.retry, p) // its "incomplete" problem stays
					continue
				}
				w.retry[p] = n + 1
				if len(pending) == 0 && !rescan {
					first = now
				}
				last = now
				pending[p] = true
			}
			if len(pending) > 0 || rescan {
				schedule(now)
			}
		case <-fallbackC:
			if !w.send(ctx, w.arm(ctx)) {
				return
			}
		}
	}
}

// finish makes a change unambiguous. One batch may both add and remove an
// id (a folder scanned twice while it changes); what the watcher holds now
// decides which one stands. Repeated upserts keep the last guide.
func (w *Watcher) finish(c *guide.Change) {
	last := map[string]*guide.Guide{}
	for _, g := range c.Upserts {
		last[g.ID] = g
	}
	ups := c.Upserts[:0]
	for _, g := range c.Upserts {
		if _, ok := w.known[g.ID]; ok && last[g.ID] == g {
			ups = append(ups, g)
		}
	}
	c.Upserts = ups
	seen := map[string]bool{}
	rms := c.Removes[:0]
	for _, id := range c.Removes {
		if _, ok := w.known[id]; !ok && !seen[id] {
			rms = append(rms, id)
			seen[id] = true
		}
	}
	c.Removes = rms
}

// id turns an absolute path into a library id; inLib is false outside.
func (w *Watcher) id(p string) (string, bool) {
	if p == w.dir {
		return "", true
	}
	rel, err := filepath.Rel(w.dir, p)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", false
	}
	return filepath.ToSlash(rel), true
}

// disarm drops every watch and every guide: the library folder is gone.
func (w *Watcher) disarm(status string) guide.Change {
	w.unwatchAll()
	w.rootInfo = nil
	c := guide.Change{Status: status}
	for id := range w.known {
		c.Removes = append(c.Removes, id)
	}
	sort.Strings(c.Removes)
	clear(w.known)
	clear(w.facts)
	clear(w.fileProbs)
	w.status = status
	w.problems(&c, true)
	return c
}

// arm (re)installs the watches and reconciles everything with a full scan.
func (w *Watcher) arm(ctx context.Context) guide.Change {
	w.unwatchAll()
	fi, err := os.Stat(w.root)
	if err != nil || !fi.IsDir() {
		status := fmt.Sprintf("library folder %s is missing: waiting for it to come back", w.root)
		if w.status == status && len(w.known) == 0 {
			return guide.Change{}
		}
		return w.disarm(status)
	}
	if dir, err := filepath.EvalSymlinks(w.root); err == nil {
		w.dir = dir // a git source's root is a symlink that switches atomically
	} else {
		w.dir = w.root
	}
	w.rootInfo = fi
	w.limitHit = false
	w.limitProbs = nil
	w.readSettings(true)
	w.rearm = false // everything is read again now
	// Watch first, then scan: nothing created in between is missed.
	w.watchTree(w.dir)
	// Parse everything (the problem list needs every file) but keep only
	// the facts the checks need, and the full guides that the index lacks.
	var ups []*guide.Guide
	res, err := Scan(ctx, w.dir, Options{Ignore: w.opts.Ignore, Each: func(g *guide.Guide) error {
		if st, ok := w.known[g.ID]; !ok || st != stateOf(g.State()) {
			ups = append(ups, g)
			w.known[g.ID] = stateOf(g.State())
		}
		w.keep(g)
		return nil
	}})
	if err != nil {
		slog.Warn("library scan failed", "library", w.root, "err", err)
		w.rootInfo = nil
		return guide.Change{Status: fmt.Sprintf("library %s cannot be read: %v", w.root, err)}
	}
	c := guide.Change{Rescan: true}
	if w.status != "" {
		c.Status = "watching " + w.root
		w.status = ""
	}
	w.merge(&c, "", res)
	c.Upserts = append(c.Upserts, ups...)
	w.repack()
	w.problems(&c, true)
	return c
}

// repack copies every guide's facts into new memory after a full scan.
// The scan made them one guide at a time amid the garbage of parsing it, so
// they lie scattered over memory that stays resident for their sake (at
// 10,000 guides, spans in use were half again the live heap); fresh copies,
// made one after the other, lie together, and the scattered ones go at the
// next collection.
func (w *Watcher) repack() {
	in := interner{}
	for id, old := range w.facts {
		f := *old
		f.title = strings.Clone(old.title)
		if old.rare != nil {
			r := *old.rare
			r.video, r.template = in.of(r.video), in.of(r.template)
			f.rare = &r
		}
		if len(old.links) > 0 {
			f.links = make([]fileLink, len(old.links))
			for i, l := range old.links {
				l.dest = in.of(l.dest)
				f.links[i] = l
			}
		}
		if len(old.broken) > 0 {
			f.broken = make([]brokenLink, len(old.broken))
			for i, b := range old.broken {
				b.msg = in.of(b.msg)
				f.broken[i] = b
			}
		}
		*old = facts{} // drop its references, should anything still hold it
		w.facts[id] = &f
	}
}

// merge applies a scan result of the folder prefix ("" for all) to the
// watcher's state and the change.
func (w *Watcher) merge(c *guide.Change, prefix string, res *Result) {
	under := func(id string) bool {
		return prefix == "" || id == prefix || strings.HasPrefix(id, prefix+"/")
	}
	seen := map[string]bool{}
	unchanged := map[string]bool{}
	for _, id := range res.Unchanged {
		seen[id] = true
		unchanged[id] = true
	}
	for _, id := range res.Parsed {
		seen[id] = true // handed to Options.Each, already merged there
	}
	for _, g := range res.Guides {
		seen[g.ID] = true
		if st, ok := w.known[g.ID]; !ok || st != stateOf(g.State()) {
			c.Upserts = append(c.Upserts, g)
			w.known[g.ID] = stateOf(g.State())
		}
		w.keep(g)
	}
	for id := range w.known {
		if under(id) && !seen[id] {
			c.Removes = append(c.Removes, id)
			delete(w.known, id)
		}
	}
	for id := range w.facts {
		if under(id) && !seen[id] {
			delete(w.facts, id)
		}
	}
	for id := range w.fileProbs {
		if under(id) && !unchanged[id] {
			delete(w.fileProbs, id)
		}
	}
	for _, p := range res.Problems {
		if p.Code == codeIncomplete {
			w.retryLater(filepath.Join(w.dir, filepath.FromSlash(p.Path)))
		}
		if w.settings.Keep(p) {
			w.fileProbs[p.Path] = append(w.fileProbs[p.Path], p)
		}
	}
	sort.Strings(c.Removes)
}

// keep records what the library-wide checks need of a parsed guide, and
// checks its links.
func (w *Watcher) keep(g *guide.Guide) {
	if w.roles == nil {
		w.roles = map[string]string{}
	}
	if w.strs == nil {
		w.strs = interner{}
	}
	f := factsOf(g, w.roles, w.strs)
	if w.linker == nil {
		w.readSettings(true)
	}
	f.check(w.linker, g.ID, w.strs)
	w.facts[g.ID] = f
}

// readSettings reads the library's settings and what its link style needs
// of its files. The style is guessed again (which reads up to 500 files)
// only at an arm or when the settings that choose it change.
func (w *Watcher) readSettings(detect bool) {
	old := w.settings
	w.settings, _ = LoadSettings(w.dir) // lint reports a broken file
	if old.Managed != w.settings.Managed || !slices.Equal(old.Silence, w.settings.Silence) {
		w.rearm = true // fileProbs holds only what the old settings kept
	}
	w.ig = newIgnore(w.opts.Ignore, w.settings.HiddenFolders)
	if detect || w.linker == nil || old.Links != w.settings.Links || old.Managed != w.settings.Managed {
		w.style = DetectLinkStyle(w.dir, w.settings)
	}
	w.linker = newLinker(w.dir, w.style, w.ig)
}

// recheckLinks checks every guide's links again: files came or went.
func (w *Watcher) recheckLinks() {
	w.readSettings(false)
	if w.strs == nil {
		w.strs = interner{}
	}
	for id, f := range w.facts {
		f.check(w.linker, id, w.strs)
	}
}

// watchTree adds watches to dir and its sub-folders (not ignored ones, not
// through symbolic links, so link loops cannot trap it).
func (w *Watcher) watchTree(dir string) {
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.IsDir() {
			return nil
		}
		if id, _ := w.id(p); id != "" && w.ig.Match(id, true) {
			return fs.SkipDir
		}
		if w.limitHit {
			return fs.SkipAll
		}
		if fi, err := d.Info(); err == nil {
			if key, ok := keyOf(p, fi); ok {
				if prev, seen := w.inodes[key]; seen && prev != p && w.dirs[prev] == key {
					_ = w.fsw.Remove(prev) // the same folder, watched under its old path
					delete(w.dirs, prev)
				}
				if old, ok := w.dirs[p]; ok && old != key {
					delete(w.inodes, old)
				}
				w.dirs[p] = key
				w.inodes[key] = p
			}
		}
		if err := addWatch(w.fsw, p); err != nil {
			if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EMFILE) {
				w.limitHit = true
				id, _ := w.id(p)
				w.limitProbs = []guide.Problem{{Path: orDot(id), Line: 1, Level: guide.LevelWarning, Code: "watch-limit",
					Message: fmt.Sprintf("the system's limit on watched folders is reached, so changes here are picked up by a full rescan every %s instead of at once: raise it with 'sudo sysctl fs.inotify.max_user_watches=524288'", FallbackRescan)}}
				slog.Warn("inotify watch limit reached: falling back to periodic rescans", "library", w.root, "every", FallbackRescan)
				return fs.SkipAll
			}
			slog.Debug("cannot watch folder", "dir", p, "err", err)
			return fs.SkipDir
		}
		return nil
	})
}

// unwatchAll drops every watch. It starts a fresh fsnotify watcher rather
// than removing watches one by one, so no stale path survives in it.
func (w *Watcher) unwatchAll() {
	clear(w.dirs)
	clear(w.inodes)
	if len(w.fsw.WatchList()) == 0 {
		return
	}
	fresh, err := fsnotify.NewBufferedWatcher(4096)
	if err != nil {
		slog.Warn("cannot restart the library watcher; removing watches instead", "err", err)
		for _, p := range w.fsw.WatchList() {
			_ = w.fsw.Remove(p)
		}
		return
	}
	w.fsw.Close()
	w.fsw = fresh
	w.pump = newPump(fresh)
}

// rewatch re-creates every watch and reconciles by size and modification
// time: the answer to folders moving, whose watches inotify shares between
// old and new paths.
func (w *Watcher) rewatch(ctx context.Context) guide.Change {
	w.unwatchAll()
	w.watchTree(w.dir)
	known := make(map[string]guide.FileState, len(w.known))
	for id, st := range w.known {
		known[id] = st.FileState()
	}
	res, err := Scan(ctx, w.dir, Options{Ignore: w.opts.Ignore, Known: known})
	known = nil
	if err != nil {
		return w.arm(ctx)
	}
	var c guide.Change
	w.merge(&c, "", res)
	w.recheckLinks()
	w.problems(&c, false)
	return c
}

func orDot(id string) string {
	if id == "" {
		return "."
	}
	return id
}

// flush applies a batch of changed paths by looking at what is there now,
// whatever the events said: that makes the result independent of event
// order, coalescing and lost intermediate states.
func (w *Watcher) flush(ctx context.Context, pending map[string]bool) (c guide.Change) {
	paths := make([]string, 0, len(pending))
	for p := range pending {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	if w.structural(paths) {
		if DebugEvents {
			slog.Debug("flush: folders moved: rewatch")
		}
		return w.rewatch(ctx)
	}
	linksDirty := false
	// A folder settings file that changed gives the documents of its folder
	// and below other keys: that folder is read again, after the rest.
	settingsDirs := map[string]bool{}
	defer func() {
		for _, dir := range slices.Sorted(maps.Keys(settingsDirs)) {
			if dir == "" {
				w.rearm = true // the root's: everything is read again
				continue
			}
			if _, err := os.Stat(filepath.Join(w.dir, filepath.FromSlash(dir))); err != nil {
				continue
			}
			if res, err := Scan(ctx, w.dir, Options{Ignore: w.opts.Ignore, Sub: dir}); err == nil {
				w.merge(&c, dir, res)
				w.problems(&c, false)
			}
		}
	}()
	// Gone paths first: a folder moved from A to B must be forgotten at A
	// before it is scanned at B.
	live := paths[:0]
	infos := map[string]fs.FileInfo{}
	for _, p := range paths {
		id, _ := w.id(p)
		if id == "" {
			continue // the root itself: RootPoll handles it
		}
		if path.Base(id) == SettingsFile {
			if dir := path.Dir(id); dir != "." {
				settingsDirs[dir] = true
			} else {
				settingsDirs[""] = true
			}
		}
		fi, err := os.Lstat(p)
		if err != nil {
			if DebugEvents {
				slog.Debug("flush: gone", "id", id)
			}
			w.removeUnder(&c, id)
			linksDirty = true
			continue
		}
		infos[p] = fi
		live = append(live, p)
	}
	for _, p := range live {
		if ctx.Err() != nil {
			return c
		}
		id, _ := w.id(p)
		fi := infos[p]
		if w.ig.Match(id, fi.IsDir()) {
			continue
		}
		switch {
		case fi.IsDir():
			if DebugEvents {
				slog.Debug("flush: folder", "id", id)
			}
			w.watchTree(p)
			res, err := Scan(ctx, w.dir, Options{Ignore: w.opts.Ignore, Sub: id})
			if err != nil {
				w.removeUnder(&c, id)
			} else {
				w.merge(&c, id, res)
			}
			linksDirty = true
		case IsItemFile(id):
			_, before := w.facts[id]
			w.file(&c, id, p)
			if _, after := w.facts[id]; before != after {
				linksDirty = true // a link to this file may now resolve, or break
			}
		default:
			linksDirty = true // a template, image or video file came or went
		}
	}
	if linksDirty {
		w.recheckLinks()
	}
	w.problems(&c, false)
	return c
}

// structural reports whether a watched folder moved: a watched path that is
// gone or is another folder now, or a folder already watched under another
// path. Those need every watch re-created.
func (w *Watcher) structural(paths []string) bool {
	for _, p := range paths {
		fi, err := os.Lstat(p)
		key, watched := w.dirs[p]
		if watched {
			if err != nil || !fi.IsDir() {
				return true
			}
			if k, ok := keyOf(p, fi); ok && k != key {
				return true
			}
		}
		if err == nil && fi.IsDir() {
			if k, ok := keyOf(p, fi); ok {
				if prev, seen := w.inodes[k]; seen && prev != p {
					return true
				}
			}
		}
	}
	return false
}

// file re-reads one guide file.
func (w *Watcher) file(c *guide.Change, id, abs string) {
	delete(w.fileProbs, id)
	info, err := os.Stat(abs)
	if err == nil && !info.Mode().IsRegular() {
		w.drop(c, id)
		return
	}
	realRoot := w.dir
	if err == nil {
		if li, _ := os.Lstat(abs); li != nil && li.Mode()&fs.ModeSymlink != 0 && !inside(realRoot, abs) {
			w.drop(c, id)
			w.fileProbs[id] = []guide.Problem{{Path: id, Line: 1, Level: guide.LevelWarning, Code: "symlink-outside",
				Message: "symbolic link points outside the library and is ignored: copy the file into the library instead"}}
			return
		}
	}
	var g *guide.Guide
	var ps []guide.Problem
	if err != nil {
		g, ps = ParseFile(id, abs)
	} else {
		g, ps = parseOne(job{id: id, abs: abs, info: info})
	}
	if slices.ContainsFunc(ps, func(p guide.Problem) bool { return p.Code == codeIncomplete }) {
		w.retryLater(abs)
	} else {
		delete(w.retry, abs)
	}
	ps = slices.DeleteFunc(ps, func(p guide.Problem) bool { return !w.settings.Keep(p) })
	if len(ps) > 0 {
		w.fileProbs[id] = slices.Clip(ps)
	}
	if g == nil {
		w.drop(c, id)
		return
	}
	if st, ok := w.known[id]; !ok || st != stateOf(g.State()) {
		c.Upserts = append(c.Upserts, g)
		w.known[id] = stateOf(g.State())
	}
	w.keep(g)
}

// drop removes one guide id.
func (w *Watcher) drop(c *guide.Change, id string) {
	if _, ok := w.known[id]; ok {
		c.Removes = append(c.Removes, id)
		delete(w.known, id)
	}
	delete(w.facts, id)
}

// removeUnder forgets a path that is gone: a file, or a folder and all
// that was in it.
func (w *Watcher) removeUnder(c *guide.Change, id string) {
	prefix := id + "/"
	for k := range w.known {
		if k == id || strings.HasPrefix(k, prefix) {
			c.Removes = append(c.Removes, k)
			delete(w.known, k)
		}
	}
	for k := range w.fileProbs {
		if k == id || strings.HasPrefix(k, prefix) {
			delete(w.fileProbs, k)
		}
	}
	for k := range w.facts {
		if k == id || strings.HasPrefix(k, prefix) {
			delete(w.facts, k)
		}
	}
	// Watches are not removed here: the kernel drops those of deleted
	// folders, fsnotify those of moved ones, and removing by path could hit
	// a watch that a folder moved back in shares (same inode, same watch).
	sort.Strings(c.Removes)
}

// problems recomputes the library's problem list and puts it in the change
// when it differs from the last one sent (or always when force is set).
func (w *Watcher) problems(c *guide.Change, force bool) {
	now := w.opts.Now()
	if w.strs == nil {
		w.strs = interner{}
	}
	ids := make([]string, 0, len(w.facts))
	for id := range w.facts {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var extra []guide.Problem // overdue reviews, the track's keys and duplicate titles
	titles := make([]titled, len(ids))
	n := len(w.limitProbs)
	for i, id := range ids {
		f := w.facts[id]
		if p, ok := f.overdue(id, now); ok {
			p.Message = w.strs.of(p.Message) // guides reviewed on one day share it
			extra = append(extra, p)
		}
		extra = f.track().problems(id, w.settings.Roles, extra)
		titles[i] = titled{id: id, title: f.title, line: int(f.titleLine)}
		n += len(f.broken)
	}
	extra = append(extra, duplicateTitles(titles)...)
	for _, list := range w.fileProbs {
		n += len(list)
	}
	// The list is kept by its readers until the next one: sized exactly.
	ps := make([]guide.Problem, 0, n+len(extra))
	ps = append(ps, w.limitProbs...)
	for _, list := range w.fileProbs {
		ps = append(ps, list...)
	}
	for _, id := range ids {
		ps = w.facts[id].problems(id, ps)
	}
	ps = append(ps, extra...)
	// What the library's settings leave out (managed-library checks in
	// a folder that did not ask for them, silenced codes) is not shown.
	kept := ps[:0]
	for _, p := range ps {
		if w.settings.Keep(p) {
			kept = append(kept, p)
		}
	}
	if len(kept) < len(ps) {
		ps = append(make([]guide.Problem, 0, len(kept)), kept...)
	}
	sortProblems(ps)
	// A hash, not the text: a big library's list runs to megabytes.
	h := sha256.New()
	for _, p := range ps {
		io.WriteString(h, p.String())
		h.Write([]byte{'\n'})
	}
	var key [sha256.Size]byte
	h.Sum(key[:0])
	if !force && key == w.lastProbs {
		return
	}
	w.lastProbs = key
	c.ProblemsChanged = true
	c.Problems = ps
}

// fileState is a guide.FileState as the watcher keeps it for every guide:
// no pointers, no string of its own (the modification time is Unix
// nanoseconds; of the content's SHA-256, 64 hex digits, the first 128 bits
// are plenty to tell a changed file).
type fileState struct {
	size, mod int64
	hash      [16]byte
}

// noTime is fileState.mod for a zero modification time.
const noTime = math.MinInt64

func stateOf(st guide.FileState) fileState {
	fs := fileState{size: st.Size, mod: noTime}
	if !st.ModTime.IsZero() {
		fs.mod = st.ModTime.UnixNano()
	}
	var sum [sha256.Size]byte
	if len(st.Hash) != 2*sha256.Size {
		sum = sha256.Sum256([]byte(st.Hash)) // not a SHA-256 in hex: still told apart
	} else if _, err := hex.Decode(sum[:], []byte(st.Hash)); err != nil {
		sum = sha256.Sum256([]byte(st.Hash)) // not a SHA-256 in hex: still told apart
	}
	copy(fs.hash[:], sum[:])
	return fs
}

// FileState is the state as the scanner compares it (size and time: the
// hash is not the file's).
func (fs fileState) FileState() guide.FileState {
	st := guide.FileState{Size: fs.size}
	if fs.mod != noTime {
		st.ModTime = time.Unix(0, fs.mod)
	}
	return st
}
