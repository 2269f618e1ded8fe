package ui

import (
	"io/fs"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/cuecard/cuecard/internal/guide"
)

// FuzzViewer renders arbitrary guides: the viewer must never panic. fyne's
// test windows keep their widgets' renderers cached after Close, so the
// workers grow by tens of MB a second: fuzz for a minute or two at a time.
func FuzzViewer(f *testing.F) {
	lib := sampleLibrary(f)
	// One sample guide of each kind of content (the whole library makes
	// the seed run slow under -race).
	for _, id := range []string{"sales/monthly-sales-report.md", "it/common-system-errors-faq.md",
		"sales/pricing-tiers.md", "office/set-up-your-email-signature.md", "it/terminal-commands.md"} {
		data, err := fs.ReadFile(lib, id)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(data))
	}
	f.Add("- [ ] a\n  - [x] b\n    > c\n| x |\n|---|\n| ![i](../../i.png) |\n")
	f.Add("> - [ ] quoted task\n\n1. one\n   ```\n   code\n   ```\n")
	test.NewApp()
	f.Fuzz(func(t *testing.T, text string) {
		g, _ := guide.Parse("a/g.md", []byte(text))
		if g == nil {
			return
		}
		v := NewViewer(g, ViewerConfig{Library: lib, Progress: fakeProgress{}, Feedback: fakeFeedback{}, Opener: fakeOpener{}})
		w := test.NewWindow(v)
		w.Resize(fyne.NewSize(300, 300))
		for _, s := range g.Sections {
			v.ShowAnchor(s.Anchor)
		}
		w.Close()
	})
}
