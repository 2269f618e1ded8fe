package desktop

import (
	"errors"
	"image"

	"github.com/cuecard/cuecard/internal/win32"
)

// screenRect is the area of all monitors, for a screen recording.
func screenRect() (image.Rectangle, error) {
	r := win32.VirtualScreen()
	if r.Empty() {
		return r, errors.New("the screen's size: Windows reports no monitor")
	}
	return r, nil
}
