package record

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"

	"golang.org/x/image/draw"
)

// Image settings. The viewer shows images at most 520 units wide, so 1000
// pixels are sharp on a 2x screen.
var (
	// MaxWidth is the widest a step image is written, in pixels.
	MaxWidth = 1000
	// MaxBytes is the largest a step's PNG may be; a larger one is scaled
	// down until it fits (never below MinWidth).
	MaxBytes = 300 << 10
	// MinWidth is the narrowest a step image is scaled to make it fit
	// MaxBytes.
	MinWidth = 320
)

// Ring is how the click point is marked: a ring of RingColor, Radius pixels
// from the click point to the middle of its stroke, Width pixels wide, with
// a one-pixel white halo on both sides so it shows on any background. The
// ring is drawn after scaling, so it has the same size in every image.
var (
	RingColor  = color.RGBA{R: 0xe0, G: 0x1b, B: 0x84, A: 0xff}
	RingRadius = 18
	RingWidth  = 4
)

// BlurBox is the size of the box around the click point that stays sharp
// when blurring is on, in screen pixels.
var BlurBox = image.Pt(360, 240)

// ImageOptions say how a step's screenshot is processed.
type ImageOptions struct {
	// Blur blurs everything outside BlurBox around the click point (steps
	// without a click point are blurred whole).
	Blur bool
}

// Rendered is a step image ready to write.
type Rendered struct {
	PNG []byte
	// Size is the written image's size; Scale is Size over the
	// screenshot's size (1 when not scaled).
	Size  image.Point
	Scale float64
	// Ring is the click point in the written image (valid when the step
	// has a point).
	Ring image.Point
}

// Render blurs (when asked), scales and marks a screenshot and encodes it as
// PNG no larger than MaxBytes (scaling it further down when needed).
func Render(src image.Image, pt image.Point, hasPoint bool, o ImageOptions) (Rendered, error) {
	b := src.Bounds()
	if b.Empty() {
		return Rendered{}, fmt.Errorf("render step image: the screenshot is empty")
	}
	base := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(base, base.Bounds(), src, b.Min, draw.Src)
	if o.Blur {
		keep := image.Rectangle{}
		if hasPoint {
			half := BlurBox.Div(2)
			keep = image.Rectangle{Min: pt.Sub(half), Max: pt.Add(half)}.Intersect(base.Bounds())
		}
		blurOutside(base, keep)
	}
	width := min(b.Dx(), MaxWidth)
	var enc bytes.Buffer
	for {
		scale := float64(width) / float64(b.Dx())
		h := max(1, int(float64(b.Dy())*scale+0.5))
		out := base
		if width != b.Dx() {
			out = image.NewRGBA(image.Rect(0, 0, width, h))
			draw.CatmullRom.Scale(out, out.Bounds(), base, base.Bounds(), draw.Src, nil)
		} else {
			out = cloneRGBA(base)
		}
		r := Rendered{Size: out.Bounds().Size(), Scale: scale}
		drawFrame(out)
		if hasPoint {
			r.Ring = image.Pt(int(float64(pt.X)*scale+0.5), int(float64(pt.Y)*scale+0.5))
			drawRing(out, r.Ring)
		}
		enc.Reset()
		e := png.Encoder{CompressionLevel: png.BestCompression}
		if err := e.Encode(&enc, out); err != nil {
			return Rendered{}, fmt.Errorf("encode step image: %w", err)
		}
		if enc.Len() <= MaxBytes || width <= MinWidth {
			r.PNG = append([]byte(nil), enc.Bytes()...)
			return r, nil
		}
		width = max(MinWidth, width*3/4)
	}
}

func cloneRGBA(m *image.RGBA) *image.RGBA {
	c := image.NewRGBA(m.Bounds())
	copy(c.Pix, m.Pix)
	return c
}

// FrameColor is the one-pixel frame around every step image, so that a
// white window does not melt into a white page.
var FrameColor = color.RGBA{R: 0xb0, G: 0xb0, B: 0xb0, A: 0xff}

func drawFrame(m *image.RGBA) {
	b := m.Bounds()
	for x := b.Min.X; x < b.Max.X; x++ {
		m.SetRGBA(x, b.Min.Y, FrameColor)
		m.SetRGBA(x, b.Max.Y-1, FrameColor)
	}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		m.SetRGBA(b.Min.X, y, FrameColor)
		m.SetRGBA(b.Max.X-1, y, FrameColor)
	}
}

// drawRing draws the click ring centred on c (it may be clipped by the
// image's edges).
func drawRing(m *image.RGBA, c image.Point) {
	inner := float64(RingRadius) - float64(RingWidth)/2
	outer := float64(RingRadius) + float64(RingWidth)/2
	halo := color.RGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
	reach := int(outer) + 2
	bounds := m.Bounds()
	for y := c.Y - reach; y <= c.Y+reach; y++ {
		for x := c.X - reach; x <= c.X+reach; x++ {
			if !(image.Point{X: x, Y: y}).In(bounds) {
				continue
			}
			dx, dy := float64(x-c.X), float64(y-c.Y)
			d2 := dx*dx + dy*dy
			switch {
			case d2 >= inner*inner && d2 <= outer*outer:
				m.SetRGBA(x, y, RingColor)
			case d2 >= (inner-1)*(inner-1) && d2 < inner*inner, d2 > outer*outer && d2 <= (outer+1)*(outer+1):
				m.SetRGBA(x, y, halo)
			}
		}
	}
}

// blurOutside blurs m except inside keep: three box blurs approximate a
// Gaussian, strong enough that text is unreadable.
func blurOutside(m *image.RGBA, keep image.Rectangle) {
	sharp := image.NewRGBA(keep)
	if !keep.Empty() {
		draw.Draw(sharp, keep, m, keep.Min, draw.Src)
	}
	radius := max(6, min(m.Bounds().Dx(), m.Bounds().Dy())/60)
	for range 3 {
		boxBlur(m, radius)
	}
	if !keep.Empty() {
		draw.Draw(m, keep, sharp, keep.Min, draw.Src)
	}
}

// boxBlur is a separable box blur of radius r with running sums.
func boxBlur(m *image.RGBA, r int) {
	b := m.Bounds()
	w, h := b.Dx(), b.Dy()
	tmp := make([]uint8, len(m.Pix))
	pass := func(dst, src []uint8, n, lines int, at func(line, i int) int) {
		for l := 0; l < lines; l++ {
			var sum [4]int
			count := 0
			// The window covers [i-r, i+r], clipped to [0, n).
			for i := 0; i <= r && i < n; i++ {
				o := at(l, i)
				for k := range 4 {
					sum[k] += int(src[o+k])
				}
				count++
			}
			for i := 0; i < n; i++ {
				o := at(l, i)
				for k := range 4 {
					dst[o+k] = uint8(sum[k] / count)
				}
				if j := i + r + 1; j < n {
					o := at(l, j)
					for k := range 4 {
						sum[k] += int(src[o+k])
					}
					count++
				}
				if j := i - r; j >= 0 {
					o := at(l, j)
					for k := range 4 {
						sum[k] -= int(src[o+k])
					}
					count--
				}
			}
		}
	}
	stride := m.Stride
	pass(tmp, m.Pix, w, h, func(line, i int) int { return line*stride + i*4 })
	pass(m.Pix, tmp, h, w, func(line, i int) int { return i*stride + line*4 })
}

// EncodePatch encodes a click target's patch as PNG (lossless: the pixels
// are what internal/locate compares).
func EncodePatch(m image.Image) ([]byte, error) {
	var b bytes.Buffer
	e := png.Encoder{CompressionLevel: png.BestCompression}
	if err := e.Encode(&b, m); err != nil {
		return nil, fmt.Errorf("encode click target: %w", err)
	}
	return b.Bytes(), nil
}
