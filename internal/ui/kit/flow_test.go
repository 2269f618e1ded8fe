package kit

import (
	"math"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// FlowText breaks lines only between words, whatever the styles, and
// keeps every line within its width.
func TestFlowTextWraps(t *testing.T) {
	test.NewTempApp(t)
	runs := []Run{
		{Text: "Your guides live in "},
		{Text: "/home/jana/.local/share/cuecard/library", Style: Style{Mono: true}},
		{Text: ". It holds a sample library to start from; add one with "},
		{Text: "cuecard new", Style: Style{Mono: true}},
		{Text: " or "},
		{Text: "read the docs", OnTap: func() {}},
		{Text: ". Done", Style: Style{Bold: true}},
		{Text: "\nSecond line."},
	}
	for _, width := range []float32{120, 200, 260, 333, 410, 800} {
		f := NewFlowText(runs...)
		w := test.NewTempWindow(t, f)
		w.SetPadded(false)
		// The test canvas does not lay out again when a minimum size
		// changes after a resize: resize a few times to let lines settle.
		for range 3 {
			w.Resize(fyne.NewSize(width+1, 400))
			w.Resize(fyne.NewSize(width, 400))
		}
		r := test.WidgetRenderer(f).(*flowRenderer)
		avail := width - 2*r.pad().Width
		var rows []string
		lines := r.lines(avail)
		for _, l := range lines {
			row := ""
			breakable := false
			for i := l.first; i < l.end; i++ {
				tok := r.tokens[i]
				if tok.brk {
					continue
				}
				row += tok.text.Text
				if tok.space && i < l.end-1 {
					breakable = true
				}
				// Words of a line share its row on screen.
				first := r.tokens[l.first]
				if y := tok.obj.Position().Y + tok.size.Height; i > l.first && math.Abs(float64(y-first.obj.Position().Y-first.size.Height)) > 1 {
					t.Errorf("width %v: %q not on its line's baseline", width, tok.text.Text)
				}
			}
			if l.width > avail && breakable {
				t.Errorf("width %v: line %q is %v wide, over %v, though it could break", width, row, l.width, avail)
			}
			rows = append(rows, row)
		}
		all := strings.Join(rows, "")
		if want := "Your guides live in /home/jana/.local/share/cuecard/library. It holds a sample library to start from; add one with cuecard new or read the docs. DoneSecond line."; all != want {
			t.Errorf("width %v: text %q", width, all)
		}
		if !strings.HasPrefix(rows[len(rows)-1], "Second") {
			t.Errorf("width %v: no line break before %q", width, rows[len(rows)-1])
		}
		if h := f.MinSize().Height; h < float32(len(rows))*15 {
			t.Errorf("width %v: min height %v for %d lines", width, h, len(rows))
		}
		t.Logf("%v: %q", width, rows)
	}
}
