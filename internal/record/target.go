package record

import (
	"fmt"
	"image"

	"golang.org/x/image/draw"

	"github.com/cuecard/cuecard/internal/guide"
)

// PatchSize is the side of a click target's patch, in pixels of the
// window's screenshot: a square centred on the click, clipped at the
// window's edges.
var PatchSize = 96

// Patch is the click target's image: the PatchSize square of img centred
// on pt (pt in img's coordinates, relative to its bounds' corner as
// Render takes it), clipped at img's edges, copied pixel for pixel (never
// scaled or marked: internal/locate looks for exactly these pixels in a
// fresh capture of the window). inPatch is the click's position in the
// patch: the middle (48,48), except where the square was clipped. patch is
// nil when pt is outside img.
func Patch(img image.Image, pt image.Point) (patch *image.RGBA, inPatch image.Point) {
	b := img.Bounds()
	at := b.Min.Add(pt)
	if !at.In(b) {
		return nil, image.Point{}
	}
	half := PatchSize / 2
	r := image.Rect(at.X-half, at.Y-half, at.X-half+PatchSize, at.Y-half+PatchSize).Intersect(b)
	patch = image.NewRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
	draw.Draw(patch, patch.Bounds(), img, r.Min, draw.Src)
	return patch, at.Sub(r.Min)
}

// HasTarget reports whether a step gets a click target when written: a
// click, not hidden, with a screenshot and the click's point in it.
func HasTarget(s Step) bool {
	return s.Kind == Click && !s.Hidden && s.Image != nil && s.HasPoint && s.Point.Add(s.Image.Bounds().Min).In(s.Image.Bounds())
}

// TargetName is the name of step n's patch file (1-based): step-03-target.png.
func TargetName(n int) string { return fmt.Sprintf("step-%02d-target.png", n) }

// Target is a click's target for the guide, patch named patch: the click
// in the screenshot, the screenshot's size, where the click is in the
// patch, the app's name and the rule Apps makes for the window (an exe
// rule, else a class rule). img and pt are as for Patch.
func Target(w guide.Window, img image.Image, pt, inPatch image.Point, patch string) guide.ClickTarget {
	t := guide.ClickTarget{Patch: patch, At: pt, Size: img.Bounds().Size(), InPatch: inPatch, App: AppLabel(w)}
	if rules := Apps([]Step{{Window: w}}); len(rules) > 0 {
		t.Window = rules[0]
	}
	return t
}

// stepTarget is HasTarget's step's target, without writing anything.
func stepTarget(s Step, n int) guide.ClickTarget {
	_, in := Patch(s.Image, s.Point)
	return Target(s.Window, s.Image, s.Point, in, TargetName(n))
}
