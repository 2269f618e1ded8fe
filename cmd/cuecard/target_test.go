//go:build linux

package main

import (
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cuecard/cuecard/internal/focus/focustest"
	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/locate"
	"github.com/cuecard/cuecard/internal/ui/markdown"
)

const targetGuide = `---
title: How to save a deal
summary: Save a new deal in Acme CRM.
format: guide
apps:
  - exe: '^cuecard-testwin$'
owner: ann@example.com
reviewed: 2026-11-01
review_every: 6m
---

Open the deals list first.

1. Click **New deal** to start a deal.

   ![New deal](new-deal.png)

2. Type the customer's name.
   - It must match the contract.
   - Ask sales when unsure.
3. Click **Save**.
`

// TestTargetCommand runs ` + "`cuecard target`" + ` under Xvfb and openbox on
// a real window with coloured "buttons": the click on a button becomes the
// step's target (its comment after the step's image, the click in client
// coordinates, the window's size), the patch holds the window's pixels
// there, and locate finds it again once the window moved. The rest of the
// guide is byte for byte what it was; Esc and a timeout change nothing; a
// second click replaces the step's target; another file's name is never
// overwritten.
func TestTargetCommand(t *testing.T) {
	x := focustest.StartX(t)
	focustest.Require(t, "xdotool", "xwininfo", "import")
	x.StartWM()
	cl := x.Client()
	crm := cl.Open("crm", -1, "acme", "AcmeCRM", "Deals | Acme CRM")
	cl.Size("crm", 400, 300)
	cl.Button("crm", 60, 60, 60, 30, 0x73d216)    // "New deal"
	cl.Button("crm", 130, 70, 40, 40, 0x3465a4)   // a neighbour
	cl.Button("crm", 250, 220, 120, 50, 0xcc0000) // "Save"
	// A window of this test's process, an ancestor of the command: the
	// terminal it would run in.
	term := cl.Open("term", os.Getpid(), "xterm", "XTerm", "bash")
	cl.Size("term", 200, 100)
	cl.Activate("crm")
	x.WaitActive(crm)

	lib := t.TempDir()
	dir := filepath.Join(lib, "crm")
	os.MkdirAll(dir, 0o755)
	file := filepath.Join(dir, "save-a-deal.md")
	os.WriteFile(file, []byte(targetGuide), 0o644)
	writePNG(t, filepath.Join(dir, "new-deal.png"), image.NewRGBA(image.Rect(0, 0, 4, 4)))
	e := append(env(t), x.Env()...)
	e = append(e, "CUECARD_RUNTIME="+t.TempDir(), "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/cuecard-test-bus")
	xdo := func(args ...string) {
		t.Helper()
		c := exec.Command("xdotool", args...)
		c.Env = x.Env()
		if o, err := c.CombinedOutput(); err != nil {
			t.Fatalf("xdotool %v: %v\n%s", args, err, o)
		}
	}
	// target runs the command; act is done once it waits for the click.
	target := func(act func(), args ...string) (code int, stdout, stderr string) {
		t.Helper()
		cmd := exec.Command(binary, append([]string{"--library", lib, "target"}, args...)...)
		cmd.Env = e
		out, errOut := logFile(t, "stdout"), logFile(t, "stderr")
		cmd.Stdout, cmd.Stderr = out.f, errOut.f
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		defer func() {
			cmd.Process.Kill()
			<-done
		}()
		waitFor(t, "the prompt", func() bool {
			select {
			case <-done:
				return true
			default:
			}
			return strings.Contains(errOut.String(), "Esc cancels")
		})
		if act != nil {
			act()
		}
		waitFor(t, "target to end", func() bool {
			select {
			case <-done:
				return true
			default:
				return false
			}
		})
		return cmd.ProcessState.ExitCode(), out.String(), errOut.String()
	}
	click := func(cx, cy int) func() {
		return func() {
			xdo("mousemove", "--sync", "--window", itoa(crm), itoa(uint32(cx)), itoa(uint32(cy)))
			xdo("click", "1")
		}
	}
	unchanged := func(what string) {
		t.Helper()
		if b, _ := os.ReadFile(file); string(b) != targetGuide {
			t.Fatalf("%s changed the guide:\n%s", what, b)
		}
	}

	// Mistakes: said before anything is captured.
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"crm/save-a-deal.md", "4"}, "save-a-deal.md:14: no step 4: the guide has 3 numbered steps (1 to 3)"},
		{[]string{"crm/nothing.md", "1"}, "no guide crm/nothing.md"},
		{[]string{"crm/save-a-deal.md", "two"}, "is not a step number"},
	} {
		r := run(t, e, append([]string{"--library", lib, "target"}, c.args...)...)
		if r.code == 0 || !strings.Contains(r.stderr, c.want) {
			t.Errorf("target %v: exit %d, %q; want %q", c.args, r.code, r.stderr, c.want)
		}
	}
	var noDisplay []string
	for _, kv := range e {
		if !strings.HasPrefix(kv, "DISPLAY=") {
			noDisplay = append(noDisplay, kv)
		}
	}
	if r := run(t, noDisplay, "--library", lib, "target", "How to save a deal", "1"); r.code != 1 || !strings.Contains(r.stderr, "no display") {
		t.Errorf("without a display: exit %d, %q", r.code, r.stderr)
	}
	// Esc, and no click in time: nothing changes.
	if code, _, errOut := target(func() { xdo("key", "Escape") }, "crm/save-a-deal.md", "1"); code != 1 || !strings.Contains(errOut, "cancelled") {
		t.Errorf("Esc: exit %d, %q", code, errOut)
	}
	if code, _, errOut := target(nil, "--timeout", "1s", "crm/save-a-deal.md", "1"); code != 1 || !strings.Contains(errOut, "no click within 1s") {
		t.Errorf("timeout: exit %d, %q", code, errOut)
	}
	unchanged("Esc or a timeout")
	if _, err := os.Stat(filepath.Join(dir, "step-01-target.png")); err == nil {
		t.Fatal("a patch was written without a click")
	}

	// Step 1, named by its title, clicked in the middle of "New deal".
	code, out, errOut := target(click(90, 75), "How to save a deal", "1")
	if code != 0 {
		t.Fatalf("target: exit %d\n%s%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "Click where step 1 is (Click New deal to start a deal.) in the app; Esc cancels.") {
		t.Errorf("prompt %q", errOut)
	}
	md, _ := os.ReadFile(file)
	g, probs := guide.Parse("crm/save-a-deal.md", md)
	if g == nil || len(g.Clicks) != 1 {
		t.Fatalf("clicks: %+v %v\n%s", g, probs, md)
	}
	c := g.Clicks[0]
	win := winRect(t, x, itoa(crm))
	if abs(c.At.X-90) > 1 || abs(c.At.Y-75) > 1 || c.Size != win.Size() || c.InPatch != image.Pt(48, 48) || c.Line != 17 ||
		c.Patch != "step-01-target.png" || c.App != "AcmeCRM" || c.Window.Exe != "^cuecard-testwin$" {
		t.Errorf("target %+v; want the click at 90,75 of the %v window, line 17", c, win.Size())
	}
	line := strings.Split(string(md), "\n")[c.Line-1]
	want := strings.Replace(targetGuide, "   ![New deal](new-deal.png)\n", "   ![New deal](new-deal.png)\n"+line+"\n", 1)
	if string(md) != want || !strings.HasPrefix(line, "   <!-- cuecard-target ") {
		t.Errorf("the guide is not the old one plus the comment line:\n%s", md)
	}
	if !strings.Contains(out, "Step 1 of crm/save-a-deal.md") {
		t.Errorf("stdout %q", out)
	}
	lint := run(t, e, "lint", "--strict", lib)
	if lint.code != 0 {
		t.Errorf("lint --strict: %d\n%s%s", lint.code, lint.stdout, lint.stderr)
	}

	// The patch is the window's pixels around the click.
	patch := readImage(t, filepath.Join(dir, c.Patch))
	if patch.Bounds().Size() != image.Pt(96, 96) {
		t.Fatalf("patch %v", patch.Bounds())
	}
	screen := shoot(t, x)
	at := win.Min.Add(c.At).Sub(c.InPatch)
	for y := 0; y < 96; y++ {
		for xx := 0; xx < 96; xx++ {
			got, want := color.RGBAModel.Convert(patch.At(xx, y)), color.RGBAModel.Convert(screen.At(at.X+xx, at.Y+y))
			if got != want {
				t.Fatalf("patch pixel %d,%d is %v, the window's is %v", xx, y, got, want)
			}
		}
	}
	if got := color.RGBAModel.Convert(patch.At(48, 48)); got != (color.RGBA{0x73, 0xd2, 0x16, 0xff}) {
		t.Errorf("the patch's middle is %v, not the button's green", got)
	}

	// The window moved: locate finds the patch where the button is now.
	xdo("windowmove", "--sync", itoa(crm), "560", "260")
	waitFor(t, "the window to move", func() bool { return winRect(t, x, itoa(crm)).Min != win.Min })
	moved := winRect(t, x, itoa(crm))
	if scr := screen.Bounds(); !moved.In(scr) {
		t.Fatalf("the window moved off the %v screen: %v", scr.Size(), moved)
	}
	m, ok := locate.Find(locate.FromImage(shoot(t, x)), locate.FromImage(patch), locate.Options{})
	wantAt := moved.Min.Add(c.At).Sub(c.InPatch)
	if !ok || abs(m.Rect.Min.X-wantAt.X) > 1 || abs(m.Rect.Min.Y-wantAt.Y) > 1 {
		t.Errorf("locate: %+v ok=%v in the moved window; want the patch at %v", m, ok, wantAt)
	}
	t.Logf("located at %v (score %.3f) after the window moved from %v to %v", m.Rect.Min, m.Score, win.Min, moved.Min)

	// Step 1 again, on "Save": its comment and its own patch are replaced.
	before := string(md)
	if code, out, errOut := target(click(310, 245), "crm/save-a-deal.md", "1"); code != 0 {
		t.Fatalf("again: exit %d\n%s%s", code, out, errOut)
	}
	md, _ = os.ReadFile(file)
	g, _ = guide.Parse("crm/save-a-deal.md", md)
	if g == nil || len(g.Clicks) != 1 || abs(g.Clicks[0].At.X-310) > 1 || g.Clicks[0].Patch != "step-01-target.png" ||
		string(md) != strings.Replace(before, line, strings.Split(string(md), "\n")[16], 1) {
		t.Errorf("after the second click:\n%s", md)
	}
	if got := color.RGBAModel.Convert(readImage(t, filepath.Join(dir, "step-01-target.png")).At(48, 48)); got != (color.RGBA{0xcc, 0, 0, 0xff}) {
		t.Errorf("the replaced patch's middle is %v, not Save's red", got)
	}

	// Step 3 has no image: the comment goes after its text. Another
	// file is already called step-03-target.png: it is kept.
	other := filepath.Join(dir, "step-03-target.png")
	os.WriteFile(other, []byte("another guide's"), 0o644)
	inTerm := func() {
		xdo("mousemove", "--sync", "--window", itoa(term), "50", "50")
		xdo("click", "1")
		click(150, 90)()
	}
	if code, out, errOut := target(inTerm, "crm/save-a-deal", "3"); code != 0 || !strings.Contains(errOut, "the patch is save-a-deal-step-03-target.png") {
		t.Fatalf("step 3: exit %d\n%s%s", code, out, errOut)
	}
	if b, _ := os.ReadFile(other); string(b) != "another guide's" {
		t.Error("another file was overwritten")
	}
	md, _ = os.ReadFile(file)
	g, _ = guide.Parse("crm/save-a-deal.md", md)
	if g == nil || len(g.Clicks) != 2 || g.Clicks[1].Patch != "save-a-deal-step-03-target.png" || abs(g.Clicks[1].At.X-150) > 1 || abs(g.Clicks[1].At.Y-90) > 1 || !strings.HasSuffix(string(md), "3. Click **Save**.\n"+strings.Split(string(md), "\n")[22]+"\n") {
		t.Errorf("step 3:\n%s", md)
	}
	if lint := run(t, e, "lint", "--strict", lib); lint.code != 0 {
		t.Errorf("lint --strict: %d\n%s%s", lint.code, lint.stdout, lint.stderr)
	}
	// The viewer's steps are the same three, and show nothing of the
	// comments.
	steps := markdown.Steps(g)
	if len(steps) != 3 || steps[0].Step.Text != "Click New deal to start a deal." || steps[2].Step.Text != "Click Save." {
		t.Errorf("viewer steps %+v", steps)
	}
	for _, st := range steps {
		for _, r := range st.Runs {
			if strings.Contains(r.Text, "cuecard-target") || strings.Contains(r.Text, "patch=") {
				t.Errorf("the viewer shows %q", r.Text)
			}
		}
	}
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// shoot is the screen now.
func shoot(t *testing.T, x *focustest.X) image.Image {
	t.Helper()
	p := filepath.Join(t.TempDir(), "screen.png")
	if err := x.Screenshot(p); err != nil {
		t.Fatal(err)
	}
	return readImage(t, p)
}

func readImage(t *testing.T, p string) image.Image {
	t.Helper()
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	return m
}

func writePNG(t *testing.T, p string, m image.Image) {
	t.Helper()
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, m); err != nil {
		t.Fatal(err)
	}
}
