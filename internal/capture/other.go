//go:build !(linux || freebsd || netbsd || openbsd || dragonfly || windows)

package capture

import (
	"image"

	"github.com/cuecard/cuecard/internal/guide"
)

// Capture is not available on this system.
type Capture struct{}

// Start returns ErrUnsupported: recording needs X11 or Windows.
func Start(o Options) (*Capture, error) { return nil, ErrUnsupported }

// Events is never used: Start fails.
func (k *Capture) Events() <-chan Event { return nil }

// Active is never known.
func (k *Capture) Active() (image.Rectangle, bool) { return image.Rectangle{}, false }

// SetPaused does nothing.
func (k *Capture) SetPaused(bool) {}

// Err is nil.
func (k *Capture) Err() error { return nil }

// Close does nothing.
func (k *Capture) Close() error { return nil }

// Focused is never known.
func (k *Capture) Focused() (guide.Window, image.Rectangle, bool) {
	return guide.Window{}, image.Rectangle{}, false
}

// Snapshot fails: Start fails.
func (k *Capture) Snapshot() (*image.RGBA, guide.Window, image.Rectangle, error) {
	return nil, guide.Window{}, image.Rectangle{}, ErrUnsupported
}

// Changes is nil here: Focused is cheap enough to poll.
func (k *Capture) Changes() <-chan struct{} { return nil }

// OwnContents is false.
func (k *Capture) OwnContents() bool { return false }
