// Package config reads Cuecard's settings file, config.yaml in the config
// folder (paths.Config). Every setting is optional; a missing file means
// the defaults. Errors name the file and line and say what to fix.
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/cuecard/cuecard/internal/atomicfile"
	"github.com/cuecard/cuecard/internal/paths"
)

// Config is the settings file.
type Config struct {
	// Library is the guides folder, or a git source
	// (git+https://host/org/guides.git#branch). Empty: the sample library.
	Library string `yaml:"library"`
	// Ignore adds name patterns to the watcher's and scanner's ignore list
	// (path.Match syntax; a trailing "/" matches folders only).
	Ignore []string `yaml:"ignore"`
	// GitEvery is how often a git library is pulled (default 15m).
	GitEvery time.Duration `yaml:"-"`
	// Hotkey opens the search window (default Ctrl+Alt+Space).
	Hotkey string `yaml:"hotkey"`
	// GuidesHotkey shows the focused app's guides in the panel now, and
	// why they did not pop up (default Ctrl+Alt+G).
	GuidesHotkey string `yaml:"guides_hotkey"`
	// Corner is where the suggestion panel appears: bottom-right (default),
	// bottom-left, top-right or top-left.
	Corner string `yaml:"corner"`
	// NoSuggestions turns automatic suggestions off (the panel still
	// lists guides when opened from the tray).
	NoSuggestions bool `yaml:"no_suggestions"`
	// KeepPanel keeps the floating panel open when the focused app has no
	// guides (it says so); by default the panel hides.
	KeepPanel bool `yaml:"keep_panel"`
	// Exclude lists apps never tracked, as regular expressions matched
	// against the executable or the window class (added to the built-in
	// password managers and private browsing windows).
	Exclude []string `yaml:"exclude"`
	// ShareUsage writes anonymous daily usage aggregates into the
	// library's _insights folder for the guide owners (off by default).
	ShareUsage bool `yaml:"share_usage"`
	// ShareSearches also puts the texts of searches that found nothing in
	// them; it has effect only with ShareUsage.
	ShareSearches bool `yaml:"share_searches"`
	// Identity is the user's email, as guides name their owner: the guide
	// viewer shows owners their guides' views and votes.
	Identity string `yaml:"identity"`
	// RecordExclude lists more windows the step recorder never captures,
	// as regular expressions matched against the executable, the window
	// class or the title (added to the built-in password managers and
	// private browsing windows, and to Exclude).
	RecordExclude []string `yaml:"record_exclude"`
	// RecordHotkey stops a recording (default Ctrl+Alt+R).
	RecordHotkey string `yaml:"record_hotkey"`
	// RecordBlur blurs step images outside a box around the click.
	RecordBlur bool `yaml:"record_blur"`
	// Roles are the person's roles or teams (roles: [sales]): suggestions
	// and the Start-here track leave out guides for other roles. Empty:
	// the library's _people preset, else every guide.
	Roles []string `yaml:"roles"`
	// StartDate is the person's first day (start_date: 2026-11-17), from
	// which the track's relative due dates count; zero when not set.
	StartDate time.Time `yaml:"-"`

	// Path is the file the settings came from.
	Path string `yaml:"-"`
}

// Keys are the settings the file may hold (the yaml names of raw).
var Keys = yamlKeys(reflect.TypeFor[raw]())

func yamlKeys(t reflect.Type) []string {
	keys := make([]string, 0, t.NumField())
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		keys = append(keys, name)
	}
	return keys
}

type raw struct {
	Corner        string   `yaml:"corner,omitempty"`
	NoSuggestions bool     `yaml:"no_suggestions,omitempty"`
	KeepPanel     bool     `yaml:"keep_panel,omitempty"`
	Exclude       []string `yaml:"exclude,omitempty"`
	Hotkey        string   `yaml:"hotkey,omitempty"`
	GuidesHotkey  string   `yaml:"guides_hotkey,omitempty"`
	Library       string   `yaml:"library,omitempty"`
	Ignore        []string `yaml:"ignore,omitempty"`
	GitEvery      string   `yaml:"git_every,omitempty"`
	ShareUsage    bool     `yaml:"share_usage,omitempty"`
	ShareSearches bool     `yaml:"share_searches,omitempty"`
	Identity      string   `yaml:"identity,omitempty"`
	RecordExclude []string `yaml:"record_exclude,omitempty"`
	RecordHotkey  string   `yaml:"record_hotkey,omitempty"`
	RecordBlur    bool     `yaml:"record_blur,omitempty"`
	Roles         []string `yaml:"roles,omitempty,flow"`
	StartDate     string   `yaml:"start_date,omitempty"`
}

// File is the settings file's path.
func File() string { return filepath.Join(paths.Config(), "config.yaml") }

var lineRE = regexp.MustCompile(`line (\d+)`)

// Load reads the settings file at path; a missing file gives the defaults.
func Load(path string) (Config, error) {
	c := Config{Path: path}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return c, fmt.Errorf("read settings %s: %w", path, err)
	}
	var node yaml.Node
	if err := yaml.Unmarshal(data, &node); err != nil {
		line := 1
		if m := lineRE.FindStringSubmatch(err.Error()); m != nil {
			line, _ = strconv.Atoi(m[1])
		}
		return c, fmt.Errorf("%s:%d: invalid settings: %s: fix the YAML or delete the file to use the defaults", path, line, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	var r raw
	if len(node.Content) > 0 {
		if err := node.Content[0].Decode(&r); err != nil {
			return c, fmt.Errorf("%s: invalid settings: %s", path, strings.TrimPrefix(err.Error(), "yaml: "))
		}
		for i := 0; i+1 < len(node.Content[0].Content); i += 2 {
			k := node.Content[0].Content[i]
			if !slices.Contains(Keys, k.Value) {
				return c, fmt.Errorf("%s:%d: unknown setting %q (known: %s)", path, k.Line, k.Value, strings.Join(Keys, ", "))
			}
		}
	}
	c.Library = strings.TrimSpace(r.Library)
	c.Hotkey = strings.TrimSpace(r.Hotkey)
	c.GuidesHotkey = strings.TrimSpace(r.GuidesHotkey)
	c.Corner = strings.TrimSpace(r.Corner)
	c.NoSuggestions = r.NoSuggestions
	c.KeepPanel = r.KeepPanel
	c.Exclude = r.Exclude
	c.ShareUsage, c.ShareSearches = r.ShareUsage, r.ShareSearches
	c.Identity = strings.TrimSpace(r.Identity)
	c.RecordExclude = r.RecordExclude
	c.RecordHotkey = strings.TrimSpace(r.RecordHotkey)
	c.RecordBlur = r.RecordBlur
	roles, err := CleanRoles(r.Roles)
	if err != nil {
		return c, fmt.Errorf("%s:%d: %w", path, keyLine(node, "roles"), err)
	}
	c.Roles = roles
	if s := strings.TrimSpace(r.StartDate); s != "" {
		d, err := ParseDate(s)
		if err != nil {
			return c, fmt.Errorf("%s:%d: start_date: %w", path, keyLine(node, "start_date"), err)
		}
		c.StartDate = d
	}
	if !ValidCorner(c.Corner) {
		return c, fmt.Errorf("%s: corner %q: use bottom-right, bottom-left, top-right or top-left", path, c.Corner)
	}
	for _, e := range c.Exclude {
		if _, err := regexp.Compile(e); err != nil {
			return c, fmt.Errorf("%s: exclude %q is not a regular expression: %v", path, e, err)
		}
	}
	for _, e := range c.RecordExclude {
		if _, err := regexp.Compile(e); err != nil {
			return c, fmt.Errorf("%s: record_exclude %q is not a regular expression: %v", path, e, err)
		}
	}
	c.Ignore = r.Ignore
	if r.GitEvery != "" {
		d, err := time.ParseDuration(r.GitEvery)
		if err != nil || d < time.Minute {
			return c, fmt.Errorf("%s: git_every %q: write a duration of at least 1m, e.g. 15m", path, r.GitEvery)
		}
		c.GitEvery = d
	}
	for _, p := range c.Ignore {
		if strings.TrimSpace(p) == "" {
			return c, fmt.Errorf("%s: ignore has an empty pattern: remove it", path)
		}
	}
	return c, nil
}

// keyLine is the line of a top-level key of the settings document, or 1.
func keyLine(node yaml.Node, key string) int {
	if len(node.Content) == 0 {
		return 1
	}
	doc := node.Content[0]
	for i := 0; i+1 < len(doc.Content); i += 2 {
		if doc.Content[i].Value == key {
			return doc.Content[i].Line
		}
	}
	return 1
}

// ParseDate reads a start date written YYYY-MM-DD (UTC midnight).
func ParseDate(s string) (time.Time, error) {
	d, err := time.Parse("2006-01-02", strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date: write it as YYYY-MM-DD, e.g. 2026-11-17", s)
	}
	return d, nil
}

// CleanRoles trims roles, drops empty ones and duplicates (ignoring
// case), and refuses a role that is not a short word or phrase.
func CleanRoles(roles []string) ([]string, error) {
	var out []string
	for _, r := range roles {
		r = strings.TrimSpace(r)
		if r == "" {
			continue
		}
		if len(r) > 64 || strings.ContainsAny(r, ",\n[]{}") {
			return nil, fmt.Errorf("roles: %q is not a role: write a list of short names such as [sales, support]", r)
		}
		if !slices.ContainsFunc(out, func(o string) bool { return strings.EqualFold(o, r) }) {
			out = append(out, r)
		}
	}
	return out, nil
}

// Corners are the places the panel can appear.
var Corners = []string{"bottom-right", "bottom-left", "top-right", "top-left"}

// ValidCorner reports whether c is empty (the default) or one of Corners.
func ValidCorner(c string) bool {
	if c == "" {
		return true
	}
	for _, k := range Corners {
		if c == k {
			return true
		}
	}
	return false
}

// Save writes the settings to path atomically (a temporary file renamed
// over it), so a crash never leaves half a settings file.
func Save(path string, c Config) error {
	r := raw{Library: c.Library, Ignore: c.Ignore, Hotkey: c.Hotkey, GuidesHotkey: c.GuidesHotkey, Corner: c.Corner, NoSuggestions: c.NoSuggestions, KeepPanel: c.KeepPanel, Exclude: c.Exclude,
		ShareUsage: c.ShareUsage, ShareSearches: c.ShareSearches, Identity: c.Identity,
		RecordExclude: c.RecordExclude, RecordHotkey: c.RecordHotkey, RecordBlur: c.RecordBlur, Roles: c.Roles}
	if !c.StartDate.IsZero() {
		r.StartDate = c.StartDate.Format("2006-01-02")
	}
	if c.GitEvery > 0 {
		r.GitEvery = c.GitEvery.String()
	}
	data, err := yaml.Marshal(r)
	if err != nil {
		return fmt.Errorf("save settings: %w", err)
	}
	data = append([]byte("# Cuecard settings (also changed by Settings... in the tray menu).\n"), data...)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("save settings: %w", err)
	}
	if err := atomicfile.Write(path, data, 0o600); err != nil {
		return fmt.Errorf("save settings: %w", err)
	}
	return nil
}
