package doc

import (
	"bufio"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/url"
	"path"
	"regexp"
	"strings"
)

// ParseLink reads a link file: a Windows .url, a macOS .webloc (XML or
// binary property list), a .desktop link (Type=Link; an application
// launcher is ErrNotLink and never run), or a Google Drive for desktop
// .gdoc, .gsheet or .gslides shortcut (JSON with the document's id). The
// URL must be http or https.
func ParseLink(name string, data []byte) (*Doc, error) {
	ext := strings.ToLower(path.Ext(strings.ReplaceAll(name, "\\", "/")))
	d := &Doc{}
	var err error
	switch ext {
	case ".url":
		d.URL = iniValue(data, "InternetShortcut", "URL")
	case ".desktop":
		if t := iniValue(data, "Desktop Entry", "Type"); t != "Link" {
			return nil, fmt.Errorf("%w: a .desktop file of type %q (only Type=Link files are read)", ErrNotLink, t)
		}
		d.URL = iniValue(data, "Desktop Entry", "URL")
		d.Title = iniValue(data, "Desktop Entry", "Name")
	case ".webloc":
		d.URL, err = weblocURL(data)
	case ".gdoc", ".gsheet", ".gslides":
		d.URL, err = driveURL(ext, data)
	default:
		return nil, corrupt("%s is not a link file", name)
	}
	if err != nil {
		return nil, err
	}
	d.URL = strings.TrimSpace(d.URL)
	u, perr := url.Parse(d.URL)
	if d.URL == "" || perr != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(d.URL) > 4096 || strings.ContainsAny(d.URL, " \n<>") {
		return nil, corrupt("the link file holds no web address (http or https): it needs one, such as https://docs.example.com/page")
	}
	d.Title = clean(d.Title)
	return d, nil
}

// iniValue reads key in [section] of an INI-style file (.url, .desktop).
func iniValue(data []byte, section, key string) string {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 64<<10)
	in := false
	for sc.Scan() {
		line := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\ufeff"))
		if strings.HasPrefix(line, "[") {
			in = strings.EqualFold(strings.Trim(line, "[]"), section)
			continue
		}
		if !in {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if ok && strings.EqualFold(strings.TrimSpace(k), key) {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// weblocURL reads the URL of a .webloc: an XML property list
// (<key>URL</key><string>...</string>) or a binary one (bplist00).
func weblocURL(data []byte) (string, error) {
	if bytes.HasPrefix(data, []byte("bplist00")) {
		// Objects follow the header; an ASCII string is marker 0x5n (n
		// its length, 0xF: an int object with the length follows).
		for i := 8; i < len(data); i++ {
			if data[i]>>4 != 0x5 {
				continue
			}
			n, start := int(data[i]&0xF), i+1
			if n == 0xF {
				if start+1 >= len(data) || data[start]>>4 != 0x1 {
					continue
				}
				size := 1 << (data[start] & 0xF)
				if size > 4 || start+1+size > len(data) {
					continue
				}
				n = 0
				for _, c := range data[start+1 : start+1+size] {
					n = n<<8 | int(c)
				}
				start += 1 + size
			}
			if n > 0 && start+n <= len(data) {
				s := string(data[start : start+n])
				if strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") {
					return s, nil
				}
			}
		}
		return "", corrupt("the binary .webloc holds no web address")
	}
	d := decoder(bytes.NewReader(data))
	var last string
	for {
		tok, err := d.Token()
		if err != nil {
			return "", corrupt("the .webloc is not a property list with a URL: %v", err)
		}
		if t, ok := tok.(xml.StartElement); ok {
			var s string
			if t.Name.Local != "key" && t.Name.Local != "string" {
				continue
			}
			if err := d.DecodeElement(&s, &t); err != nil {
				return "", corrupt("the .webloc is not a property list with a URL: %v", err)
			}
			if t.Name.Local == "string" && last == "URL" {
				return s, nil
			}
			if t.Name.Local == "key" {
				last = s
			} else {
				last = ""
			}
		}
	}
}

// driveIDRE is a Google Drive document id.
var driveIDRE = regexp.MustCompile(`^[A-Za-z0-9_-]{10,200}$`)

// driveURL reads a Google Drive for desktop shortcut: its "url" when it
// is a Google address, else the document's address made from "doc_id".
func driveURL(ext string, data []byte) (string, error) {
	var v struct {
		URL   string `json:"url"`
		DocID string `json:"doc_id"`
	}
	if err := json.Unmarshal(data, &v); err != nil {
		return "", corrupt("the Google Drive shortcut is not the JSON Drive writes: %v", err)
	}
	if u, err := url.Parse(v.URL); err == nil && u.Scheme == "https" && (u.Host == "docs.google.com" || u.Host == "drive.google.com") {
		return v.URL, nil
	}
	if !driveIDRE.MatchString(v.DocID) {
		return "", corrupt("the Google Drive shortcut has no document id (doc_id): open the document in Drive and make the shortcut again")
	}
	kind := map[string]string{".gdoc": "document", ".gsheet": "spreadsheets", ".gslides": "presentation"}[ext]
	return "https://docs.google.com/" + kind + "/d/" + v.DocID + "/edit", nil
}
