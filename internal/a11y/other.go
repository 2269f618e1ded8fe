//go:build !(linux || freebsd || netbsd || openbsd || dragonfly)

package a11y

import (
	"context"
	"image"
)

// Tree is not available on this system.
type Tree struct{}

// Open returns ErrUnsupported.
func Open(func(string) string) (*Tree, error) { return nil, ErrUnsupported }

// Close does nothing.
func (t *Tree) Close() error { return nil }

// At cannot tell.
func (t *Tree) At(context.Context, int, image.Point) (Control, bool) { return Control{}, false }
