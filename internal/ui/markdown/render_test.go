package markdown

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/ui/kit"
)

// Render hands each checklist step to Options.Step with its text, links
// going through OnLink; without OnLink a link is plain text, and without
// Step the items are still shown.
func TestRenderOptions(t *testing.T) {
	test.NewTempApp(t)
	g, problems := guide.Parse("it/list.md", []byte("---\nformat: checklist\n---\n# List\n\n- [ ] Read [the policy](https://example.com/policy)\n- [x] Ask [IT](../it/help.md#vpn)\n\n## More\n\nText.\n"))
	if g == nil {
		t.Fatalf("parse: %v", problems)
	}
	type step struct {
		s     guide.Step
		known bool
		text  []kit.Run
	}
	var steps []step
	var links []guide.Target
	pre, sections := Render(g, Options{
		OnLink: func(l guide.Target) { links = append(links, l) },
		Step: func(s guide.Step, known bool, text []kit.Run) fyne.CanvasObject {
			steps = append(steps, step{s, known, text})
			return kit.NewFlowText(text...)
		},
	})
	if len(pre) != 2 || len(sections) != 1 || sections[0].Title != "More" || sections[0].Anchor != "more" || len(sections[0].Blocks) != 1 {
		t.Fatalf("%d blocks before %d sections %+v", len(pre), len(sections), sections)
	}
	if len(steps) != 2 || !steps[0].known || steps[0].s.ID != g.Steps[0].ID || !steps[1].s.Checked {
		t.Fatalf("steps %+v", steps)
	}
	for _, st := range steps {
		last := st.text[len(st.text)-1]
		if last.OnTap == nil {
			t.Fatalf("link %q cannot be followed", last.Text)
		}
		last.OnTap()
	}
	want := []guide.Target{{Kind: guide.TargetURL, URL: "https://example.com/policy"}, {Kind: guide.TargetGuide, ID: "it/help.md", Anchor: "vpn"}}
	if len(links) != 2 || links[0] != want[0] || links[1] != want[1] {
		t.Errorf("links %+v, want %+v", links, want)
	}

	steps = nil
	pre, _ = Render(g, Options{Step: func(s guide.Step, known bool, text []kit.Run) fyne.CanvasObject {
		steps = append(steps, step{s, known, text})
		return kit.NewFlowText(text...)
	}})
	if len(steps) != 2 || len(pre) != 2 {
		t.Fatalf("%d steps, %d blocks", len(steps), len(pre))
	}
	for _, st := range steps {
		for _, r := range st.text {
			if r.OnTap != nil {
				t.Errorf("%q is a link without OnLink", r.Text)
			}
		}
	}
	if pre, _ := Render(g, Options{}); len(pre) != 2 {
		t.Errorf("%d blocks without Step, want the 2 items", len(pre))
	}
}

// Backslash escapes are resolved, in plain and in bold text: a recorded
// step naming an app with Markdown syntax in its name shows the name.
func TestRenderEscapes(t *testing.T) {
	test.NewTempApp(t)
	g, problems := guide.Parse("a/index.md", []byte("---\nformat: guide\n---\n1. Click in **\\*Acme\\* \\[CRM\\] \\<x\\> \\& \\`co\\`**.\n\n2. Press **Ctrl+\\***.\n\n3. Click in \\*Untitled 1.\n"))
	if g == nil {
		t.Fatalf("parse: %v", problems)
	}
	pre, _ := Render(g, Options{})
	var got []string
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *kit.FlowText:
			if s := x.String(); !strings.HasSuffix(s, "1.") && !strings.HasSuffix(s, "2.") && !strings.HasSuffix(s, "3.") || len(s) > 2 {
				got = append(got, s)
			}
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		}
	}
	for _, o := range pre {
		walk(o)
	}
	want := []string{"Click in *Acme* [CRM] <x> & `co`.", "Press Ctrl+*.", "Click in *Untitled 1."}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("shown:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
