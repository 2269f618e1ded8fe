//go:build linux

// Package screenrectest starts a private PulseAudio server for the screen
// recording tests: a null sink whose monitor is the default source (the
// "microphone"), with a test tone played into the sink, so FFmpeg records
// a known sound without any sound hardware.
package screenrectest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/focus/focustest"
)

// Pulse is a private PulseAudio server.
type Pulse struct {
	// Server is its address, for PULSE_SERVER.
	Server string
	tb     testing.TB
}

// StartPulse starts PulseAudio in a temporary folder with a null sink
// ("speaker") whose monitor is the default source, and plays a 440 Hz tone
// into it through FFmpeg for as long as the test runs. It is stopped when
// the test ends.
func StartPulse(tb testing.TB) *Pulse {
	tb.Helper()
	focustest.RequireFor(tb, "the screen recording tests", "apt-get install pulseaudio pulseaudio-utils ffmpeg", "pulseaudio", "pactl", "ffmpeg")
	dir, err := os.MkdirTemp("", "cuecard-pulse-")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { os.RemoveAll(dir) })
	rt := filepath.Join(dir, "run")
	os.Mkdir(rt, 0o700)
	sock := filepath.Join(dir, "native")
	p := &Pulse{Server: "unix:" + sock, tb: tb}
	env := append(os.Environ(), "XDG_RUNTIME_DIR="+rt, "PULSE_RUNTIME_PATH="+rt, "HOME="+dir, "PULSE_SERVER="+p.Server)
	srv := exec.Command("pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--use-pid-file=no", "--disallow-exit",
		"-L", "module-native-protocol-unix socket="+sock+" auth-anonymous=1",
		"-L", "module-null-sink sink_name=speaker",
		"-L", "module-always-sink")
	srv.Env = env
	var log strings.Builder
	srv.Stdout, srv.Stderr = &log, &log
	if err := srv.Start(); err != nil {
		tb.Fatalf("start pulseaudio: %v", err)
	}
	done := make(chan struct{})
	go func() { srv.Wait(); close(done) }()
	tb.Cleanup(func() {
		srv.Process.Kill()
		<-done
	})
	deadline := time.Now().Add(10 * time.Second)
	for {
		c := exec.Command("pactl", "set-default-source", "speaker.monitor")
		c.Env = env
		if c.Run() == nil {
			break
		}
		select {
		case <-done:
			tb.Fatalf("pulseaudio ended:\n%s", log.String())
		default:
		}
		if time.Now().After(deadline) {
			tb.Fatalf("pulseaudio did not answer within 10 s:\n%s", log.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	tone := exec.Command("ffmpeg", "-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi", "-i", "sine=frequency=440:duration=600", "-f", "pulse", "speaker")
	tone.Env = env
	if err := tone.Start(); err != nil {
		tb.Fatalf("play the test tone: %v", err)
	}
	toneDone := make(chan struct{})
	go func() { tone.Wait(); close(toneDone) }()
	tb.Cleanup(func() {
		tone.Process.Kill()
		<-toneDone
	})
	return p
}

// Env is the environment entry that points a program at this server.
func (p *Pulse) Env() []string { return []string{"PULSE_SERVER=" + p.Server} }

// String names the server.
func (p *Pulse) String() string { return fmt.Sprintf("PulseAudio at %s", p.Server) }
