package library

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/cuecard/cuecard/internal/guide"
)

// PeopleFolder holds the people's presets a company writes for them:
// _people/<identity>.yaml (guide.NameSlug of the identity) with the
// person's roles and start date. It is not read as guides.
const PeopleFolder = "_people"

// Person is a preset of _people/: what the company says of a person. The
// person's own settings (config.yaml) win where they set a value.
type Person struct {
	// Identity is the person's identity: the file's identity key, else
	// its name without .yaml.
	Identity  string
	Roles     []string
	StartDate time.Time // zero when not given
	// Path is the file, library-relative with "/".
	Path string
}

// PersonFile is the library-relative path of identity's preset; "" when
// the identity makes no file name.
func PersonFile(identity string) string {
	slug := guide.NameSlug(identity)
	if slug == "" {
		return ""
	}
	return PeopleFolder + "/" + slug + ".yaml"
}

// LoadPerson reads identity's preset from the library at root. ok is false
// when there is none (or no identity). Errors name the file and line.
func LoadPerson(root, identity string) (p Person, ok bool, err error) {
	rel := PersonFile(identity)
	if rel == "" {
		return Person{}, false, nil
	}
	data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
	if errors.Is(err, fs.ErrNotExist) {
		return Person{}, false, nil
	}
	if err != nil {
		return Person{}, false, fmt.Errorf("read the preset of %s: %w", identity, err)
	}
	p, err = parsePerson(rel, data)
	if err != nil {
		return Person{}, false, err
	}
	if p.Identity == strings.TrimSuffix(filepath.Base(rel), ".yaml") {
		p.Identity = strings.TrimSpace(identity)
	}
	return p, true, nil
}

// People reads every preset in the library's _people folder, sorted by
// identity. A file that cannot be read is an error naming it.
func People(root string) ([]Person, error) {
	dir := filepath.Join(root, PeopleFolder)
	ents, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the people's presets: %w", err)
	}
	var out []Person
	for _, e := range ents {
		if e.IsDir() || !strings.EqualFold(filepath.Ext(e.Name()), ".yaml") || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		rel := PeopleFolder + "/" + e.Name()
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("read the preset %s: %w", rel, err)
		}
		p, err := parsePerson(rel, data)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Identity < out[j].Identity })
	return out, nil
}

// parsePerson reads a preset: roles, start_date and optionally identity.
func parsePerson(rel string, data []byte) (Person, error) {
	p := Person{Path: rel, Identity: strings.TrimSuffix(rel[strings.LastIndex(rel, "/")+1:], filepath.Ext(rel))}
	if len(data) > 64<<10 {
		return p, settingsErr(rel, 1, "a person's preset is over 64 KiB: it holds roles and start_date")
	}
	var node yaml.Node
	if err := yaml.Unmarshal(data, &node); err != nil {
		line := 1
		if m := settingsLineRE.FindStringSubmatch(err.Error()); m != nil {
			fmt.Sscan(m[1], &line)
		}
		line = max(line, 1)
		return p, settingsErr(rel, line, "invalid preset: %s: fix the YAML", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if len(node.Content) == 0 {
		return p, nil
	}
	doc := node.Content[0]
	if doc.Kind != yaml.MappingNode {
		return p, settingsErr(rel, doc.Line, "a person's preset must be 'key: value' lines: roles, start_date")
	}
	for i := 0; i+1 < len(doc.Content); i += 2 {
		k, v := doc.Content[i], doc.Content[i+1]
		switch k.Value {
		case "identity":
			if v.Kind != yaml.ScalarNode || strings.TrimSpace(v.Value) == "" {
				return p, settingsErr(rel, v.Line, "identity must be the person's email or name")
			}
			p.Identity = strings.TrimSpace(v.Value)
		case "roles":
			var items []*yaml.Node
			switch v.Kind {
			case yaml.SequenceNode:
				items = v.Content
			case yaml.ScalarNode:
				for _, s := range strings.Split(v.Value, ",") {
					items = append(items, &yaml.Node{Kind: yaml.ScalarNode, Value: s, Line: v.Line})
				}
			default:
				return p, settingsErr(rel, v.Line, "roles must be a list such as [sales, support]")
			}
			for _, r := range items {
				role := strings.TrimSpace(r.Value)
				if r.Kind != yaml.ScalarNode || len(role) > 64 {
					return p, settingsErr(rel, r.Line, "roles: %q is not a role (a short name such as sales)", r.Value)
				}
				if role != "" {
					p.Roles = append(p.Roles, role)
				}
			}
		case "start_date":
			d, err := time.Parse("2006-01-02", strings.TrimSpace(v.Value))
			if v.Kind != yaml.ScalarNode || err != nil {
				return p, settingsErr(rel, v.Line, "start_date %q is not a date: write it as YYYY-MM-DD, e.g. 2026-11-17", v.Value)
			}
			p.StartDate = d
		default:
			return p, settingsErr(rel, k.Line, "unknown key %q in a person's preset (known: identity, roles, start_date)", k.Value)
		}
	}
	return p, nil
}
