//go:build linux || freebsd || netbsd || openbsd || dragonfly

package capture

import (
	"encoding/binary"
	"fmt"
	"image"
	"math/bits"

	"github.com/robotn/xgb"
	"github.com/robotn/xgb/xproto"
)

// pixelFormat decodes GetImage's ZPixmap data of the root window's depth.
type pixelFormat struct {
	bpp, pad int // bits per pixel, scanline pad in bits
	big      bool
	masks    [3]uint32 // red, green, blue
}

func newPixelFormat(setup *xproto.SetupInfo, screen *xproto.ScreenInfo) (pixelFormat, error) {
	f := pixelFormat{big: setup.ImageByteOrder == xproto.ImageOrderMSBFirst}
	for _, pf := range setup.PixmapFormats {
		if pf.Depth == screen.RootDepth {
			f.bpp, f.pad = int(pf.BitsPerPixel), int(pf.ScanlinePad)
		}
	}
	for _, d := range screen.AllowedDepths {
		for _, v := range d.Visuals {
			if v.VisualId == screen.RootVisual {
				f.masks = [3]uint32{v.RedMask, v.GreenMask, v.BlueMask}
			}
		}
	}
	if (f.bpp != 32 && f.bpp != 16) || f.masks[0] == 0 || f.masks[1] == 0 || f.masks[2] == 0 {
		return f, fmt.Errorf("screenshots need a true-colour screen of 16 or 32 bits per pixel (this one: depth %d, %d bits per pixel)", screen.RootDepth, f.bpp)
	}
	return f, nil
}

func (f pixelFormat) decode(data []byte, w, h int) (*image.RGBA, error) {
	stride := xgb.Pad(w * f.bpp / 8) // pad to 32 bits
	if f.pad > 0 {
		unit := f.pad / 8
		stride = (w*f.bpp/8 + unit - 1) / unit * unit
	}
	if len(data) < stride*h {
		return nil, fmt.Errorf("GetImage returned %d bytes for %dx%d", len(data), w, h)
	}
	order := binary.ByteOrder(binary.LittleEndian)
	if f.big {
		order = binary.BigEndian
	}
	var shift, size [3]int
	for i, m := range f.masks {
		shift[i] = bits.TrailingZeros32(m)
		size[i] = bits.OnesCount32(m)
	}
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		row := data[y*stride:]
		out := m.Pix[y*m.Stride:]
		for x := 0; x < w; x++ {
			var p uint32
			if f.bpp == 32 {
				p = order.Uint32(row[x*4:])
			} else {
				p = uint32(order.Uint16(row[x*2:]))
			}
			for i := 0; i < 3; i++ {
				v := (p & f.masks[i]) >> shift[i]
				if size[i] < 8 { // widen to 8 bits: repeat the top bits
					v = v<<(8-size[i]) | v>>(2*size[i]-8)&(1<<(8-size[i])-1)
				} else if size[i] > 8 {
					v >>= size[i] - 8
				}
				out[x*4+i] = uint8(v)
			}
			out[x*4+3] = 0xff
		}
	}
	return m, nil
}
