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
	"regexp"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

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

	// Path is the file the settings came from.
	Path string `yaml:"-"`
}

type raw struct {
	Hotkey   string   `yaml:"hotkey"`
	Library  string   `yaml:"library"`
	Ignore   []string `yaml:"ignore"`
	GitEvery string   `yaml:"git_every"`
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
			switch k.Value {
			case "library", "ignore", "git_every", "hotkey":
			default:
				return c, fmt.Errorf("%s:%d: unknown setting %q (known: library, ignore, git_every, hotkey)", path, k.Line, k.Value)
			}
		}
	}
	c.Library = strings.TrimSpace(r.Library)
	c.Hotkey = strings.TrimSpace(r.Hotkey)
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
