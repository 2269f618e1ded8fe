package guide

import (
	"fmt"
	"image"
	"path"
	"strconv"
	"strings"
)

// ClickMarker starts the HTML comment that records where a step's click
// was (see ClickTarget). It is invisible when the guide is rendered, and it
// stays with its step when the step's text is edited.
const ClickMarker = "cuecard-target"

// ClickTarget is where a recorded click step was, for "Guide me" to point at
// it again: written by the recorder (or `cuecard target`) as one HTML
// comment inside the step's list item, after its image:
//
//  1. Click the **Save** button.
//
//     ![Step 1](step-01.png)
//     <!-- cuecard-target patch=step-01-target.png x=337 y=186 w=800 h=600 dx=48 dy=48 app="Mousepad" exe="^mousepad$" -->
//
// Values are bare (no space, quote or "-->") or Go-quoted strings. Unknown
// keys are ignored, so later versions can add some.
type ClickTarget struct {
	// Patch is the image of the screen around the click, a PNG beside the
	// guide (a path relative to the guide file).
	Patch string
	// At is the click's position in the window's client area and Size the
	// client area's size, in pixels, when it was recorded.
	At   image.Point
	Size image.Point
	// InPatch is the click's position within Patch.
	InPatch image.Point
	// App names the step's app as a reader knows it ("Mousepad"), for
	// "switch to Mousepad"; may be empty.
	App string
	// Window matches the step's window (exe and class expressions as in
	// the apps rules); may be empty, when any window of the guide's apps
	// will do.
	Window Rule
	// Line is the comment's line in the guide file.
	Line int
}

// Rel is the click's position relative to the client area's size (0..1).
func (t ClickTarget) Rel() (x, y float64) {
	return float64(t.At.X) / float64(t.Size.X), float64(t.At.Y) / float64(t.Size.Y)
}

// String is the target's comment, as the recorder writes it.
func (t ClickTarget) String() string {
	var b strings.Builder
	b.WriteString("<!-- " + ClickMarker)
	kv := func(k, v string) {
		if v == "" {
			return
		}
		b.WriteString(" " + k + "=")
		if bareValue(v) {
			b.WriteString(v)
		} else {
			// No "-->" inside the comment, even quoted.
			b.WriteString(strings.ReplaceAll(strconv.Quote(v), ">", `\x3e`))
		}
	}
	kv("patch", t.Patch)
	for _, p := range []struct {
		k string
		v int
	}{{"x", t.At.X}, {"y", t.At.Y}, {"w", t.Size.X}, {"h", t.Size.Y}, {"dx", t.InPatch.X}, {"dy", t.InPatch.Y}} {
		kv(p.k, strconv.Itoa(p.v))
	}
	kv("app", t.App)
	kv("exe", t.Window.Exe)
	kv("class", t.Window.Class)
	kv("title", t.Window.Title)
	b.WriteString(" -->")
	return b.String()
}

func bareValue(v string) bool {
	return v != "" && !strings.ContainsAny(v, " \t\n\"'\\<>") && !strings.Contains(v, "--")
}

// IsClickComment reports whether an HTML block or comment is a target.
func IsClickComment(s string) bool {
	s = strings.TrimSpace(s)
	return strings.HasPrefix(s, "<!--") && strings.HasPrefix(strings.TrimSpace(s[4:]), ClickMarker)
}

// ParseClickTarget reads a target comment (see ClickTarget). The error says what is
// wrong and how to write it.
func ParseClickTarget(s string) (ClickTarget, error) {
	var t ClickTarget
	s = strings.TrimSpace(s)
	if !IsClickComment(s) {
		return t, fmt.Errorf("not a %s comment", ClickMarker)
	}
	body := strings.TrimSpace(s[4:])
	end := strings.Index(body, "-->")
	if end < 0 {
		return t, fmt.Errorf("the %s comment is not closed: end it with -->", ClickMarker)
	}
	body = strings.TrimSpace(body[len(ClickMarker):end])
	vals := map[string]string{}
	for body != "" {
		eq := strings.IndexByte(body, '=')
		if eq <= 0 || strings.ContainsAny(body[:eq], " \t\n") {
			word, _, _ := strings.Cut(body, " ")
			return t, fmt.Errorf("%q is not key=value", word)
		}
		key := body[:eq]
		rest := body[eq+1:]
		var v string
		if strings.HasPrefix(rest, `"`) {
			q, err := strconv.QuotedPrefix(rest)
			if err != nil {
				return t, fmt.Errorf("the value of %s is an unclosed or bad quoted string", key)
			}
			v, _ = strconv.Unquote(q)
			rest = rest[len(q):]
		} else {
			i := strings.IndexAny(rest, " \t\n")
			if i < 0 {
				i = len(rest)
			}
			v, rest = rest[:i], rest[i:]
		}
		if _, dup := vals[key]; dup {
			return t, fmt.Errorf("%s is given twice", key)
		}
		vals[key] = v
		body = strings.TrimLeft(rest, " \t\n")
	}
	t.Patch = vals["patch"]
	if t.Patch == "" {
		return t, fmt.Errorf("no patch: name the target's image, patch=step-01-target.png")
	}
	if path.IsAbs(t.Patch) || strings.Contains(t.Patch, "://") || strings.HasPrefix(t.Patch, "../") && strings.Count(t.Patch, "../") > 8 {
		return t, fmt.Errorf("patch %q must be a path relative to the guide", t.Patch)
	}
	ints := map[string]*int{"x": &t.At.X, "y": &t.At.Y, "w": &t.Size.X, "h": &t.Size.Y, "dx": &t.InPatch.X, "dy": &t.InPatch.Y}
	for _, k := range []string{"x", "y", "w", "h", "dx", "dy"} {
		v, ok := vals[k]
		if !ok {
			return t, fmt.Errorf("no %s: a target needs x, y (the click in the window), w, h (the window's size) and dx, dy (the click in the patch)", k)
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 1<<15 {
			return t, fmt.Errorf("%s=%s is not a whole number of pixels", k, v)
		}
		*ints[k] = n
	}
	if t.Size.X == 0 || t.Size.Y == 0 {
		return t, fmt.Errorf("the window size %dx%d is empty", t.Size.X, t.Size.Y)
	}
	if t.At.X >= t.Size.X || t.At.Y >= t.Size.Y {
		return t, fmt.Errorf("the click (%d,%d) is outside the %dx%d window", t.At.X, t.At.Y, t.Size.X, t.Size.Y)
	}
	t.App = vals["app"]
	r, err := CompileRule(vals["exe"], vals["class"], vals["title"])
	if err != nil {
		return t, fmt.Errorf("window rule: %v", err)
	}
	t.Window = r
	return t, nil
}
