package guide

import (
	"path"
	"strings"
)

// openable are the kinds of library file the desktop may open for a guide
// (a template, a video): documents, spreadsheets, presentations, plain
// text, images, audio and video. Anything else (a program, a script, a
// .desktop launcher, a web page that could run scripts) is never handed to
// the desktop, whatever the guide says (docs/SECURITY.md).
var openable = map[string]bool{}

func init() {
	for _, ext := range strings.Fields(`
		.pdf .txt .md .csv .tsv .rtf .log
		.odt .ods .odp .odg .ott .ots .otp .otg .fodt .fods .fodp .fodg
		.doc .docx .dotx .xls .xlsx .xltx .ppt .pptx .potx .pages .numbers .key
		.png .jpg .jpeg .gif .webp .bmp .tif .tiff
		.mp4 .m4v .webm .mkv .mov .avi .ogv .ogg .mp3 .wav .m4a .flac .opus
		.eml .ics .vcf`) {
		openable[ext] = true
	}
}

// Openable reports whether a library file of this name may be opened with
// the desktop's programs: by its extension, a document, image, audio or
// video file.
func Openable(name string) bool {
	return openable[strings.ToLower(path.Ext(strings.ReplaceAll(name, "\\", "/")))]
}

// Paged reports whether the library item id is a paged document (a PDF):
// its sections are its pages ("## Page 3", anchor page-3), each indexed
// and found on its own like a FAQ's questions, and the document opens in
// the desktop's viewer.
func Paged(id string) bool {
	return strings.EqualFold(path.Ext(id), ".pdf")
}

// SectionsIndexed reports whether each section of the guide is its own
// search result: a FAQ's questions, a PDF's pages.
func (g *Guide) SectionsIndexed() bool {
	return g.Format == FormatFAQ || Paged(g.ID)
}

// LinkItem reports whether the library item id is a link file (.url,
// .webloc, .desktop, or a Google Drive .gdoc, .gsheet or .gslides
// shortcut): its body is the link, opened in the browser.
func LinkItem(id string) bool {
	switch strings.ToLower(path.Ext(id)) {
	case ".url", ".webloc", ".desktop", ".gdoc", ".gsheet", ".gslides":
		return true
	}
	return false
}
