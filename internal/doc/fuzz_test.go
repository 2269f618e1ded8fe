package doc

import (
	"strings"
	"testing"
)

// The parsers never panic and never return Markdown the guide parser's
// limit would refuse, whatever the bytes.
func check(t *testing.T, d *Doc, err error) {
	if err == nil && len(d.Markdown) > MaxText+4096 {
		t.Fatalf("markdown of %d bytes, over the limit", len(d.Markdown))
	}
}

func FuzzParseDOCX(f *testing.F) {
	f.Add(read(f, "expenses.docx"))
	f.Add(read(f, "onboarding.docx"))
	f.Add(wordDocx(f))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := ParseDOCX(data)
		check(t, d, err)
	})
}

// FuzzDOCXXML fuzzes the XML of word/document.xml inside a valid zip
// (random bytes seldom make a zip).
func FuzzDOCXXML(f *testing.F) {
	f.Add(`<w:document ` + wNS + `><w:body><w:p><w:pPr><w:numPr><w:ilvl w:val="99"/><w:numId w:val="3"/></w:numPr></w:pPr><w:r><w:t>x</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:tbl><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl></w:tc></w:tr></w:tbl></w:body></w:document>`)
	f.Fuzz(func(t *testing.T, xml string) {
		d, err := ParseDOCX(zipOf(t, map[string]string{"word/document.xml": xml, "word/styles.xml": xml, "word/numbering.xml": xml, "docProps/core.xml": xml}))
		check(t, d, err)
	})
}

func FuzzParseODT(f *testing.F) {
	f.Add(read(f, "expenses.odt"))
	f.Add(read(f, "onboarding.odt"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := ParseODT(data)
		check(t, d, err)
	})
}

func FuzzODTXML(f *testing.F) {
	f.Add(`<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text><text:list><text:list-item><text:p>a<text:s text:c="99999"/></text:p><text:list><text:list-item><text:h text:outline-level="-4">b</text:h></text:list-item></text:list></text:list-item></text:list></office:text></office:body></office:document-content>`)
	f.Fuzz(func(t *testing.T, xml string) {
		d, err := ParseODT(zipOf(t, map[string]string{"content.xml": xml, "styles.xml": xml, "meta.xml": xml}))
		check(t, d, err)
	})
}

func FuzzParseHTML(f *testing.F) {
	f.Add(read(f, "expenses-source.html"))
	f.Add([]byte("<ul><li><ol><li><input type=checkbox checked><table><tr><td>a<td>b</table>"))
	f.Add([]byte(strings.Repeat("<div>", 2000)))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := ParseHTML(data)
		check(t, d, err)
	})
}

func FuzzParseLink(f *testing.F) {
	for _, s := range []string{"a.url\x00[InternetShortcut]\nURL=https://x.example.com/", "a.webloc\x00bplist00_\x10\x1chttps://youtu.be/dQw4w9WgXcQ", "a.gdoc\x00{\"doc_id\":\"1234567890abc\"}", "a.desktop\x00[Desktop Entry]\nType=Link\nURL=http://a.b/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		name, data, _ := strings.Cut(s, "\x00")
		for _, ext := range []string{".url", ".webloc", ".gdoc", ".desktop"} {
			if d, err := ParseLink("x"+ext, []byte(data)); err == nil && !strings.HasPrefix(d.URL, "http") {
				t.Fatalf("%s: url %q", name, d.URL)
			}
		}
	})
}
