package doc

import (
	"errors"
	"strings"
	"testing"
)

// The PDFs in testdata: expenses, multi (Russian, Japanese, Greek, a
// table, two pages) and columns (two text columns) written by LibreOffice
// 7.4 from the *-source files; positioned.pdf by Ghostscript's ps2pdf from
// positioned.ps, which draws each word on its own (no spaces in the text);
// scan.pdf an image of a page only (Ghostscript: the expenses PDF as a
// JPEG, made a PDF again); encrypted.pdf and owner-only.pdf are
// positioned.pdf encrypted by Ghostscript (RC4 128-bit) with a user
// password, and with an owner password only (it opens without one). The *.pdftotext files are poppler's pdftotext
// of each page (pages end with a form feed): the reference.

// overlap is the share of the reference's words found in got (each found
// once) and of its adjacent word pairs (reading order and word breaks).
func overlap(ref, got string) (words, pairs float64) {
	rw, gw := strings.Fields(ref), strings.Fields(got)
	if len(rw) == 0 {
		if len(gw) == 0 {
			return 1, 1
		}
		return 0, 0
	}
	have := map[string]int{}
	for _, w := range gw {
		have[w]++
	}
	hit := 0
	for _, w := range rw {
		if have[w] > 0 {
			have[w]--
			hit++
		}
	}
	pair := map[string]int{}
	for i := 0; i+1 < len(gw); i++ {
		pair[gw[i]+" "+gw[i+1]]++
	}
	ph := 0
	for i := 0; i+1 < len(rw); i++ {
		if k := rw[i] + " " + rw[i+1]; pair[k] > 0 {
			pair[k]--
			ph++
		}
	}
	words = float64(hit) / float64(len(rw))
	pairs = words
	if len(rw) > 1 {
		pairs = float64(ph) / float64(len(rw)-1)
	}
	return words, pairs
}

func TestPDFTextAgainstPdftotext(t *testing.T) {
	for _, c := range []struct {
		name         string
		words, pairs float64 // the least accepted
		title        string
	}{
		{"expenses", 1, 1, "How to submit an expense claim"},
		{"multi", 0.95, 0.9, "Отчёт о поездке / 出張報告"},
		{"columns", 1, 1, "Warehouse safety rules"},
		{"positioned", 1, 0.85, "Lock the office door and set the alarm with your personal code before"},
		{"scan", 1, 1, ""},
	} {
		d, err := ParsePDF(read(t, c.name+".pdf"))
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		ref := strings.Split(strings.TrimSuffix(string(read(t, c.name+".pdftotext")), "\f"), "\f")
		if len(d.Pages) != len(ref) {
			t.Errorf("%s: %d pages, want %d", c.name, len(d.Pages), len(ref))
			continue
		}
		for i := range ref {
			w, p := overlap(ref[i], d.Pages[i])
			t.Logf("%s page %d: words %.0f%%, word pairs %.0f%%", c.name, i+1, w*100, p*100)
			if w < c.words || p < c.pairs {
				t.Errorf("%s page %d: words %.2f pairs %.2f, want at least %.2f %.2f:\n%s", c.name, i+1, w, p, c.words, c.pairs, d.Pages[i])
			}
		}
		if d.Title != c.title {
			t.Errorf("%s: title %q, want %q", c.name, d.Title, c.title)
		}
	}
	// A PDF with an owner password only opens without one.
	if d, err := ParsePDF(read(t, "owner-only.pdf")); err != nil || !strings.Contains(d.Markdown, "alarm") {
		t.Errorf("owner-only.pdf: %v", err)
	}
	d, _ := ParsePDF(read(t, "multi.pdf"))
	if !strings.Contains(d.Markdown, "## Page 2\n\nSecond page: receipts go to the finance mailbox.") {
		t.Errorf("markdown:\n%s", d.Markdown)
	}
	if d, _ := ParsePDF(read(t, "scan.pdf")); strings.TrimSpace(d.Markdown) != "" {
		t.Errorf("an image-only PDF has text: %q", d.Markdown)
	}
}

func TestBrokenPDFs(t *testing.T) {
	full := read(t, "multi.pdf")
	old := MaxPages
	MaxPages = 1
	_, err := ParsePDF(full)
	MaxPages = old
	if !errors.Is(err, ErrTooManyPages) {
		t.Errorf("over the page limit: %v", err)
	}
	for _, c := range []struct {
		name string
		data []byte
		want error
	}{
		{"half", full[:len(full)/2], ErrIncomplete},
		{"text", []byte("hello"), ErrCorrupt},
		{"garbage", append([]byte("%PDF-1.4\n"), append(make([]byte, 300), []byte("\n%%EOF\n")...)...), ErrCorrupt},
		{"encrypted", read(t, "encrypted.pdf"), ErrEncrypted},
	} {
		_, err := ParsePDF(c.data)
		if c.want != nil && !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
		t.Logf("%s: %v", c.name, err)
	}
}

func FuzzParsePDF(f *testing.F) {
	f.Add(read(f, "positioned.pdf"))
	f.Add(read(f, "multi.pdf"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := ParsePDF(data)
		check(t, d, err)
	})
}

func BenchmarkParsePDF(b *testing.B) { benchParse(b, "m.pdf", read(b, "multi.pdf")) }
