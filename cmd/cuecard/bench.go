package main

import (
	"context"
	"io"

	"github.com/cuecard/cuecard/internal/bench"
)

func (m *Main) cmdBench(ctx context.Context, args []string) error {
	fs := m.flags("bench")
	n := fs.Int("guides", 10000, "size of the synthetic library")
	asJSON := fs.Bool("json", false, "print one JSON object")
	dir := fs.String("dir", "", "work folder for the synthetic library and index (default: a temporary folder, removed afterwards)")
	seed := fs.Int64("seed", 1, "seed of the synthetic library")
	mixed := fs.Bool("mixed", false, "write a fifth of the library as Word and PDF files, and time each format")
	pos, err := m.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("bench takes no arguments")
	}
	if *n < 10 {
		return usagef("bench: --guides must be at least 10")
	}
	var progress io.Writer = m.Stderr
	if *asJSON && !m.IsTerminal(m.Stderr) {
		progress = nil
	}
	res, err := bench.Run(ctx, bench.Options{Guides: *n, Dir: *dir, Seed: *seed, Out: progress, Mixed: *mixed})
	if err != nil {
		return err
	}
	if *asJSON {
		return m.writeJSON(res)
	}
	res.WriteTable(m.Stdout)
	return nil
}
