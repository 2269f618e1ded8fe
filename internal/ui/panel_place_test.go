package ui

import "testing"

func TestPanelOrigin(t *testing.T) {
	// A 1920x1040 work area below a 40-pixel taskbar at the top, on a
	// monitor left of the primary one.
	x0, y0, w, h := int32(-1920), int32(40), int32(1920), int32(1040)
	for _, c := range []struct {
		corner string
		x, y   int32
	}{
		{"", -1920 + 1920 - 340 - PanelMargin, 40 + 1040 - 200 - PanelMargin},
		{"bottom-right", -1920 + 1920 - 340 - PanelMargin, 40 + 1040 - 200 - PanelMargin},
		{"bottom-left", -1920 + PanelMargin, 40 + 1040 - 200 - PanelMargin},
		{"top-left", -1920 + PanelMargin, 40 + PanelMargin},
		{"top-right", -1920 + 1920 - 340 - PanelMargin, 40 + PanelMargin},
	} {
		if x, y := panelOrigin(c.corner, x0, y0, w, h, 340, 200); x != c.x || y != c.y {
			t.Errorf("%q: (%d, %d), want (%d, %d)", c.corner, x, y, c.x, c.y)
		}
	}
}
