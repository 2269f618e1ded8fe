package report

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/cuecard/cuecard/internal/atomicfile"
	"github.com/cuecard/cuecard/internal/seal"
	"github.com/cuecard/cuecard/internal/store"
)

// MonthsFolder is the sub-folder of Folder that holds the monthly
// roll-ups: <YYYY-MM>.age, every installation's days of that month.
const MonthsFolder = "months"

// DefaultRetention is how many calendar months of shared usage are kept
// when the library's settings do not say.
const DefaultRetention = 13

// MaxRollupBytes bounds a monthly roll-up once opened and decompressed.
var MaxRollupBytes int64 = 512 << 20

// Path is where an installation's sealed aggregate of a day lives in a
// library.
func Path(library, install, date string) string {
	return filepath.Join(library, Folder, install, date+seal.Ext)
}

// RollupPath is where the roll-up of a month (YYYY-MM) lives.
func RollupPath(library, month string) string {
	return filepath.Join(library, Folder, MonthsFolder, month+seal.Ext)
}

// Write seals a to the readers and writes it into the library's insights
// folder atomically (a temporary file renamed over the day's file):
// writing the same day again replaces it, so hourly writes of today's
// counts are idempotent. Without readers nothing is written.
func Write(library string, a Aggregate, readers seal.Readers) (string, error) {
	if !store.ValidInstallID(a.Install) {
		return "", fmt.Errorf("write usage aggregate: invalid install id %q", a.Install)
	}
	if _, err := time.Parse(store.DateFormat, a.Date); err != nil {
		return "", fmt.Errorf("write usage aggregate: invalid date %q", a.Date)
	}
	a.Version = FormatVersion
	p := Path(library, a.Install, a.Date)
	data, err := json.Marshal(a)
	if err != nil {
		return "", fmt.Errorf("write %s: %w", p, err)
	}
	sealed, err := seal.Seal(readers, data)
	if err != nil {
		return "", fmt.Errorf("write usage aggregate: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return "", fmt.Errorf("write %s: %w", p, err)
	}
	if err := atomicfile.Write(p, sealed, 0o644); err != nil {
		return "", fmt.Errorf("write usage aggregate: %w", err)
	}
	return p, nil
}

// MonthPath is where an installation's sealed month lives: every day of
// that calendar month it was used, rewritten as the month goes on.
func MonthPath(library, install, month string) string {
	return filepath.Join(library, Folder, install, month+seal.Ext)
}

// WriteMonth seals an installation's days of a month (YYYY-MM) to the
// readers and writes them atomically to MonthPath: the desktop app writes
// its current month every hour, one file per installation and month.
func WriteMonth(library, install, month string, days []Aggregate, readers seal.Readers) (string, error) {
	if !store.ValidInstallID(install) {
		return "", fmt.Errorf("write usage: invalid install id %q", install)
	}
	if _, err := time.Parse("2006-01", month); err != nil {
		return "", fmt.Errorf("write usage: invalid month %q", month)
	}
	for i := range days {
		if days[i].Install != install || !strings.HasPrefix(days[i].Date, month+"-") {
			return "", fmt.Errorf("write usage: the day %s of %s is not of installation %s in %s", days[i].Date, days[i].Install, install, month)
		}
		days[i].Version = FormatVersion
	}
	p := MonthPath(library, install, month)
	return p, writeSealedMonth(p, Rollup{Version: FormatVersion, Month: month, Days: days}, readers)
}

// SealMonth is the content of a month's file: r as gzip-compressed JSON,
// sealed to the readers.
func SealMonth(r Rollup, readers seal.Readers) ([]byte, error) {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if err := json.NewEncoder(zw).Encode(r); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return seal.Seal(readers, b.Bytes())
}

// OpenMonth opens a month's file (an installation's or a roll-up) with the
// reader's key and returns its days.
func OpenMonth(key *seal.Key, sealed []byte, month string) ([]Aggregate, error) {
	data, err := seal.Open(key, sealed, MaxRollupBytes)
	if err != nil {
		return nil, err
	}
	return parseRollup(data, month)
}

// TeamOptions say how ReadTeam reads the insights folder.
type TeamOptions struct {
	// Key is the reader's key that opens the sealed files; nil: none is
	// opened (each is listed in Unopened).
	Key *seal.Key
	// Exclude, when set, leaves out an installation's aggregate (this
	// installation's, counted from its own state instead).
	Exclude func(install, date string) bool
	// Readers are the library's readers. With them (and a Key), a reader's
	// run tidies the folder: clear-text files of earlier versions are
	// sealed and replaced, the days before today are compacted into
	// monthly roll-ups, and what is older than Retention is removed.
	Readers seal.Readers
	// Now is the day the tidying counts from (zero: no tidying).
	Now time.Time
	// Retention is how many calendar months are kept (0: DefaultRetention).
	Retention int
}

// TeamUsage is what ReadTeam found.
type TeamUsage struct {
	// Aggregates are every installation's days, by date then install.
	Aggregates []Aggregate
	// Warnings describe the files skipped (naming the file and what to do).
	Warnings []string
	// Opened counts the sealed files the key opened; Unopened lists those
	// it could not (sealed for other readers), library-relative.
	Opened   int
	Unopened []string
	// Resealed counts the clear-text files of earlier versions sealed and
	// replaced; Compacted the day files folded into monthly roll-ups;
	// Removed the files past the retention.
	Resealed, Compacted, Removed int
}

// Files is how many files ReadTeam looked at.
func (t *TeamUsage) Files() int { return t.Opened + len(t.Unopened) }

// Team reads every installation's clear-text aggregates (as earlier
// versions wrote them) and, with key, the sealed ones; see ReadTeam.
func Team(library string, key *seal.Key, exclude string) ([]Aggregate, []string, error) {
	o := TeamOptions{Key: key}
	if exclude != "" {
		o.Exclude = func(install, _ string) bool { return install == exclude }
	}
	t, err := ReadTeam(library, o)
	if err != nil {
		return nil, nil, err
	}
	return t.Aggregates, t.Warnings, nil
}

// teamFile is one file of the insights folder.
type teamFile struct {
	path, rel        string
	install, date    string // a day file's folder and date
	month            string // YYYY-MM
	clear, rollup    bool
	instMonth        bool // an installation's month
	aggs             []Aggregate
	err              error
	notReader, newer bool
}

// ReadTeam reads the library's insights folder: each installation's day
// files (sealed, or clear text from earlier versions) and the monthly
// roll-ups. A file that cannot be used is skipped and described in the
// warnings; only an insights folder that exists but cannot be listed is
// an error.
func ReadTeam(library string, o TeamOptions) (*TeamUsage, error) {
	root := filepath.Join(library, Folder)
	out := &TeamUsage{}
	installs, err := os.ReadDir(root)
	if errors.Is(err, fs.ErrNotExist) {
		return out, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the team's usage in %s: %w", root, err)
	}
	if o.Retention <= 0 {
		o.Retention = DefaultRetention
	}
	tidy := o.Key != nil && !o.Readers.Empty() && !o.Now.IsZero()
	var oldest, today string
	if !o.Now.IsZero() {
		y, m, _ := o.Now.Date()
		today = o.Now.Format(store.DateFormat)
		oldest = time.Date(y, m-time.Month(o.Retention-1), 1, 0, 0, 0, 0, time.UTC).Format("2006-01")
	}
	rel := func(p string) string {
		if r, err := filepath.Rel(library, p); err == nil {
			return filepath.ToSlash(r)
		}
		return p
	}
	var files []*teamFile
	for _, inst := range installs {
		name := inst.Name()
		if strings.HasPrefix(name, ".") || !inst.IsDir() {
			continue
		}
		dir := filepath.Join(root, name)
		rollups := name == MonthsFolder
		if !rollups && !store.ValidInstallID(name) {
			out.Warnings = append(out.Warnings, fmt.Sprintf("%s: skipped: not a Cuecard install folder (its name is not an install id); move it out of %s", dir, Folder))
			continue
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			out.Warnings = append(out.Warnings, fmt.Sprintf("%s: skipped: cannot be read (%v); check its permissions", dir, err))
			continue
		}
		for _, f := range entries {
			fn := f.Name()
			if strings.HasPrefix(fn, ".") || f.IsDir() {
				continue // a writer's temporary file, or not ours
			}
			p := filepath.Join(dir, fn)
			tf := &teamFile{path: p, rel: rel(p), install: name, rollup: rollups}
			base := fn
			switch {
			case strings.HasSuffix(fn, seal.Ext):
				base = strings.TrimSuffix(fn, seal.Ext)
			case strings.HasSuffix(fn, ".json") && !rollups:
				base, tf.clear = strings.TrimSuffix(fn, ".json"), true
			default:
				out.Warnings = append(out.Warnings, fmt.Sprintf("%s: skipped: not a usage file (<YYYY-MM>.age or <YYYY-MM-DD>.age); move it out of %s", p, Folder))
				continue
			}
			if _, err := time.Parse("2006-01", base); err == nil && !rollups && !tf.clear {
				tf.instMonth, tf.month = true, base
			} else if rollups {
				if _, err := time.Parse("2006-01", base); err != nil {
					out.Warnings = append(out.Warnings, fmt.Sprintf("%s: skipped: not a monthly roll-up (<YYYY-MM>.age); move it out of %s", p, Folder))
					continue
				}
				tf.month = base
			} else {
				if _, err := time.Parse(store.DateFormat, base); err != nil {
					out.Warnings = append(out.Warnings, fmt.Sprintf("%s: skipped: not an aggregate file: its name is not a date (<YYYY-MM-DD>.age); move it out of %s", p, Folder))
					continue
				}
				tf.date, tf.month = base, base[:7]
				if o.Exclude != nil && o.Exclude(name, base) {
					continue
				}
			}
			if tidy && tf.month < oldest {
				if err := os.Remove(p); err == nil {
					out.Removed++
				}
				continue
			}
			files = append(files, tf)
		}
	}
	readAll(files, o.Key)

	type dayKey struct{ install, date string }
	seen := map[dayKey]bool{}
	var days []Aggregate
	// An installation's month first (rewritten as the month goes on), then
	// day files, then roll-ups: a file newer than its month's roll-up
	// (written late, or left by an interrupted compaction) wins.
	rank := func(tf *teamFile) int {
		switch {
		case tf.instMonth:
			return 0
		case tf.rollup:
			return 2
		}
		return 1
	}
	sort.SliceStable(files, func(i, j int) bool { return rank(files[i]) < rank(files[j]) })
	for _, tf := range files {
		switch {
		case tf.notReader:
			out.Unopened = append(out.Unopened, tf.rel)
			continue
		case tf.err != nil:
			msg := tf.err.Error()
			if !tf.newer {
				msg += "; delete the file (it is only counts, and its installation rewrites only today's file)"
			}
			out.Warnings = append(out.Warnings, fmt.Sprintf("%s: skipped: %s", tf.path, msg))
			continue
		}
		if !tf.clear {
			out.Opened++
		}
		for _, a := range tf.aggs {
			k := dayKey{a.Install, a.Date}
			if seen[k] || (o.Exclude != nil && o.Exclude(a.Install, a.Date)) {
				continue
			}
			seen[k] = true
			days = append(days, a)
		}
	}
	sort.Slice(days, func(i, j int) bool {
		if days[i].Date != days[j].Date {
			return days[i].Date < days[j].Date
		}
		return days[i].Install < days[j].Install
	})
	out.Aggregates = days
	if tidy {
		if err := tidyTeam(library, files, o.Readers, today, out); err != nil {
			out.Warnings = append(out.Warnings, err.Error())
		}
	}
	return out, nil
}

// readAll reads and opens the files, on every core (opening is the cost of
// a report over many files).
func readAll(files []*teamFile, key *seal.Key) {
	work := make(chan *teamFile)
	var wg sync.WaitGroup
	for range max(1, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for tf := range work {
				tf.read(key)
			}
		}()
	}
	for _, tf := range files {
		work <- tf
	}
	close(work)
	wg.Wait()
}

func (tf *teamFile) read(key *seal.Key) {
	limit := MaxFileBytes
	if tf.rollup {
		limit = MaxRollupBytes
	}
	data, err := readBounded(tf.path, limit)
	if err != nil {
		tf.err = err
		return
	}
	if tf.clear {
		if seal.IsSealed(data) {
			tf.err = errors.New("a sealed file named .json")
			return
		}
	} else {
		if !seal.IsSealed(data) {
			tf.err = errors.New("not a sealed file (no age header)")
			return
		}
		if key == nil {
			tf.notReader = true
			return
		}
		data, err = seal.Open(key, data, limit)
		if errors.Is(err, seal.ErrNotReader) {
			tf.notReader = true
			return
		}
		if err != nil {
			tf.err = err
			return
		}
	}
	if tf.rollup || tf.instMonth {
		tf.aggs, tf.err = parseRollup(data, tf.month)
		for _, a := range tf.aggs {
			if tf.instMonth && tf.err == nil && a.Install != tf.install {
				tf.aggs, tf.err = nil, fmt.Errorf("a day of installation %q, not its folder's", a.Install)
			}
		}
	} else {
		var a Aggregate
		a, tf.err = parseAggregate(data, tf.install, tf.date)
		tf.aggs = []Aggregate{a}
	}
	tf.newer = errors.Is(tf.err, errNewer)
}

func readBounded(p string, limit int64) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, fmt.Errorf("cannot be read (%v)", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("cannot be read (%v)", err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("too large (over %d bytes)", limit)
	}
	return data, nil
}

// Rollup is a monthly roll-up once opened: every installation's days of
// the month (gzip-compressed JSON inside the sealed file).
type Rollup struct {
	Version int         `json:"version"`
	Month   string      `json:"month"`
	Days    []Aggregate `json:"days"`
}

func parseRollup(data []byte, month string) ([]Aggregate, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("not a monthly roll-up (%v)", err)
	}
	var r Rollup
	if err := json.NewDecoder(io.LimitReader(zr, MaxRollupBytes)).Decode(&r); err != nil {
		return nil, fmt.Errorf("not a monthly roll-up (%v)", err)
	}
	switch {
	case r.Version > FormatVersion:
		return nil, fmt.Errorf("%w (format %d): update Cuecard to read it", errNewer, r.Version)
	case r.Month != month:
		return nil, fmt.Errorf("its month %q is not its file name's", r.Month)
	}
	for _, a := range r.Days {
		if err := checkAggregate(a); err != nil {
			return nil, fmt.Errorf("a day of %s: %w", a.Install, err)
		}
		if !strings.HasPrefix(a.Date, month+"-") {
			return nil, fmt.Errorf("a day %q outside its month", a.Date)
		}
	}
	return r.Days, nil
}

// tidyTeam compacts the day files of the days before today into their
// month's roll-up (an installation rewrites only today's file, and a day
// written late is merged at the next run) and seals the clear-text files
// of earlier versions. A month whose roll-up the key cannot open is left
// as it is (it would be lost).
func tidyTeam(library string, files []*teamFile, readers seal.Readers, today string, out *TeamUsage) error {
	byMonth := map[string][]*teamFile{}
	rollups := map[string]*teamFile{}
	for _, tf := range files {
		if tf.rollup {
			rollups[tf.month] = tf
			continue
		}
		if tf.err != nil || tf.notReader {
			continue
		}
		if (tf.instMonth && tf.month < today[:7]) || (!tf.instMonth && tf.date < today) {
			byMonth[tf.month] = append(byMonth[tf.month], tf)
		} else if tf.clear {
			if _, err := Write(library, tf.aggs[0], readers); err != nil {
				return fmt.Errorf("seal %s: %w", tf.path, err)
			}
			if err := os.Remove(tf.path); err != nil {
				return fmt.Errorf("seal %s: %w", tf.path, err)
			}
			out.Resealed++
		}
	}
	for month, days := range byMonth {
		type dayKey struct{ install, date string }
		merged := map[dayKey]Aggregate{}
		if r := rollups[month]; r != nil {
			if r.err != nil || r.notReader {
				continue
			}
			for _, a := range r.aggs {
				merged[dayKey{a.Install, a.Date}] = a
			}
		}
		// Day files, then installations' months (the later wins).
		sort.SliceStable(days, func(i, j int) bool { return !days[i].instMonth && days[j].instMonth })
		for _, tf := range days {
			for _, a := range tf.aggs {
				merged[dayKey{a.Install, a.Date}] = a
			}
		}
		roll := Rollup{Version: FormatVersion, Month: month, Days: make([]Aggregate, 0, len(merged))}
		for _, a := range merged {
			roll.Days = append(roll.Days, a)
		}
		sort.Slice(roll.Days, func(i, j int) bool {
			if roll.Days[i].Date != roll.Days[j].Date {
				return roll.Days[i].Date < roll.Days[j].Date
			}
			return roll.Days[i].Install < roll.Days[j].Install
		})
		if err := writeSealedMonth(RollupPath(library, month), roll, readers); err != nil {
			return err
		}
		for _, tf := range days {
			if tf.clear {
				out.Resealed++
			}
			if err := os.Remove(tf.path); err == nil {
				out.Compacted++
			}
			_ = os.Remove(filepath.Dir(tf.path)) // the month's install folder, once empty
		}
	}
	return nil
}

func writeSealedMonth(p string, r Rollup, readers seal.Readers) error {
	sealed, err := SealMonth(r, readers)
	if err != nil {
		return fmt.Errorf("write %s: %w", p, err)
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("write %s: %w", p, err)
	}
	if err := atomicfile.Write(p, sealed, 0o644); err != nil {
		return fmt.Errorf("write usage: %w", err)
	}
	return nil
}
