package record_test

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/library"
	"github.com/cuecard/cuecard/internal/locate"
	"github.com/cuecard/cuecard/internal/record"
)

// noise is a w x h image of random pixels: every pixel tells where it is.
func noise(w, h int, seed uint64) *image.RGBA {
	r := rand.New(rand.NewPCG(seed, 7))
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(m.Pix); i += 4 {
		m.Pix[i], m.Pix[i+1], m.Pix[i+2], m.Pix[i+3] = uint8(r.IntN(256)), uint8(r.IntN(256)), uint8(r.IntN(256)), 0xff
	}
	return m
}

// samePixels checks that patch is src's rectangle at off, pixel for pixel.
func samePixels(t *testing.T, patch, src image.Image, off image.Point) {
	t.Helper()
	b := patch.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			got := color.RGBAModel.Convert(patch.At(x, y))
			want := color.RGBAModel.Convert(src.At(off.X+x-b.Min.X, off.Y+y-b.Min.Y))
			if got != want {
				t.Fatalf("patch pixel (%d,%d) is %v, want the window's %v at (%d,%d)", x, y, got, want, off.X+x-b.Min.X, off.Y+y-b.Min.Y)
			}
		}
	}
}

func TestPatch(t *testing.T) {
	src := noise(400, 300, 1)
	for _, c := range []struct {
		name    string
		pt      image.Point
		size    image.Point
		in, off image.Point
	}{
		{"centre", image.Pt(200, 150), image.Pt(96, 96), image.Pt(48, 48), image.Pt(152, 102)},
		{"top left corner", image.Pt(10, 5), image.Pt(58, 53), image.Pt(10, 5), image.Pt(0, 0)},
		{"bottom right corner", image.Pt(399, 299), image.Pt(49, 49), image.Pt(48, 48), image.Pt(351, 251)},
		{"right edge", image.Pt(380, 100), image.Pt(68, 96), image.Pt(48, 48), image.Pt(332, 52)},
		{"exactly fits", image.Pt(48, 48), image.Pt(96, 96), image.Pt(48, 48), image.Pt(0, 0)},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, in := record.Patch(src, c.pt)
			if p == nil || p.Bounds() != (image.Rectangle{Max: c.size}) || in != c.in {
				t.Fatalf("Patch(%v) = %v, in patch %v; want %v, %v", c.pt, p.Bounds(), in, c.size, c.in)
			}
			samePixels(t, p, src, c.off)
			// Through PNG and back: lossless.
			data, err := record.EncodePatch(p)
			if err != nil {
				t.Fatal(err)
			}
			back, err := png.Decode(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			samePixels(t, back, src, c.off)
		})
	}
	// An image whose bounds do not start at 0,0: the point is relative to
	// its corner, as Render takes it.
	sub := src.SubImage(image.Rect(100, 100, 300, 250))
	p, in := record.Patch(sub, image.Pt(20, 30))
	if p.Bounds().Size() != image.Pt(68, 78) || in != image.Pt(20, 30) {
		t.Fatalf("sub-image patch %v in %v", p.Bounds(), in)
	}
	samePixels(t, p, src, image.Pt(100, 100))
	if p, _ := record.Patch(src, image.Pt(400, 10)); p != nil {
		t.Error("a point outside the image has a patch")
	}
}

// A recorded guide: each click step with a screenshot has its patch beside
// its image and its comment in its list item, right after the image line;
// Guide.Clicks reads them back; the text shows nothing of them; lint
// --strict is clean; locate finds the patch in the screenshot.
func TestWriteTargets(t *testing.T) {
	root := t.TempDir()
	shot := noise(420, 300, 2)
	win := guide.Window{Exe: "notepad.exe", Class: "Notepad", Title: "secret.txt - Notepad"}
	s := record.NewSession("How to save a note")
	s.Add(record.Action{Kind: record.Click, Window: crm, Image: shot, Point: image.Pt(70, 60), HasPoint: true})
	s.Add(record.Action{Kind: record.Shortcut, Window: crm, Image: shot, Keys: "Ctrl+S"})
	s.Add(record.Action{Kind: record.Click, Hidden: true})
	s.Add(record.Action{Kind: record.Click, Window: browser, Image: shot, Point: image.Pt(415, 5), HasPoint: true})
	s.Add(record.Action{Kind: record.Click, Window: win, Image: shot, Point: image.Pt(200, 100), HasPoint: true})
	s.Add(record.Action{Kind: record.Click, Window: crm}) // no screenshot
	steps, _ := s.Stop()
	w, err := record.Write(root, record.Guide{Title: "How to save a note", Owner: "ann", Today: today}, steps)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, im := range w.Targets {
		names = append(names, im.Name)
	}
	if strings.Join(names, " ") != "step-01-target.png step-04-target.png step-05-target.png" ||
		w.Targets[0].Size != [2]int{96, 96} || w.Targets[1].Size != [2]int{53, 53} || w.Targets[0].Bytes == 0 {
		t.Fatalf("targets %+v", w.Targets)
	}
	md, _ := os.ReadFile(w.File)
	for _, want := range []string{
		"1. Click in **AcmeCRM**.\n\n   ![Step 1](step-01.png)\n   <!-- cuecard-target patch=step-01-target.png x=70 y=60 w=420 h=300 dx=48 dy=48 app=AcmeCRM exe=^acme-crm$ -->\n\n2. ",
		"2. Press **Ctrl+S**.\n\n   ![Step 2](step-02.png)\n\n3. (hidden)\n\n4. ",
		"   ![Step 4](step-04.png)\n   <!-- cuecard-target patch=step-04-target.png x=415 y=5 w=420 h=300 dx=48 dy=5 app=Navigator class=^Navigator$ -->\n",
		`   <!-- cuecard-target patch=step-05-target.png x=200 y=100 w=420 h=300 dx=48 dy=48 app=Notepad exe="(?i)^notepad\\.exe$" -->` + "\n",
		"6. Click in **AcmeCRM**.\n",
	} {
		if !strings.Contains(string(md), want) {
			t.Errorf("index.md lacks\n%s\nin\n%s", want, md)
		}
	}
	if strings.Contains(string(md), "secret") {
		t.Error("the window title is in the guide")
	}
	lintStrict(t, root)

	g, probs := library.ParseFile(w.ID, w.File)
	if g == nil {
		t.Fatal(probs)
	}
	if len(g.Clicks) != 3 {
		t.Fatalf("Clicks %+v, want 3", g.Clicks)
	}
	lines := strings.Split(string(md), "\n")
	for i, c := range g.Clicks {
		if !strings.Contains(lines[c.Line-1], "patch="+names[i]) || !strings.Contains(lines[c.Line-2], "![Step ") {
			t.Errorf("click %d at line %d: %q after %q", i, c.Line, lines[c.Line-1], lines[c.Line-2])
		}
	}
	if c := g.Clicks[2]; !c.Window.Match(win) || c.Window.Match(crm) || c.App != "Notepad" || c.Size != image.Pt(420, 300) {
		t.Errorf("click 3 %+v does not match its window", c)
	}
	if strings.Contains(g.Text, "cuecard-target") || strings.Contains(g.Text, "patch=") {
		t.Errorf("the comment shows in the text: %q", g.Text)
	}
	// Every step is a step still: the comment stays in its list item.
	steps2, err := record.NumberedSteps(w.File, md)
	if err != nil || len(steps2) != 6 || steps2[0].Target.Line != g.Clicks[0].Line || steps2[3].Target.Patch != "step-04-target.png" {
		t.Fatalf("numbered steps %+v, %v", steps2, err)
	}

	// The patch is found in the screenshot, where it was.
	f, err := os.Open(filepath.Join(w.Dir, "step-01-target.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	patch, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	samePixels(t, patch, shot, image.Pt(22, 12))
	m, ok := locate.Find(locate.FromImage(shot), locate.FromImage(patch), locate.Options{})
	if !ok || m.Rect.Min != image.Pt(22, 12) {
		t.Errorf("locate found the patch at %v (ok %v, score %.2f), want (22,12)", m.Rect, ok, m.Score)
	}
}

func TestSetTarget(t *testing.T) {
	tg := guide.ClickTarget{Patch: "step-02-target.png", At: image.Pt(70, 40), Size: image.Pt(400, 300), InPatch: image.Pt(48, 48), App: "AcmeCRM",
		Window: guide.Rule{Exe: "^acme$"}}
	c := tg.String()
	fm := "---\ntitle: How to save a deal\nowner: ann\n---\n"
	for _, tc := range []struct {
		name string
		src  string
		step int
		want string // "" for an error
		line int
		err  string
	}{
		{"after the image", fm + "1. Open it.\n\n2. Click **Save**.\n\n   ![Step 2](step-02.png)\n\n3. Done.\n", 2,
			fm + "1. Open it.\n\n2. Click **Save**.\n\n   ![Step 2](step-02.png)\n   " + c + "\n\n3. Done.\n", 10, ""},
		{"no image: after the first paragraph", fm + "1. Open it.\n2. Click **Save**\n   and wait.\n3. Done.\n", 2,
			fm + "1. Open it.\n2. Click **Save**\n   and wait.\n   " + c + "\n3. Done.\n", 8, ""},
		{"replaces the old comment", fm + "1. Open it.\n\n2. Click **Save**.\n\n   ![Step 2](step-02.png)\n   <!-- cuecard-target patch=old.png x=1 y=1 w=9 h=9 dx=0 dy=0 -->\n\n   More text.\n", 2,
			fm + "1. Open it.\n\n2. Click **Save**.\n\n   ![Step 2](step-02.png)\n   " + c + "\n\n   More text.\n", 10, ""},
		{"replaces a bad multi-line comment", fm + "1. Click **Save**.\n   <!-- cuecard-target patch=old.png\n   x=oops -->\n2. Done.\n", 1,
			fm + "1. Click **Save**.\n   " + c + "\n2. Done.\n", 6, ""},
		{"CRLF", strings.ReplaceAll(fm+"1. Open it.\n\n2. Click **Save**.\n\n   ![Step 2](step-02.png)\n\n3. Done.\n", "\n", "\r\n"), 2,
			strings.ReplaceAll(fm+"1. Open it.\n\n2. Click **Save**.\n\n   ![Step 2](step-02.png)\n   "+c+"\n\n3. Done.\n", "\n", "\r\n"), 10, ""},
		{"nested lists: the step's own image, not the sub-step's", fm + "Intro.\n\n1. Open it.\n   1. Sub one.\n   2. Sub two ![x](x.png)\n10. Click **Save**:\n    - this\n    - that\n\n    ![Step 2](step-02.png)\n", 2,
			fm + "Intro.\n\n1. Open it.\n   1. Sub one.\n   2. Sub two ![x](x.png)\n10. Click **Save**:\n    - this\n    - that\n\n    ![Step 2](step-02.png)\n    " + c + "\n", 15, ""},
		{"nested list: after the first paragraph, before the sub-list", fm + "1. Click **Save**:\n   - this\n", 1,
			fm + "1. Click **Save**:\n   " + c + "\n   - this\n", 6, ""},
		{"second list, no final newline", fm + "1. One.\n\n## Then\n\n1. Click **Save**.", 2,
			fm + "1. One.\n\n## Then\n\n1. Click **Save**.\n   " + c + "\n", 10, ""},
		{"no front matter, bullet lists do not count", "# Save\n\n- not a step\n\n1. Open.\n2. Save.\n", 2,
			"# Save\n\n- not a step\n\n1. Open.\n2. Save.\n   " + c + "\n", 7, ""},
		{"a step that starts with code", fm + "1. ```\n   code\n   ```\n", 1, "", 0, "step 1 does not start with text"},
		{"out of range", fm + "Intro.\n\n1. Open it.\n2. Save.\n", 3, "", 0, "save.md:7: no step 3: the guide has 2 numbered steps (1 to 2)"},
		{"zero", fm + "1. Open it.\n", 0, "", 0, "save.md:5: no step 0: the guide has 1 numbered step"},
		{"no steps", fm + "Just text.\n", 1, "", 0, "save.md:5: the guide has no numbered steps"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, line, _, err := record.SetTarget("save.md", []byte(tc.src), tc.step, tg)
			if tc.err != "" {
				var se *record.StepsError
				isSteps := strings.Contains(tc.err, "no step") || strings.Contains(tc.err, "no numbered steps")
				if err == nil || !strings.Contains(err.Error(), tc.err) || errors.As(err, &se) != isSteps {
					t.Fatalf("err %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != tc.want || line != tc.line {
				t.Fatalf("line %d (want %d):\n%q\nwant\n%q", line, tc.line, out, tc.want)
			}
			g, _ := guide.Parse("save.md", out)
			if g == nil || len(g.Clicks) != 1 || g.Clicks[0].Line != line || g.Clicks[0].Patch != tg.Patch {
				t.Fatalf("parsed back: %+v", g)
			}
			// Idempotent: setting it again replaces it.
			again, line2, st, err := record.SetTarget("save.md", out, tc.step, tg)
			if err != nil || !bytes.Equal(again, out) || line2 != line || st.Target.Patch != tg.Patch {
				t.Fatalf("again: line %d, %v:\n%q", line2, err, again)
			}
		})
	}
}
