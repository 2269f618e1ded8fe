//go:build !(linux || freebsd || openbsd || netbsd || windows)

package ui

import (
	"image"
	"log/slog"

	"fyne.io/fyne/v2"
)

// preparePanel places the panel on systems without X11 hints: centred by
// fyne; always-on-top needs platform code not written yet.
func preparePanel(fyne.Window, string, fyne.Size, *slog.Logger) {}

// prepareFloating does nothing here.
func prepareFloating(fyne.Window, fyne.Size, *slog.Logger, func(image.Rectangle, int32, int32) (int32, int32)) {
}

// panelShowing is called before the panel is shown.
func panelShowing() {}

// excludeFromCapture does nothing here.
func excludeFromCapture(fyne.Window, *slog.Logger) {}

// workRect is not known here.
func workRect(fyne.Window) (image.Rectangle, bool) { return image.Rectangle{}, false }
