package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	lib "github.com/cuecard/cuecard/internal/library"
)

// TestViewerShowsWordDocument renders a Word file that LibreOffice wrote
// (internal/doc/testdata) as the library reads it: its headings, list and
// table, and opens the file itself in the desktop's program.
func TestViewerShowsWordDocument(t *testing.T) {
	newApp(t)
	root := t.TempDir()
	data, err := os.ReadFile(filepath.Join("..", "doc", "testdata", "expenses.docx"))
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(root, "finance"), 0o755)
	if err := os.WriteFile(filepath.Join(root, "finance", "expenses.docx"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	g, ps := lib.ParseFile("finance/expenses.docx", filepath.Join(root, "finance", "expenses.docx"))
	if g == nil {
		t.Fatal(ps)
	}
	var o opened
	w := show(t, NewViewer(g, ViewerConfig{Library: os.DirFS(root), Opener: o.opener()}), ViewerSize)
	wantText(t, w.Content(), "How to submit an expense claim", "Before you start", "Keep the receipt", "Ask your manager for it",
		"Attach the receipt photo", "Limits", "Hotel per night", "150 EUR")
	capture(t, w, "viewer-word-document")
	test.Tap(button(t, w.Content(), "Open document"))
	if fmt.Sprint(o.files) != "[finance/expenses.docx]" {
		t.Errorf("opened %v", o.files)
	}
}

// TestViewerShowsPDFPage shows a PDF found at its second page: the viewer
// scrolls to that page's text, and Open document opens the PDF.
func TestViewerShowsPDFPage(t *testing.T) {
	newApp(t)
	root := t.TempDir()
	data, err := os.ReadFile(filepath.Join("..", "doc", "testdata", "multi.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "report.pdf"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	g, ps := lib.ParseFile("report.pdf", filepath.Join(root, "report.pdf"))
	if g == nil {
		t.Fatal(ps)
	}
	var o opened
	v := NewViewer(g, ViewerConfig{Opener: o.opener()})
	w := show(t, v, fyne.NewSize(600, 300))
	wantText(t, w.Content(), "Page 1", "Русский текст", "Page 2", "receipts go to the finance mailbox")
	v.ShowAnchor("page-2")
	settle(w)
	if v.scroll.Offset.Y == 0 {
		t.Error("the viewer did not scroll to page 2")
	}
	test.Tap(button(t, w.Content(), "Open document"))
	if fmt.Sprint(o.files) != "[report.pdf]" {
		t.Errorf("opened %v", o.files)
	}
}

// TestViewerOpensGoogleDocument shows a Google Drive shortcut: Open in
// browser opens the document's page.
func TestViewerOpensGoogleDocument(t *testing.T) {
	newApp(t)
	root := t.TempDir()
	p := filepath.Join(root, "Quarterly plan.gdoc")
	if err := os.WriteFile(p, []byte(`{"doc_id":"1AbCdEfGhIjKlMnOpQrStUvWxYz","email":"kim@example.com"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	g, ps := lib.ParseFile("Quarterly plan.gdoc", p)
	if g == nil {
		t.Fatal(ps)
	}
	var o opened
	w := show(t, NewViewer(g, ViewerConfig{Opener: o.opener()}), ViewerSize)
	test.Tap(button(t, w.Content(), "Open in browser"))
	if fmt.Sprint(o.urls) != "[https://docs.google.com/document/d/1AbCdEfGhIjKlMnOpQrStUvWxYz/edit]" {
		t.Errorf("opened %v", o.urls)
	}
}

// pageOpener records the pages a PDF is opened at.
type pageOpener struct {
	fakeOpener
	pages []string
}

func (p *pageOpener) OpenFilePage(rel string, page int) error {
	p.pages = append(p.pages, fmt.Sprintf("%s@%d", rel, page))
	return nil
}

// TestViewerOpensPDFAtPage: a PDF shown at a page opens at that page.
func TestViewerOpensPDFAtPage(t *testing.T) {
	newApp(t)
	root := t.TempDir()
	data, err := os.ReadFile(filepath.Join("..", "doc", "testdata", "multi.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(root, "report.pdf"), data, 0o644)
	g, ps := lib.ParseFile("report.pdf", filepath.Join(root, "report.pdf"))
	if g == nil {
		t.Fatal(ps)
	}
	var o opened
	po := &pageOpener{fakeOpener: o.opener()}
	v := NewViewer(g, ViewerConfig{Opener: po})
	w := show(t, v, fyne.NewSize(600, 300))
	v.ShowAnchor("page-2")
	test.Tap(button(t, w.Content(), "Open document"))
	v.ShowAnchor("")
	test.Tap(button(t, w.Content(), "Open document"))
	if fmt.Sprint(po.pages) != "[report.pdf@2]" || fmt.Sprint(o.files) != "[report.pdf]" {
		t.Errorf("pages %v files %v", po.pages, o.files)
	}
}
