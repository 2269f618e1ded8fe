//go:build linux || freebsd || netbsd || openbsd || dragonfly

package desktop

import (
	"fmt"
	"image"
	"os"
	"time"

	"github.com/robotn/xgb/xproto"

	"github.com/cuecard/cuecard/internal/xconn"
)

// screenRect is the whole X screen, for a screen recording.
func screenRect() (image.Rectangle, error) {
	d, err := xconn.ParseDisplay(os.Getenv("DISPLAY"))
	if err != nil {
		return image.Rectangle{}, fmt.Errorf("the screen's size: %w", err)
	}
	c, g, err := xconn.Dial(d, 2*time.Second, os.Getenv)
	if err != nil {
		return image.Rectangle{}, fmt.Errorf("the screen's size: %w", err)
	}
	defer xconn.Close(c, g)
	scr := xproto.Setup(c).DefaultScreen(c)
	return image.Rect(0, 0, int(scr.WidthInPixels), int(scr.HeightInPixels)), nil
}
