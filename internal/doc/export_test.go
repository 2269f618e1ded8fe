package doc

import "testing"

// expenses-export.html is LibreOffice's HTML export of expenses.docx
// (soffice --convert-to html): a web page as an office suite writes it,
// read to the same Markdown as the document itself.
func TestHTMLExportOfWordDocument(t *testing.T) {
	d, err := ParseHTML(read(t, "expenses-export.html"))
	if err != nil {
		t.Fatal(err)
	}
	if d.Markdown != wantExpenses || d.Title != "How to submit an expense claim" {
		t.Errorf("title %q, markdown:\n%s\nwant:\n%s", d.Title, d.Markdown, wantExpenses)
	}
}
