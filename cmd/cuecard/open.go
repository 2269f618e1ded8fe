package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/cuecard/cuecard/internal/link"
	"github.com/cuecard/cuecard/internal/owner"
	"github.com/cuecard/cuecard/internal/search"
)

// resolveApp resolves arg (a cuecard:// link, a guide's path or file) in
// the desktop app's library. A guide a clicked link names that is not there
// is no error when linkMissingOK: the app says it on the desktop.
func (m *Main) resolveApp(arg string, linkMissingOK bool) (root string, l link.Link, err error) {
	if m.library == "" && os.Getenv("CUECARD_LIBRARY") == "" {
		// A link names no library: the desktop app's, running or last run.
		m.library = desktopLibrary()
	}
	if root, err = m.libraryRoot(); err != nil {
		return "", l, err
	}
	l, err = resolveOpen(root, arg)
	var missing *noGuideError
	if linkMissingOK && errors.As(err, &missing) && link.IsLink(arg) && !m.IsTerminal(m.Stderr) {
		// A clicked link has no terminal to say this on: the app says it
		// on the desktop (a notification), started if need be.
		err = nil
	}
	return root, l, err
}

// reachApp reaches the desktop app of the library: the running one, or one
// it starts (started).
func (m *Main) reachApp(ctx context.Context, root string) (o *owner.Client, started bool, err error) {
	if o = owner.Dial(root); o != nil {
		return o, false, nil
	}
	o, err = m.startApp(ctx, root)
	return o, err == nil, err
}

// appStartWait is how long `cuecard open` waits for the desktop app it
// started to answer on its socket (a first start indexes the library).
var appStartWait = 2 * time.Minute

// cmdOpen opens a guide, or the search window, in the desktop app: the
// running one, or one it starts. A URL handler calls it with a cuecard://
// link (also as a bare `cuecard cuecard://...`).
func (m *Main) cmdOpen(ctx context.Context, args []string) error {
	fs := m.flags("open")
	pos, err := m.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("open takes one guide: a cuecard:// link, a guide's path in the library (sales/monthly-sales-report.md) or a guide file")
	}
	root, l, err := m.resolveApp(pos[0], true)
	if err != nil {
		return err
	}
	o, started, err := m.reachApp(ctx, root)
	if err != nil {
		return err
	}
	req := owner.Request{Cmd: "open-guide", Guide: l.ID, Anchor: l.Anchor, Link: true}
	if l.Kind == link.Search {
		req = owner.Request{Cmd: "show-search", Query: search.Query{Text: l.Query}}
	}
	if _, err := o.Ask(ctx, req); err != nil {
		if l.Kind == link.Guide && strings.Contains(err.Error(), "no guide") {
			return fmt.Errorf("%w: find it with 'cuecard search WORDS'", err)
		}
		return err
	}
	what := l.ID
	if l.Kind == link.Search {
		what = "the search window"
	}
	if started {
		fmt.Fprintf(m.Stdout, "Started Cuecard and opened %s.\n", what)
	} else {
		fmt.Fprintf(m.Stdout, "Opened %s in Cuecard.\n", what)
	}
	return nil
}

// resolveOpen reads what `cuecard open` was given: a cuecard:// link, a
// guide's path in the library (its id, the .md may be left out), or the
// path of a guide file in the library. A path outside the library is
// refused; a guide that is not there is an error that names it.
func resolveOpen(root, arg string) (link.Link, error) {
	if link.IsLink(arg) {
		l, err := link.Parse(arg)
		if err != nil {
			return l, usagef("%v", err)
		}
		if l.Kind == link.Guide {
			return l, checkGuide(root, l.ID)
		}
		return l, nil
	}
	if strings.TrimSpace(arg) == "" {
		return link.Link{}, usagef("open: the guide is empty: give a cuecard:// link, a guide's path in the library or a guide file")
	}
	// A guide's id: its path in the library, with or without .md.
	if !looksLikePath(arg) {
		id := filepath.ToSlash(arg)
		for _, c := range []string{id, id + ".md"} {
			if checkGuide(root, c) == nil {
				if err := link.CheckID(c); err != nil {
					return link.Link{}, fmt.Errorf("%s: %w", arg, err)
				}
				return link.Link{Kind: link.Guide, ID: c}, nil
			}
		}
	}
	// A file.
	abs, err := filepath.Abs(arg)
	if err != nil {
		return link.Link{}, err
	}
	if _, err := os.Stat(abs); err != nil {
		if looksLikePath(arg) {
			return link.Link{}, fmt.Errorf("open %s: %w", arg, err)
		}
		return link.Link{}, noGuide(root, filepath.ToSlash(arg))
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return link.Link{}, err
	}
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return link.Link{}, err
	}
	rel, err := filepath.Rel(realRoot, real)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return link.Link{}, fmt.Errorf("%s is not in the library %s: cuecard opens the guides of its library only (add the file there, or choose the library with --library)", arg, root)
	}
	id := filepath.ToSlash(rel)
	if err := link.CheckID(id); err != nil {
		return link.Link{}, fmt.Errorf("%s: %w", arg, err)
	}
	return link.Link{Kind: link.Guide, ID: id}, checkGuide(root, id)
}

// looksLikePath reports whether arg is written as a file's path rather
// than a guide's id: absolute, or starting with ./ or ../ (or a backslash
// or drive letter on Windows).
func looksLikePath(arg string) bool {
	if filepath.IsAbs(arg) || strings.HasPrefix(arg, "./") || strings.HasPrefix(arg, "../") || arg == "." || arg == ".." {
		return true
	}
	return runtime.GOOS == "windows" && (strings.Contains(arg, `\`) || filepath.VolumeName(arg) != "")
}

// checkGuide reports whether id is a guide file in the library, without
// leaving it (a symbolic link out of the library is not followed).
func checkGuide(root, id string) error {
	r, err := os.OpenRoot(root)
	if err != nil {
		return fmt.Errorf("library %s: %w", root, err)
	}
	defer r.Close()
	st, err := r.Stat(filepath.FromSlash(id))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return noGuide(root, id)
	case err != nil && strings.Contains(err.Error(), "escapes"):
		return fmt.Errorf("%s leads out of the library %s: cuecard opens the guides of its library only", id, root)
	case err != nil:
		return fmt.Errorf("open %s: %w", id, err)
	case st.IsDir():
		return fmt.Errorf("%s is a folder of the library %s, not a guide: find its guides with 'cuecard search WORDS'", id, root)
	}
	return nil
}

// noGuideError is a guide that is not in the library.
type noGuideError struct{ root, id string }

func (e *noGuideError) Error() string {
	return fmt.Sprintf("no guide %s in the library %s: find it with 'cuecard search WORDS' (a guide is named by its path in the library, e.g. sales/monthly-sales-report.md)", e.id, e.root)
}

func noGuide(root, id string) error { return &noGuideError{root: root, id: id} }

// startApp starts the desktop app on the same library, in the background,
// and waits until it answers on its socket.
func (m *Main) startApp(ctx context.Context, root string) (*owner.Client, error) {
	if !graphical() {
		return nil, errors.New("no Cuecard desktop app is running and there is no display to start one in")
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("start the desktop app: %w", err)
	}
	var args []string
	if m.library != "" {
		args = append(args, "--library", m.library)
	}
	if m.verbose {
		args = append(args, "--verbose")
	}
	cmd := exec.Command(exe, append(args, "app")...)
	detach(cmd)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start the desktop app: %w", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	m.log.Debug("started the desktop app", "pid", cmd.Process.Pid)
	deadline := time.Now().Add(appStartWait)
	for {
		if o := owner.Dial(root); o != nil {
			return o, nil
		}
		select {
		case err := <-exited:
			return nil, fmt.Errorf("the desktop app stopped before it was ready (%v): run 'cuecard app' to see why", err)
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("the desktop app did not answer within %s: it may still be indexing a large library; try again", appStartWait)
		}
	}
}
