package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/cuecard/cuecard/internal/config"
	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/library"
	"github.com/cuecard/cuecard/internal/link"
	"github.com/cuecard/cuecard/internal/paths"
	"github.com/cuecard/cuecard/internal/search"
	"github.com/cuecard/cuecard/resources"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// Exit codes.
const (
	exitOK    = 0
	exitFail  = 1 // the command ran and found errors (lint), or failed
	exitUsage = 2 // bad flags or arguments
)

// errUsage marks an error caused by how the command was called.
var errUsage = errors.New("usage")

// usageError is an error that exits with code 2.
type usageError struct{ msg string }

func (e usageError) Error() string   { return e.msg }
func (e usageError) Is(t error) bool { return t == errUsage }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// exitError carries an exit code without a message (already printed).
type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit %d", int(e)) }

// Main is the cuecard program: flags, wiring and the subcommands. It holds no
// global state, so tests run it in-process as well as built.
type Main struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Now is the clock (lint's overdue check, new's review date).
	Now func() time.Time
	// IsTerminal reports whether w is an interactive terminal.
	IsTerminal func(w any) bool

	library string // --library
	verbose bool
	git     *library.GitSource // set when the library is a git source
	cfg     *config.Config
	log     *slog.Logger
}

// NewMain returns a Main on the process's standard streams.
func NewMain() *Main {
	return &Main{
		Stdin:  os.Stdin,
		Stdout: os.Stdout,
		Stderr: os.Stderr,
		Now:    clock(),
		IsTerminal: func(w any) bool {
			f, ok := w.(*os.File)
			return ok && term.IsTerminal(int(f.Fd()))
		},
	}
}

// clock is time.Now, or the fixed day in CUECARD_TODAY (YYYY-MM-DD), which
// makes lint's overdue check reproducible in a content repository's CI.
func clock() func() time.Time {
	if v := os.Getenv("CUECARD_TODAY"); v != "" {
		if d, err := time.ParseInLocation("2006-01-02", v, time.Local); err == nil {
			return func() time.Time { return d.Add(12 * time.Hour) }
		}
		fmt.Fprintf(os.Stderr, "cuecard: CUECARD_TODAY=%q is not a YYYY-MM-DD date; using today\n", v)
	}
	return time.Now
}

type command struct {
	name    string
	args    string
	summary string
	run     func(m *Main, ctx context.Context, args []string) error
}

func commands() []command {
	return []command{
		{"search", "[--app EXE] [--class C] [--title T] [--limit N] [--json] [-i] QUERY...", "search the library as you would in the search window", (*Main).cmdSearch},
		{"lint", "[--json] [--strict] [DIR]", "check a library for broken and stale guides (for content CI)", (*Main).cmdLint},
		{"index", "[--rebuild] [--watch]", "bring the search index up to date with the library (--watch: and keep it live)", (*Main).cmdIndex},
		{"status", "[--json]", "show the library, the index, problems, and whether a cuecard process keeps it live", (*Main).cmdStatus},
		{"new", "--format F [--app EXE] [--title-rule RE] [--tag T] [--dir SUBDIR] \"How to ...\"", "create a new lint-clean guide", (*Main).cmdNew},
		{"record", "[--blur] [--no-open] [--owner O] [--folder F] \"How to ...\"", "record a task once: every click and shortcut becomes a step with a screenshot", (*Main).cmdRecord},
		{"target", "[--timeout 60s] GUIDE STEP", "click where a numbered step is in the app: its click target for Guide me goes beside the guide and into the step", (*Main).cmdTarget},
		{"match", "[--exe E] [--class C] [--title T] [--explain] [--json]", "list the guides whose app rules match a window", (*Main).cmdMatch},
		{"watch", "[--json]", "print every focus change and the guides that match it", (*Main).cmdWatch},
		{"report", "[--since 30d] [--owner EMAIL] [--team] [--training] [--key FILE] [--format text|md|csv|json|html] [--out FILE]", "insights for content owners: stale guides, usage, searches that found nothing, apps without guides; --training: who has done the Start-here track; --team and --training open the sealed files with a reader's key", (*Main).cmdReport},
		{"keys", "new [--out FILE]", "make a reader's key pair: the private key stays in your config folder, the public recipient goes under readers: in the library's cuecard.yaml", (*Main).cmdKeys},
		{"track", "[--json]", "your Start-here track: the required guides for your roles, due dates, what is done and what is next", (*Main).cmdTrack},
		{"unmute", "[APP]", "list the apps whose suggestions are muted, or unmute one (by its name or key)", (*Main).cmdUnmute},
		{"bench", "[--guides N] [--json]", "measure indexing and search speed on a synthetic library", (*Main).cmdBench},
		{"guide-me", "GUIDE", "walk through a recorded guide in the desktop app: a ring shows where to click in the app, step by step", (*Main).cmdGuideMe},
		{"open", "CUECARD-LINK|GUIDE|FILE", "open a guide or a search in the desktop app (a cuecard:// link, a guide's path or file), starting it if needed", (*Main).cmdOpen},
		{"app", "", "start the desktop app: tray, suggestion panel, hotkey search and guide windows", (*Main).cmdApp},
		{"version", "", "print the version", (*Main).cmdVersion},
	}
}

// Run runs one command line and returns the exit code.
func (m *Main) Run(ctx context.Context, args []string) int {
	err := m.run(ctx, args)
	var ex exitError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ex):
		return int(ex)
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.Is(err, errUsage):
		fmt.Fprintf(m.Stderr, "cuecard: %v\nRun 'cuecard help' for usage.\n", err)
		return exitUsage
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(m.Stderr, "cuecard: interrupted")
		return exitFail
	default:
		fmt.Fprintf(m.Stderr, "cuecard: %v\n", err)
		return exitFail
	}
}

func (m *Main) run(ctx context.Context, args []string) error {
	// Global flags may come before the command.
	global := flag.NewFlagSet("cuecard", flag.ContinueOnError)
	global.SetOutput(io.Discard)
	m.globalFlags(global)
	if err := global.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			m.usage(m.Stdout)
			return nil
		}
		return usagef("%v", err)
	}
	args = global.Args()
	if len(args) == 0 {
		if m.IsTerminal(m.Stdin) && m.IsTerminal(m.Stdout) {
			return m.interactive(ctx)
		}
		// Started from the desktop (a menu entry, a packaged launcher):
		// the desktop app.
		if graphical() {
			return m.cmdApp(ctx, nil)
		}
		m.usage(m.Stderr)
		return exitError(exitUsage)
	}
	name := args[0]
	if link.IsLink(name) {
		// How a URL handler calls it: cuecard cuecard://guide/...
		return m.cmdOpen(ctx, args)
	}
	if name == "help" {
		if len(args) > 1 {
			for _, c := range commands() {
				if c.name == args[1] {
					return c.run(m, ctx, []string{"--help"})
				}
			}
			return usagef("unknown command %q", args[1])
		}
		m.usage(m.Stdout)
		return nil
	}
	for _, c := range commands() {
		if c.name == name {
			return c.run(m, ctx, args[1:])
		}
	}
	return usagef("unknown command %q", name)
}

func (m *Main) globalFlags(fs *flag.FlagSet) {
	if fs.Lookup("library") == nil {
		fs.StringVar(&m.library, "library", m.library, "the guides folder (env CUECARD_LIBRARY; default: the bundled sample library)")
		fs.BoolVar(&m.verbose, "verbose", m.verbose, "log what cuecard does")
	}
}

func (m *Main) usage(w io.Writer) {
	fmt.Fprintf(w, `Cuecard: just-in-time training guides for the task at hand.

Usage:
  cuecard [--library DIR] [--verbose] COMMAND [ARGS]
  cuecard                      interactive search prompt on a terminal;
                               the desktop app when started from the desktop
  cuecard cuecard://...        cuecard open (how a cuecard:// link calls it)

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, `
Run 'cuecard COMMAND --help' for a command's flags.
The library is --library DIR, else $CUECARD_LIBRARY, else the bundled sample
library installed in %s.
`, paths.SampleLibrary())
}

// flags returns a FlagSet for a command with the global flags, --help text,
// and interleaved parsing (flags may follow arguments).
func (m *Main) flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("cuecard "+name, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	m.globalFlags(fs)
	var c command
	for _, cc := range commands() {
		if cc.name == name {
			c = cc
		}
	}
	fs.Usage = func() {
		fmt.Fprintf(m.Stdout, "Usage: cuecard %s %s\n\n%s.\n\nFlags:\n", name, c.args, capitalise(c.summary))
		fs.SetOutput(m.Stdout)
		fs.PrintDefaults()
		fs.SetOutput(m.Stderr)
	}
	return fs
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// parse parses flags that may be interleaved with positional arguments.
func (m *Main) parse(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, flag.ErrHelp // the flag package printed fs.Usage
			}
			return nil, usagef("%s: %v", fs.Name(), err)
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		if args[0] == "--" {
			pos = append(pos, args[1:]...)
			break
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
	m.setupLog()
	return pos, nil
}

func (m *Main) setupLog() {
	level := slog.LevelWarn
	if m.verbose {
		level = slog.LevelDebug
	}
	m.log = slog.New(slog.NewTextHandler(m.Stderr, &slog.HandlerOptions{Level: level}))
	slog.SetDefault(m.log)
}

// libraryRoot resolves the library folder: --library, $CUECARD_LIBRARY, or
// the sample library (installed on first use). A git source
// (git+https://host/org/guides.git#branch) is cloned on first use; later
// commands use the local copy, which `cuecard index --watch` and the app keep
// pulling.
func (m *Main) libraryRoot() (string, error) {
	dir := m.library
	if dir == "" {
		dir = os.Getenv("CUECARD_LIBRARY")
	}
	cfg, err := m.settings()
	if err != nil {
		return "", err
	}
	if dir == "" {
		dir = cfg.Library
	}
	if rest, ok := strings.CutPrefix(dir, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			dir = filepath.Join(home, rest)
		}
	}
	if library.IsGitSource(dir) {
		return m.gitLibrary(dir)
	}
	if dir != "" {
		abs, err := filepath.Abs(dir)
		if err != nil {
			return "", err
		}
		st, err := os.Stat(abs)
		if err != nil {
			return "", fmt.Errorf("library %s: %w (check --library or CUECARD_LIBRARY)", dir, err)
		}
		if !st.IsDir() {
			return "", fmt.Errorf("library %s is not a folder (check --library or CUECARD_LIBRARY)", dir)
		}
		return abs, nil
	}
	dest := paths.SampleLibrary()
	src, err := fs.Sub(resources.Library, "library")
	if err != nil {
		return "", err
	}
	installed, err := library.InstallSample(src, dest)
	if err != nil {
		return "", err
	}
	if installed {
		fmt.Fprintf(m.Stderr, "Installed the sample library in %s. Add your own guides there, or point --library at your team's folder.\n", dest)
	}
	return dest, nil
}

// settings loads the settings file once.
func (m *Main) settings() (config.Config, error) {
	if m.cfg == nil {
		c, err := config.Load(config.File())
		if err != nil {
			return c, err
		}
		m.cfg = &c
	}
	return *m.cfg, nil
}

// ignore is the extra ignore patterns from the settings.
func (m *Main) ignore() []string {
	c, _ := m.settings()
	return c.Ignore
}

// gitLibrary opens a git source and clones it when there is no copy yet.
func (m *Main) gitLibrary(spec string) (string, error) {
	cloneURL, branch, err := library.ParseGitSource(spec)
	if err != nil {
		return "", usagef("%v", err)
	}
	m.git = library.OpenGit(cloneURL, branch, library.GitSourceDir(filepath.Join(paths.Data(), "git"), cloneURL, branch))
	if m.git.Status().Ready {
		return m.git.Path(), nil
	}
	fmt.Fprintf(m.Stderr, "Cloning %s ...\n", library.RedactURL(cloneURL))
	ctx, cancel := context.WithTimeout(context.Background(), library.GitTimeout)
	defer cancel()
	if _, err := m.git.Sync(ctx); err != nil {
		return "", fmt.Errorf("clone the library: %w", err)
	}
	return m.git.Path(), nil
}

// openIndex opens the library's index and reconciles it with the library:
// only new, changed and deleted files are (re)indexed.
func (m *Main) openIndex(ctx context.Context, root string, rebuild bool, progress func(done, total int)) (*search.Index, *library.Result, error) {
	dir := paths.Index(root)
	if rebuild {
		if err := os.RemoveAll(dir); err != nil {
			return nil, nil, fmt.Errorf("remove index %s: %w", dir, err)
		}
	}
	ix, err := search.Open(dir, root)
	if err != nil {
		return nil, nil, err
	}
	known := ix.Known()
	done, total := 0, 0
	opts := library.Options{Known: known, Ignore: m.ignore(), ToParse: func(n int) { total = n }}
	res, err := library.ScanApply(ctx, root, opts, 500, func(gs []*guide.Guide) error {
		if err := ix.Apply(ctx, gs, nil); err != nil {
			return err
		}
		done += len(gs)
		if progress != nil {
			progress(done, total)
		}
		return nil
	})
	if err != nil {
		ix.Close()
		return nil, nil, indexWriteHint(err)
	}
	removed := res.Removed(known)
	m.log.Debug("reconcile", "library", root, "changed", len(res.Parsed), "unchanged", len(res.Unchanged), "removed", len(removed))
	if err := ix.Apply(ctx, nil, removed); err != nil {
		ix.Close()
		return nil, nil, indexWriteHint(err)
	}
	return ix, res, nil
}

// indexWriteHint adds what to do to an error that says the index's disk is
// full. The index keeps what it had before the failed write, so the next
// run with space finishes the work.
func indexWriteHint(err error) error {
	if errors.Is(err, search.ErrNoSpace) {
		return fmt.Errorf("%w\nFree some space on that disk, or keep the index on another disk with CUECARD_CACHE=<folder>; then run 'cuecard index' again", err)
	}
	return err
}

func (m *Main) writeJSON(v any) error {
	enc := json.NewEncoder(m.Stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func (m *Main) cmdVersion(ctx context.Context, args []string) error {
	fs := m.flags("version")
	if _, err := m.parse(fs, args); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "cuecard %s\n", version)
	return nil
}
