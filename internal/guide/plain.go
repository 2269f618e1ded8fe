package guide

import (
	"html"
	"strings"
)

// maxMarkup bounds how far a shortcode, template action or wikilink may
// reach for its closing delimiter: an unclosed "{{" or "[[" stays text.
const maxMarkup = 2000

// readable turns the plain text of a Markdown block into what a reader of
// the rendered page sees, for the index and for snippets. Folders written
// for other tools carry their syntax in the text, which goldmark leaves as
// it is:
//   - Obsidian: "[[Note|label]]" is its label, "[[Note#Heading]]" is
//     "Note Heading"; embeds "![[file]]" go, and so do block ids ("^b15695"
//     at the end of a line) and callout markers ("[!info]", "[!tip]-").
//   - Hugo: shortcodes "{{< name >}}" and "{{% name %}}" go (the text
//     between a pair stays), and so do Go template actions "{{ .Title }}".
//   - HTML entities ("&nbsp;", "&lt;", "&#39;") are decoded.
func readable(s string) string {
	if !strings.ContainsAny(s, "[{^&") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	lineStart := true
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '{' && strings.HasPrefix(s[i:], "{{"):
			closing := "}}"
			if strings.HasPrefix(s[i:], "{{<") {
				closing = ">}}"
			} else if strings.HasPrefix(s[i:], "{{%") {
				closing = "%}}"
			}
			if end := closeAt(s, i+2, closing); end > 0 {
				i = end
				continue
			}
		case c == '!' && strings.HasPrefix(s[i:], "![["):
			if end := closeAt(s, i+3, "]]"); end > 0 {
				i = end
				continue
			}
		case c == '[' && strings.HasPrefix(s[i:], "[["):
			if end := closeAt(s, i+2, "]]"); end > 0 {
				b.WriteString(wikiLabel(s[i+2 : end-2]))
				i = end
				lineStart = false
				continue
			}
		case c == '[' && lineStart && strings.HasPrefix(s[i:], "[!"):
			if end := strings.IndexByte(s[i:], ']'); end > 2 && end < 40 && !strings.ContainsAny(s[i:i+end], " \n") {
				i += end + 1
				if i < len(s) && (s[i] == '+' || s[i] == '-') {
					i++
				}
				continue
			}
		case c == '^' && (i == 0 || s[i-1] == ' ' || s[i-1] == '\n'):
			j := i + 1
			for j < len(s) && (isAlnum(s[j]) || s[j] == '-') {
				j++
			}
			if j > i+1 && (j == len(s) || s[j] == '\n' || s[j] == '\r') {
				i = j
				continue
			}
		}
		switch c {
		case '\n':
			lineStart = true
		case ' ', '\t', '>':
		default:
			lineStart = false
		}
		b.WriteByte(c)
		i++
	}
	out := b.String()
	if strings.IndexByte(out, '&') >= 0 {
		out = html.UnescapeString(out)
	}
	return out
}

// closeAt returns the index just past the first closing after from, or -1
// when there is none within maxMarkup bytes.
func closeAt(s string, from int, closing string) int {
	rest := s[from:min(len(s), from+maxMarkup)]
	if j := strings.Index(rest, closing); j >= 0 {
		return from + j + len(closing)
	}
	return -1
}

// wikiLabel is what Obsidian shows for the inside of "[[...]]".
func wikiLabel(in string) string {
	if j := strings.LastIndexByte(in, '|'); j >= 0 {
		return strings.TrimSpace(in[j+1:])
	}
	if j := strings.Index(in, "#^"); j >= 0 {
		in = in[:j] // a block reference shows the note's name
	}
	return strings.TrimSpace(strings.ReplaceAll(in, "#", " "))
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
