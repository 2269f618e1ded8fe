// Package overlay draws a ring on the screen, on top of every application,
// to show where to click: Guide me (issue 18) replays a recorded guide by
// pointing at the target in the real app.
//
// The ring is a window of its own that is never focused and never takes a
// click: it is shaped to the ring itself (the app shows through the hole and
// around it) and its input shape is empty, so every click, even on the ring
// line, goes to the window below. On X11 it is one override-redirect window
// shaped with the SHAPE extension (no compositor needed); on Windows a
// topmost, layered, click-through tool window shaped with a window region.
// Elsewhere, and on a Wayland session without X11, Open fails with
// ErrUnsupported or ErrNoDisplay.
//
// A Ring is safe for use by several goroutines.
package overlay

import (
	"errors"
	"log/slog"
	"math"
)

// Options configure Open.
type Options struct {
	// Display is the X display name; "" uses $DISPLAY. Ignored on Windows.
	Display string
	// Logger receives diagnostics (X errors, a lost connection); nil
	// discards them.
	Logger *slog.Logger
	// Getenv reads the environment; nil uses os.Getenv (tests replace it).
	Getenv func(string) string
}

// Style is how the ring looks.
type Style int

const (
	// Found is the ring around a target that was found: a solid bright
	// orange ring with a thin dark edge on both sides, so that it shows on
	// light and on dark apps.
	Found Style = iota
	// About marks the area where the target should be when it was not
	// found exactly ("about here"): a dashed yellow ring with the same dark
	// edges. The caller passes the larger radius of that area.
	About
)

func (s Style) String() string {
	switch s {
	case Found:
		return "found"
	case About:
		return "about"
	}
	return "unknown"
}

var (
	// ErrNoDisplay: there is no display to draw on (no DISPLAY, a
	// Wayland session without X11, or the X server cannot be reached).
	ErrNoDisplay = errors.New("no X display")
	// ErrUnsupported: the overlay is not available on this system, or the
	// display lacks what it needs (the X SHAPE extension).
	ErrUnsupported = errors.New("the click overlay is not supported here")
	// ErrClosed: the Ring was closed, or its connection to the display was
	// lost; open a new one.
	ErrClosed = errors.New("the overlay is closed")
)

// Ring geometry, in pixels.
const (
	// Thickness is the ring line's width: a dark edge, the colour, a dark
	// edge.
	Thickness = 7
	// MinRadius and MaxRadius bound the radius Show accepts; a radius
	// outside is clamped.
	MinRadius = 4
	MaxRadius = 512

	dashLen = 14 // About's dashes and gaps along the ring's middle line
	gapLen  = 9
)

// The ring's colours, 0xRRGGBB.
const (
	edgeRGB  = 0x1a1a1a // the dark edges
	foundRGB = 0xff7a00 // Found: bright orange
	aboutRGB = 0xffd400 // About: yellow
)

// fillRGB is the colour of the ring line for a style.
func fillRGB(s Style) uint32 {
	if s == About {
		return aboutRGB
	}
	return foundRGB
}

// known makes an unknown style Found.
func known(s Style) Style {
	if s == About {
		return About
	}
	return Found
}

// clampRadius keeps a radius within MinRadius..MaxRadius.
func clampRadius(r int) int {
	return min(max(r, MinRadius), MaxRadius)
}

// pixel kinds of the ring image
const (
	pixClear = 0 // not part of the window's shape
	pixEdge  = 1 // the dark edge
	pixColor = 2 // the ring's colour
)

// run is a horizontal run of pixels of one kind in the ring's window:
// row y, columns x0 (included) to x1 (excluded).
type run struct {
	y, x0, x1 int
	kind      int
}

// ringImage is a ring's window: its side (a square window), the runs of
// pixels that belong to it (edge and colour), in window coordinates. The
// ring's centre is the pixel (c, c) with c = side/2; radius r is the hole:
// pixels closer to the centre than r are clear, and so are those at r +
// Thickness or more.
type ringImage struct {
	side int
	runs []run
}

// ringShape computes the ring of hole radius r (clamped) in style s.
func ringShape(r int, s Style) ringImage {
	r = clampRadius(r)
	outer := r + Thickness
	side := 2*outer + 1
	c := outer
	inner, out := float64(r), float64(outer)
	mid := (inner + out) / 2
	// About: a whole number of dashes around the middle line.
	n := max(4, int(math.Round(2*math.Pi*mid/float64(dashLen+gapLen))))
	period := 2 * math.Pi / float64(n)
	dashFrac := float64(dashLen) / float64(dashLen+gapLen)
	inRing := func(x, y int) bool {
		dx, dy := float64(x-c), float64(y-c)
		d := math.Hypot(dx, dy)
		if d < inner || d >= out {
			return false
		}
		if s == About {
			a := math.Atan2(dy, dx) + math.Pi // 0..2π
			f := math.Mod(a, period) / period // 0..1 within one dash and gap
			return f < dashFrac
		}
		return true
	}
	// The ring's pixels, with a clear pixel all round.
	w := side + 2
	in := make([]bool, w*w)
	for y := 0; y < side; y++ {
		for x := 0; x < side; x++ {
			in[(y+1)*w+x+1] = inRing(x, y)
		}
	}
	// The edge is the ring's pixels next to a clear one (of their eight
	// neighbours): a 1-pixel outline all round, dash ends included, with
	// no holes between its pixels on the slants.
	kindAt := func(x, y int) int {
		i := (y+1)*w + x + 1
		if !in[i] {
			return pixClear
		}
		for _, j := range [8]int{i - w - 1, i - w, i - w + 1, i - 1, i + 1, i + w - 1, i + w, i + w + 1} {
			if !in[j] {
				return pixEdge
			}
		}
		return pixColor
	}
	sh := ringImage{side: side}
	for y := 0; y < side; y++ {
		start, kind := 0, pixClear
		for x := 0; x <= side; x++ {
			k := pixClear
			if x < side {
				k = kindAt(x, y)
			}
			if k == kind {
				continue
			}
			if kind != pixClear {
				sh.runs = append(sh.runs, run{y: y, x0: start, x1: x, kind: kind})
			}
			start, kind = x, k
		}
	}
	return sh
}

// at is the kind of the window's pixel (x, y) (tests).
func (sh ringImage) at(x, y int) int {
	for _, r := range sh.runs {
		if r.y == y && x >= r.x0 && x < r.x1 {
			return r.kind
		}
	}
	return pixClear
}
