package track

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/cuecard/cuecard/internal/atomicfile"
	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/seal"
)

// TrainingFolder is the library folder of completion records:
// _training/<identity>/<guide>.json. It is never read as guides.
const TrainingFolder = "_training"

// Record is the proof of one completion a library keeps when its settings
// say track_records: named.
type Record struct {
	Identity string `json:"identity"`
	// Guide is the guide's id (its library-relative path).
	Guide string `json:"guide"`
	// Hash is the guide's content hash when it was completed: a record
	// whose hash differs from the guide's now is for an older version.
	Hash string    `json:"hash"`
	At   time.Time `json:"at"`
	// Ack is true for an acknowledgement ("I have read and understood").
	Ack bool `json:"ack"`
	// How is how it was done: checklist, ack or marked.
	How How `json:"how,omitempty"`

	// Path is the file the record was read from, library-relative (not
	// written).
	Path string `json:"-"`
}

// RecordPath is the library-relative path of identity's record of a
// guide as earlier versions wrote it, in clear text:
// _training/<guide.NameSlug(identity)>/<guide.FileSlug of the id without
// its extension>.json. It is "" when the identity makes no file name.
func RecordPath(identity, guideID string) string {
	who := guide.NameSlug(identity)
	if who == "" {
		return ""
	}
	name := guide.FileSlug(strings.TrimSuffix(guideID, path.Ext(guideID)))
	return TrainingFolder + "/" + who + "/" + name + ".json"
}

// SealedPath is the library-relative path of identity's sealed record of a
// guide: _training/<name>/<name>.age, names keyed by this installation's
// secret, so that nobody without it can tell whose record, or of which
// guide, a file is (and the same guide's next record replaces it).
func SealedPath(secret []byte, identity, guideID string) string {
	who := strings.ToLower(strings.TrimSpace(identity))
	return TrainingFolder + "/" + seal.Name(secret, "training-person", who) + "/" + seal.Name(secret, "training-record", who, guideID) + seal.Ext
}

// Recorder takes the records of completions. Folder is the one that writes
// them into the library.
type Recorder interface {
	Write(r Record) error
}

// Folder writes records into a library folder, sealed to its readers.
type Folder struct {
	// Root is the library folder.
	Root string
	// Readers are the library's readers; Secret is this installation's
	// sharing secret (it names the files).
	Readers seal.Readers
	Secret  []byte
}

// NewRecorder is where a person's completions go: a Folder of the library at
// root when its settings ask for named records (records), name readers,
// and the person has set an identity; nil otherwise, and then nothing is
// written.
func NewRecorder(root string, records bool, identity string, readers seal.Readers, secret []byte) Recorder {
	if !records || root == "" || guide.NameSlug(identity) == "" || readers.Empty() || len(secret) == 0 {
		return nil
	}
	return Folder{Root: root, Readers: readers, Secret: secret}
}

// Write seals r to the readers and writes it atomically into the library
// (a sync client never carries half a record), replacing the earlier
// record of the same guide.
func (f Folder) Write(r Record) error {
	if guide.NameSlug(r.Identity) == "" {
		return fmt.Errorf("training record of %s: the identity %q makes no file name: set an identity such as your email", r.Guide, r.Identity)
	}
	if len(f.Secret) == 0 {
		return fmt.Errorf("training record of %s: no sharing secret", r.Guide)
	}
	data, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("training record of %s: %w", r.Guide, err)
	}
	sealed, err := seal.Seal(f.Readers, data)
	if err != nil {
		return fmt.Errorf("training record of %s: %w", r.Guide, err)
	}
	p := filepath.Join(f.Root, filepath.FromSlash(SealedPath(f.Secret, r.Identity, r.Guide)))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("training record of %s: %w", r.Guide, err)
	}
	if err := atomicfile.Write(p, sealed, 0o644); err != nil {
		return fmt.Errorf("training record of %s: %w", r.Guide, err)
	}
	return nil
}

// ReadOptions say how Read opens the records.
type ReadOptions struct {
	// Key is the reader's key (nil: sealed records are listed unopened).
	Key *seal.Key
	// Readers, with a Key, seal the clear-text records of earlier
	// versions and replace them (their folders named the person).
	Readers seal.Readers
}

// Records is what Read found.
type Records struct {
	// Records are sorted by identity, then guide; of several records of
	// the same person and guide the latest is kept.
	Records []Record
	// Problems name the files that are not records (and what to do).
	Problems []string
	// Opened counts the sealed records opened; Unopened lists those the
	// key could not open (sealed for other readers), library-relative.
	Opened   int
	Unopened []string
	// Resealed counts clear-text records sealed and replaced.
	Resealed int
}

// ReadRecords reads the records with key; the files it could not open are
// named among the problems.
func ReadRecords(root string, key *seal.Key) (records []Record, problems []string, err error) {
	rs, err := Read(root, ReadOptions{Key: key})
	if err != nil {
		return nil, nil, err
	}
	problems = rs.Problems
	for _, u := range rs.Unopened {
		problems = append(problems, u+": sealed for other readers: your key cannot open it")
	}
	return rs.Records, problems, nil
}

// Read reads every record under root's _training folder: sealed ones with
// the key, and clear-text ones of earlier versions. A file that cannot be
// read or decoded is skipped and named in Problems (what to do included);
// it never stops the rest.
func Read(root string, o ReadOptions) (*Records, error) {
	out := &Records{}
	dir := filepath.Join(root, TrainingFolder)
	people, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return out, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read training records: %w", err)
	}
	reseal := o.Key != nil && !o.Readers.Empty()
	type key struct{ who, guide string }
	latest := map[key]int{}
	for _, p := range people {
		if !p.IsDir() || strings.HasPrefix(p.Name(), ".") {
			continue
		}
		files, err := os.ReadDir(filepath.Join(dir, p.Name()))
		if err != nil {
			out.Problems = append(out.Problems, fmt.Sprintf("%s/%s: %v", TrainingFolder, p.Name(), err))
			continue
		}
		migrated := ""
		for _, f := range files {
			name := f.Name()
			sealed := strings.HasSuffix(name, seal.Ext)
			if f.IsDir() || (!strings.HasSuffix(name, ".json") && !sealed) || strings.HasPrefix(name, ".") {
				continue
			}
			rel := TrainingFolder + "/" + p.Name() + "/" + name
			full := filepath.Join(dir, p.Name(), name)
			data, err := os.ReadFile(full)
			if err != nil {
				out.Problems = append(out.Problems, fmt.Sprintf("%s: %v", rel, err))
				continue
			}
			var r Record
			switch {
			case len(data) > 64<<10:
				err = errors.New("over 64 KiB")
			case sealed:
				if !seal.IsSealed(data) {
					err = errors.New("not a sealed file")
					break
				}
				data, err = seal.Open(o.Key, data, 64<<10)
				if errors.Is(err, seal.ErrNotReader) || o.Key == nil {
					out.Unopened = append(out.Unopened, rel)
					continue
				}
				if err == nil {
					out.Opened++
					err = json.Unmarshal(data, &r)
				}
			default:
				err = json.Unmarshal(data, &r)
			}
			if err == nil && (r.Identity == "" || r.Guide == "") {
				err = errors.New("no identity or guide")
			}
			if err != nil {
				out.Problems = append(out.Problems, fmt.Sprintf("%s: not a training record (%v): delete it, Cuecard writes it again at the next completion", rel, err))
				continue
			}
			r.Path = rel
			if !sealed && reseal {
				// A clear-text record of an earlier version: sealed under
				// random names (its folder named the person) and removed.
				if migrated == "" {
					migrated = seal.RandomName()
				}
				np := TrainingFolder + "/" + migrated + "/" + seal.RandomName() + seal.Ext
				if err := (Folder{Root: root, Readers: o.Readers}).writeAt(np, r); err == nil {
					if os.Remove(full) == nil {
						out.Resealed++
						r.Path = np
					}
				}
			}
			k := key{strings.ToLower(r.Identity), r.Guide}
			if i, ok := latest[k]; ok {
				if r.At.After(out.Records[i].At) {
					out.Records[i] = r
				}
				continue
			}
			latest[k] = len(out.Records)
			out.Records = append(out.Records, r)
		}
		if migrated != "" {
			_ = os.Remove(filepath.Join(dir, p.Name())) // once empty
		}
	}
	sort.Slice(out.Records, func(i, j int) bool {
		a, b := out.Records[i], out.Records[j]
		if a.Identity != b.Identity {
			return a.Identity < b.Identity
		}
		return a.Guide < b.Guide
	})
	return out, nil
}

// writeAt seals r to the readers at the library-relative path rel.
func (f Folder) writeAt(rel string, r Record) error {
	data, err := json.Marshal(r)
	if err != nil {
		return err
	}
	sealed, err := seal.Seal(f.Readers, data)
	if err != nil {
		return err
	}
	p := filepath.Join(f.Root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return atomicfile.Write(p, sealed, 0o644)
}
