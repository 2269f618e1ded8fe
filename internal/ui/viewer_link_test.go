package ui

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2/test"
)

// TestViewerCopyLink: "Copy link" copies the guide's cuecard:// link;
// "Copy web link" is offered when the library is published on the web,
// and copies the guide's page there.
func TestViewerCopyLink(t *testing.T) {
	newApp(t)
	lib := sampleLibrary(t)
	g := sampleGuide(t, "sales/monthly-sales-report.md")

	var o opened
	w := show(t, NewViewer(g, ViewerConfig{Library: lib, Opener: o.opener()}), ViewerSize)
	if findButton(w.Content(), "Copy web link") != nil {
		t.Error("a web link offered without web_base")
	}
	test.Tap(button(t, w.Content(), "Copy link"))
	if fmt.Sprint(o.copied) != "[cuecard://guide/sales/monthly-sales-report.md]" {
		t.Errorf("copied %v", o.copied)
	}
	button(t, w.Content(), "Link copied")

	o = opened{}
	w = show(t, NewViewer(g, ViewerConfig{Library: lib, Opener: o.opener(), WebBase: "https://wiki.example.com/guides/"}), ViewerSize)
	test.Tap(button(t, w.Content(), "Copy web link"))
	test.Tap(button(t, w.Content(), "Copy link"))
	if fmt.Sprint(o.copied) != "[https://wiki.example.com/guides/sales/monthly-sales-report/ cuecard://guide/sales/monthly-sales-report.md]" {
		t.Errorf("copied %v", o.copied)
	}

	// Without an Opener there is nothing to copy with.
	w = show(t, NewViewer(g, ViewerConfig{Library: lib}), ViewerSize)
	if findButton(w.Content(), "Copy link") != nil {
		t.Error("Copy link without an Opener")
	}
}
