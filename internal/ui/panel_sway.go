//go:build linux || freebsd || openbsd || netbsd

package ui

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"sync"
	"time"
)

// sway (1.7) centres a floating XWayland window and ignores where the
// window asks to be: neither _NET_MOVERESIZE_WINDOW nor a ConfigureWindow
// with x and y moves it. Under sway (SWAYSOCK set) the panel is moved
// with sway's own command, by its X11 window id, over sway's IPC socket.

// swayMoveTries bounds the wait for sway to map the window, which the
// command must find.
var swayMoveTries = 20

// swayMoves counts the moves asked for each window: a retrying move gives
// up when a newer one for the same window was asked (the panel is moved
// again at each show, with its new size).
var (
	swayMu    sync.Mutex
	swayMoves = map[uint32]uint64{}
)

// swayMove moves X11 window win to x, y (layout coordinates) when this is
// a sway session; it returns at once and retries in the background while
// sway has not mapped the window yet.
func swayMove(win uint32, x, y int32, log *slog.Logger) {
	sock := os.Getenv("SWAYSOCK")
	if sock == "" {
		return
	}
	swayMu.Lock()
	swayMoves[win]++
	gen := swayMoves[win]
	swayMu.Unlock()
	current := func() bool {
		swayMu.Lock()
		defer swayMu.Unlock()
		return swayMoves[win] == gen
	}
	go func() {
		cmd := fmt.Sprintf("[id=%d] move absolute position %d px %d px", win, x, y)
		var err error
		for i := 0; i < swayMoveTries && current(); i++ {
			if err = swayCommand(sock, cmd); err == nil {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
		log.Debug("panel: sway did not move the panel", "err", err)
	}()
}

// swayCommand runs one sway command over its IPC socket (the i3 IPC
// protocol: "i3-ipc", length and type in native byte order, payload) and
// returns sway's error, if any.
func swayCommand(sock, command string) error {
	c, err := net.DialTimeout("unix", sock, time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(2 * time.Second))
	msg := make([]byte, 14, 14+len(command))
	copy(msg, "i3-ipc")
	binary.NativeEndian.PutUint32(msg[6:], uint32(len(command)))
	binary.NativeEndian.PutUint32(msg[10:], 0) // RUN_COMMAND
	if _, err := c.Write(append(msg, command...)); err != nil {
		return err
	}
	hdr := make([]byte, 14)
	if _, err := io.ReadFull(c, hdr); err != nil {
		return err
	}
	if string(hdr[:6]) != "i3-ipc" {
		return errors.New("sway IPC: not an i3-ipc reply")
	}
	n := binary.NativeEndian.Uint32(hdr[6:])
	if n > 1<<20 {
		return fmt.Errorf("sway IPC: reply of %d bytes", n)
	}
	body := make([]byte, n)
	if _, err := io.ReadFull(c, body); err != nil {
		return err
	}
	var res []struct {
		Success bool   `json:"success"`
		Error   string `json:"error"`
	}
	if err := json.Unmarshal(body, &res); err != nil {
		return fmt.Errorf("sway IPC: %w", err)
	}
	for _, r := range res {
		if !r.Success {
			return fmt.Errorf("sway: %s", r.Error)
		}
	}
	return nil
}
