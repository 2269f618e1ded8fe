package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/cuecard/cuecard/internal/atomicfile"
	"github.com/cuecard/cuecard/internal/desktop"
	"github.com/cuecard/cuecard/internal/library"
	"github.com/cuecard/cuecard/internal/owner"
	"github.com/cuecard/cuecard/internal/paths"
	"github.com/cuecard/cuecard/internal/search"
	"github.com/cuecard/cuecard/internal/urlhandler"
)

// cmdApp starts the desktop app (internal/desktop) on the library, or asks
// the one already running for it to open its search window.
func (m *Main) cmdApp(ctx context.Context, args []string) error {
	fs := m.flags("app")
	pos, err := m.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("app takes no arguments")
	}
	if !graphical() {
		return errors.New("no display: the Cuecard desktop app needs a graphical session (the other cuecard commands work without one)")
	}
	_, sampleErr := os.Stat(paths.SampleLibrary())
	firstRun := m.library == "" && os.Getenv("CUECARD_LIBRARY") == "" && errors.Is(sampleErr, os.ErrNotExist)
	root, err := m.libraryRoot()
	if err != nil {
		return err
	}
	// Single instance: a second launch opens the running app's search. A
	// short command (cuecard search) holding the index is waited for.
	o, ix, _, err := m.shareIndex(ctx, root)
	if o != nil {
		if _, err := o.Ask(ctx, owner.Request{Cmd: "show-search"}); err != nil {
			return fmt.Errorf("cuecard is already running for %s: %w", root, err)
		}
		fmt.Fprintln(m.Stdout, "Cuecard is already running: opened its search window.")
		return nil
	}
	if errors.Is(err, search.ErrLocked) {
		return fmt.Errorf("cuecard is already running for %s: %w", root, err)
	}
	if err != nil {
		return err
	}
	cfg, _ := m.settings()
	defer ix.Close()
	if err := checkXDisplay(); err != nil {
		return err
	}
	m.recordDesktopLibrary(root)
	return desktop.New(desktop.Deps{Root: root, Config: cfg, Index: ix, Git: m.git, Welcome: firstRun, Version: version,
		Log: m.log, Now: m.Now, Out: m.Stdout, Err: m.Stderr, URLHandler: urlHandler()}).Run(ctx)
}

// graphical reports whether there is a graphical session to show windows
// in (always on Windows and macOS).
func graphical() bool {
	if runtime.GOOS != "linux" && runtime.GOOS != "freebsd" && runtime.GOOS != "openbsd" && runtime.GOOS != "netbsd" {
		return true
	}
	return os.Getenv("DISPLAY") != "" || os.Getenv("WAYLAND_DISPLAY") != ""
}

// urlHandler registers this program as the handler of cuecard:// links,
// unless CUECARD_URL_HANDLER=off (the tests' binaries, or a user who keeps
// another handler).
func urlHandler() func() (bool, error) {
	if v := os.Getenv("CUECARD_URL_HANDLER"); v == "off" || v == "0" || v == "false" {
		return nil
	}
	return urlhandler.RegisterSelf
}

// recordDesktopLibrary writes the library the app runs on as it was given
// (paths.DesktopLibrary): a cuecard:// link, which names no library, opens
// in it. A folder is written as its absolute path.
func (m *Main) recordDesktopLibrary(root string) {
	spec := m.library
	if spec == "" {
		spec = os.Getenv("CUECARD_LIBRARY")
	}
	if spec != "" && !library.IsGitSource(spec) {
		spec = root
	}
	p := paths.DesktopLibrary()
	if b, err := os.ReadFile(p); err == nil && string(b) == spec+"\n" {
		return
	}
	err := os.MkdirAll(filepath.Dir(p), 0o700)
	if err == nil {
		err = atomicfile.Write(p, []byte(spec+"\n"), 0o600)
	}
	if err != nil {
		m.log.Debug("could not record the desktop app's library", "err", err)
	}
}

// desktopLibrary is the library the desktop app last ran on, as it was
// given; "" for the default, or when that folder is gone.
func desktopLibrary() string {
	b, err := os.ReadFile(paths.DesktopLibrary())
	if err != nil {
		return ""
	}
	spec := strings.TrimSpace(string(b))
	if spec != "" && !library.IsGitSource(spec) {
		if st, err := os.Stat(spec); err != nil || !st.IsDir() {
			return ""
		}
	}
	return spec
}
