package doc

import (
	"strconv"
	"strings"
	"unicode"
)

// MaxText bounds the Markdown of one document (the guide parser reads at
// most 1 MiB): the rest of a longer document is not indexed.
const MaxText = 900 << 10

// md builds Markdown from the blocks of a document.
type md struct {
	blocks []mdBlock
	size   int
	first  string // the first heading's text
	full   bool
}

// mdBlock is a heading (level > 0, its text unescaped), a list item or
// another block of Markdown.
type mdBlock struct {
	level int
	item  bool
	text  string
}

func (m *md) add(b mdBlock) {
	if m.full || m.size+len(b.text) > MaxText {
		m.full = true
		return
	}
	m.size += len(b.text) + 8
	m.blocks = append(m.blocks, b)
}

func (m *md) block(s string) { m.add(mdBlock{text: s}) }

// heading adds a heading of level 1 to 6.
func (m *md) heading(level int, text string) {
	text = clean(text)
	if text == "" {
		return
	}
	if m.first == "" {
		m.first = text
	}
	m.add(mdBlock{level: min(max(level, 1), titleLevel), text: text})
}

// outline turns a word processor's heading levels into a guide's: when
// the document starts with its only top-level heading, that heading is
// the title ("# ") and the rest keep their levels; otherwise (a Title
// paragraph above them, or several top-level headings: the document's
// sections) every heading goes one level down, so its sections are the
// guide's "## " parts. title is the level the Title style was given.
func (m *md) outline(title int) {
	tops, first, hasTitle := 0, 0, false
	for _, b := range m.blocks {
		if b.level == 0 {
			continue
		}
		if first == 0 {
			first = b.level
		}
		if b.level == title {
			hasTitle = true
		} else if b.level == 1 {
			tops++
		}
	}
	shift := 1
	if !hasTitle && first == 1 && tops == 1 {
		shift = 0
	}
	for i, b := range m.blocks {
		switch {
		case b.level == title:
			m.blocks[i].level = 1
		case b.level > 0:
			m.blocks[i].level = min(b.level+shift, 6)
		}
	}
}

// para adds a paragraph; a paragraph that starts with a checkbox glyph
// becomes a checklist item.
func (m *md) para(text string) {
	text = clean(text)
	if text == "" {
		return
	}
	if box, rest, ok := checkGlyph(text); ok {
		m.item(0, false, box, rest)
		return
	}
	m.block(escape(text))
}

// check states of a list item.
const (
	noBox = iota
	openBox
	tickedBox
)

// item adds a list item at nesting depth level (0 is the outer list).
func (m *md) item(level int, ordered bool, box int, text string) {
	text = clean(text)
	if b, rest, ok := checkGlyph(text); ok {
		if box == noBox {
			box = b
		}
		text = rest
	}
	if text == "" && box == noBox {
		return
	}
	level = min(max(level, 0), 8)
	mark := "-"
	if ordered && box == noBox {
		mark = "1."
	}
	switch box {
	case openBox:
		mark += " [ ]"
	case tickedBox:
		mark += " [x]"
	}
	m.add(mdBlock{item: true, text: strings.Repeat("    ", level) + mark + " " + escape(text)})
}

// String is the Markdown: blocks apart by blank lines, the items of a
// list together.
func (m *md) String() string {
	var b strings.Builder
	for i, bl := range m.blocks {
		if i > 0 && !(bl.item && m.blocks[i-1].item) {
			b.WriteString("\n")
		}
		if bl.level > 0 {
			b.WriteString(strings.Repeat("#", min(bl.level, 6)) + " " + escape(bl.text))
		} else {
			b.WriteString(bl.text)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// table adds a table; the first row is its header.
func (m *md) table(rows [][]string) {
	cols := 0
	var kept [][]string
	for _, r := range rows {
		empty := true
		for _, c := range r {
			if clean(c) != "" {
				empty = false
			}
		}
		if !empty {
			kept = append(kept, r)
			cols = max(cols, len(r))
		}
	}
	if len(kept) == 0 {
		return
	}
	if cols == 1 { // a one-column table is a frame around paragraphs
		for _, r := range kept {
			m.para(r[0])
		}
		return
	}
	var b strings.Builder
	for i, r := range kept {
		b.WriteString("|")
		for c := 0; c < cols; c++ {
			cell := ""
			if c < len(r) {
				cell = escape(clean(r[c]))
			}
			b.WriteString(" " + cell + " |")
		}
		b.WriteString("\n")
		if i == 0 {
			b.WriteString("|" + strings.Repeat(" --- |", cols) + "\n")
		}
	}
	m.block(strings.TrimSuffix(b.String(), "\n"))
}

// code adds a preformatted block.
func (m *md) code(text string) {
	text = strings.TrimRight(strings.TrimLeft(text, "\n"), " \t\n")
	if strings.TrimSpace(text) == "" {
		return
	}
	fence := "```"
	for strings.Contains(text, fence) {
		fence += "`"
	}
	m.block(fence + "\n" + text + "\n" + fence)
}

// clean collapses white space (and drops control characters) of a run of text.
func clean(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || (unicode.IsControl(r)) || r == '\u00ad'
	}), " ")
}

// checkGlyph reads a checkbox glyph (☐ ☑ ☒, or "[ ]" / "[x]") at the start of text.
func checkGlyph(text string) (box int, rest string, ok bool) {
	for _, g := range []struct {
		s   string
		box int
	}{{"☐", openBox}, {"☑", tickedBox}, {"☒", tickedBox}, {"[ ]", openBox}, {"[x]", tickedBox}, {"[X]", tickedBox}} {
		if r, found := strings.CutPrefix(text, g.s); found {
			return g.box, strings.TrimSpace(r), true
		}
	}
	return noBox, text, false
}

// A link in document text is written linkOpen text linkMid URL linkClose
// (private-use characters a document does not hold), and escape makes it
// a Markdown link.
const (
	linkOpen  = "\ue000"
	linkMid   = "\ue001"
	linkClose = "\ue002"
)

// escape makes document text literal in Markdown: punctuation Markdown
// reads is backslash-escaped, and so is what would start a block.
func escape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '|', '~':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	out := b.String()
	if strings.ContainsRune(out, '\ue000') {
		out = strings.NewReplacer(linkOpen, "[", linkMid, "](", linkClose, ")").Replace(out)
	}
	if out == "" {
		return out
	}
	switch out[0] {
	case '#', '-', '+', '=':
		return "\\" + out
	}
	// "1. " or "1) " would start an ordered list.
	i := 0
	for i < len(out) && out[i] >= '0' && out[i] <= '9' {
		i++
	}
	if i > 0 && i < len(out) && (out[i] == '.' || out[i] == ')') {
		if _, err := strconv.Atoi(out[:i]); err == nil || i > 9 {
			return out[:i] + "\\" + out[i:]
		}
	}
	return out
}
