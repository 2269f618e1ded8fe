// Command baseline is the yardstick for Cuecard's idle memory and CPU
// figures: a bare fyne app with one window (shown once, then hidden, as
// Cuecard's panel is at start) and a tray icon with a small menu, and
// nothing else. The desktop benchmark in cmd/cuecard runs it beside Cuecard
// in the same session; it is not installed.
package main

import (
	"os"
	"os/signal"
	"syscall"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"github.com/cuecard/cuecard/internal/ui"
)

func main() {
	a := app.NewWithID("io.github.cuecard.baseline")
	a.SetIcon(ui.AppIcon())
	w := a.NewWindow("Baseline")
	w.SetContent(widget.NewLabel("A bare fyne window"))
	w.Resize(fyne.NewSize(340, 300))
	if d, ok := a.(desktop.App); ok && os.Getenv("DBUS_SESSION_BUS_ADDRESS") != "" {
		d.SetSystemTrayMenu(fyne.NewMenu("Baseline", fyne.NewMenuItem("Show", w.Show)))
		d.SetSystemTrayIcon(ui.AppIcon())
	}
	a.Lifecycle().SetOnStarted(func() {
		w.Show()
		w.Hide()
	})
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sig
		fyne.Do(a.Quit)
	}()
	a.Run()
}
