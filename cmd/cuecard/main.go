// Command cuecard brings just-in-time training to the desktop: it keeps a
// library of short Markdown guides indexed and finds the right one for the
// task at hand. See `cuecard help`.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	// Before fyne initialises: no "Error parsing user locale C" noise.
	_ "github.com/cuecard/cuecard/internal/clocale"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	m := NewMain()
	code := m.Run(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}
