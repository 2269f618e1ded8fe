package ui

import (
	"log/slog"
	"os"
	"time"

	"golang.org/x/sys/windows"

	"github.com/cuecard/cuecard/internal/win32"
)

// idleSupported: on Windows the idler parks fyne's loop.
const idleSupported = true

// defaultIdleSlice: on Windows the tray wakes the idler itself (see
// watchTray), and nothing else that reaches fyne's loop from outside the
// app's windows is in a hurry, so the loop wakes once a second while the
// app idles. Under Wine each wake costs about 0.1 % of a core.
const defaultIdleSlice = time.Second

// trayAwake is how long the idler stays off after the tray icon or its
// menu is clicked: time to choose an item.
const trayAwake = 10 * time.Second

// mainTID is the process's first thread: package initialisation runs
// there, and fyne's loop is locked to it.
var mainTID = windows.GetCurrentThreadId()

// mainThread reports whether the caller runs on fyne's loop thread.
func mainThread() bool { return windows.GetCurrentThreadId() == mainTID }

// trayClass is the window class of the hidden window that fyne's tray
// (fyne.io/systray) makes for the tray icon: the icon's clicks and the
// menu's commands arrive there, on the tray's own thread, and fyne then
// queues the menu item's action on its loop.
const trayClass = "SystrayClass"

// Messages of the tray window: the icon's callback (fyne.io/systray's
// WM_USER+1: a click on the icon, the menu about to open) and WM_COMMAND
// (an item chosen).
const (
	wmCommand      = 0x0111
	wmTrayCallback = 0x0400 + 1
)

// watchTray finds the tray's window once fyne has made it and subclasses
// it: a click on the icon or an item of its menu keeps the idler off for
// trayAwake, so the item's action runs at once rather than at the end of
// the current slice.
func watchTray(ix *idler, log *slog.Logger) {
	me := uint32(os.Getpid())
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		for _, h := range win32.TopWindows() {
			if win32.ProcessOf(h) != me || win32.ClassName(h) != trayClass {
				continue
			}
			subclass(h, func(msg uint32) (uintptr, bool) {
				if msg == wmTrayCallback || msg == wmCommand {
					ix.stayAwake(trayAwake)
				}
				return 0, false
			}, log)
			return
		}
	}
	log.Debug("no tray window found: a tray menu item waits for the idler's slice")
	// Without the tray's window the idler must not sleep long.
	ix.slice.Store(int64(100 * time.Millisecond))
}
