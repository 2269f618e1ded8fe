package doc

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/ledongthuc/pdf"
)

// MaxPages is the most pages of a PDF whose text is read; a longer PDF
// is ErrTooManyPages (the library finds it by its name). A variable for
// tests.
var MaxPages = 500

// ErrTooManyPages is a PDF over MaxPages.
var ErrTooManyPages = errors.New("too many pages")

// ParsePDF reads a PDF's text, page by page, with github.com/ledongthuc/pdf
// (pure Go, BSD licence): the text in the order the page draws it, which
// keeps columns apart, with spaces from the positions of the words when
// the page draws them one by one. The Markdown has a "## Page N" section
// per page with text; the title is the document's /Title, else its first
// line. A PDF with no text (a scan) has empty Pages text.
func ParsePDF(data []byte) (d *Doc, err error) {
	defer func() {
		if r := recover(); r != nil {
			d, err = nil, corrupt("PDF: %v", r)
		}
	}()
	if !bytes.HasPrefix(bytes.TrimLeft(data[:min(len(data), 1024)], "\x00\t\n\r "), []byte("%PDF")) {
		return nil, corrupt("this is not a PDF (it does not start with %%PDF)")
	}
	if !bytes.Contains(data[max(0, len(data)-2048):], []byte("%%EOF")) {
		return nil, fmt.Errorf("%w: the PDF has no end marker (%%%%EOF)", ErrIncomplete)
	}
	r, err := pdf.NewReaderEncrypted(bytes.NewReader(data), int64(len(data)), nil)
	if err != nil {
		if errors.Is(err, pdf.ErrInvalidPassword) || strings.Contains(err.Error(), "encrypt") {
			return nil, fmt.Errorf("%w: this PDF needs a password to open: save a copy without one", ErrEncrypted)
		}
		return nil, corrupt("PDF: %v", err)
	}
	n := r.NumPage()
	if n > MaxPages {
		return nil, fmt.Errorf("%w: the PDF has %d pages, over the %d-page limit", ErrTooManyPages, n, MaxPages)
	}
	d = &Doc{}
	info := r.Trailer().Key("Info")
	d.Title = clean(info.Key("Title").Text())
	d.Creator = clean(info.Key("Author").Text())
	d.Modified = pdfDate(info.Key("ModDate").Text())
	if d.Modified.IsZero() {
		d.Modified = pdfDate(info.Key("CreationDate").Text())
	}
	var m md
	fonts := map[string]*pdf.Font{}
	for i := 1; i <= n; i++ {
		text := pageText(r.Page(i), fonts)
		d.Pages = append(d.Pages, text)
		if strings.TrimSpace(text) == "" {
			continue
		}
		m.heading(2, "Page "+strconv.Itoa(i))
		for _, para := range strings.Split(text, "\n\n") {
			var lines []string
			for _, l := range strings.Split(para, "\n") {
				if l = clean(l); l != "" {
					lines = append(lines, escape(l))
				}
			}
			if len(lines) > 0 {
				m.block(strings.Join(lines, "\n"))
			}
		}
		if d.Title == "" {
			for _, l := range strings.Split(text, "\n") {
				if l = clean(l); l != "" {
					d.Title = l
					break
				}
			}
		}
	}
	d.Markdown = m.String()
	return d, nil
}

// pageText is the text of one page: the library's plain text (the page's
// text strings in drawing order, with the spaces they hold), unless the
// page draws its words without spaces between them (as PostScript and TeX
// output does): then the words are spaced by their positions.
func pageText(p pdf.Page, fonts map[string]*pdf.Font) (text string) {
	if p.V.IsNull() {
		return ""
	}
	for _, name := range p.Fonts() {
		if _, ok := fonts[name]; !ok {
			f := p.Font(name)
			fonts[name] = &f
		}
	}
	plain, err := p.GetPlainText(fonts)
	if err != nil {
		plain = ""
	}
	if spaced(plain) {
		return plain
	}
	return positioned(p)
}

// spaced reports whether text has the spaces of ordinary prose: at least
// one space or line break per 25 letters (scripts written without spaces,
// such as Japanese, count as spaced).
func spaced(text string) bool {
	letters, spaces := 0, 0
	for _, r := range text {
		switch {
		case unicode.IsSpace(r):
			spaces++
		case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar):
			return true
		case unicode.IsLetter(r):
			letters++
		}
	}
	return letters < 25 || spaces*25 >= letters
}

// positioned lays out a page's glyphs in drawing order: a space where
// the next glyph starts clearly right of the last one's end, a line break
// where it moves to another line.
func positioned(p pdf.Page) string {
	var b strings.Builder
	var lastX, lastY, lastSize float64
	for i, t := range p.Content().Text {
		size := t.FontSize
		if size <= 0 {
			size = 10
		}
		if i > 0 {
			dy := t.Y - lastY
			if dy < 0 {
				dy = -dy
			}
			switch {
			case dy > 0.5*max(size, lastSize):
				b.WriteString("\n")
			case t.X-lastX > 0.15*size || t.X < lastX-size:
				if t.S != " " && !strings.HasSuffix(b.String(), " ") {
					b.WriteString(" ")
				}
			}
		}
		b.WriteString(t.S)
		lastX, lastY, lastSize = t.X+t.W, t.Y, size
		if b.Len() > MaxText {
			break
		}
	}
	return b.String()
}
