package doc

import (
	"archive/zip"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// ParseODT reads an OpenDocument text: content.xml for the text (its list
// styles for numbered and bulleted lists) and meta.xml for the title,
// authors and dates. Images, frames, notes, annotations, tracked changes
// and tables of contents are left out.
func ParseODT(data []byte) (*Doc, error) {
	zr, err := openZip(data, ".odt")
	if err != nil {
		return nil, err
	}
	if odtEncrypted(zr) {
		return nil, fmt.Errorf("%w: this .odt is password-protected: save it again without a password", ErrEncrypted)
	}
	body, err := part(zr, "content.xml")
	if err != nil {
		return nil, err
	}
	if body == nil {
		return nil, corrupt("there is no content.xml in it: this is not an OpenDocument text; save it again as .odt")
	}
	defer body.Close()
	x := &odt{ordered: map[string]map[int]bool{}, parent: map[string]string{}}
	if r, _ := part(zr, "styles.xml"); r != nil {
		x.styles(r)
		r.Close()
	}
	if err := x.read(body); err != nil {
		return nil, readErr("content.xml", err)
	}
	x.m.outline(titleLevel)
	d := &Doc{Markdown: x.m.String(), Title: x.m.first}
	d.readProps(zr, "meta.xml", propNames{creator: "initial-creator", lastBy: "creator", modified: "date"})
	return d, nil
}

// odtEncrypted reports whether the manifest lists encryption data.
func odtEncrypted(zr *zip.Reader) bool {
	r, _ := part(zr, "META-INF/manifest.xml")
	if r == nil {
		return false
	}
	defer r.Close()
	d := decoder(r)
	for {
		tok, err := d.Token()
		if err != nil {
			return false
		}
		if t, ok := tok.(xml.StartElement); ok && t.Name.Local == "encryption-data" {
			return true
		}
	}
}

type odt struct {
	m md
	// ordered: list style name -> level -> numbered
	ordered map[string]map[int]bool
	// parent: paragraph style -> parent style (automatic styles)
	parent map[string]string

	lists    []string // the style of each open list
	text     strings.Builder
	para     string // the open paragraph's kind: "p", "h"
	level    int
	pstyle   string
	inTable  int
	rows     [][]string
	cell     strings.Builder
	itemDone bool
}

// odtSkipped are elements whose content is not the document's text.
var odtSkipped = map[string]bool{
	"note": true, "annotation": true, "tracked-changes": true, "sequence-decls": true, "table-of-content": true,
	"frame": true, "custom-shape": true, "forms": true, "alphabetical-index": true,
	"illustration-index": true, "table-index": true, "bibliography": true, "user-index": true, "object-index": true,
	"table-columns": true, "table-column": true, "soft-page-break": true, "deletion": true, "script": true,
}

// styles reads list and paragraph styles from content.xml's or
// styles.xml's style sections.
func (x *odt) styles(r io.Reader) {
	d := decoder(r)
	var list string
	for {
		tok, err := d.Token()
		if err != nil {
			return
		}
		switch t := tok.(type) {
		case xml.StartElement:
			x.style(t, &list)
		case xml.EndElement:
			if t.Name.Local == "list-style" {
				list = ""
			}
		}
	}
}

func (x *odt) style(t xml.StartElement, list *string) {
	switch t.Name.Local {
	case "list-style":
		*list = attr(t, "name")
		if x.ordered[*list] == nil {
			x.ordered[*list] = map[int]bool{}
		}
	case "list-level-style-number", "list-level-style-bullet":
		if *list != "" {
			l, _ := strconv.Atoi(attr(t, "level"))
			x.ordered[*list][l] = t.Name.Local == "list-level-style-number" && attr(t, "num-format") != ""
		}
	case "style":
		if p := attr(t, "parent-style-name"); p != "" {
			x.parent[attr(t, "name")] = p
		}
	}
}

// isTitle reports whether a paragraph style is (based on) Title.
func (x *odt) isTitle(style string) bool {
	for i := 0; i < 8 && style != ""; i++ {
		if style == "Title" {
			return true
		}
		style = x.parent[style]
	}
	return false
}

func (x *odt) read(r io.Reader) error {
	d := decoder(r)
	inBody := false
	var list string
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return xmlErr(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := t.Name.Local
			if !inBody {
				if name == "body" {
					inBody = true
				} else {
					x.style(t, &list)
				}
				continue
			}
			switch {
			case odtSkipped[name]:
				if err := d.Skip(); err != nil {
					return xmlErr(err)
				}
			case name == "p" || name == "h":
				if x.para != "" { // a paragraph inside a paragraph (a caption)
					continue
				}
				x.para, x.pstyle = name, attr(t, "style-name")
				x.level, _ = strconv.Atoi(attr(t, "outline-level"))
				x.text.Reset()
			case name == "s":
				n, _ := strconv.Atoi(attr(t, "c"))
				x.text.WriteString(strings.Repeat(" ", min(max(n, 1), 8)))
			case name == "tab" || name == "line-break":
				x.text.WriteString(" ")
			case name == "list":
				style := attr(t, "style-name")
				if style == "" && len(x.lists) > 0 {
					style = x.lists[len(x.lists)-1]
				}
				x.lists = append(x.lists, style)
			case name == "list-item" || name == "list-header":
				x.itemDone = false
			case name == "table":
				x.inTable++
				if x.inTable == 1 {
					x.rows = nil
				}
			case name == "table-row" && x.inTable == 1:
				if len(x.rows) < 10000 {
					x.rows = append(x.rows, nil)
				}
			case (name == "table-cell" || name == "covered-table-cell") && x.inTable == 1:
				x.cell.Reset()
			}
		case xml.CharData:
			if inBody && x.para != "" && x.text.Len() < MaxText {
				x.text.Write(t)
			}
		case xml.EndElement:
			if !inBody {
				continue
			}
			switch t.Name.Local {
			case "p", "h":
				if x.para == t.Name.Local {
					x.endPara()
				}
			case "list":
				if len(x.lists) > 0 {
					x.lists = x.lists[:len(x.lists)-1]
				}
			case "table-cell", "covered-table-cell":
				if x.inTable == 1 && len(x.rows) > 0 {
					x.rows[len(x.rows)-1] = append(x.rows[len(x.rows)-1], x.cell.String())
				}
			case "table":
				x.inTable--
				if x.inTable == 0 {
					x.m.table(x.rows)
					x.rows = nil
				}
			case "body":
				return nil
			}
		}
	}
}

func (x *odt) endPara() {
	kind, text := x.para, x.text.String()
	x.para = ""
	x.text.Reset()
	if x.inTable > 0 {
		if x.cell.Len() > 0 {
			x.cell.WriteString(" ")
		}
		if x.cell.Len() < MaxText {
			x.cell.WriteString(text)
		}
		return
	}
	if kind == "h" {
		x.m.heading(max(x.level, 1), text)
		return
	}
	if x.isTitle(x.pstyle) {
		x.m.heading(titleLevel, text)
		return
	}
	if n := len(x.lists); n > 0 {
		if x.itemDone { // a second paragraph of the same item
			x.m.item(n, false, noBox, text)
			return
		}
		x.itemDone = true
		style := x.lists[0]
		x.m.item(n-1, x.ordered[style][n], noBox, text)
		return
	}
	x.m.para(text)
}
