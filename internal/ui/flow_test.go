package ui

import (
	"math"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

func TestSnippetRuns(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"the «VPN» drops", "the |*VPN*| drops"},
		{"«a» and «b»", "*a*| and |*b*"},
		{"no marks", "no marks"},
		{"open «end", "open |*end*"},
		{"stray» mark", "stray mark"},
		{"  spaces\n folded ", "spaces folded"},
		{"", ""},
	} {
		var parts []string
		for _, r := range snippetRuns(tc.in) {
			if r.style.bold {
				parts = append(parts, "*"+r.text+"*")
			} else {
				parts = append(parts, r.text)
			}
		}
		if got := strings.Join(parts, "|"); got != tc.want {
			t.Errorf("snippetRuns(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// flowText breaks lines only between words, whatever the styles, and
// keeps every line within its width.
func TestFlowTextWraps(t *testing.T) {
	newApp(t)
	runs := []textRun{
		{text: "Your guides live in "},
		{text: "/home/jana/.local/share/cuecard/library", style: textStyle{mono: true}},
		{text: ". It holds a sample library to start from; add one with "},
		{text: "cuecard new", style: textStyle{mono: true}},
		{text: " or "},
		{text: "read the docs", onTap: func() {}},
		{text: ". Done", style: textStyle{bold: true}},
		{text: "\nSecond line."},
	}
	for _, width := range []float32{120, 200, 260, 333, 410, 800} {
		f := newFlowText(runs...)
		show(t, f, fyne.NewSize(width, 400))
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
