//go:build !windows && !linux && !freebsd && !netbsd && !openbsd && !dragonfly

package desktop

import (
	"errors"
	"image"
)

// screenRect is not known here: screen recordings are made on Linux (X11)
// and Windows.
func screenRect() (image.Rectangle, error) {
	return image.Rectangle{}, errors.New("screen recordings need X11 or Windows")
}
