package doc

import (
	"archive/zip"
	"encoding/xml"
	"io"
	"strconv"
	"strings"
)

// ParseDOCX reads a Word document: word/document.xml for the text (styles
// and numbering for headings and lists) and docProps/core.xml for the
// title, authors and dates. Images, text boxes, comments, deleted text
// and field codes are left out.
func ParseDOCX(data []byte) (*Doc, error) {
	zr, err := openZip(data, ".docx")
	if err != nil {
		return nil, err
	}
	body, err := part(zr, "word/document.xml")
	if err != nil {
		return nil, err
	}
	if body == nil {
		return nil, corrupt("there is no word/document.xml in it: this is not a Word document; save it again as .docx")
	}
	defer body.Close()
	x := &docx{levels: docxStyles(zr), ordered: docxNumbering(zr)}
	if err := x.read(body); err != nil {
		return nil, readErr("word/document.xml", err)
	}
	x.m.outline(titleLevel)
	d := &Doc{Markdown: x.m.String(), Title: x.m.first}
	d.readProps(zr, "docProps/core.xml", propNames{creator: "creator", lastBy: "lastModifiedBy", modified: "modified"})
	return d, nil
}

// propNames are the element names a document's properties part gives the
// creator, the last author and the modification time under.
type propNames struct{ creator, lastBy, modified string }

// readProps fills d's title (when the part has one), creator, last
// author, language and modification time from the properties part name
// of zr, if it is there.
func (d *Doc) readProps(zr *zip.Reader, name string, n propNames) {
	r, _ := part(zr, name)
	if r == nil {
		return
	}
	p, _ := props(r, map[string]bool{"title": true, n.creator: true, n.lastBy: true, n.modified: true, "language": true})
	r.Close()
	if t := clean(p["title"]); t != "" {
		d.Title = t
	}
	d.Creator, d.LastModifiedBy, d.Lang = clean(p[n.creator]), clean(p[n.lastBy]), clean(p["language"])
	d.Modified = parseTime(p[n.modified])
}

// docxStyles maps paragraph style ids to heading levels: "heading N" (or
// an outline level N-1) is N, Title is titleLevel (md.outline places them).
func docxStyles(zr *zip.Reader) map[string]int {
	out := map[string]int{}
	r, _ := part(zr, "word/styles.xml")
	if r == nil {
		return out
	}
	defer r.Close()
	d := decoder(r)
	var id string
	for {
		tok, err := d.Token()
		if err != nil {
			return out
		}
		if t, ok := tok.(xml.StartElement); ok {
			switch t.Name.Local {
			case "style":
				id = attr(t, "styleId")
			case "name":
				n := strings.ToLower(attr(t, "val"))
				if n == "title" {
					out[id] = titleLevel
				} else if rest, ok := strings.CutPrefix(n, "heading "); ok {
					if l, err := strconv.Atoi(rest); err == nil && l >= 1 && l <= 9 {
						out[id] = l
					}
				}
			case "outlineLvl":
				if l, err := strconv.Atoi(attr(t, "val")); err == nil && l >= 0 && l < 9 && id != "" {
					if _, ok := out[id]; !ok {
						out[id] = l + 1
					}
				}
			}
		}
	}
}

// docxNumbering tells, for a numbering id and level, whether the list is
// numbered (not bullets).
func docxNumbering(zr *zip.Reader) func(numID, ilvl string) bool {
	abstract := map[string]map[string]bool{} // abstractNumId -> ilvl -> ordered
	nums := map[string]string{}              // numId -> abstractNumId
	if r, _ := part(zr, "word/numbering.xml"); r != nil {
		defer r.Close()
		d := decoder(r)
		var abs, lvl, num string
		for {
			tok, err := d.Token()
			if err != nil {
				break
			}
			if t, ok := tok.(xml.StartElement); ok {
				switch t.Name.Local {
				case "abstractNum":
					abs, num = attr(t, "abstractNumId"), ""
					if abstract[abs] == nil {
						abstract[abs] = map[string]bool{}
					}
				case "lvl":
					lvl = attr(t, "ilvl")
				case "numFmt":
					if abs != "" && abstract[abs] != nil {
						f := attr(t, "val")
						abstract[abs][lvl] = f != "bullet" && f != "none" && f != ""
					}
				case "num":
					num, abs = attr(t, "numId"), ""
				case "abstractNumId":
					if num != "" {
						nums[num] = attr(t, "val")
					}
				}
			}
		}
	}
	return func(numID, ilvl string) bool { return abstract[nums[numID]][ilvl] }
}

type docx struct {
	m       md
	levels  map[string]int
	ordered func(numID, ilvl string) bool

	// the paragraph being read
	text        strings.Builder
	style       string
	numID, ilvl string
	outline     int
	box         int
	inTable     int
	rows        [][]string
	cell        strings.Builder
}

// skipped are elements whose content is not the document's text.
var docxSkipped = map[string]bool{
	"instrText": true, "delText": true, "del": true, "drawing": true, "pict": true, "object": true,
	"AlternateContent": true, "rPr": true, "sectPr": true,
	"fldData": true, "moveFrom": true,
}

func (x *docx) read(r io.Reader) error {
	d := decoder(r)
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
			switch name := t.Name.Local; {
			case docxSkipped[name]:
				if err := d.Skip(); err != nil {
					return xmlErr(err)
				}
			case name == "p":
				x.text.Reset()
				x.style, x.numID, x.ilvl, x.outline, x.box = "", "", "", -1, noBox
			case name == "pStyle":
				x.style = attr(t, "val")
			case name == "ilvl":
				x.ilvl = attr(t, "val")
			case name == "numId":
				x.numID = attr(t, "val")
			case name == "outlineLvl":
				if l, err := strconv.Atoi(attr(t, "val")); err == nil && l >= 0 && l < 9 {
					x.outline = l
				}
			case name == "checked" && t.Name.Space != "" && strings.Contains(t.Name.Space, "wordml"):
				if v := attr(t, "val"); v == "1" || v == "true" {
					x.box = tickedBox
				} else {
					x.box = openBox
				}
			case name == "tab":
				x.text.WriteString(" ")
			case name == "br" || name == "cr":
				x.text.WriteString(" ")
			case name == "t":
				var s string
				if err := d.DecodeElement(&s, &t); err != nil {
					return xmlErr(err)
				}
				if x.text.Len() < MaxText {
					x.text.WriteString(s)
				}
			case name == "tbl":
				x.inTable++
				if x.inTable == 1 {
					x.rows = nil
				}
			case name == "tr" && x.inTable == 1:
				if len(x.rows) < 10000 {
					x.rows = append(x.rows, nil)
				}
			case name == "tc" && x.inTable == 1:
				x.cell.Reset()
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "p":
				x.endPara()
			case "tc":
				if x.inTable == 1 && len(x.rows) > 0 {
					x.rows[len(x.rows)-1] = append(x.rows[len(x.rows)-1], x.cell.String())
				}
			case "tbl":
				x.inTable--
				if x.inTable == 0 {
					x.m.table(x.rows)
					x.rows = nil
				}
			}
		}
	}
}

func (x *docx) endPara() {
	text := x.text.String()
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
	if l, ok := x.levels[x.style]; ok {
		x.m.heading(l, text)
		return
	}
	if x.outline >= 0 {
		x.m.heading(x.outline+1, text)
		return
	}
	if x.numID != "" && x.numID != "0" {
		lvl, _ := strconv.Atoi(x.ilvl)
		x.m.item(lvl, x.ordered(x.numID, x.ilvl), x.box, text)
		return
	}
	if x.box != noBox {
		x.m.item(0, false, x.box, strings.TrimLeft(strings.TrimSpace(text), "☐☑☒ "))
		return
	}
	x.m.para(text)
}
