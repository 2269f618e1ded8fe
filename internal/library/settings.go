package library

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/cuecard/cuecard/internal/seal"
)

// SettingsFile is the library's own settings file, at its root: settings
// the library's owners choose for everyone who reads it (config.yaml is
// each user's own).
const SettingsFile = "cuecard.yaml"

// Settings are a library's settings.
type Settings struct {
	// RemoteImages are the hosts the guide viewer may load images from
	// (https only, exact host names). Empty: remote images are never
	// loaded, because fetching one tells its server who reads which guide.
	RemoteImages []string `yaml:"remote_images"`

	// Managed turns on the checks of a managed library (owner, review
	// dates, task titles, reachability, unique titles, length, unknown
	// front-matter keys; ManagedCodes). Without it lint reports only what
	// breaks something: a folder that never heard of Cuecard is not held
	// to Cuecard's house style.
	Managed bool `yaml:"managed"`

	// Silence are problem codes lint and the app do not report for this
	// library (e.g. [broken-link, too-long]).
	Silence []string `yaml:"silence"`

	// HiddenFolders reads folders whose names start with "." (.github,
	// .claude) as part of the library; by default they are skipped.
	HiddenFolders bool `yaml:"hidden_folders"`

	// Links is how the folder's own tool resolves links: "relative" (to
	// the guide, as Cuecard's viewer does), "site" (and "/a.md" from the
	// folder's top), "hugo" (site-root links against content/, pretty
	// URLs) or "obsidian" (a file name found anywhere in the vault).
	// Empty: guessed from the folder (DetectLinkStyle).
	Links LinkStyle `yaml:"links"`

	// Roles are the library's roles (roles: [sales, support, finance]):
	// lint warns about a guide's role that is not one of them. Empty: any
	// role is accepted.
	Roles []string `yaml:"roles"`

	// TrackRecords is "named" when each completion of a Start-here item
	// writes a record under _training/<identity>/ for the managers'
	// report; "" (the default, or "off"): nothing is written.
	TrackRecords string `yaml:"track_records"`

	// WebBase is the address where the library is published as a web site
	// (https://wiki.example.com/guides/): the guide viewer's "Copy web
	// link" gives a guide's page there, WebBase + its path without .md +
	// "/" (link.WebURL). Empty: only cuecard:// links are offered.
	WebBase string `yaml:"web_base"`

	// Readers are the public keys (age X25519 recipients, age1...) of the
	// people who may read what Cuecard shares through the library: usage
	// aggregates and training records are sealed to them. Empty: nothing
	// is shared.
	Readers []string `yaml:"readers"`

	// MinInstalls is the k of the team report's k-anonymity: a figure from
	// fewer installations is shown as "fewer than k" (0: the default, 3;
	// never below 3).
	MinInstalls int `yaml:"insights_min_installs"`

	// Retention is how many calendar months of shared usage are kept (0:
	// the default, 13); older files are removed when a reader runs the
	// team report.
	Retention int `yaml:"insights_retention_months"`

	// Path is the file the settings came from ("" when there is none).
	Path string `yaml:"-"`
}

var settingsLineRE = regexp.MustCompile(`line (\d+)`)

// hostRE is a host name: letters, digits, hyphens and dots.
var hostRE = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$`)

// LoadSettings reads root/cuecard.yaml; a missing file gives no settings.
// Errors name the file and line and say what to fix.
func LoadSettings(root string) (Settings, error) {
	p := filepath.Join(root, SettingsFile)
	data, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return Settings{}, nil
	}
	if err != nil {
		return Settings{}, fmt.Errorf("library settings %s: %w", p, err)
	}
	return parseSettings(p, data)
}

// parseSettings reads the settings file p holding data.
func parseSettings(p string, data []byte) (Settings, error) {
	s := Settings{Path: p}
	if len(data) > 64<<10 {
		return s, settingsErr(p, 1, "library settings file is over 64 KiB: it holds a few settings")
	}
	var node yaml.Node
	if err := yaml.Unmarshal(data, &node); err != nil {
		line := 1
		if m := settingsLineRE.FindStringSubmatch(err.Error()); m != nil {
			line, _ = strconv.Atoi(m[1])
		}
		return s, settingsErr(p, line, "invalid library settings: %s: fix the YAML", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if len(node.Content) == 0 {
		return s, nil
	}
	doc := node.Content[0]
	if doc.Kind != yaml.MappingNode {
		return s, settingsErr(p, doc.Line, "library settings must be 'key: value' lines")
	}
	for i := 0; i+1 < len(doc.Content); i += 2 {
		k, v := doc.Content[i], doc.Content[i+1]
		switch k.Value {
		case "remote_images":
			if v.Kind != yaml.SequenceNode {
				return s, settingsErr(p, v.Line, "remote_images must be a list of host names, e.g. [images.example.com]")
			}
			for _, h := range v.Content {
				host := strings.ToLower(strings.TrimSpace(h.Value))
				if h.Kind != yaml.ScalarNode || !hostRE.MatchString(host) {
					return s, settingsErr(p, h.Line, "remote_images: %q is not a host name (write it without https:// or a path, e.g. images.example.com)", h.Value)
				}
				s.RemoteImages = append(s.RemoteImages, host)
			}
		case "managed", "hidden_folders":
			b, ok := settingsBool(v)
			if !ok {
				return s, settingsErr(p, v.Line, "%s must be true or false, not %q", k.Value, v.Value)
			}
			if k.Value == "managed" {
				s.Managed = b
			} else {
				s.HiddenFolders = b
			}
		case "silence":
			if v.Kind != yaml.SequenceNode {
				return s, settingsErr(p, v.Line, "silence must be a list of problem codes, e.g. [too-long, unknown-key]")
			}
			for _, c := range v.Content {
				code := strings.TrimSpace(c.Value)
				if c.Kind != yaml.ScalarNode || !codeRE.MatchString(code) {
					return s, settingsErr(p, c.Line, "silence: %q is not a problem code (the word lint prints in --json as \"code\", e.g. broken-link)", c.Value)
				}
				s.Silence = append(s.Silence, code)
			}
		case "links":
			st := LinkStyle(strings.ToLower(strings.TrimSpace(v.Value)))
			if v.Kind != yaml.ScalarNode || !st.valid() {
				return s, settingsErr(p, v.Line, "links must be relative, site, hugo or obsidian, not %q", v.Value)
			}
			s.Links = st
		case "roles":
			if v.Kind != yaml.SequenceNode {
				return s, settingsErr(p, v.Line, "roles must be a list of the library's roles, e.g. [sales, support, finance]")
			}
			for _, r := range v.Content {
				role := strings.TrimSpace(r.Value)
				if r.Kind != yaml.ScalarNode || role == "" || len(role) > 64 || strings.ContainsAny(role, ",\n") {
					return s, settingsErr(p, r.Line, "roles: %q is not a role (a short name such as sales)", r.Value)
				}
				s.Roles = append(s.Roles, role)
			}
		case "track_records":
			mode := strings.ToLower(strings.TrimSpace(v.Value))
			if v.Kind != yaml.ScalarNode || (mode != TrackRecordsNamed && mode != "off" && mode != "") {
				return s, settingsErr(p, v.Line, "track_records must be named (each completion of a Start-here item is recorded under _training/ with the person's identity) or off, not %q", v.Value)
			}
			if mode == TrackRecordsNamed {
				s.TrackRecords = mode
			}
		case "readers":
			if v.Kind != yaml.SequenceNode {
				return s, settingsErr(p, v.Line, "readers must be a list of age recipients (age1..., as cuecard keys new prints them), e.g.\nreaders:\n  - age1...")
			}
			for _, r := range v.Content {
				rec, err := seal.ParseRecipient(r.Value)
				if r.Kind != yaml.ScalarNode || err != nil {
					return s, settingsErr(p, r.Line, "readers: %q is not an age recipient: paste the age1... line cuecard keys new printed for the reader", r.Value)
				}
				if slices.Contains(s.Readers, rec) {
					return s, settingsErr(p, r.Line, "readers: %s is listed twice: remove one", rec)
				}
				s.Readers = append(s.Readers, rec)
			}
		case "insights_min_installs", "insights_retention_months":
			n, err := strconv.Atoi(strings.TrimSpace(v.Value))
			if k.Value == "insights_min_installs" {
				if v.Kind != yaml.ScalarNode || err != nil || n < 3 || n > 1000 {
					return s, settingsErr(p, v.Line, "insights_min_installs must be a whole number from 3 to 1000 (figures from fewer installations are shown as \"fewer than N\"), not %q", v.Value)
				}
				s.MinInstalls = n
			} else {
				if v.Kind != yaml.ScalarNode || err != nil || n < 1 || n > 120 {
					return s, settingsErr(p, v.Line, "insights_retention_months must be a whole number of months from 1 to 120, not %q", v.Value)
				}
				s.Retention = n
			}
		case "web_base":
			base := strings.TrimSpace(v.Value)
			u, err := url.Parse(base)
			if v.Kind != yaml.ScalarNode || err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
				return s, settingsErr(p, v.Line, "web_base must be the web address the library is published at, e.g. https://wiki.example.com/guides/, not %q", v.Value)
			}
			s.WebBase = base
		case "defaults", "files":
			// The documents' guide keys: read by the folder settings (folder.go).
		default:
			return s, settingsErr(p, k.Line, "unknown library setting %q (known: remote_images, managed, silence, hidden_folders, links, roles, track_records, web_base, readers, insights_min_installs, insights_retention_months)", k.Value)
		}
	}
	return s, nil
}

// TrackRecordsNamed is the track_records setting that records completions
// under the person's identity.
const TrackRecordsNamed = "named"

// Records reports whether completions are to be recorded in the library
// (track_records: named).
func (s Settings) Records() bool { return s.TrackRecords == TrackRecordsNamed }

// SharingOff says why nothing is shared through the library ("" when its
// readers are set).
func (s Settings) SharingOff() string {
	if len(s.Readers) > 0 {
		return ""
	}
	file := SettingsFile
	if s.Path != "" {
		file = s.Path
	}
	return "nothing is shared: the library's " + file + " names no readers. Shared files are sealed to the readers' keys; a reader runs cuecard keys new and adds the age1... line it prints under readers: in " + SettingsFile
}

// SharingReaders are the library's readers, parsed.
func (s Settings) SharingReaders() (seal.Readers, error) { return seal.NewReaders(s.Readers) }

// codeRE is a problem code: lower-case words joined by hyphens.
var codeRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

func settingsBool(v *yaml.Node) (bool, bool) {
	if v.Kind != yaml.ScalarNode {
		return false, false
	}
	switch strings.ToLower(strings.TrimSpace(v.Value)) {
	case "true", "yes", "on":
		return true, true
	case "false", "no", "off":
		return false, true
	}
	return false, false
}

// SettingsError is a mistake in the library settings file, with its line.
type SettingsError struct {
	File    string
	Line    int
	Message string
}

func (e *SettingsError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Message) }

func settingsErr(file string, line int, format string, args ...any) error {
	return &SettingsError{File: file, Line: line, Message: fmt.Sprintf(format, args...)}
}

// AllowsImage reports whether the viewer may load the image at raw: an
// https URL (without a user name) on one of RemoteImages.
func (s Settings) AllowsImage(raw string) bool {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Scheme != "https" || u.User != nil {
		return false
	}
	return slices.Contains(s.RemoteImages, strings.ToLower(u.Hostname()))
}
