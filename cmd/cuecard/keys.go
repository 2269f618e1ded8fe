package main

import (
	"context"
	"fmt"

	"github.com/cuecard/cuecard/internal/paths"
	"github.com/cuecard/cuecard/internal/seal"
)

// cmdKeys manages a reader's key pair: cuecard keys new [--out FILE].
func (m *Main) cmdKeys(_ context.Context, args []string) error {
	if len(args) == 0 || args[0] != "new" {
		return usagef("keys: use cuecard keys new [--out FILE]")
	}
	fs := m.flags("keys new")
	out := fs.String("out", "", "write the private key to FILE (default: "+paths.ReaderKey()+")")
	pos, err := m.parse(fs, args[1:])
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("keys new takes no arguments (got %q)", pos[0])
	}
	p := *out
	if p == "" {
		p = paths.ReaderKey()
	}
	recipient, err := seal.WriteKey(p)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, `Wrote your private reader key to %s (only you can read it: keep it, and a backup, private).

Your public recipient:

  %s

To read what Cuecard shares through a library (usage for cuecard report --team,
training records for --training), add it to the library's cuecard.yaml:

readers:
  - %s   # your name

Files written after that are sealed to you too; cuecard report opens them with
this key (or --key FILE).
`, p, recipient, recipient)
	return nil
}
