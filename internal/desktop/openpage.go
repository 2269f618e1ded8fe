package desktop

import (
	"path/filepath"
	"strconv"
	"strings"
)

// pdfViewers are PDF viewers that open a document at a page from their
// command line, by the desktop file their package installs, with the
// argument that names the page (from each one's manual: evince
// --page-index is the page number, not its label; okular --page; zathura
// --page, numbered from 1).
var pdfViewers = []struct {
	ids  []string
	cmd  string
	flag func(page int) string
}{
	{[]string{"org.gnome.evince.desktop", "evince.desktop"}, "evince", func(n int) string { return "--page-index=" + strconv.Itoa(n) }},
	{[]string{"org.kde.okular.desktop", "okularapplication_pdf.desktop", "okular.desktop"}, "okular", func(n int) string { return "--page=" + strconv.Itoa(n) }},
	{[]string{"org.pwmt.zathura.desktop", "org.pwmt.zathura-pdf-poppler.desktop", "org.pwmt.zathura-pdf-mupdf.desktop", "zathura.desktop"}, "zathura", func(n int) string { return "--page=" + strconv.Itoa(n) }},
}

// pdfPageCommand is the command that opens the PDF at p at page with the
// viewer whose desktop file is desktopID; ok is false for a viewer not
// known to take a page (its page is then the first).
func pdfPageCommand(desktopID, p string, page int) (name string, args []string, ok bool) {
	id := strings.ToLower(strings.TrimSpace(desktopID))
	if page < 1 || id == "" || !strings.EqualFold(filepath.Ext(p), ".pdf") {
		return "", nil, false
	}
	for _, v := range pdfViewers {
		for _, known := range v.ids {
			if id == known {
				return v.cmd, []string{v.flag(page), p}, true
			}
		}
	}
	return "", nil, false
}
