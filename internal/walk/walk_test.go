package walk

import (
	"errors"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/locate"
)

// screen is a fake desktop at the Screen seam: one active window with
// an image (a real screenshot of Cuecard's settings window) at an area.
type screen struct {
	mu    sync.Mutex
	win   guide.Window
	area  image.Rectangle
	img   *image.RGBA
	shots int
}

func (s *screen) Focused() (guide.Window, image.Rectangle, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.win, s.area, s.win != (guide.Window{})
}

func (s *screen) Snapshot() (*image.RGBA, guide.Window, image.Rectangle, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.shots++
	if s.win == (guide.Window{}) {
		return nil, s.win, s.area, errors.New("none")
	}
	c := image.NewRGBA(s.img.Rect)
	copy(c.Pix, s.img.Pix)
	return c, s.win, s.area, nil
}

func (s *screen) set(f func(s *screen)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(s)
}

func readPNG(t testing.TB, name string) *image.RGBA {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "docs", "screenshots", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	m := image.NewRGBA(image.Rect(0, 0, img.Bounds().Dx(), img.Bounds().Dy()))
	draw.Draw(m, m.Bounds(), img, img.Bounds().Min, draw.Src)
	return m
}

var crm = guide.Window{Exe: "acme", Class: "Acme", PID: 42}

// target cuts a 96x96 patch around at from img, as the recorder does.
func target(img *image.RGBA, at image.Point) (*guide.ClickTarget, locate.Gray) {
	r := image.Rect(at.X-48, at.Y-48, at.X+48, at.Y+48).Intersect(img.Bounds())
	t := &guide.ClickTarget{Patch: "p.png", At: at, Size: img.Bounds().Size(), InPatch: at.Sub(r.Min), App: "AcmeCRM",
		Window: guide.MustRule("^acme$", "", "")}
	return t, locate.FromImage(img.SubImage(r))
}

func next(t *testing.T, w *Walk, want func(View) bool, what string) View {
	t.Helper()
	deadline := time.After(5 * time.Second)
	var last View
	for {
		select {
		case v, ok := <-w.Views():
			if !ok {
				t.Fatalf("%s: the walk ended; last view %+v", what, last)
			}
			last = v
			if want(v) {
				return v
			}
		case <-deadline:
			t.Fatalf("%s: not seen in 5 s; last view %+v", what, last)
		}
	}
}

func TestWalkFollowsAndAdvances(t *testing.T) {
	img := readPNG(t, "settings.png")
	save := image.Pt(img.Bounds().Dx()-60, img.Bounds().Dy()-25) // the Save button
	field := image.Pt(120, 70)
	t1, p1 := target(img, field)
	t2, p2 := target(img, save)
	steps := []Step{
		{Text: "Click the library field.", Target: t1, Patch: p1},
		{Text: "Click Save.", Target: t2, Patch: p2, Shot: "step-02.png"},
		{Text: "Type the name and press Enter."},
		{Text: "Press Ctrl+S to save.", Keys: "Ctrl+S"},
	}
	s := &screen{win: crm, area: image.Rect(300, 200, 300+img.Bounds().Dx(), 200+img.Bounds().Dy()), img: img}
	var searches int
	var mu sync.Mutex
	w := Start(&guide.Guide{ID: "crm/save.md", Title: "How to save"}, steps, s, Options{Poll: 5 * time.Millisecond,
		Searched: func(time.Duration) { mu.Lock(); searches++; mu.Unlock() }})
	defer w.Close()

	v := next(t, w, func(v View) bool { return v.State == Found }, "step 1 found")
	if d := v.Ring.Sub(image.Pt(300, 200).Add(field)); abs(d.X) > 2 || abs(d.Y) > 2 || v.Step != 0 || v.Steps != 4 || v.Confidence < 0.8 {
		t.Fatalf("step 1: %+v, want the ring at %v", v, image.Pt(300, 200).Add(field))
	}
	// The window moves: the ring follows without a new search.
	mu.Lock()
	before := searches
	mu.Unlock()
	s.set(func(s *screen) { s.area = s.area.Add(image.Pt(150, 40)) })
	v = next(t, w, func(v View) bool {
		return v.Ring == image.Pt(450, 240).Add(field) || v.Ring == image.Pt(450, 240).Add(field).Add(image.Pt(1, 0)) || v.Ring == image.Pt(450, 240).Add(field).Add(image.Pt(0, 1)) || v.Ring == image.Pt(450, 240).Add(field).Add(image.Pt(1, 1))
	}, "ring follows the window")
	mu.Lock()
	if searches != before {
		t.Errorf("a move searched again (%d searches, %d before)", searches, before)
	}
	mu.Unlock()

	// A click elsewhere does nothing; another app is ignored; on the ring it advances.
	w.Input(Input{Kind: Click, Window: crm, Screen: v.Ring.Add(image.Pt(200, 0))})
	w.Input(Input{Kind: Click, Window: guide.Window{Exe: "other"}, Screen: v.Ring})
	time.Sleep(50 * time.Millisecond)
	if w.View().Step != 0 {
		t.Fatalf("a click off the target advanced: %+v", w.View())
	}
	w.Input(Input{Kind: Click, Window: crm, Screen: v.Ring.Add(image.Pt(5, -4))})
	v = next(t, w, func(v View) bool { return v.Step == 1 && v.State == Found }, "step 2 found")
	if d := v.Ring.Sub(image.Pt(450, 240).Add(save)); abs(d.X) > 2 || abs(d.Y) > 2 {
		t.Fatalf("step 2 ring at %v, want %v", v.Ring, image.Pt(450, 240).Add(save))
	}

	// Another app is focused: the card says to switch back.
	s.set(func(s *screen) { s.win = guide.Window{Exe: "mousepad", PID: 7} })
	v = next(t, w, func(v View) bool { return v.State == Switch }, "switch")
	if v.App != "AcmeCRM" || v.HasRing() {
		t.Fatalf("switch view %+v", v)
	}
	// Back in the app, the window blanked (the app changed beyond
	// recognition): "about here" at the recorded relative position.
	s.set(func(s *screen) {
		s.win = crm
		draw.Draw(s.img, s.img.Bounds(), &image.Uniform{color.RGBA{0xee, 0xee, 0xee, 0xff}}, image.Point{}, draw.Src)
	})
	v = next(t, w, func(v View) bool { return v.State == About }, "about here")
	if v.Confidence >= 0.8 || v.Shot != "step-02.png" || v.Radius != AboutRadius || v.Ring != s.area.Min.Add(save) {
		t.Fatalf("about view %+v, want the ring at %v", v, s.area.Min.Add(save))
	}
	w.Next() // "Done this step"
	v = next(t, w, func(v View) bool { return v.Step == 2 }, "step 3")
	if v.State != Card || v.Text != "Type the name and press Enter." {
		t.Fatalf("step 3: %+v", v)
	}
	w.Input(Input{Kind: Enter, Window: crm})
	next(t, w, func(v View) bool { return v.Step == 3 }, "step 4")
	w.Input(Input{Kind: Shortcut, Window: crm, Keys: "Ctrl+Shift+S"})
	w.Back()
	next(t, w, func(v View) bool { return v.Step == 2 }, "back to step 3")
	w.Next()
	w.Input(Input{Kind: Shortcut, Window: crm, Keys: "control+s"})
	v = next(t, w, func(v View) bool { return v.State == Finished }, "finished")
	if v.Step != 4 {
		t.Fatalf("finished view %+v", v)
	}
	select {
	case <-w.Done():
	case <-time.After(time.Second):
		t.Fatal("Done not closed after the last step")
	}
}

func TestWalkStop(t *testing.T) {
	s := &screen{}
	w := Start(&guide.Guide{ID: "a.md"}, []Step{{Text: "One."}}, s, Options{})
	next(t, w, func(v View) bool { return v.State == Card }, "card")
	w.Stop()
	next(t, w, func(v View) bool { return v.State == Stopped }, "stopped")
	w.Close() // after the end: returns
}

func TestStepsOf(t *testing.T) {
	dir := t.TempDir()
	img := readPNG(t, "settings.png")
	f, _ := os.Create(filepath.Join(dir, "step-01-target.png"))
	png.Encode(f, img.SubImage(image.Rect(0, 0, 96, 96)))
	f.Close()
	src := "---\ntitle: How to save a deal\n---\nIntro.\n\n" +
		"1. Click **New deal**.\n\n   ![Step 1](step-01.png)\n   " +
		guide.ClickTarget{Patch: "step-01-target.png", At: image.Pt(48, 48), Size: image.Pt(400, 300), InPatch: image.Pt(48, 48)}.String() + "\n\n" +
		"2. Type the name.\n" +
		"3. Press **Ctrl+S**.\n\n" +
		"- a bullet, not a step\n\n" +
		"- [ ] Check the total\n"
	g, ps := guide.Parse("crm/save.md", []byte(src))
	if g == nil {
		t.Fatal(ps)
	}
	steps := StepsOf(g, dir)
	var got []string
	for _, s := range steps {
		got = append(got, s.Text)
	}
	if strings.Join(got, "|") != "Click New deal.|Type the name.|Press Ctrl+S.|Check the total" {
		t.Fatalf("steps %q", got)
	}
	if steps[0].Target == nil || steps[0].Patch.W != 96 || steps[0].Shot != filepath.Join(dir, "step-01.png") {
		t.Fatalf("step 1 %+v", steps[0])
	}
	if steps[1].Target != nil || steps[2].Keys != "Ctrl+S" || steps[1].Keys != "" {
		t.Fatalf("steps 2, 3: %+v %+v", steps[1], steps[2])
	}
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}
