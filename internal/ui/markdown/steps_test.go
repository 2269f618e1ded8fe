package markdown

import (
	"strings"
	"testing"

	"github.com/cuecard/cuecard/internal/guide"
)

func TestSteps(t *testing.T) {
	src := "---\ntitle: Save a report\n---\n# Save a report\n\nIntro.\n\n" +
		"## Export\n\n1. Open **Reports**.\n\n   ![The menu](img/1.png)\n2. Click `Export`.\n   1. nested, not a step\n\n" +
		"- a bullet, not a step\n\n## Check\n\n- [ ] Totals agree\n- [x] Sent to *leadership*\n  - [ ] Nested task\n\n> 1. quoted, not a step\n"
	g, ps := guide.Parse("report.md", []byte(src))
	if g == nil {
		t.Fatal(ps)
	}
	steps := Steps(g)
	var got []string
	for _, s := range steps {
		var b strings.Builder
		for _, r := range s.Runs {
			b.WriteString(r.Text)
		}
		got = append(got, s.Section+": "+b.String())
	}
	want := []string{"Export: Open Reports.", "Export: Click Export.", "Check: Totals agree", "Check: Sent to leadership", "Check: Nested task"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("steps\n%q\nwant\n%q", got, want)
	}
	if steps[0].Step.ID != "" || steps[0].Known {
		t.Errorf("a numbered step has an id: %+v", steps[0].Step)
	}
	if !steps[0].Runs[1].Style.Bold {
		t.Errorf("bold lost: %+v", steps[0].Runs)
	}
	for i, s := range steps[2:] {
		if !s.Known || s.Step.ID != g.Steps[i].ID {
			t.Errorf("checklist step %d: %+v, want the guide's %+v", i, s.Step, g.Steps[i])
		}
	}
	if !steps[3].Step.Checked {
		t.Error("the ticked step is not ticked")
	}
	if n := len(Steps(&guide.Guide{Body: "Just text."})); n != 0 {
		t.Errorf("a guide without lists has %d steps", n)
	}
}
