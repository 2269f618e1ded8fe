package library

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/search"
)

// BenchmarkIndexMixedDocuments scans and indexes (real bleve on disk) a
// library of 200 documents: 50 Word, 40 OpenDocument, 40 HTML, 40 PDF and
// 30 link files, copies of internal/doc's LibreOffice-written fixtures.
func BenchmarkIndexMixedDocuments(b *testing.B) {
	root := b.TempDir()
	t := &testing.T{}
	files := []struct {
		n         int
		ext, from string
	}{{50, "docx", "expenses.docx"}, {40, "odt", "onboarding.odt"}, {40, "html", "expenses-source.html"}, {20, "pdf", "multi.pdf"}, {20, "pdf", "columns.pdf"}}
	for _, f := range files {
		data := docFixture(b, f.from)
		for i := 0; i < f.n; i++ {
			write(t, root, fmt.Sprintf("%s/%s-%d.%s", f.ext, f.from, i, f.ext), data)
		}
	}
	for i := 0; i < 30; i++ {
		write(t, root, fmt.Sprintf("links/wiki-%d.url", i), []byte(fmt.Sprintf("[InternetShortcut]\nURL=https://wiki.example.com/page-%d\n", i)))
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		ix, err := search.Open(filepath.Join(b.TempDir(), fmt.Sprint("index", i)), root)
		if err != nil {
			b.Fatal(err)
		}
		res, err := ScanApply(context.Background(), root, Options{}, 100, func(gs []*guide.Guide) error {
			return ix.Apply(context.Background(), gs, nil)
		})
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Parsed) != 200 {
			b.Fatalf("%d items", len(res.Parsed))
		}
		ix.Close()
	}
}
