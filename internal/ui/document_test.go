package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

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
