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
// guide: _training/<guide.NameSlug(identity)>/<guide.FileSlug of the id
// without its extension>.json. It is "" when the identity makes no file
// name.
func RecordPath(identity, guideID string) string {
	who := guide.NameSlug(identity)
	if who == "" {
		return ""
	}
	name := guide.FileSlug(strings.TrimSuffix(guideID, path.Ext(guideID)))
	return TrainingFolder + "/" + who + "/" + name + ".json"
}

// Recorder takes the records of completions. Folder is the one that writes
// them into the library.
type Recorder interface {
	Write(r Record) error
}

// Folder writes records into a library folder.
type Folder struct {
	// Root is the library folder.
	Root string
}

// NewRecorder is where a person's completions go: a Folder of the library at
// root when its settings ask for named records (records) and the person
// has set an identity; nil otherwise, and then nothing is written.
func NewRecorder(root string, records bool, identity string) Recorder {
	if !records || root == "" || guide.NameSlug(identity) == "" {
		return nil
	}
	return Folder{Root: root}
}

// Write writes r atomically into the library (a sync client never carries
// half a record), replacing the earlier record of the same guide.
func (f Folder) Write(r Record) error {
	rel := RecordPath(r.Identity, r.Guide)
	if rel == "" {
		return fmt.Errorf("training record of %s: the identity %q makes no file name: set an identity such as your email", r.Guide, r.Identity)
	}
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("training record of %s: %w", r.Guide, err)
	}
	p := filepath.Join(f.Root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("training record of %s: %w", r.Guide, err)
	}
	if err := atomicfile.Write(p, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("training record of %s: %w", r.Guide, err)
	}
	return nil
}

// ReadRecords reads every record under root's _training folder, sorted by
// identity, then guide. A file that cannot be read or decoded is skipped
// and named in problems (what to do included); it never stops the rest.
func ReadRecords(root string) (records []Record, problems []string, err error) {
	dir := filepath.Join(root, TrainingFolder)
	people, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("read training records: %w", err)
	}
	for _, p := range people {
		if !p.IsDir() || strings.HasPrefix(p.Name(), ".") {
			continue
		}
		files, err := os.ReadDir(filepath.Join(dir, p.Name()))
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s/%s: %v", TrainingFolder, p.Name(), err))
			continue
		}
		for _, f := range files {
			if f.IsDir() || !strings.HasSuffix(f.Name(), ".json") || strings.HasPrefix(f.Name(), ".") {
				continue
			}
			rel := TrainingFolder + "/" + p.Name() + "/" + f.Name()
			data, err := os.ReadFile(filepath.Join(dir, p.Name(), f.Name()))
			if err != nil {
				problems = append(problems, fmt.Sprintf("%s: %v", rel, err))
				continue
			}
			var r Record
			if len(data) > 64<<10 {
				err = errors.New("over 64 KiB")
			} else {
				err = json.Unmarshal(data, &r)
			}
			if err == nil && (r.Identity == "" || r.Guide == "") {
				err = errors.New("no identity or guide")
			}
			if err != nil {
				problems = append(problems, fmt.Sprintf("%s: not a training record (%v): delete it, Cuecard writes it again at the next completion", rel, err))
				continue
			}
			r.Path = rel
			records = append(records, r)
		}
	}
	sort.Slice(records, func(i, j int) bool {
		if records[i].Identity != records[j].Identity {
			return records[i].Identity < records[j].Identity
		}
		return records[i].Guide < records[j].Guide
	})
	return records, problems, nil
}
