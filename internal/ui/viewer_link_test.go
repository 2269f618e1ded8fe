package ui

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// TestViewerCopyLink: "Copy link" copies the guide's cuecard:// link;
// when the library is published on the web it offers that link or the
// guide's page there in a menu.
func TestViewerCopyLink(t *testing.T) {
	newApp(t)
	lib := sampleLibrary(t)
	g := sampleGuide(t, "sales/monthly-sales-report.md")

	var o opened
	w := show(t, NewViewer(g, ViewerConfig{Library: lib, Opener: o.opener()}), ViewerSize)
	test.Tap(button(t, w.Content(), "Copy link"))
	if fmt.Sprint(o.copied) != "[cuecard://guide/sales/monthly-sales-report.md]" {
		t.Errorf("copied %v", o.copied)
	}
	button(t, w.Content(), "Link copied")
	if top := w.Canvas().Overlays().Top(); top != nil {
		t.Errorf("a menu without web_base: %T", top)
	}

	for i, want := range []string{"cuecard://guide/sales/monthly-sales-report.md", "https://wiki.example.com/guides/sales/monthly-sales-report/"} {
		o = opened{}
		w = show(t, NewViewer(g, ViewerConfig{Library: lib, Opener: o.opener(), WebBase: "https://wiki.example.com/guides/"}), ViewerSize)
		test.Tap(button(t, w.Content(), "Copy link"))
		var menus []*widget.PopUpMenu
		if top := w.Canvas().Overlays().Top(); top != nil {
			menus = findAll[*widget.PopUpMenu](top)
		}
		if len(menus) != 1 || len(menus[0].Items) != 2 {
			t.Fatalf("no menu of two links: %d menus", len(menus))
		}
		test.Tap(menus[0].Items[i].(fyne.Tappable))
		if fmt.Sprint(o.copied) != "["+want+"]" {
			t.Errorf("menu item %d copied %v, want %s", i, o.copied, want)
		}
		button(t, w.Content(), "Link copied")
	}

	// Without an Opener there is nothing to copy with.
	w = show(t, NewViewer(g, ViewerConfig{Library: lib}), ViewerSize)
	if findButton(w.Content(), "Copy link") != nil {
		t.Error("Copy link without an Opener")
	}
}
