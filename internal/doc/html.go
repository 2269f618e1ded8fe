package doc

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// ParseHTML reads a web page: its readable text as Markdown, without
// scripts, styles, navigation, headers, footers, sidebars and forms; the
// <main> or <article> when the page has one. The title is the <title>,
// else the first <h1>.
func ParseHTML(data []byte) (*Doc, error) {
	if !utf8.Valid(data) {
		// Pages saved in a legacy encoding: Latin-1 is the common case and
		// every byte is a character in it.
		var b strings.Builder
		for _, c := range data {
			b.WriteRune(rune(c))
		}
		data = []byte(b.String())
	}
	root, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, corrupt("%v", err)
	}
	d := &Doc{}
	var body *html.Node
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Title:
				if d.Title == "" {
					d.Title = clean(textOf(n))
				}
			case atom.Meta:
				if strings.EqualFold(attrOf(n, "name"), "author") {
					d.Creator = clean(attrOf(n, "content"))
				}
			case atom.Html:
				d.Lang = strings.TrimSpace(attrOf(n, "lang"))
			case atom.Main, atom.Article:
				if body == nil {
					body = n
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	if body == nil {
		body = root
	}
	h := &htmlMD{}
	h.blocks(body, 0)
	h.flush()
	d.Markdown = h.m.String()
	if d.Title == "" {
		d.Title = h.h1
	}
	if d.Title == "" {
		d.Title = h.m.first
	}
	return d, nil
}

func attrOf(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, key) {
			return a.Val
		}
	}
	return ""
}

// dropped reports whether an element holds no readable text of the page.
func dropped(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Nav, atom.Header, atom.Footer, atom.Aside,
		atom.Form, atom.Button, atom.Select, atom.Textarea, atom.Svg, atom.Math, atom.Iframe, atom.Object,
		atom.Embed, atom.Canvas, atom.Img, atom.Picture, atom.Video, atom.Audio, atom.Head, atom.Dialog:
		return true
	}
	if _, hidden := attrMap(n)["hidden"]; hidden {
		return true
	}
	switch strings.ToLower(attrOf(n, "role")) {
	case "navigation", "banner", "contentinfo", "search", "complementary":
		return true
	}
	return strings.EqualFold(attrOf(n, "aria-hidden"), "true")
}

func attrMap(n *html.Node) map[string]string {
	m := map[string]string{}
	for _, a := range n.Attr {
		m[strings.ToLower(a.Key)] = a.Val
	}
	return m
}

// textOf is the text of n and its descendants, without dropped elements.
func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(n *html.Node)
	nest := 0
	walk = func(n *html.Node) {
		if b.Len() > MaxText || nest > maxNest {
			return
		}
		nest++
		defer func() { nest-- }()
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
			return
		case html.ElementNode:
			if n.DataAtom != atom.Title && dropped(n) {
				return
			}
			if n.DataAtom == atom.Br {
				b.WriteString(" ")
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if n.Type == html.ElementNode && isBlock(n) {
			b.WriteString(" ")
		}
	}
	walk(n)
	return b.String()
}

func isBlock(n *html.Node) bool {
	switch n.DataAtom {
	case atom.P, atom.Div, atom.Section, atom.Li, atom.Ul, atom.Ol, atom.Table, atom.Tr, atom.Td, atom.Th,
		atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Pre, atom.Blockquote, atom.Dl, atom.Dt, atom.Dd,
		atom.Main, atom.Article, atom.Figure, atom.Figcaption, atom.Details, atom.Summary, atom.Address:
		return true
	}
	return false
}

type htmlMD struct {
	m      md
	h1     string
	inline strings.Builder // text of the paragraph being gathered
	nodes  int
	nest   int // elements open in blocks
}

// maxNest is the deepest element nesting read: a page nested deeper (no
// real one is) is cut there rather than recursing without bound.
const maxNest = 256

// flush ends the paragraph of loose text gathered so far.
func (h *htmlMD) flush() {
	if s := h.inline.String(); s != "" {
		h.m.para(s)
	}
	h.inline.Reset()
}

// blocks converts the children of n; depth is the list nesting.
func (h *htmlMD) blocks(n *html.Node, depth int) {
	h.nest++
	defer func() { h.nest-- }()
	if h.nest > maxNest {
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		h.nodes++
		if h.nodes > 1_000_000 || h.m.full {
			return
		}
		switch c.Type {
		case html.TextNode:
			if h.inline.Len() < MaxText {
				h.inline.WriteString(c.Data)
			}
			continue
		case html.ElementNode:
		default:
			continue
		}
		if dropped(c) {
			continue
		}
		if !isBlock(c) {
			if c.DataAtom == atom.Br {
				h.inline.WriteString(" ")
				continue
			}
			if c.DataAtom == atom.A {
				if href := strings.TrimSpace(attrOf(c, "href")); strings.HasPrefix(href, "https://") || strings.HasPrefix(href, "http://") {
					if t := clean(textOf(c)); t != "" && !strings.ContainsAny(href, " ()<>") {
						// A marker that survives escaping, turned into a link below.
						h.inline.WriteString(linkOpen + t + linkMid + href + linkClose)
						continue
					}
				}
			}
			h.blocks(c, depth)
			continue
		}
		h.flush()
		switch c.DataAtom {
		case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
			level := int(c.Data[1] - '0')
			t := clean(textOf(c))
			if level == 1 && h.h1 == "" {
				h.h1 = t
			}
			h.m.heading(level, t)
		case atom.Ul, atom.Ol:
			h.list(c, depth, c.DataAtom == atom.Ol)
		case atom.Table:
			h.table(c)
		case atom.Pre:
			h.m.code(textOf(c))
		default:
			h.blocks(c, depth)
			h.flush()
		}
	}
}

// list converts the items of a <ul> or <ol>.
func (h *htmlMD) list(n *html.Node, depth int, ordered bool) {
	if depth > maxNest {
		return
	}
	for li := n.FirstChild; li != nil; li = li.NextSibling {
		if li.Type != html.ElementNode || li.DataAtom != atom.Li || dropped(li) {
			continue
		}
		box := noBox
		var text strings.Builder
		var nested []*html.Node
		var walk func(n *html.Node)
		walk = func(n *html.Node) {
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				switch {
				case c.Type == html.TextNode:
					text.WriteString(c.Data)
				case c.Type != html.ElementNode:
				case c.DataAtom == atom.Input && strings.EqualFold(attrOf(c, "type"), "checkbox"):
					box = openBox
					if _, on := attrMap(c)["checked"]; on {
						box = tickedBox
					}
				case c.DataAtom == atom.Ul || c.DataAtom == atom.Ol:
					nested = append(nested, c)
				case dropped(c):
				default:
					if isBlock(c) {
						text.WriteString(" ")
					}
					walk(c)
				}
			}
		}
		walk(li)
		h.m.item(depth, ordered, box, text.String())
		for _, l := range nested {
			h.list(l, depth+1, l.DataAtom == atom.Ol)
		}
	}
}

// table converts a <table>'s rows.
func (h *htmlMD) table(n *html.Node) {
	var rows [][]string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || dropped(c) {
				continue
			}
			switch c.DataAtom {
			case atom.Tr:
				var row []string
				for td := c.FirstChild; td != nil; td = td.NextSibling {
					if td.Type == html.ElementNode && (td.DataAtom == atom.Td || td.DataAtom == atom.Th) {
						row = append(row, textOf(td))
					}
				}
				if len(rows) < 10000 {
					rows = append(rows, row)
				}
			case atom.Table: // a nested table is read as its cells' text
			default:
				walk(c)
			}
		}
	}
	walk(n)
	h.m.table(rows)
}
