package guide

import (
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// FrontMatter is the front matter of a guide that Cuecard writes (cuecard
// new, the recorder, the bench generator): the fields of Guide that a file
// sets, with the same meaning; Apps are written with their Exe, Class and
// Title, Reviewed as a date. NoSuggest writes "suggest: false", Draft
// "draft: true". Empty fields are left out of what WriteTo writes, so
// Parse gives them their defaults.
type FrontMatter struct {
	Title, Summary, Owner, Video, Template string
	Format                                 Format
	Apps                                   []Rule
	Tags, Roles                            []string
	Reviewed                               time.Time
	ReviewEvery                            Period
	Duration                               time.Duration
	NoSuggest, Draft                       bool
	// Required, Deadline, Ack and Order write the "Start here" track's
	// keys: required, due, ack and order.
	Required, Ack bool
	Deadline      Deadline
	Order         int
}

// WriteTo writes the front matter as a "---" block, each text quoted so
// that Parse reads back exactly what was given (titles with quotes, colons,
// "#", leading dashes, any Unicode).
func (f FrontMatter) WriteTo(w io.Writer) (int64, error) {
	var b strings.Builder
	b.WriteString("---\n")
	text := func(key, v string) {
		if v != "" {
			b.WriteString(key + ": " + quote(v) + "\n")
		}
	}
	text("title", f.Title)
	text("summary", f.Summary)
	if f.Format.Valid() {
		b.WriteString("format: " + string(f.Format) + "\n")
	} else {
		text("format", string(f.Format))
	}
	if len(f.Apps) > 0 {
		b.WriteString("apps:\n")
		for _, r := range f.Apps {
			sep := "  - "
			for _, kv := range [][2]string{{"exe", r.Exe}, {"class", r.Class}, {"title", r.Title}} {
				if kv[1] != "" {
					b.WriteString(sep + kv[0] + ": " + quote(kv[1]) + "\n")
					sep = "    "
				}
			}
		}
	}
	list := func(key string, vs []string) {
		if len(vs) == 0 {
			return
		}
		b.WriteString(key + ": [")
		for i, v := range vs {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(quote(v))
		}
		b.WriteString("]\n")
	}
	list("tags", f.Tags)
	list("roles", f.Roles)
	text("owner", f.Owner)
	if !f.Reviewed.IsZero() {
		b.WriteString("reviewed: " + f.Reviewed.Format("2006-01-02") + "\n")
	}
	if !f.ReviewEvery.IsZero() {
		b.WriteString("review_every: " + f.ReviewEvery.String() + "\n")
	}
	if f.Duration > 0 {
		d := f.Duration.String()
		if f.Duration%time.Minute == 0 {
			d = strconv.Itoa(int(f.Duration/time.Minute)) + "m"
		}
		b.WriteString("duration: " + d + "\n")
	}
	text("video", f.Video)
	text("template", f.Template)
	if f.NoSuggest {
		b.WriteString("suggest: false\n")
	}
	if f.Draft {
		b.WriteString("draft: true\n")
	}
	if f.Required {
		b.WriteString("required: true\n")
	}
	if !f.Deadline.IsZero() {
		b.WriteString("due: " + f.Deadline.String() + "\n")
	}
	if f.Ack {
		b.WriteString("ack: true\n")
	}
	if f.Order > 0 {
		b.WriteString("order: " + strconv.Itoa(f.Order) + "\n")
	}
	b.WriteString("---\n")
	n, err := io.WriteString(w, b.String())
	return int64(n), err
}

// quote is s as a YAML scalar that reads back as s: in single quotes (a
// quote doubled), or, when s holds a control or other unprintable
// character that single quotes cannot carry, in double quotes with Go's
// escapes, which are YAML's too.
func quote(s string) string {
	for _, r := range s {
		if r == utf8.RuneError || !unicode.IsPrint(r) && r != ' ' {
			return strconv.Quote(s)
		}
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// FileSlug is the file or folder name for a new guide with the given
// title: "How to: create a deal?" -> "how-to-create-a-deal". Letters and
// digits are kept (lower case, any script); every other run of characters
// becomes one dash, none at either end. It is at most 80 bytes, cut
// between characters, and "guide" when the title has no letter or digit.
// A name Windows reserves for a device (con, nul, com1, ...) gets "-guide"
// appended, so the library syncs to Windows computers.
//
// Anchor is different: the anchor of a heading, as GitHub makes it.
func FileSlug(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			dash = true
			continue
		}
		n, sep := utf8.RuneLen(r), dash && b.Len() > 0
		if sep {
			n++
		}
		if b.Len()+n > 80 {
			break
		}
		if sep {
			b.WriteByte('-')
		}
		dash = false
		b.WriteRune(r)
	}
	if b.Len() == 0 {
		return "guide"
	}
	if windowsReserved[b.String()] {
		b.WriteString("-guide")
	}
	return b.String()
}

// windowsReserved are the device names Windows refuses as file names, with
// any extension.
var windowsReserved = map[string]bool{"con": true, "prn": true, "aux": true, "nul": true}

func init() {
	for i := '1'; i <= '9'; i++ {
		windowsReserved["com"+string(i)] = true
		windowsReserved["lpt"+string(i)] = true
	}
}
