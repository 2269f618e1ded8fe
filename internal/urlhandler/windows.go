//go:build windows

package urlhandler

import (
	"errors"

	"golang.org/x/sys/windows/registry"
)

// classKey is the per-user URL protocol key under Software\Classes (a
// variable for the tests).
var classKey = "cuecard"

// Command is the command Windows runs for a cuecard:// link: the program,
// quoted for paths with spaces, "open" and the link.
func Command(exe string) string { return `"` + exe + `" open "%1"` }

func classes() string { return `Software\Classes\` + classKey }

// register writes HKCU\Software\Classes\cuecard (a URL protocol: "URL
// Protocol", DefaultIcon and shell\open\command) when its command is
// missing or starts another program.
func register(exe string) (bool, error) {
	if k, err := registry.OpenKey(registry.CURRENT_USER, classes()+`\shell\open\command`, registry.QUERY_VALUE); err == nil {
		v, _, err := k.GetStringValue("")
		k.Close()
		if err == nil && v == Command(exe) {
			return false, nil
		}
	}
	for _, kv := range []struct{ key, name, value string }{
		{"", "", "URL:Cuecard guide link"},
		{"", "URL Protocol", ""},
		{`\DefaultIcon`, "", `"` + exe + `",0`},
		{`\shell\open\command`, "", Command(exe)},
	} {
		if err := set(classes()+kv.key, kv.name, kv.value); err != nil {
			return false, err
		}
	}
	return true, nil
}

func set(key, name, value string) error {
	k, _, err := registry.CreateKey(registry.CURRENT_USER, key, registry.SET_VALUE)
	if err != nil {
		return err
	}
	defer k.Close()
	return k.SetStringValue(name, value)
}

// unregister removes the key (for the tests).
func unregister() error {
	for _, sub := range []string{`\shell\open\command`, `\shell\open`, `\shell`, `\DefaultIcon`, ""} {
		if err := registry.DeleteKey(registry.CURRENT_USER, classes()+sub); err != nil && !errors.Is(err, registry.ErrNotExist) {
			return err
		}
	}
	return nil
}
