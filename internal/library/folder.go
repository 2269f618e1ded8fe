package library

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/cuecard/cuecard/internal/guide"
)

// Folder settings: the library settings file (cuecard.yaml) may stand in
// any folder of the library, where it gives the documents and link files
// in that folder and below (which have no front matter of their own) their
// guide keys:
//
//	defaults:            # every document here and below
//	  apps: [{exe: libreoffice}]
//	  owner: ana@example.com
//	  review_every: 6m
//	  owner_from: creator  # or last_modified_by (the default): which author property is the owner
//	files:               # per file, by name (path.Match glob), over the defaults
//	  "expense*.docx":
//	    format: checklist
//
// The keys are front-matter keys (docs/guide-format.md) and owner_from.
// The nearest folder's value of a key wins; in one folder a matching files
// entry wins over defaults (the last matching entry over earlier ones).
// At the library's root the same two keys sit beside the library settings.

// ownerFrom is the folder-settings key that picks the author property.
const ownerFrom = "owner_from"

// folderEntry is one mapping of guide keys: the defaults, or a files entry.
type folderEntry struct {
	glob string // "" for defaults
	keys []*yaml.Node
	vals []*yaml.Node
}

// folderSettings are the parsed defaults of one folder.
type folderSettings struct {
	entries  []folderEntry // defaults first
	mod      time.Time
	problems []guide.Problem
}

// folders reads folder settings files once per folder.
type folders struct {
	root string
	mu   sync.Mutex
	dirs map[string]*folderSettings // library-relative folder ("" the root)
}

func newFolders(root string) *folders {
	return &folders{root: root, dirs: map[string]*folderSettings{}}
}

// of returns the settings of one folder (nil when it has none).
func (f *folders) of(dir string) *folderSettings {
	f.mu.Lock()
	defer f.mu.Unlock()
	if s, ok := f.dirs[dir]; ok {
		return s
	}
	s := loadFolder(f.root, dir)
	f.dirs[dir] = s
	return s
}

// chain returns the settings that apply to the file id, root first, and
// the latest modification time among their files.
func (f *folders) chain(id string) ([]*folderSettings, time.Time) {
	var out []*folderSettings
	var latest time.Time
	dir := path.Dir(id)
	var dirs []string
	for {
		if dir == "." {
			dirs = append(dirs, "")
			break
		}
		dirs = append(dirs, dir)
		dir = path.Dir(dir)
	}
	for i := len(dirs) - 1; i >= 0; i-- {
		if s := f.of(dirs[i]); s != nil {
			out = append(out, s)
			if s.mod.After(latest) {
				latest = s.mod
			}
		}
	}
	return out, latest
}

// frontMatter is the merged mapping of guide keys for the file id, and
// the owner_from choice.
func (f *folders) frontMatter(id string) (map[string]*yaml.Node, []string, string) {
	chain, _ := f.chain(id)
	vals := map[string]*yaml.Node{}
	var order []string
	set := func(k string, v *yaml.Node) {
		if _, ok := vals[k]; !ok {
			order = append(order, k)
		}
		vals[k] = v
	}
	name := path.Base(id)
	for _, s := range chain {
		for _, e := range s.entries {
			if e.glob != "" {
				if ok, _ := path.Match(e.glob, name); !ok {
					continue
				}
			}
			for i, k := range e.keys {
				set(k.Value, e.vals[i])
			}
		}
	}
	from := ""
	if v, ok := vals[ownerFrom]; ok {
		from = v.Value
		delete(vals, ownerFrom)
		order = deleteString(order, ownerFrom)
	}
	return vals, order, from
}

func deleteString(s []string, x string) []string {
	out := s[:0]
	for _, v := range s {
		if v != x {
			out = append(out, v)
		}
	}
	return out
}

// loadFolder reads dir/cuecard.yaml; nil when there is none. A mistake in
// it is a problem with its line, and the entry with it is left out.
func loadFolder(root, dir string) *folderSettings {
	rel := path.Join(dir, SettingsFile)
	p := filepath.Join(root, filepath.FromSlash(rel))
	st, err := os.Stat(p)
	if errors.Is(err, fs.ErrNotExist) || (err == nil && !st.Mode().IsRegular()) {
		return nil
	}
	s := &folderSettings{}
	prob := func(line int, format string, args ...any) {
		s.problems = append(s.problems, guide.Problem{Path: rel, Line: max(line, 1), Level: guide.LevelError, Code: "folder-settings", Message: fmt.Sprintf(format, args...)})
	}
	if err != nil {
		prob(1, "cannot read the folder settings: %v", errText(err))
		return s
	}
	s.mod = st.ModTime()
	data, err := os.ReadFile(p)
	if err != nil {
		prob(1, "cannot read the folder settings: %v", errText(err))
		return s
	}
	if len(data) > 256<<10 {
		prob(1, "folder settings file is over 256 KiB: it holds a few defaults")
		return s
	}
	var node yaml.Node
	if err := yaml.Unmarshal(data, &node); err != nil {
		if dir != "" { // the root's file: the library settings report it
			prob(1, "invalid folder settings: %s: fix the YAML", strings.TrimPrefix(err.Error(), "yaml: "))
		}
		return s
	}
	if len(node.Content) == 0 {
		return s
	}
	doc := node.Content[0]
	if doc.Kind != yaml.MappingNode {
		if dir != "" {
			prob(doc.Line, "folder settings must be 'key: value' lines: defaults and files")
		}
		return s
	}
	for i := 0; i+1 < len(doc.Content); i += 2 {
		k, v := doc.Content[i], doc.Content[i+1]
		switch k.Value {
		case "defaults":
			if e, ok := s.entry(rel, "", v); ok {
				s.entries = append([]folderEntry{e}, s.entries...)
			}
		case "files":
			if v.Kind != yaml.MappingNode {
				prob(v.Line, "files must map file names (globs such as \"expense*.docx\") to guide keys")
				continue
			}
			for j := 0; j+1 < len(v.Content); j += 2 {
				g := strings.TrimSpace(v.Content[j].Value)
				if _, err := path.Match(g, ""); err != nil || g == "" || strings.Contains(g, "/") {
					prob(v.Content[j].Line, "files: %q is not a file name pattern (a name in this folder, * and ? as wildcards, no /)", g)
					continue
				}
				if e, ok := s.entry(rel, g, v.Content[j+1]); ok {
					s.entries = append(s.entries, e)
				}
			}
		default:
			if dir != "" {
				prob(k.Line, "unknown folder setting %q: a folder's %s holds defaults and files (the library settings belong in the one at the library's top)", k.Value, SettingsFile)
			}
		}
	}
	return s
}

// entry checks one mapping of guide keys: each key is read by the guide
// parser as front matter, and its mistakes are reported on this file's lines.
func (s *folderSettings) entry(rel, glob string, v *yaml.Node) (folderEntry, bool) {
	e := folderEntry{glob: glob}
	if v.Kind != yaml.MappingNode {
		s.problems = append(s.problems, guide.Problem{Path: rel, Line: max(v.Line, 1), Level: guide.LevelError, Code: "folder-settings",
			Message: "defaults and each files entry must be guide keys such as 'owner: ana@example.com'"})
		return e, false
	}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := v.Content[i], v.Content[i+1]
		if k.Value == ownerFrom {
			if w := strings.ToLower(strings.TrimSpace(val.Value)); val.Kind != yaml.ScalarNode || (w != "creator" && w != "last_modified_by") {
				s.problems = append(s.problems, guide.Problem{Path: rel, Line: val.Line, Level: guide.LevelError, Code: "folder-settings",
					Message: fmt.Sprintf("owner_from must be creator or last_modified_by (the document's author property that names its owner), not %q", val.Value)})
				continue
			}
			e.keys, e.vals = append(e.keys, k), append(e.vals, val)
			continue
		}
		fm, err := yaml.Marshal(&yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{k, val}})
		if err != nil {
			continue
		}
		_, ps := guide.Parse("x.md", []byte("---\n"+string(fm)+"---\n# x\n"))
		bad := false
		for _, p := range ps {
			if p.Level == guide.LevelError && p.Code != "missing-video" && p.Code != "missing-template" || p.Code == "unknown-key" {
				msg := p.Message
				if p.Code == "unknown-key" {
					msg = fmt.Sprintf("unknown key %q: folder settings give front-matter keys (apps, roles, owner, review_every, format, suggest, tags...) and owner_from", k.Value)
				}
				s.problems = append(s.problems, guide.Problem{Path: rel, Line: k.Line, Level: guide.LevelError, Code: "folder-settings", Message: msg})
				bad = true
			}
		}
		if !bad {
			e.keys, e.vals = append(e.keys, k), append(e.vals, val)
		}
	}
	return e, true
}
