package overlay

import (
	"math"
	"testing"
)

// TestRingShape checks the ring's pixels against its definition: the hole
// of the radius asked, the line Thickness wide with its dark edges, a
// symmetric circle, and About's dashes.
func TestRingShape(t *testing.T) {
	for _, r := range []int{MinRadius, 10, 31, 100} {
		sh := ringShape(r, Found)
		c := sh.side / 2
		if sh.side != 2*(r+Thickness)+1 {
			t.Fatalf("radius %d: side %d", r, sh.side)
		}
		for _, tc := range []struct {
			dist int
			want int
		}{{0, pixClear}, {r - 1, pixClear}, {r, pixEdge}, {r + 1, pixColor}, {r + Thickness - 2, pixColor}, {r + Thickness - 1, pixEdge}, {r + Thickness, pixClear}} {
			// Along both axes, both ways.
			for _, p := range [][2]int{{c + tc.dist, c}, {c - tc.dist, c}, {c, c + tc.dist}, {c, c - tc.dist}} {
				if p[0] < 0 || p[1] < 0 || p[0] >= sh.side || p[1] >= sh.side {
					continue
				}
				if got := sh.at(p[0], p[1]); got != tc.want {
					t.Errorf("radius %d: pixel at distance %d (%d,%d) is %d, want %d", r, tc.dist, p[0], p[1], got, tc.want)
				}
			}
		}
		// Mirror symmetry: the ring is centred on its pixel.
		for y := 0; y < sh.side; y++ {
			for x := 0; x < sh.side; x++ {
				if sh.at(x, y) != sh.at(sh.side-1-x, y) || sh.at(x, y) != sh.at(y, x) {
					t.Fatalf("radius %d: not symmetric at (%d,%d)", r, x, y)
				}
			}
		}
		// Runs are sorted by row and do not overlap (the X shape request
		// says YSorted).
		for i := 1; i < len(sh.runs); i++ {
			a, b := sh.runs[i-1], sh.runs[i]
			if b.y < a.y || (b.y == a.y && b.x0 < a.x1) || b.x0 >= b.x1 {
				t.Fatalf("radius %d: runs %v then %v", r, a, b)
			}
		}
	}
	if ringShape(-5, Found).side != ringShape(MinRadius, Found).side || ringShape(1e6, Found).side != ringShape(MaxRadius, Found).side {
		t.Error("radius not clamped")
	}
}

func TestAboutDashes(t *testing.T) {
	const r = 60
	sh := ringShape(r, About)
	c := sh.side / 2
	mid := float64(r) + Thickness/2.0
	on, changes, last := 0, 0, -1
	for i := 0; i < 720; i++ {
		a := float64(i) * math.Pi / 360
		x, y := c+int(math.Round(mid*math.Cos(a))), c+int(math.Round(mid*math.Sin(a)))
		k := sh.at(x, y)
		if k == pixColor {
			on++
		}
		if k != pixClear {
			k = 1
		}
		if last >= 0 && k != last {
			changes++
		}
		last = k
	}
	// A dash and a gap are dashLen+gapLen pixels along the middle line.
	dashes := changes / 2
	want := int(math.Round(2 * math.Pi * mid / (dashLen + gapLen)))
	if dashes < want-1 || dashes > want+1 {
		t.Errorf("%d dashes, want about %d", dashes, want)
	}
	if frac := float64(on) / 720; frac < 0.4 || frac > 0.65 {
		t.Errorf("%.2f of the middle line is the colour, want about %.2f", frac, float64(dashLen)/(dashLen+gapLen))
	}
	for _, rn := range sh.runs {
		if rn.kind == pixColor {
			return
		}
	}
	t.Error("no coloured pixels")
}

// BenchmarkRingShape computes the largest ring, dashed: the most work a
// Show with a new radius or style does before it talks to the display.
func BenchmarkRingShape(b *testing.B) {
	for b.Loop() {
		ringShape(MaxRadius, About)
	}
}
