package doc

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// maxPart is the most of one part of a zipped document read (a zip bomb
// stops there).
const maxPart = 64 << 20

// openZip opens a zipped document (docx, odt).
func openZip(data []byte, what string) (*zip.Reader, error) {
	if bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0}) {
		// An OLE compound file: Office's encrypted package, or an old
		// binary .doc renamed.
		return nil, fmt.Errorf("%w: this %s is encrypted (or an old binary Word file): save it again without a password, as %s", ErrEncrypted, what, what)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		if errors.Is(err, zip.ErrFormat) && !bytes.HasPrefix(data, []byte("PK")) {
			return nil, corrupt("this is not a %s file (it is not a zip archive): save it again as %s", what, what)
		}
		// A zip whose end is missing: most likely still being written.
		return nil, fmt.Errorf("%w: the %s file ends early (%v)", ErrIncomplete, what, err)
	}
	return zr, nil
}

// part opens the named part of a zipped document; nil when it is missing.
func part(zr *zip.Reader, name string) (io.ReadCloser, error) {
	for _, f := range zr.File {
		if f.Name == name {
			rc, err := f.Open()
			if err != nil {
				return nil, corrupt("%s: %v", name, err)
			}
			return struct {
				io.Reader
				io.Closer
			}{io.LimitReader(rc, maxPart), rc}, nil
		}
	}
	return nil, nil
}

// decoder is an XML decoder that accepts the encodings documents declare
// (UTF-8 only in practice) and HTML entities.
func decoder(r io.Reader) *xml.Decoder {
	d := xml.NewDecoder(r)
	d.Strict = false
	d.Entity = xml.HTMLEntity
	d.CharsetReader = func(label string, input io.Reader) (io.Reader, error) {
		switch strings.ToLower(label) {
		case "utf-8", "utf8", "us-ascii", "ascii":
			return input, nil
		}
		return nil, fmt.Errorf("unsupported encoding %q", label)
	}
	return d
}

// attr returns the value of the attribute with local name local.
func attr(e xml.StartElement, local string) string {
	for _, a := range e.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// props reads Dublin Core style properties (docx core.xml, odt meta.xml):
// the text of the elements named in want, by local name.
func props(r io.Reader, want map[string]bool) (map[string]string, error) {
	out := map[string]string{}
	d := decoder(r)
	var cur string
	var text strings.Builder
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if want[t.Name.Local] {
				cur = t.Name.Local
				text.Reset()
			}
		case xml.CharData:
			if cur != "" && text.Len() < 4096 {
				text.Write(t)
			}
		case xml.EndElement:
			if t.Name.Local == cur {
				if _, dup := out[cur]; !dup {
					out[cur] = strings.TrimSpace(text.String())
				}
				cur = ""
			}
		}
	}
}

// parseTime reads a document date (W3CDTF, ISO 8601 with or without zone).
func parseTime(s string) time.Time {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	return time.Time{}
}

// titleLevel marks a Title paragraph among headings: md.outline makes it
// the guide's "# " title, above "heading 1" (which it moves down).
const titleLevel = 7

// readErr wraps an error reading a document's part: incomplete (the file
// ends early) or corrupt.
func readErr(part string, err error) error {
	if errors.Is(err, ErrIncomplete) {
		return fmt.Errorf("%s: %w", part, err)
	}
	return corrupt("%s: %v", part, err)
}

// xmlErr marks an XML document that ends early as ErrIncomplete.
func xmlErr(err error) error {
	var se *xml.SyntaxError
	if errors.Is(err, io.ErrUnexpectedEOF) || (errors.As(err, &se) && se.Msg == "unexpected EOF") {
		return fmt.Errorf("%w: %v", ErrIncomplete, err)
	}
	return err
}

// pdfDate reads a PDF date: D:YYYYMMDDHHmmSS with an optional zone.
func pdfDate(s string) time.Time {
	s = strings.TrimPrefix(strings.TrimSpace(s), "D:")
	if len(s) < 8 {
		return time.Time{}
	}
	if len(s) >= 14 {
		if t, err := time.Parse("20060102150405", s[:14]); err == nil {
			return t
		}
	}
	t, _ := time.Parse("20060102", s[:8])
	return t
}
