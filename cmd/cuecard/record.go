package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"github.com/cuecard/cuecard/internal/desktop"
	"github.com/cuecard/cuecard/internal/library"
	"github.com/cuecard/cuecard/internal/owner"
)

func (m *Main) cmdRecord(ctx context.Context, args []string) error {
	fs := m.flags("record")
	blur := fs.Bool("blur", false, "blur each screenshot outside a box around the click (setting: record_blur)")
	noOpen := fs.Bool("no-open", false, "do not open the new guide in the viewer and the editor")
	ownerName := fs.String("owner", "", "owner (default: git config user.email in the library, else $USER)")
	folder := fs.String("folder", "", "library folder for the guide, e.g. crm/deals, or . for the top (default: the folder of the app's other guides, else the top)")
	video := fs.Bool("video", false, "make a screen recording with narration from the microphone (a format: video guide; needs FFmpeg) instead of steps with screenshots")
	window := fs.Bool("window", false, "with --video: record the window that is active after --delay, not the whole screen")
	region := fs.String("region", "", "with --video: record this part of the screen, WxH+X+Y (e.g. 1280x720+0+0)")
	noAudio := fs.Bool("no-audio", false, "with --video: record no narration")
	delay := fs.Duration("delay", 3*time.Second, "with --video --window: time to switch to the window to record")
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
	var vo *desktop.VideoOptions
	if *video {
		vo = &desktop.VideoOptions{Window: *window, NoAudio: *noAudio, Delay: *delay}
		if *region != "" {
			if *window {
				return usagef("record: give --window or --region, not both")
			}
			if vo.Region, err = desktop.ParseRegion(*region); err != nil {
				return usagef("record: %v", err)
			}
		}
	} else if *window || *region != "" || *noAudio {
		return usagef("record: --window, --region and --no-audio are for a screen recording: add --video")
	}
	if runtime.GOOS == "linux" && os.Getenv("DISPLAY") == "" {
		return errors.New("no display: recording a guide needs an X11 graphical session (DISPLAY is not set); the other cuecard commands work without one")
	}
	if *ownerName == "" {
		*ownerName = library.DefaultOwner(root)
	}
	o := desktop.RecordOptions{Root: root, Title: title, Folder: *folder, Config: cfg, Blur: *blur || cfg.RecordBlur, Owner: *ownerName,
		Now: m.Now, Log: m.log, Out: m.Stdout, Err: m.Stderr, Video: vo}
	// The running app shows the new guide: no second viewer process.
	o.Handover = func(id string) bool {
		c := owner.Dial(root)
		if c == nil {
			return false
		}
		if _, err := c.Ask(ctx, owner.Request{Cmd: "open-guide", Guide: id}); err != nil {
			m.log.Debug("record: the running cuecard did not open the guide", "err", err)
			return false
		}
		return true
	}
	var editor *exec.Cmd
	err = desktop.Record(ctx, o, *noOpen, func(path string) error {
		var err error
		editor, err = m.openEditor(path)
		return err
	})
	if editor != nil {
		editor.Wait() // an editor in this terminal: the command ends with it
	}
	return err
}

// openEditor opens a new guide for editing: in $VISUAL or $EDITOR when
// cuecard runs in a terminal (the editor gets the terminal: the returned
// process, to wait for), else with the desktop's default program for the
// file.
func (m *Main) openEditor(path string) (*exec.Cmd, error) {
	ed := os.Getenv("VISUAL")
	if ed == "" {
		ed = os.Getenv("EDITOR")
	}
	if ed != "" && m.IsTerminal(m.Stdin) && m.IsTerminal(m.Stdout) {
		cmd := exec.Command("sh", "-c", ed+` "$1"`, "sh", path)
		cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
		if err := cmd.Start(); err != nil {
			return nil, fmt.Errorf("start %s: %w", ed, err)
		}
		return cmd, nil
	}
	return nil, desktop.OpenPath(path)
}
