package doc

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The .docx and .odt files in testdata were written by LibreOffice 7.4
// (Debian) from testdata/expenses-source.html and onboarding.html:
// soffice --headless --convert-to docx / odt.

func read(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

const wantExpenses = `# How to submit an expense claim

Claims are paid with the next payroll when they reach finance by the 25th.

## Before you start

- Keep the receipt
- Know the project code
    - Ask your manager for it

## Steps

1. Open Expensify
1. Click New expense
1. Attach the receipt photo

## Limits

| Item | Limit |
| --- | --- |
| Hotel per night | 150 EUR |
| Dinner | 40 EUR |

Questions: ask Ülrike in finance — 日本語のテキスト also welcome.
`

func TestLibreOfficeDocuments(t *testing.T) {
	for _, name := range []string{"expenses.docx", "expenses.odt", "expenses-source.html"} {
		t.Run(name, func(t *testing.T) {
			d, err := Parse(name, read(t, name))
			if err != nil {
				t.Fatal(err)
			}
			if d.Markdown != wantExpenses {
				t.Errorf("markdown:\n%s\nwant:\n%s", d.Markdown, wantExpenses)
			}
			if d.Title != "How to submit an expense claim" || d.Creator != "Kim Lee" {
				t.Errorf("title %q creator %q", d.Title, d.Creator)
			}
		})
	}
}

func TestCheckboxParagraphsBecomeChecklist(t *testing.T) {
	for _, name := range []string{"onboarding.docx", "onboarding.odt"} {
		d, err := Parse(name, read(t, name))
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"- [ ] Turn on disk encryption\n- [ ] Install the VPN client\n- [x] Collect the laptop from IT\n", "## Who to ask"} {
			if !strings.Contains(d.Markdown, want) {
				t.Errorf("%s: no %q in\n%s", name, want, d.Markdown)
			}
		}
		if d.Title != "New laptop checklist" || d.Creator != "Sam Ortiz" {
			t.Errorf("%s: title %q creator %q", name, d.Title, d.Creator)
		}
	}
}

// zipOf builds a zip archive of the named parts.
func zipOf(t testing.TB, parts map[string]string) []byte {
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	for name, body := range parts {
		f, err := w.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		f.Write([]byte(body))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

const wNS = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"`

// A document as Word writes it: Title and Heading 1 styles, Word's
// checkbox content controls, a table, a field code and deleted text.
func wordDocx(t testing.TB) []byte {
	return zipOf(t, map[string]string{
		"word/document.xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ` + wNS + `><w:body>
<w:p><w:pPr><w:pStyle w:val="Titel"/></w:pPr><w:r><w:t>Close the month</w:t></w:r></w:p>
<w:p><w:pPr><w:pStyle w:val="berschrift1"/></w:pPr><w:r><w:t>Checks</w:t></w:r></w:p>
<w:p><w:sdt><w:sdtPr><w14:checkbox><w14:checked w14:val="0"/></w14:checkbox></w:sdtPr><w:sdtContent><w:r><w:t>☐</w:t></w:r></w:sdtContent></w:sdt><w:r><w:t xml:space="preserve"> Reconcile the bank account</w:t></w:r></w:p>
<w:p><w:sdt><w:sdtPr><w14:checkbox><w14:checked w14:val="1"/></w14:checkbox></w:sdtPr><w:sdtContent><w:r><w:t>☒</w:t></w:r></w:sdtContent></w:sdt><w:r><w:t xml:space="preserve"> Export the ledger</w:t></w:r></w:p>
<w:p><w:r><w:instrText>PAGE \* MERGEFORMAT</w:instrText></w:r><w:del><w:r><w:delText>old text</w:delText></w:r></w:del><w:r><w:t>Send * the_report</w:t><w:tab/><w:t>to</w:t><w:br/><w:t>finance.</w:t></w:r></w:p>
<w:p><w:pPr><w:pStyle w:val="berschrift1"/></w:pPr><w:r><w:t>Accounts</w:t></w:r></w:p>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Account</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Owner</w:t></w:r></w:p></w:tc></w:tr>
<w:tr><w:tc><w:p><w:r><w:t>1200 | Bank</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Ana</w:t></w:r></w:p><w:p><w:r><w:t>(backup: Bo)</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="3"/></w:numPr></w:pPr><w:r><w:t>First numbered</w:t></w:r></w:p>
<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="3"/></w:numPr></w:pPr><w:r><w:t>Second numbered</w:t></w:r></w:p>
<w:sectPr/></w:body></w:document>`,
		"word/styles.xml":    `<w:styles ` + wNS + `><w:style w:type="paragraph" w:styleId="Titel"><w:name w:val="Title"/></w:style><w:style w:type="paragraph" w:styleId="berschrift1"><w:name w:val="heading 1"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style></w:styles>`,
		"word/numbering.xml": `<w:numbering ` + wNS + `><w:abstractNum w:abstractNumId="7"><w:lvl w:ilvl="0"><w:numFmt w:val="decimal"/></w:lvl></w:abstractNum><w:num w:numId="3"><w:abstractNumId w:val="7"/></w:num></w:numbering>`,
		"docProps/core.xml":  `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"><dc:creator>Ana Silva</dc:creator><cp:lastModifiedBy>Bo Chen</cp:lastModifiedBy><dcterms:modified>2026-10-02T08:30:00Z</dcterms:modified></cp:coreProperties>`,
	})
}

func TestWordDocument(t *testing.T) {
	d, err := ParseDOCX(wordDocx(t))
	if err != nil {
		t.Fatal(err)
	}
	want := `# Close the month

## Checks

- [ ] Reconcile the bank account
- [x] Export the ledger

Send \* the\_report to finance.

## Accounts

| Account | Owner |
| --- | --- |
| 1200 \| Bank | Ana (backup: Bo) |

1. First numbered
1. Second numbered
`
	if d.Markdown != want {
		t.Errorf("markdown:\n%s\nwant:\n%s", d.Markdown, want)
	}
	if d.Title != "Close the month" || d.Creator != "Ana Silva" || d.LastModifiedBy != "Bo Chen" || d.Modified.Format("2006-01-02") != "2026-10-02" {
		t.Errorf("properties: %+v", d)
	}
}

func TestHTMLDropsNavigationAndScripts(t *testing.T) {
	page := `<html><head><title>Wiki: Reset a password</title><script>var secret = "tracking";</script><style>body{color:red}</style></head>
<body><nav><a href="/">Home</a> <a href="/hr">HR</a></nav><header>Company wiki</header>
<div role="navigation">Sidebar links</div>
<main><h1>Reset a customer's password</h1><p>Open the <a href="https://admin.example.com/users">admin console</a> and pick the user.</p>
<ul><li><input type="checkbox" checked> Confirm the caller's identity</li><li><input type="checkbox"> Send the reset link</li></ul>
<pre>reset --user kim</pre><p hidden>Draft note</p></main>
<footer>© Example</footer><script>track()</script></body></html>`
	d, err := ParseHTML([]byte(page))
	if err != nil {
		t.Fatal(err)
	}
	want := "# Reset a customer's password\n\nOpen the [admin console](https://admin.example.com/users) and pick the user.\n\n- [x] Confirm the caller's identity\n- [ ] Send the reset link\n\n```\nreset --user kim\n```\n"
	if d.Markdown != want {
		t.Errorf("markdown:\n%q\nwant:\n%q", d.Markdown, want)
	}
	if d.Title != "Wiki: Reset a password" {
		t.Errorf("title %q", d.Title)
	}
	for _, bad := range []string{"tracking", "Sidebar", "Home", "Company wiki", "Draft", "©", "color"} {
		if strings.Contains(d.Markdown, bad) {
			t.Errorf("%q kept in %q", bad, d.Markdown)
		}
	}
	// Without <title>, the first <h1>.
	d, _ = ParseHTML([]byte("<p>intro</p><h2>Sub</h2><h1>Main heading</h1>"))
	if d.Title != "Main heading" {
		t.Errorf("title %q, want the h1", d.Title)
	}
}

func TestLinkFiles(t *testing.T) {
	for _, c := range []struct{ name, data, url, title string }{
		{"Wiki.url", "[{000214A0-0000-0000-C000-000000000046}]\r\nProp3=19,11\r\n[InternetShortcut]\r\nIDList=\r\nURL=https://wiki.example.com/expenses\r\n", "https://wiki.example.com/expenses", ""},
		{"Demo.webloc", `<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd"><plist version="1.0"><dict><key>URL</key><string>https://www.loom.com/share/abc123</string></dict></plist>`, "https://www.loom.com/share/abc123", ""},
		{"Bin.webloc", "bplist00\xd1\x01\x02SURL_\x10\x1chttps://youtu.be/dQw4w9WgXcQ\x08\x0b\x0f\x00", "https://youtu.be/dQw4w9WgXcQ", ""},
		{"handbook.desktop", "[Desktop Entry]\nType=Link\nName=Staff handbook\nURL=https://intranet.example.com/handbook\n", "https://intranet.example.com/handbook", "Staff handbook"},
		{"Plan.gdoc", `{"":"WARNING! DO NOT EDIT THIS FILE!","doc_id":"1AbCdEfGhIjKlMnOpQrStUvWxYz","resource_key":"","email":"kim@example.com"}`, "https://docs.google.com/document/d/1AbCdEfGhIjKlMnOpQrStUvWxYz/edit", ""},
		{"Budget.gsheet", `{"url": "https://docs.google.com/spreadsheets/d/1xyzXYZ1234567/edit", "doc_id": "1xyzXYZ1234567"}`, "https://docs.google.com/spreadsheets/d/1xyzXYZ1234567/edit", ""},
		{"Deck.gslides", `{"doc_id":"1SlideSlideSlide"}`, "https://docs.google.com/presentation/d/1SlideSlideSlide/edit", ""},
	} {
		d, err := Parse(c.name, []byte(c.data))
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if d.URL != c.url || d.Title != c.title {
			t.Errorf("%s: url %q title %q, want %q %q", c.name, d.URL, d.Title, c.url, c.title)
		}
	}
	if !IsVideoURL("https://www.loom.com/share/abc") || !IsVideoURL("https://youtu.be/x") || IsVideoURL("https://notloom.com/x") || IsVideoURL("https://wiki.example.com/loom.com") {
		t.Error("IsVideoURL")
	}
	for _, c := range []struct{ name, data string }{
		{"app.desktop", "[Desktop Entry]\nType=Application\nExec=rm -rf ~\n"},
		{"evil.url", "[InternetShortcut]\nURL=file:///etc/passwd\n"},
		{"js.url", "[InternetShortcut]\nURL=javascript:alert(1)\n"},
		{"bad.gdoc", `{"doc_id":"../../etc"}`},
		{"bad.gdoc", `not json`},
	} {
		if d, err := Parse(c.name, []byte(c.data)); err == nil {
			t.Errorf("%s: accepted %+v", c.name, d)
		}
	}
}

func TestBrokenDocuments(t *testing.T) {
	full := read(t, "expenses.docx")
	for _, c := range []struct {
		name string
		data []byte
		want error
	}{
		{"empty.docx", nil, ErrIncomplete},
		{"half.docx", full[:len(full)/2], ErrIncomplete},
		{"text.docx", []byte("just some text, not a zip"), ErrCorrupt},
		{"encrypted.docx", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...), ErrEncrypted},
		{"nobody.docx", zipOf(t, map[string]string{"x.txt": "x"}), ErrCorrupt},
		{"badxml.docx", zipOf(t, map[string]string{"word/document.xml": "<w:document><w:body><w:p><w:t>unclosed"}), ErrIncomplete},
		{"encrypted.odt", zipOf(t, map[string]string{"content.xml": "garbage", "META-INF/manifest.xml": `<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data/></manifest:file-entry></manifest:manifest>`}), ErrEncrypted},
		{"half.odt", read(t, "expenses.odt")[:3000], ErrIncomplete},
	} {
		_, err := Parse(c.name, c.data)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: error %v, want %v", c.name, err, c.want)
		}
	}
}

func TestHTMLDeepNesting(t *testing.T) {
	// Deeper than the HTML parser's 512 open elements: a problem, not a crash.
	page := strings.Repeat("<div>", 100000) + "deep text" + strings.Repeat("</div>", 100000)
	if _, err := ParseHTML([]byte(page)); !errors.Is(err, ErrCorrupt) {
		t.Errorf("100,000 nested elements: %v", err)
	}
	// Deeper than Cuecard reads (256): the text above that depth is kept.
	page = "<p>top text</p>" + strings.Repeat("<div>", 400) + "deep text" + strings.Repeat("</div>", 400) + strings.Repeat("<ul><li>x", 200)
	d, err := ParseHTML([]byte(page))
	if err != nil || !strings.Contains(d.Markdown, "top text") {
		t.Fatalf("%v %+v", err, d)
	}
}
