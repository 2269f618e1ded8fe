package bench

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// A mixed library (Options.Mixed) writes a fifth of its guides as the
// files companies already have: every tenth guide a Word document and
// every tenth, shifted by five, a PDF, with the guide's title and text (its
// front matter, which documents lack, is dropped).

// docKind is what guide i of a mixed library is written as: "", "docx"
// or "pdf".
func docKind(i int) string {
	switch i % 10 {
	case 3:
		return "docx"
	case 8:
		return "pdf"
	}
	return ""
}

// bodyOf is a generated guide's title and its paragraphs (plain text: the
// Markdown list and heading marks taken off), without the front matter.
func bodyOf(title, markdown string) []string {
	if _, rest, ok := strings.Cut(markdown, "\n---\n"); ok {
		markdown = rest
	}
	var out []string
	for _, p := range strings.Split(markdown, "\n\n") {
		p = strings.TrimSpace(p)
		p = strings.TrimLeft(p, "#-*0123456789. []x")
		p = strings.Join(strings.Fields(p), " ")
		if p != "" && p != title {
			out = append(out, p)
		}
	}
	return out
}

// writeDocx writes a minimal Word document: the title in the core
// properties and as a Title paragraph, then the paragraphs.
func writeDocx(path, title string, paras []string) error {
	esc := func(s string) string {
		var b bytes.Buffer
		xml.EscapeText(&b, []byte(s))
		return b.String()
	}
	var body strings.Builder
	fmt.Fprintf(&body, `<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t>%s</w:t></w:r></w:p>`, esc(title))
	for _, p := range paras {
		fmt.Fprintf(&body, `<w:p><w:r><w:t xml:space="preserve">%s</w:t></w:r></w:p>`, esc(p))
	}
	files := []struct{ name, data string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>`},
		{"docProps/core.xml", `<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>` + esc(title) + `</dc:title><dc:creator>bench@example.com</dc:creator></cp:coreProperties>`},
		{"word/document.xml", `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body.String() + `</w:body></w:document>`},
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		w, err := zw.Create(f.name)
		if err != nil {
			return err
		}
		if _, err := w.Write([]byte(f.data)); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

// writePDF writes a one-page PDF whose text is the title and the
// paragraphs, a line per 90 characters, with the title in its info.
func writePDF(path, title string, paras []string) error {
	esc := strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`)
	var lines []string
	lines = append(lines, title)
	for _, p := range paras {
		for len(p) > 90 {
			cut := strings.LastIndexByte(p[:90], ' ')
			if cut <= 0 {
				cut = 90
			}
			lines = append(lines, p[:cut])
			p = strings.TrimSpace(p[cut:])
		}
		lines = append(lines, p)
	}
	var content strings.Builder
	content.WriteString("BT /F1 10 Tf 14 TL 40 800 Td\n")
	for i, l := range lines {
		if i >= 55 {
			break
		}
		fmt.Fprintf(&content, "(%s) Tj T*\n", esc.Replace(l))
	}
	content.WriteString("ET\n")
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", content.Len(), content.String()),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		fmt.Sprintf("<< /Title (%s) /Author (bench@example.com) >>", esc.Replace(title)),
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return os.WriteFile(path, b.Bytes(), 0o644)
}

// writeItem writes generated guide sg as kind ("" Markdown, "docx",
// "pdf") under dir and returns its library id.
func writeItem(dir string, sg synthGuide, kind string) (string, error) {
	id := sg.id
	if kind != "" {
		id = strings.TrimSuffix(id, ".md") + "." + kind
	}
	path := filepath.Join(dir, filepath.FromSlash(id))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", err
	}
	switch kind {
	case "docx":
		return id, writeDocx(path, sg.title, bodyOf(sg.title, sg.markdown))
	case "pdf":
		return id, writePDF(path, sg.title, bodyOf(sg.title, sg.markdown))
	}
	return id, os.WriteFile(path, []byte(sg.markdown), 0o644)
}
