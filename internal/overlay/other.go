//go:build !(linux || freebsd || netbsd || openbsd || dragonfly || windows)

package overlay

import (
	"fmt"
	"image"
)

// Ring is not available on this system.
type Ring struct{}

// Open returns ErrUnsupported: the overlay needs X11 or Windows.
func Open(o Options) (*Ring, error) {
	return nil, fmt.Errorf("%w: the click overlay needs X11 or Windows", ErrUnsupported)
}

// Show is never used: Open fails.
func (r *Ring) Show(center image.Point, radius int, s Style) error { return ErrUnsupported }

// Hide is never used: Open fails.
func (r *Ring) Hide() error { return ErrUnsupported }

// Close does nothing.
func (r *Ring) Close() error { return nil }
