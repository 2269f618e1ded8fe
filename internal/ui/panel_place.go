package ui

import (
	"math"

	"fyne.io/fyne/v2"
)

// PanelMargin is the gap, in pixels, between the panel and the corner of
// the work area.
const PanelMargin = 16

// panelPixels is the panel's size in pixels. It is computed rather than
// asked of the window system: fyne applies a Resize on its own, so the
// window's geometry could still be the old one.
func panelPixels(w fyne.Window, size fyne.Size) (width, height int32) {
	scale := w.Canvas().Scale()
	if scale <= 0 {
		scale = 1
	}
	return int32(math.Ceil(float64(size.Width * scale))), int32(math.Ceil(float64(size.Height * scale)))
}

// panelOrigin is where a panel of width x height pixels goes in the corner
// of the work area that starts at (x0, y0) and measures w x h: bottom-right
// unless corner names another.
func panelOrigin(corner string, x0, y0, w, h, width, height int32) (x, y int32) {
	x = x0 + w - width - PanelMargin
	y = y0 + h - height - PanelMargin
	if corner == "top-left" || corner == "bottom-left" {
		x = x0 + PanelMargin
	}
	if corner == "top-left" || corner == "top-right" {
		y = y0 + PanelMargin
	}
	return x, y
}
