package record_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/library"
	"github.com/cuecard/cuecard/internal/record"
)

var (
	crm     = guide.Window{Exe: "acme-crm", Class: "AcmeCRM", Title: "Deals | Acme CRM", PID: 42}
	browser = guide.Window{Class: "Navigator", Instance: "navigator", Title: "New deal - Acme"}
	today   = time.Date(2026, 3, 14, 12, 0, 0, 0, time.Local)
)

func flat(w, h int, c color.RGBA) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(m.Pix); i += 4 {
		m.Pix[i], m.Pix[i+1], m.Pix[i+2], m.Pix[i+3] = c.R, c.G, c.B, c.A
	}
	return m
}

var blue = color.RGBA{0x34, 0x65, 0xa4, 0xff}

func TestSessionUndoPause(t *testing.T) {
	s := record.NewSession(" How to create a deal ")
	if s.Title != "How to create a deal" {
		t.Fatalf("title %q", s.Title)
	}
	if s.Undo() {
		t.Fatal("undo on an empty session reported a step")
	}
	s.Add(record.Action{Kind: record.Click, Window: crm, Image: flat(10, 10, blue), Point: image.Pt(3, 4), HasPoint: true})
	s.Add(record.Action{Kind: record.Click, Window: browser})
	if s.Len() != 2 {
		t.Fatalf("len %d, want 2", s.Len())
	}
	if !s.Undo() || s.Len() != 1 {
		t.Fatalf("undo: len %d, want 1", s.Len())
	}
	s.SetPaused(true)
	if !s.Paused() {
		t.Fatal("not paused")
	}
	if s.Add(record.Action{Kind: record.Enter, Window: crm}) || s.Len() != 1 {
		t.Fatalf("a paused session added a step: len %d", s.Len())
	}
	s.SetPaused(false)
	if !s.Add(record.Action{Kind: record.Enter, Window: crm}) {
		t.Fatal("a resumed session did not add the step")
	}
	s.Add(record.Action{Kind: record.Click, Window: guide.Window{Exe: "keepassxc", Title: "vault.kdbx"}, Hidden: true, Image: flat(5, 5, blue)})
	steps, err := s.Stop()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Click in **AcmeCRM**.", "Type the text and press **Enter** in **AcmeCRM**.", "(hidden)"}
	if len(steps) != len(want) {
		t.Fatalf("%d steps, want %d", len(steps), len(want))
	}
	for i, w := range want {
		if steps[i].Text != w {
			t.Errorf("step %d: %q, want %q", i+1, steps[i].Text, w)
		}
	}
	h := steps[2]
	if h.Image != nil || h.App != "" || h.Title != "" || !h.Window.IsZero() {
		t.Errorf("hidden step kept something of its window: %+v", h)
	}
	if steps[0].App != "AcmeCRM" || !steps[0].HasPoint {
		t.Errorf("step 1: app %q, point %v", steps[0].App, steps[0].HasPoint)
	}
	if _, err := s.Stop(); err != record.ErrStopped {
		t.Errorf("second Stop: %v", err)
	}
	if s.Add(record.Action{Kind: record.Click, Window: crm}) || s.Undo() {
		t.Error("a stopped session changed")
	}
}

func TestChangedIsCoalesced(t *testing.T) {
	s := record.NewSession("How to x")
	for range 5 {
		s.Add(record.Action{Window: crm})
	}
	<-s.Changed()
	select {
	case <-s.Changed():
		t.Fatal("five changes gave two notifications without a read in between")
	default:
	}
	s.Undo()
	<-s.Changed()
}

func TestApps(t *testing.T) {
	steps := []record.Step{
		{Window: crm}, {Window: browser}, {Window: crm}, {Hidden: true},
		{Window: guide.Window{Exe: "a.b+c"}}, {Window: guide.Window{Exe: "Notepad.EXE"}},
	}
	got := record.Apps(steps)
	want := []guide.Rule{{Exe: `^acme-crm$`}, {Class: `^Navigator$`}, {Exe: `^a\.b\+c$`}, {Exe: `(?i)^Notepad\.EXE$`}}
	if len(got) != len(want) {
		t.Fatalf("rules %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i].Exe != want[i].Exe || got[i].Class != want[i].Class {
			t.Errorf("rule %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	// A Windows program's rule matches its executable in any case.
	r, err := got[3].Compile()
	if err != nil {
		t.Fatal(err)
	}
	if !r.Match(guide.Window{Exe: "notepad.exe"}) || r.Match(guide.Window{Exe: "notepad.exe.bak"}) {
		t.Errorf("rule %+v: notepad.exe must match, notepad.exe.bak not", got[3])
	}
}

func TestRenderRingAndScale(t *testing.T) {
	src := flat(2000, 1000, blue)
	r, err := record.Render(src, image.Pt(1000, 400), true, record.ImageOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := png.Decode(bytes.NewReader(r.PNG))
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Bounds().Size(); got != image.Pt(1000, 500) {
		t.Fatalf("size %v, want 1000x500 (half of 2000x1000)", got)
	}
	if r.Ring != image.Pt(500, 200) {
		t.Fatalf("ring at %v, want (500,200)", r.Ring)
	}
	checkRing(t, m, r.Ring)
}

// checkRing checks the ring colour on the ring and the untouched
// background at its centre.
func checkRing(t *testing.T, m image.Image, c image.Point) {
	t.Helper()
	for _, d := range []image.Point{{record.RingRadius, 0}, {-record.RingRadius, 0}, {0, record.RingRadius}, {0, -record.RingRadius}} {
		p := c.Add(d)
		if got := color.RGBAModel.Convert(m.At(p.X, p.Y)).(color.RGBA); got != record.RingColor {
			t.Errorf("pixel %v (click %v + %v) is %v, want the ring colour %v", p, c, d, got, record.RingColor)
		}
	}
	if got := color.RGBAModel.Convert(m.At(c.X, c.Y)).(color.RGBA); got == record.RingColor {
		t.Errorf("the click point %v itself is covered by the ring", c)
	}
}

func TestRenderSizeLimit(t *testing.T) {
	// Noise does not compress: a 1000x700 noisy screenshot is ~2 MB as PNG.
	rng := rand.New(rand.NewPCG(1, 2))
	src := image.NewRGBA(image.Rect(0, 0, 1000, 700))
	for i := range src.Pix {
		src.Pix[i] = uint8(rng.IntN(256))
	}
	r, err := record.Render(src, image.Pt(500, 350), true, record.ImageOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.PNG) > record.MaxBytes {
		t.Fatalf("PNG is %d bytes, over %d", len(r.PNG), record.MaxBytes)
	}
	if r.Size.X >= 1000 || r.Size.X < record.MinWidth {
		t.Fatalf("width %d: want scaled down, not below %d", r.Size.X, record.MinWidth)
	}
	if wantH := int(700*r.Scale + 0.5); r.Size.Y != wantH {
		t.Fatalf("height %d, want %d (proportional)", r.Size.Y, wantH)
	}
}

func TestRenderBlur(t *testing.T) {
	// Stripes one pixel wide: blurred they become an even grey.
	src := image.NewRGBA(image.Rect(0, 0, 800, 600))
	for y := 0; y < 600; y++ {
		for x := 0; x < 800; x++ {
			v := uint8(0)
			if x%2 == 0 {
				v = 255
			}
			src.SetRGBA(x, y, color.RGBA{v, v, v, 255})
		}
	}
	click := image.Pt(400, 300)
	r, err := record.Render(src, click, true, record.ImageOptions{Blur: true})
	if err != nil {
		t.Fatal(err)
	}
	m, _ := png.Decode(bytes.NewReader(r.PNG))
	at := func(x, y int) uint8 { return color.RGBAModel.Convert(m.At(x, y)).(color.RGBA).R }
	// Inside the box (away from the ring): stripes kept.
	if a, b := at(400+60, 300+60), at(401+60, 300+60); a == b {
		t.Errorf("inside the sharp box the stripes are gone: %d %d", a, b)
	}
	// Outside: no stripe survives.
	for _, p := range []image.Point{{10, 10}, {700, 550}, {11, 300}} {
		if a, b := at(p.X, p.Y), at(p.X+1, p.Y); absDiff(a, b) > 16 {
			t.Errorf("at %v the stripes are still visible after blurring: %d %d", p, a, b)
		}
	}
}

func absDiff(a, b uint8) int {
	if a > b {
		return int(a - b)
	}
	return int(b - a)
}

func TestWriteLintsStrictAndNeverOverwrites(t *testing.T) {
	root := t.TempDir()
	s := record.NewSession("How to create a deal")
	s.Add(record.Action{Kind: record.Click, Window: crm, Image: flat(220, 150, blue), Point: image.Pt(30, 40), HasPoint: true})
	s.Add(record.Action{Kind: record.Click, Hidden: true, Window: guide.Window{Exe: "keepassxc"}})
	s.Add(record.Action{Kind: record.Enter, Window: guide.Window{Exe: "acme-crm", Class: "Acme *CRM* [beta] <x> & `co`", Title: "New *deal* [draft] | Acme <CRM>"}, Image: flat(220, 150, blue)})
	steps, _ := s.Stop()
	g := record.Guide{Title: s.Title, Owner: "ann@example.com", Today: today}
	w, err := record.Write(root, g, steps)
	if err != nil {
		t.Fatal(err)
	}
	if w.ID != "how-to-create-a-deal/index.md" || w.File != filepath.Join(root, "how-to-create-a-deal", "index.md") {
		t.Fatalf("written %+v", w)
	}
	if len(w.Images) != 2 || w.Images[0].Name != "step-01.png" || w.Images[1].Name != "step-03.png" {
		t.Fatalf("images %+v: want step-01.png and step-03.png (step 2 is hidden)", w.Images)
	}
	entries, _ := os.ReadDir(w.Dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != "index.md step-01-target.png step-01.png step-03.png" {
		t.Fatalf("folder holds %v", names)
	}
	lintStrict(t, root)

	gd, probs := library.ParseFile(w.ID, w.File)
	if gd == nil {
		t.Fatalf("parse: %v", probs)
	}
	if gd.Title != "How to create a deal" || gd.Format != guide.FormatGuide || gd.Owner != "ann@example.com" ||
		!gd.Reviewed.Equal(time.Date(2026, 3, 14, 0, 0, 0, 0, gd.Reviewed.Location())) {
		t.Errorf("front matter: %+v", gd)
	}
	if len(gd.Apps) != 1 || gd.Apps[0].Exe != "^acme-crm$" || !gd.Apps[0].Match(crm) {
		t.Errorf("apps %+v, want one rule exe ^acme-crm$", gd.Apps)
	}
	if !strings.Contains(gd.Text, "(hidden)") || strings.Contains(gd.Text, "keepassxc") {
		t.Errorf("the hidden step: %q", gd.Text)
	}
	if !strings.Contains(gd.Text, "Type the text and press Enter in Acme *CRM* [beta] <x> & `co`.") || strings.Contains(gd.Text, "\\") {
		t.Errorf("the escaped app name did not survive Markdown: %q", gd.Text)
	}
	if strings.Contains(gd.Text, "deal*") || strings.Contains(gd.Text, "draft]") {
		t.Errorf("the window title (the document's name) is in the guide: %q", gd.Text)
	}

	// The same title again: a new folder, the first one untouched.
	before, _ := os.ReadFile(w.File)
	g.Title = "How to create a deal (2)"
	w2, err := record.Write(root, record.Guide{Title: "How to create a deal?", Owner: "ann", Today: today}, steps[:1])
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(w2.Dir) != "how-to-create-a-deal-2" {
		t.Fatalf("second folder %s", w2.Dir)
	}
	after, _ := os.ReadFile(w.File)
	if !bytes.Equal(before, after) {
		t.Fatal("the first guide changed")
	}
	if tmp, _ := filepath.Glob(filepath.Join(root, ".cuecard-recording-*")); len(tmp) > 0 {
		t.Fatalf("temporary folders left: %v", tmp)
	}
}

func TestWriteNoStepsHasTags(t *testing.T) {
	root := t.TempDir()
	w, err := record.Write(root, record.Guide{Title: "How to create a deal", Owner: "ann", Today: today, Tags: []string{"deal"}},
		[]record.Step{{Hidden: true, Text: record.Hidden}})
	if err != nil {
		t.Fatal(err)
	}
	gd, _ := library.ParseFile(w.ID, w.File)
	if gd == nil || len(gd.Apps) != 0 || len(gd.Tags) != 1 {
		t.Fatalf("guide %+v", gd)
	}
	lintStrict(t, root)
}

func lintStrict(t *testing.T, root string) {
	t.Helper()
	rep, err := library.Lint(context.Background(), root, today, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range rep.Problems {
		t.Errorf("lint: %s", p)
	}
}

func BenchmarkRender(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	src := flat(1024, 700, blue)
	// A screenshot-like image: flat areas with some text-like noise.
	for y := 100; y < 600; y += 20 {
		for x := 50; x < 900; x++ {
			if rng.IntN(3) == 0 {
				src.SetRGBA(x, y+rng.IntN(8), color.RGBA{0, 0, 0, 255})
			}
		}
	}
	b.ReportAllocs()
	var size int
	for b.Loop() {
		r, err := record.Render(src, image.Pt(300, 200), true, record.ImageOptions{})
		if err != nil {
			b.Fatal(err)
		}
		size = len(r.PNG)
	}
	b.ReportMetric(float64(size)/1024, "KB/png")
}

func TestRenderFrame(t *testing.T) {
	r, err := record.Render(flat(50, 40, blue), image.Point{}, false, record.ImageOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m, _ := png.Decode(bytes.NewReader(r.PNG))
	for _, p := range []image.Point{{0, 0}, {49, 39}, {25, 0}, {0, 20}, {49, 20}, {25, 39}} {
		if got := color.RGBAModel.Convert(m.At(p.X, p.Y)); got != record.FrameColor {
			t.Errorf("edge pixel %v is %v, want the frame", p, got)
		}
	}
	if got := color.RGBAModel.Convert(m.At(25, 20)); got != blue {
		t.Errorf("inside pixel is %v, want the screenshot's", got)
	}
}

// The draft sentences name the app (never the window title: it names the
// document) and, when the desktop tells, the control clicked.
func TestSentence(t *testing.T) {
	mousepad := guide.Window{Exe: "mousepad", Class: "Mousepad", Instance: "mousepad", Title: "*Untitled 1 - Mousepad"}
	notepad := guide.Window{Exe: "notepad.exe", Class: "Notepad", Title: "secret.txt - Notepad"}
	chrome := guide.Window{Exe: "chrome.exe", Class: "Chrome_WidgetWin_1", Title: "Inbox (3) - Gmail"}
	for _, c := range []struct {
		a    record.Action
		want string
	}{
		{record.Action{Kind: record.Click, Window: mousepad}, "Click in **Mousepad**."},
		{record.Action{Kind: record.Enter, Window: mousepad}, "Type the text and press **Enter** in **Mousepad**."},
		{record.Action{Kind: record.Shortcut, Window: mousepad, Keys: "Ctrl+Shift+S"}, "Press **Ctrl+Shift+S**."},
		{record.Action{Kind: record.Shortcut, Window: mousepad, Keys: "Ctrl+*"}, `Press **Ctrl+\***.`},
		{record.Action{Kind: record.Click, Window: notepad}, "Click in **Notepad**."},
		{record.Action{Kind: record.Click, Window: chrome}, "Click in **Chrome**."},
		{record.Action{Kind: record.Click, Window: guide.Window{Instance: "xterm"}}, "Click in **xterm**."},
		{record.Action{Kind: record.Click}, "Click in the window."},
		{record.Action{Kind: record.Click, Window: mousepad, Control: record.Control{Role: "push button", Name: "Save"}}, "Click the **Save** button."},
		{record.Action{Kind: record.Click, Window: mousepad, Control: record.Control{Role: "menu item", Name: "Save As…"}}, "Choose **Save As…**."},
		{record.Action{Kind: record.Click, Window: mousepad, Control: record.Control{Role: "text", Name: " File   name "}}, "Click **File name**."},
	} {
		if got := record.Sentence(c.a); got != c.want {
			t.Errorf("Sentence(%+v) = %q, want %q", c.a, got, c.want)
		}
	}
}

// A recorded guide goes beside the app's other guides: the folder with the
// most guides whose rules match a recorded window, else the root; a folder
// given is checked to stay inside the library.
func TestFolder(t *testing.T) {
	parse := func(id, apps string) *guide.Guide {
		g, probs := guide.Parse(id, []byte("---\ntitle: How to x\napps:\n"+apps+"---\nx\n"))
		if g == nil {
			t.Fatal(probs)
		}
		return g
	}
	guides := []*guide.Guide{
		parse("crm/deals.md", "  - exe: '^acme-crm$'\n"),
		parse("crm/how-to-quote/index.md", "  - class: '^AcmeCRM$'\n"),
		parse("misc/crm-tips.md", "  - exe: '^acme-crm$'\n"),
		parse("editor/save.md", "  - exe: '^mousepad$'\n"),
		parse("editor/open.md", "  - exe: '^mousepad$'\n"),
		parse("editor/print.md", "  - exe: '^mousepad$'\n"),
		parse("root.md", "  - exe: '^gnumeric$'\n"),
	}
	steps := func(ws ...guide.Window) []record.Step {
		var out []record.Step
		for _, w := range ws {
			out = append(out, record.Step{Window: w})
		}
		return out
	}
	for _, c := range []struct {
		steps []record.Step
		want  string
	}{
		{steps(crm), "crm"},
		{steps(guide.Window{Exe: "mousepad", Class: "Mousepad"}), "editor"},
		{steps(guide.Window{Exe: "gnumeric"}), ""},
		{steps(guide.Window{Exe: "xterm"}), ""},
		{[]record.Step{{Hidden: true, Window: crm}}, ""},
		{nil, ""},
	} {
		if got := record.Folder(guides, c.steps); got != c.want {
			t.Errorf("Folder(%+v) = %q, want %q", c.steps, got, c.want)
		}
	}

	// The choices of the record prompt: folders holding guides and those
	// above them, not a guide's own folder.
	if got := strings.Join(record.Folders(guides), ","); got != ",crm,editor,misc" {
		t.Errorf("Folders = %q", got)
	}
	if got := strings.Join(record.Folders([]*guide.Guide{parse("a/b/c/x.md", "")}), ","); got != ",a,a/b,a/b/c" {
		t.Errorf("Folders of a/b/c/x.md = %q", got)
	}

	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "crm", "deals"), 0o755)
	s := record.NewSession("How to create a deal")
	s.Add(record.Action{Kind: record.Click, Window: crm, Image: flat(40, 30, blue), Point: image.Pt(3, 4), HasPoint: true})
	st, _ := s.Stop()
	w, err := record.Write(root, record.Guide{Title: "How to create a deal", Owner: "ann", Today: today, Folder: "crm/deals/"}, st)
	if err != nil {
		t.Fatal(err)
	}
	if w.ID != "crm/deals/how-to-create-a-deal/index.md" || w.File != filepath.Join(root, "crm", "deals", "how-to-create-a-deal", "index.md") {
		t.Fatalf("written %+v", w)
	}
	lintStrict(t, root)
	for _, bad := range []string{"../x", "/etc", ".git", "crm/.hidden", "crm/../../x"} {
		if _, err := record.Write(root, record.Guide{Title: "How to x", Folder: bad}, st); err == nil {
			t.Errorf("folder %q was accepted", bad)
		}
	}
	if _, err := record.Write(root, record.Guide{Title: "How to x", Folder: "nowhere"}, st); err == nil {
		t.Error("a folder that does not exist was accepted")
	}
}
