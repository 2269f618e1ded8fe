package guide

import (
	"image"
	"strings"
	"testing"
)

func TestClickTargetRoundTrip(t *testing.T) {
	want := ClickTarget{Patch: "step-01-target.png", At: image.Pt(337, 186), Size: image.Pt(800, 600), InPatch: image.Pt(48, 40),
		App: "Acme CRM", Window: MustRule(`^acme$`, `^Acme "CRM"$`, "")}
	s := want.String()
	if !strings.HasPrefix(s, "<!-- cuecard-target patch=step-01-target.png x=337 y=186 w=800 h=600 dx=48 dy=40 app=\"Acme CRM\"") || !strings.HasSuffix(s, " -->") {
		t.Fatalf("String() = %s", s)
	}
	got, err := ParseClickTarget(s)
	if err != nil {
		t.Fatal(err)
	}
	if got.Patch != want.Patch || got.At != want.At || got.Size != want.Size || got.InPatch != want.InPatch || got.App != want.App ||
		got.Window.String() != want.Window.String() {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, want)
	}
	if x, y := got.Rel(); x < 0.42 || x > 0.43 || y < 0.30 || y > 0.32 {
		t.Errorf("Rel = %v, %v", x, y)
	}
	if !got.Window.Match(Window{Exe: "acme", Class: `Acme "CRM"`}) || got.Window.Match(Window{Exe: "other"}) {
		t.Error("window rule does not match as written")
	}
}

func TestClickTargetErrors(t *testing.T) {
	for in, want := range map[string]string{
		"<!-- cuecard-target x=1 y=1 w=2 h=2 dx=0 dy=0 -->":                   "no patch",
		"<!-- cuecard-target patch=a.png x=1 y=1 w=2 h=2 dx=0 -->":            "no dy",
		"<!-- cuecard-target patch=a.png x=5 y=1 w=2 h=2 dx=0 dy=0 -->":       "outside the 2x2 window",
		"<!-- cuecard-target patch=a.png x=a y=1 w=2 h=2 dx=0 dy=0 -->":       "x=a is not a whole number",
		"<!-- cuecard-target patch=a.png x=1 y=1 w=0 h=2 dx=0 dy=0 -->":       "empty",
		`<!-- cuecard-target patch="a.png x=1 -->`:                            "bad quoted string",
		"<!-- cuecard-target patch=a.png patch=b.png -->":                     "given twice",
		"<!-- cuecard-target patch=a.png x=1 y=1 w=2 h=2 dx=0 dy=0":           "not closed",
		"<!-- cuecard-target patch=/etc/a.png x=1 y=1 w=2 h=2 dx=0 dy=0 -->":  "relative to the guide",
		"<!-- cuecard-target patch=a.png x=1 y=1 w=2 h=2 dx=0 dy=0 exe=( -->": "window rule",
		"<!-- cuecard-target patch=a.png stray x=1 y=1 w=2 h=2 dx=0 dy=0 -->": "not key=value",
	} {
		_, err := ParseClickTarget(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseClickTarget(%q) = %v, want an error with %q", in, err, want)
		}
	}
	// Unknown keys are for later versions.
	if _, err := ParseClickTarget("<!-- cuecard-target patch=a.png x=1 y=1 w=2 h=2 dx=0 dy=0 scroll=3 -->"); err != nil {
		t.Errorf("an unknown key: %v", err)
	}
}

func TestGuideClicks(t *testing.T) {
	src := "---\ntitle: How to save a deal\n---\n" +
		"1. Click **New deal**.\n\n   ![Step 1](step-01.png)\n   <!-- cuecard-target patch=step-01-target.png x=70 y=40 w=400 h=300 dx=48 dy=40 app=AcmeCRM exe=^acme$ -->\n\n" +
		"2. Type the name.\n\n" +
		"3. Click **Save**.\n\n   <!-- cuecard-target patch=step-03-target.png x=500 y=40 w=400 h=300 dx=48 dy=40 -->\n\n" +
		"4. Click **Close**.\n\n   <!-- cuecard-target patch=step-04-target.png x=1 -->\n"
	g, ps := Parse("crm/save.md", []byte(src))
	if g == nil {
		t.Fatalf("not parsed: %v", ps)
	}
	if len(g.Clicks) != 1 || g.Clicks[0].Line != 7 || g.Clicks[0].App != "AcmeCRM" || g.Clicks[0].At != image.Pt(70, 40) {
		t.Fatalf("Clicks = %+v", g.Clicks)
	}
	var bad []Problem
	for _, p := range ps {
		if p.Code == "bad-target" {
			bad = append(bad, p)
		}
	}
	if len(bad) != 2 || bad[0].Line != 13 || !strings.Contains(bad[0].Message, "outside the 400x300 window") ||
		bad[1].Line != 17 || !strings.Contains(bad[1].Message, "no y") || bad[0].Level != LevelWarning {
		t.Fatalf("bad-target problems = %+v", bad)
	}
	var patch bool
	for _, l := range g.Links {
		patch = patch || l.Kind == LinkImage && l.Dest == "step-01-target.png" && l.Line == 7
	}
	if !patch {
		t.Errorf("the patch is not among the guide's images: %+v", g.Links)
	}
	if strings.Contains(g.Text, "cuecard-target") {
		t.Errorf("the comment is in the indexed text: %q", g.Text)
	}
}

func FuzzClickTarget(f *testing.F) {
	f.Add(ClickTarget{Patch: "a b.png", At: image.Pt(3, 4), Size: image.Pt(10, 10), App: `x"y`}.String())
	f.Add("<!-- cuecard-target patch=a.png x=1 y=1 w=2 h=2 dx=0 dy=0 -->")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseClickTarget(s)
		if err != nil {
			return
		}
		again, err := ParseClickTarget(c.String())
		if err != nil {
			t.Fatalf("String() of a parsed target does not parse: %q: %v", c.String(), err)
		}
		if again.Patch != c.Patch || again.At != c.At || again.Size != c.Size || again.App != c.App || again.Window.String() != c.Window.String() {
			t.Fatalf("round trip: %+v != %+v", again, c)
		}
	})
}
