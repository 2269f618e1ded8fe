// Package locate finds a small image patch (a recorded click target) in a
// fresh capture of a window, for the Guide me overlay: normalized
// cross-correlation, coarse to fine. The window is searched exhaustively
// at the coarsest level of an image pyramid (each level half the size of
// the one before), the best few peaks are refined level by level within a
// few pixels, and the patch is tried at several scales (a window zoomed or
// on another DPI). Below a confidence threshold there is no match: the
// caller falls back to the recorded relative position.
//
// It needs no display: images in, a rectangle and a score out.
package locate

import (
	"image"
	"math"
	"sort"
)

// Gray is a grayscale image: luminance 0..255, row by row.
type Gray struct {
	W, H int
	Pix  []float32
}

// FromImage is img's luminance.
func FromImage(img image.Image) Gray {
	b := img.Bounds()
	g := Gray{W: b.Dx(), H: b.Dy(), Pix: make([]float32, b.Dx()*b.Dy())}
	if rgba, ok := img.(*image.RGBA); ok {
		for y := 0; y < g.H; y++ {
			row := rgba.Pix[(y+b.Min.Y-rgba.Rect.Min.Y)*rgba.Stride+(b.Min.X-rgba.Rect.Min.X)*4:]
			for x := 0; x < g.W; x++ {
				p := row[x*4:]
				g.Pix[y*g.W+x] = 0.299*float32(p[0]) + 0.587*float32(p[1]) + 0.114*float32(p[2])
			}
		}
		return g
	}
	for y := 0; y < g.H; y++ {
		for x := 0; x < g.W; x++ {
			r, gr, bl, _ := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
			g.Pix[y*g.W+x] = (0.299*float32(r) + 0.587*float32(gr) + 0.114*float32(bl)) / 257
		}
	}
	return g
}

// half is g at half the size (2x2 averages).
func (g Gray) half() Gray {
	h := Gray{W: g.W / 2, H: g.H / 2}
	h.Pix = make([]float32, h.W*h.H)
	for y := 0; y < h.H; y++ {
		a, b := g.Pix[2*y*g.W:], g.Pix[(2*y+1)*g.W:]
		for x := 0; x < h.W; x++ {
			h.Pix[y*h.W+x] = (a[2*x] + a[2*x+1] + b[2*x] + b[2*x+1]) / 4
		}
	}
	return h
}

// resize is g scaled by s (bilinear).
func (g Gray) resize(s float64) Gray {
	if s == 1 {
		return g
	}
	r := Gray{W: max(1, int(math.Round(float64(g.W)*s))), H: max(1, int(math.Round(float64(g.H)*s)))}
	r.Pix = make([]float32, r.W*r.H)
	for y := 0; y < r.H; y++ {
		fy := math.Min(float64(g.H-1), (float64(y)+0.5)/s-0.5)
		fy = math.Max(0, fy)
		y0 := int(fy)
		y1 := min(y0+1, g.H-1)
		wy := float32(fy - float64(y0))
		for x := 0; x < r.W; x++ {
			fx := math.Max(0, math.Min(float64(g.W-1), (float64(x)+0.5)/s-0.5))
			x0 := int(fx)
			x1 := min(x0+1, g.W-1)
			wx := float32(fx - float64(x0))
			top := g.Pix[y0*g.W+x0]*(1-wx) + g.Pix[y0*g.W+x1]*wx
			bot := g.Pix[y1*g.W+x0]*(1-wx) + g.Pix[y1*g.W+x1]*wx
			r.Pix[y*r.W+x] = top*(1-wy) + bot*wy
		}
	}
	return r
}

// Options tune Find; the zero value is the defaults.
type Options struct {
	// Threshold is the lowest score that is a match (default 0.8).
	Threshold float64
	// Scales are the patch's scales tried (default 1 only).
	Scales []float64
}

// Match is where the patch was found: its rectangle in the window image,
// the normalized cross-correlation there (-1..1) and the scale.
type Match struct {
	Rect  image.Rectangle
	Score float64
	Scale float64
}

// minCoarse is the smallest side of the patch at the coarsest level.
const minCoarse = 10

// Find looks for patch in window. ok is false when the best match scores
// below the threshold, or the patch is flat (nothing to correlate), or it
// does not fit in the window: the best guess is returned all the same.
func Find(window, patch Gray, o Options) (best Match, ok bool) {
	if o.Threshold == 0 {
		o.Threshold = 0.8
	}
	scales := o.Scales
	if len(scales) == 0 {
		scales = []float64{1}
	}
	// The window's pyramid, shared by every scale.
	pyr := []level{{g: window}}
	for l := 1; l < 4; l++ {
		pyr = append(pyr, level{g: pyr[l-1].g.half()})
	}
	best.Score = -2
	for _, s := range scales {
		p := patch.resize(s)
		if p.W > window.W || p.H > window.H {
			continue
		}
		m, found := findAt(pyr, p)
		if found && m.Score > best.Score {
			m.Scale = s
			best = m
		}
	}
	return best, best.Score >= o.Threshold
}

// level is a level of the window's pyramid and its summed-area tables,
// made when first needed and shared by every scale and peak.
type level struct {
	g       Gray
	sum, sq []float64
}

func (l *level) tables() ([]float64, []float64) {
	if l.sum == nil {
		l.sum, l.sq = integrals(l.g)
	}
	return l.sum, l.sq
}

// findAt is the best match of p at one scale.
func findAt(pyr []level, p Gray) (Match, bool) {
	pp := []Gray{p}
	levels := 0
	for levels < len(pyr)-1 && min(pp[levels].W, pp[levels].H)/2 >= minCoarse {
		pp = append(pp, pp[levels].half())
		levels++
	}
	top := levels
	w, q := pyr[top].g, newTemplate(pp[top])
	if q == nil || q.w > w.W || q.h > w.H {
		return Match{}, false
	}
	// Every position at the coarsest level; the best few peaks go on.
	sumIm, sqIm := pyr[top].tables()
	type cand struct {
		x, y  int
		score float64
	}
	// The best 64 positions, best first (enough for 4 separate peaks: a
	// peak's neighbours crowd the top of the list).
	const keep = 64
	cands := make([]cand, 0, keep+1)
	for y := 0; y+q.h <= w.H; y++ {
		for x := 0; x+q.w <= w.W; x++ {
			sc := q.ncc(w, sumIm, sqIm, x, y)
			if len(cands) == keep && sc <= cands[keep-1].score {
				continue
			}
			i := sort.Search(len(cands), func(i int) bool { return cands[i].score < sc })
			cands = append(cands, cand{})
			copy(cands[i+1:], cands[i:])
			cands[i] = cand{x, y, sc}
			if len(cands) > keep {
				cands = cands[:keep]
			}
		}
	}
	var peaks []cand
	for _, c := range cands {
		near := false
		for _, p := range peaks {
			if abs(p.x-c.x) < q.w/2 && abs(p.y-c.y) < q.h/2 {
				near = true
				break
			}
		}
		if !near {
			peaks = append(peaks, c)
			if len(peaks) == 4 {
				break
			}
		}
	}
	best := Match{Score: -2}
	for _, c := range peaks {
		x, y, score := c.x, c.y, c.score
		for l := top - 1; l >= 0; l-- {
			w, q := pyr[l].g, newTemplate(pp[l])
			if q == nil {
				break
			}
			cx, cy := 2*x, 2*y
			score = -2
			for dy := -2; dy <= 2; dy++ {
				for dx := -2; dx <= 2; dx++ {
					px, py := cx+dx, cy+dy
					if px < 0 || py < 0 || px+q.w > w.W || py+q.h > w.H {
						continue
					}
					if s := q.nccDirect(w, px, py); s > score {
						score, x, y = s, px, py
					}
				}
			}
		}
		if score > best.Score {
			best = Match{Rect: image.Rect(x, y, x+p.W, y+p.H), Score: score}
		}
	}
	return best, best.Score > -2
}

// template is a patch ready to correlate: its zero-mean values and their
// norm.
type template struct {
	w, h int
	z    []float32
	norm float64
}

func newTemplate(p Gray) *template {
	var sum float64
	for _, v := range p.Pix {
		sum += float64(v)
	}
	mean := float32(sum / float64(len(p.Pix)))
	t := &template{w: p.W, h: p.H, z: make([]float32, len(p.Pix))}
	var ss float64
	for i, v := range p.Pix {
		t.z[i] = v - mean
		ss += float64(t.z[i]) * float64(t.z[i])
	}
	if ss < 1e-3*float64(len(p.Pix)) {
		return nil // flat: nothing to find it by
	}
	t.norm = math.Sqrt(ss)
	return t
}

// integrals are the summed-area tables of g and of its squares, one
// larger than g on each side.
func integrals(g Gray) (sum, sq []float64) {
	w := g.W + 1
	sum, sq = make([]float64, w*(g.H+1)), make([]float64, w*(g.H+1))
	for y := 0; y < g.H; y++ {
		var rs, rq float64
		for x := 0; x < g.W; x++ {
			v := float64(g.Pix[y*g.W+x])
			rs += v
			rq += v * v
			sum[(y+1)*w+x+1] = sum[y*w+x+1] + rs
			sq[(y+1)*w+x+1] = sq[y*w+x+1] + rq
		}
	}
	return sum, sq
}

// ncc is the normalized cross-correlation of t with g's region at (x, y).
func (t *template) ncc(g Gray, sum, sq []float64, x, y int) float64 {
	w := g.W + 1
	area := func(a []float64) float64 {
		return a[(y+t.h)*w+x+t.w] - a[y*w+x+t.w] - a[(y+t.h)*w+x] + a[y*w+x]
	}
	n := float64(t.w * t.h)
	s := area(sum)
	variance := area(sq) - s*s/n
	if variance < 1e-3*n {
		return 0 // a flat region matches nothing
	}
	var dot float32
	for j := 0; j < t.h; j++ {
		row := g.Pix[(y+j)*g.W+x : (y+j)*g.W+x+t.w]
		z := t.z[j*t.w : (j+1)*t.w]
		for i, v := range row {
			dot += z[i] * v
		}
	}
	return float64(dot) / (t.norm * math.Sqrt(variance))
}

// nccDirect is ncc without summed-area tables: for the few positions a
// peak is refined at, cheaper than tables of a whole level.
func (t *template) nccDirect(g Gray, x, y int) float64 {
	var dot, s, sq float64
	for j := 0; j < t.h; j++ {
		row := g.Pix[(y+j)*g.W+x : (y+j)*g.W+x+t.w]
		z := t.z[j*t.w : (j+1)*t.w]
		var d, rs, rq float32
		for i, v := range row {
			d += z[i] * v
			rs += v
			rq += v * v
		}
		dot, s, sq = dot+float64(d), s+float64(rs), sq+float64(rq)
	}
	n := float64(t.w * t.h)
	variance := sq - s*s/n
	if variance < 1e-3*n {
		return 0
	}
	return dot / (t.norm * math.Sqrt(variance))
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}
