package screenrec

import (
	"errors"
	"fmt"
	"image"
	"os/exec"
	"strconv"
	"time"
)

// ErrNoPlayer is returned when neither mpv nor FFmpeg's ffplay is
// installed.
var ErrNoPlayer = errors.New("no video player: install mpv (or FFmpeg, whose ffplay plays videos too)")

// FindPlayer looks for the player Cuecard starts beside the app: mpv,
// else ffplay.
func FindPlayer() (string, error) {
	for _, p := range []string{"mpv", "ffplay"} {
		if path, err := exec.LookPath(p); err == nil {
			return path, nil
		}
	}
	return "", ErrNoPlayer
}

// PlayerArgs are the arguments that make player (mpv or ffplay, by its
// file name) play file from at in a window of its own at r (screen
// pixels, the video area), above the other windows and, with mpv, without
// taking the focus from the app the viewer works in.
func PlayerArgs(player, file string, at time.Duration, r image.Rectangle, title string) []string {
	sec := strconv.FormatFloat(at.Seconds(), 'f', 3, 64)
	if isFFplay(player) {
		return []string{"-hide_banner", "-loglevel", "error", "-alwaysontop", "-window_title", title, "-ss", sec,
			"-x", strconv.Itoa(r.Dx()), "-y", strconv.Itoa(r.Dy()), "-left", strconv.Itoa(r.Min.X), "-top", strconv.Itoa(r.Min.Y), file}
	}
	return []string{"--no-terminal", "--force-window=yes", "--keep-open=yes", "--ontop", "--focus-on-open=no",
		"--x11-name=cuecard-video", "--title=" + title, "--start=" + sec,
		fmt.Sprintf("--geometry=%dx%d+%d+%d", r.Dx(), r.Dy(), r.Min.X, r.Min.Y), "--", file}
}

func isFFplay(player string) bool {
	base := player
	for i := len(player) - 1; i >= 0; i-- {
		if player[i] == '/' || player[i] == '\\' {
			base = player[i+1:]
			break
		}
	}
	return base == "ffplay" || base == "ffplay.exe"
}

// Playing is a running player.
type Playing struct {
	cmd  *exec.Cmd
	done chan struct{}
}

// Play starts player (see PlayerArgs).
func Play(player, file string, at time.Duration, r image.Rectangle, title string) (*Playing, error) {
	cmd := exec.Command(player, PlayerArgs(player, file, at, r, title)...)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("play the video: %w", err)
	}
	p := &Playing{cmd: cmd, done: make(chan struct{})}
	go func() { cmd.Wait(); close(p.done) }()
	return p, nil
}

// PID is the player's process id.
func (p *Playing) PID() int { return p.cmd.Process.Pid }

// Done is closed when the player has ended (the user closed it).
func (p *Playing) Done() <-chan struct{} { return p.done }

// Stop ends the player and waits for it.
func (p *Playing) Stop() {
	select {
	case <-p.done:
		return
	default:
	}
	p.cmd.Process.Kill()
	<-p.done
}
