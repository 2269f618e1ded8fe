package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"

	"github.com/cuecard/cuecard/internal/desktop"
	"github.com/cuecard/cuecard/internal/library"
)

func (m *Main) cmdRecord(ctx context.Context, args []string) error {
	fs := m.flags("record")
	blur := fs.Bool("blur", false, "blur each screenshot outside a box around the click (setting: record_blur)")
	noOpen := fs.Bool("no-open", false, "do not open the new guide in the viewer and the editor")
	owner := fs.String("owner", "", "owner (default: git config user.email in the library, else $USER)")
	folder := fs.String("folder", "", "library folder for the guide, e.g. crm/deals, or . for the top (default: the folder of the app's other guides, else the top)")
	pos, err := m.parse(fs, args)
	if err != nil {
		return err
	}
	title := strings.Join(strings.Fields(strings.Join(pos, " ")), " ")
	if title == "" {
		return usagef("record: give the guide's title, e.g. cuecard record \"How to create a deal\"")
	}
	root, err := m.libraryRoot()
	if err != nil {
		return err
	}
	cfg, err := m.settings()
	if err != nil {
		return err
	}
	if err := library.CheckNewTitle(ctx, root, title, cfg.Ignore); err != nil {
		return usagef("record: %v", err)
	}
	if *folder != "" {
		if *folder, err = desktop.CheckFolder(root, *folder); err != nil {
			return usagef("record: %v", err)
		}
	}
	if runtime.GOOS == "linux" && os.Getenv("DISPLAY") == "" {
		return errors.New("no display: recording a guide needs an X11 graphical session (DISPLAY is not set); the other cuecard commands work without one")
	}
	if *owner == "" {
		*owner = library.DefaultOwner(root)
	}
	o := desktop.RecordOptions{Root: root, Title: title, Folder: *folder, Config: cfg, Blur: *blur || cfg.RecordBlur, Owner: *owner,
		Now: m.Now, Log: m.log, Out: m.Stdout, Err: m.Stderr}
	return desktop.Record(ctx, o, *noOpen, m.openEditor)
}

// openEditor opens a new guide for editing: in $VISUAL or $EDITOR when
// cuecard runs in a terminal (the editor gets the terminal), else with the
// desktop's default program for the file.
func (m *Main) openEditor(path string) error {
	ed := os.Getenv("VISUAL")
	if ed == "" {
		ed = os.Getenv("EDITOR")
	}
	if ed != "" && m.IsTerminal(m.Stdin) && m.IsTerminal(m.Stdout) {
		cmd := exec.Command("sh", "-c", ed+` "$1"`, "sh", path)
		cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
		if err := cmd.Start(); err != nil {
			return fmt.Errorf("start %s: %w", ed, err)
		}
		go cmd.Wait()
		return nil
	}
	return desktop.OpenPath(path)
}
