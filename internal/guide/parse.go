package guide

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// MaxFileSize is the largest guide file Parse accepts (1 MiB).
const MaxFileSize = 1 << 20

// PlaceholderSummary is the summary cuecard new writes for its author to
// replace.
const PlaceholderSummary = "One sentence on what this guide helps with."

// placeholderStep is a step cuecard new writes for its author to replace:
// a list item that is only "First step", "Second step" or "Last step".
var placeholderStep = regexp.MustCompile(`(?m)^[ \t]*(?:[-*]|\d+\.)[ \t]+(?:\[[ xX]\][ \t]+)?(?:First|Second|Last) step\.?[ \t]*$`)

// recorderDraft is a step the recorder wrote that says only where the
// user clicked or typed, for its author to replace: "Click in **Mousepad**.",
// "Type the text and press **Enter** in **Mousepad**." (the older
// "... press Enter in <window title>." too), "Press a shortcut in ...".
// The sentences that name a control or the keys ("Click the **Save**
// button.", "Press **Ctrl+S**.") can stay as they are.
var recorderDraft = regexp.MustCompile(`(?m)^[ \t]*\d+\.[ \t]+(?:Click in (?:\*\*[^*\n]+\*\*|the window)|Type the text and press (?:\*\*Enter\*\*|Enter) in [^\n]+|Press a shortcut in [^\n]+)\.[ \t]*$`)

// recorderSummary is the summary the recorder writes.
var recorderSummary = regexp.MustCompile(`^Recorded task in \d+ steps?(?: in .+)?\.$`)

// keys are the front-matter keys Cuecard reads.
var keys = map[string]bool{
	"title": true, "summary": true, "description": true, "excerpt": true, "format": true, "apps": true, "tags": true, "roles": true,
	"owner": true, "reviewed": true, "review_every": true, "duration": true, "video": true,
	"template": true, "suggest": true, "draft": true, "lang": true, "language": true,
	"required": true, "due": true, "ack": true, "order": true,
}

// IsGuideFile reports whether a file name is a guide (a .md file).
func IsGuideFile(name string) bool {
	return strings.EqualFold(path.Ext(name), ".md")
}

// Parse parses one guide file. id is its library-relative slash path (it is
// also the path in problems). Parse never panics: it returns the guide and
// every problem found. When any problem is an error, the guide is nil and the
// file must be skipped.
func Parse(id string, data []byte) (g *Guide, problems []Problem) {
	p := &parser{id: id}
	defer func() {
		if r := recover(); r != nil {
			g = nil
			problems = append(p.problems, Problem{Path: id, Line: 1, Level: LevelError, Code: "internal",
				Message: fmt.Sprintf("could not parse this file (%v); please report it as a bug", r)})
		}
	}()
	g = p.parse(data)
	if HasErrors(p.problems) {
		return nil, p.problems
	}
	return g, p.problems
}

type parser struct {
	id       string
	problems []Problem
}

func (p *parser) add(line int, level Level, code, format string, args ...any) {
	if line < 1 {
		line = 1
	}
	p.problems = append(p.problems, Problem{Path: p.id, Line: line, Level: level, Code: code, Message: fmt.Sprintf(format, args...)})
}

func (p *parser) errorf(line int, code, format string, args ...any) {
	p.add(line, LevelError, code, format, args...)
}

func (p *parser) warnf(line int, code, format string, args ...any) {
	p.add(line, LevelWarning, code, format, args...)
}

func (p *parser) parse(data []byte) *Guide {
	sum := sha256.Sum256(data)
	g := &Guide{
		ID:          p.id,
		Format:      FormatGuide,
		ReviewEvery: DefaultReviewEvery,
		Suggest:     true,
		Hash:        hex.EncodeToString(sum[:]),
		Size:        int64(len(data)),
		Meta:        map[string]int{},
	}
	if len(data) > MaxFileSize {
		p.errorf(1, "too-large", "file is %d KiB, over the 1024 KiB limit for a guide: split it into shorter guides", len(data)/1024)
		return nil
	}
	if bytes.IndexByte(data, 0) >= 0 {
		p.errorf(lineOf(data, bytes.IndexByte(data, 0)), "binary", "file contains binary data (NUL bytes), not Markdown text: rename it so it does not end in .md, or save it as UTF-8 text")
		return nil
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		off := invalidUTF8(data)
		p.errorf(lineOf(data, off), "encoding", "file is not valid UTF-8 text: save it with UTF-8 encoding")
		return nil
	}
	if len(bytes.TrimSpace(data)) == 0 {
		p.errorf(1, "empty", "file is empty: write a guide in it or delete it")
		return nil
	}
	text := normaliseNewlines(string(data))

	body, bodyLine, fm, fmOK := splitFrontMatter(text)
	if !fmOK {
		p.errorf(1, "front-matter", "front matter starts with '---' on line 1 but is never closed: add a line '---' after the last key")
		return nil
	}
	body = boundMarkdown(body)
	g.Body = body
	g.BodyLine = bodyLine
	if fm != "" {
		p.frontMatter(g, fm)
		if HasErrors(p.problems) {
			return nil
		}
	}
	p.problems = append(p.problems, parseBody(g)...)
	if g.Format == FormatVideo {
		p.chapters(g)
	}

	if g.Title == "" {
		g.Title = titleFromFileName(p.id)
	}
	if g.Duration == 0 {
		g.Duration = EstimateDuration(g.WordCount, len(g.Steps))
		g.DurationEstimated = true
	}
	p.checks(g)
	return g
}

// normaliseNewlines turns CRLF and lone CR into LF.
func normaliseNewlines(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n")
}

// splitFrontMatter separates YAML front matter from the body. ok is false
// when front matter is opened but never closed.
func splitFrontMatter(text string) (body string, bodyLine int, fm string, ok bool) {
	first, rest, found := strings.Cut(text, "\n")
	if strings.TrimRight(first, " \t") != "---" {
		return text, 1, "", true
	}
	if !found {
		return "", 0, "", false
	}
	line := 2
	var lines []string
	for {
		var l string
		l, rest, found = strings.Cut(rest, "\n")
		t := strings.TrimRight(l, " \t")
		if t == "---" || t == "..." {
			fm = strings.Join(lines, "\n")
			if strings.TrimSpace(fm) == "" {
				fm = ""
			}
			return rest, line + 1, fm, true
		}
		lines = append(lines, l)
		line++
		if !found {
			return "", 0, "", false
		}
	}
}

var yamlLineRE = regexp.MustCompile(`line (\d+)`)

func (p *parser) frontMatter(g *Guide, fm string) {
	const offset = 1 // front matter starts on line 2
	var root yaml.Node
	if err := yaml.Unmarshal([]byte(fm), &root); err != nil {
		line := 1 + offset
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
			n, _ := strconv.Atoi(m[1])
			// yaml.v3 numbers parser errors (not scanner errors) from 0:
			// they point at the start of the construct that is not closed.
			if yamlParserError(msg) {
				n++
			}
			// An error found at the end points past the last line.
			n = min(max(n, 1), strings.Count(fm, "\n")+1)
			line = n + offset
			msg = strings.TrimSpace(yamlLineRE.ReplaceAllString(msg, ""))
			msg = strings.TrimPrefix(msg, ": ")
		}
		p.errorf(line, "yaml", "invalid YAML front matter: %s (check indentation and quote values that contain ': ' or start with a special character)", msg)
		return
	}
	if len(root.Content) == 0 {
		return
	}
	doc := root.Content[0]
	if doc.Kind != yaml.MappingNode {
		p.errorf(doc.Line+offset, "yaml", "front matter must be a list of 'key: value' lines, not a %s", kindName(doc))
		return
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(doc.Content); i += 2 {
		k, v := doc.Content[i], doc.Content[i+1]
		key := k.Value
		line := k.Line + offset
		if prev, dup := seen[key]; dup {
			p.errorf(line, "duplicate-key", "key %q is given twice (first on line %d): keep one", key, prev)
			continue
		}
		seen[key] = line
		if !keys[key] {
			p.warnf(line, "unknown-key", "unknown front-matter key %q is ignored (known keys: title, summary (or description, excerpt), format, apps, tags, roles, owner, reviewed, review_every, duration, video, template, suggest, draft, lang, required, due, ack, order)", key)
			continue
		}
		g.Meta[key] = line
		if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
			continue // "key:" with no value counts as absent
		}
		p.field(g, key, v, offset)
	}
	if g.Draft { // a work in progress is never suggested, whatever suggest says
		g.Suggest = false
	}
}

func yamlParserError(msg string) bool {
	for _, s := range []string{"expected key", "expected node content", "expected '-' indicator", "expected ',' or", "expected <document", "undefined tag handle", "duplicate %YAML", "incompatible YAML document"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "list"
	case yaml.MappingNode:
		return "mapping"
	case yaml.AliasNode:
		return "alias"
	default:
		return "single value"
	}
}

// scalar returns the value of a scalar node or reports a type error.
func (p *parser) scalar(key string, v *yaml.Node, offset int, want string) (string, bool) {
	if v.Kind == yaml.AliasNode && v.Alias != nil {
		v = v.Alias
	}
	if v.Kind != yaml.ScalarNode {
		p.errorf(v.Line+offset, "type", "%s must be %s, not a %s", key, want, kindName(v))
		return "", false
	}
	return strings.TrimSpace(v.Value), true
}

// list returns the scalar items of a list (a single scalar, comma separated,
// is accepted as a list).
func (p *parser) list(key string, v *yaml.Node, offset int) []string {
	if v.Kind == yaml.AliasNode && v.Alias != nil {
		v = v.Alias
	}
	var out []string
	switch v.Kind {
	case yaml.ScalarNode:
		for _, s := range strings.Split(v.Value, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	case yaml.SequenceNode:
		for _, it := range v.Content {
			s, ok := p.scalar(key+" item", it, offset, "text")
			if ok && s != "" {
				out = append(out, s)
			}
		}
	default:
		p.errorf(v.Line+offset, "type", "%s must be a list such as [a, b], not a %s", key, kindName(v))
	}
	return out
}

func (p *parser) field(g *Guide, key string, v *yaml.Node, offset int) {
	line := v.Line + offset
	switch key {
	case "title":
		if s, ok := p.scalar(key, v, offset, "text"); ok {
			g.Title = s
		}
	case "summary":
		if s, ok := p.scalar(key, v, offset, "text"); ok {
			g.Summary = s
		}
	case "description", "excerpt":
		// The names Hugo, Jekyll, Docusaurus and Obsidian Publish give the
		// summary: the first of them fills it, and summary wins over both.
		if s, ok := p.scalar(key, v, offset, "text"); ok && g.Summary == "" {
			g.Summary = strings.TrimSpace(s)
		}
	case "owner":
		if s, ok := p.scalar(key, v, offset, "text (a name or email)"); ok {
			g.Owner = s
		}
	case "video":
		if s, ok := p.scalar(key, v, offset, "a URL or a library-relative file"); ok {
			g.Video = s
		}
	case "template":
		if s, ok := p.scalar(key, v, offset, "a library-relative file"); ok {
			g.Template = s
		}
	case "format":
		if s, ok := p.scalar(key, v, offset, "one word"); ok {
			f := Format(strings.ToLower(s))
			if !f.Valid() {
				p.errorf(line, "format", "unknown format %q: use one of guide, checklist, video, template, faq, reference", s)
				return
			}
			g.Format = f
		}
	case "tags":
		g.Tags = p.list(key, v, offset)
	case "roles":
		g.Roles = p.list(key, v, offset)
	case "reviewed":
		if s, ok := p.scalar(key, v, offset, "a date such as 2026-03-31"); ok {
			t, err := parseDate(s)
			if err != nil {
				p.errorf(line, "date", "reviewed: %v", err)
				return
			}
			g.Reviewed = t
		}
	case "review_every":
		if s, ok := p.scalar(key, v, offset, "a period such as 90d, 6w, 6m or 1y"); ok {
			per, err := ParsePeriod(s)
			if err != nil {
				p.errorf(line, "period", "review_every: %v", err)
				return
			}
			g.ReviewEvery = per
		}
	case "duration":
		if s, ok := p.scalar(key, v, offset, "a duration such as 5m"); ok {
			d, err := ParseDuration(s)
			if err != nil {
				p.errorf(line, "duration", "duration: %v", err)
				return
			}
			g.Duration = d
		}
	case "lang", "language":
		if s, ok := p.scalar(key, v, offset, "a language code such as en or pt-BR"); ok {
			g.Lang = strings.TrimSpace(s)
		}
	case "suggest", "draft", "required", "ack":
		if s, ok := p.scalar(key, v, offset, "true or false"); ok {
			var b bool
			switch strings.ToLower(s) {
			case "true", "yes", "on":
				b = true
			case "false", "no", "off":
			default:
				p.errorf(line, "type", "%s must be true or false, not %q", key, s)
				return
			}
			switch key {
			case "draft":
				g.Draft = b
			case "required":
				g.Required = b
			case "ack":
				g.Ack = b
			default:
				g.Suggest = b
			}
		}
	case "due":
		if s, ok := p.scalar(key, v, offset, "a period such as 14d or a date such as 2027-01-31"); ok {
			d, err := ParseDeadline(s)
			if err != nil {
				p.errorf(line, "due", "%v", err)
				return
			}
			g.Deadline = d
		}
	case "order":
		if s, ok := p.scalar(key, v, offset, "a whole number such as 1"); ok {
			n, err := strconv.Atoi(s)
			if err != nil || n < 1 || n > 1_000_000 {
				p.errorf(line, "order", "order must be a whole number from 1 (first in the track), not %q", s)
				return
			}
			g.Order = n
		}
	case "apps":
		p.apps(g, v, offset)
	}
}

var ruleKeys = map[string]bool{"exe": true, "class": true, "title": true}

func (p *parser) apps(g *Guide, v *yaml.Node, offset int) {
	var items []*yaml.Node
	switch v.Kind {
	case yaml.SequenceNode:
		items = v.Content
	case yaml.MappingNode:
		items = []*yaml.Node{v}
	default:
		p.errorf(v.Line+offset, "type", "apps must be a list of rules such as '- exe: thunderbird' or '- title: \"\\| Salesforce\"', not a %s", kindName(v))
		return
	}
	for _, it := range items {
		line := it.Line + offset
		if it.Kind == yaml.AliasNode && it.Alias != nil {
			it = it.Alias
		}
		if it.Kind != yaml.MappingNode {
			p.errorf(line, "type", "each apps rule must be a mapping with exe, class or title, e.g. '- exe: thunderbird', not a %s", kindName(it))
			continue
		}
		var exe, class, title string
		bad := false
		for i := 0; i+1 < len(it.Content); i += 2 {
			k, val := it.Content[i], it.Content[i+1]
			if !ruleKeys[k.Value] {
				p.errorf(k.Line+offset, "rule", "unknown rule key %q: a rule has exe, class and/or title", k.Value)
				bad = true
				continue
			}
			s, ok := p.scalar("apps "+k.Value, val, offset, "a regular expression")
			if !ok {
				bad = true
				continue
			}
			switch k.Value {
			case "exe":
				exe = s
			case "class":
				class = s
			case "title":
				title = s
			}
		}
		if bad {
			continue
		}
		r, err := CompileRule(exe, class, title)
		if err != nil {
			p.errorf(line, "regex", "apps rule: %v", err)
			continue
		}
		if r.Empty() {
			p.errorf(line, "rule", "apps rule is empty: give exe, class or title")
			continue
		}
		r.Line = line
		g.Apps = append(g.Apps, r)
	}
}

func parseDate(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02", time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02 15:04:05 -07:00", "2006-1-2"} {
		if t, err := time.Parse(layout, s); err == nil {
			y, m, d := t.Date()
			return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date: write it as YYYY-MM-DD, e.g. 2026-03-31", s)
}

func titleFromFileName(id string) string {
	base := path.Base(id)
	base = strings.TrimSuffix(base, path.Ext(base))
	if strings.EqualFold(base, "index") || strings.EqualFold(base, "readme") {
		if dir := path.Dir(id); dir != "." && dir != "/" {
			base = path.Base(dir)
		}
	}
	base = strings.NewReplacer("-", " ", "_", " ").Replace(base)
	base = strings.Join(strings.Fields(base), " ")
	r, n := utf8.DecodeRuneInString(base)
	if n == 0 {
		return id
	}
	return string(unicode.ToUpper(r)) + base[n:]
}

// lineOf returns the 1-based line of byte offset off in data.
func lineOf(data []byte, off int) int {
	if off > len(data) {
		off = len(data)
	}
	return bytes.Count(data[:off], []byte("\n")) + 1
}

func invalidUTF8(data []byte) int {
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return 0
}

// checks adds the file-local lint warnings and errors that need a parsed guide.
func (p *parser) checks(g *Guide) {
	if g.Format == FormatVideo && g.Video == "" {
		p.errorf(g.Line("format"), "missing-video", "video guide has no 'video:' link: add the URL or library-relative file of the walkthrough")
	}
	if g.Format == FormatTemplate && g.Template == "" {
		p.errorf(g.Line("format"), "missing-template", "template guide has no 'template:' file: add the library-relative path of the template")
	}
	if g.Owner == "" {
		p.warnf(1, "no-owner", "no owner: add 'owner: name@example.com' so someone keeps this guide current")
	}
	if g.Reviewed.IsZero() {
		p.warnf(1, "no-reviewed", "no review date: add 'reviewed: %s' once the guide has been checked", time.Now().Format("2006-01-02"))
	}
	if !TaskOrQuestion(g.Title) {
		p.warnf(g.Line("title"), "title", "title %s is not phrased as a task or question: name it after what the reader wants to do, e.g. \"How to ...\" or a question", Quote(g.Title))
	}
	if read := EstimateDuration(g.WordCount, 0); read > 15*time.Minute {
		p.warnf(1, "too-long", "reading time is about %s (%d words), over 15 minutes: split it into shorter guides", FormatDuration(read), g.WordCount)
	}
	if !g.Draft {
		if g.Summary == PlaceholderSummary {
			p.warnf(g.Line("summary"), "placeholder", "the summary is still cuecard new's placeholder: write the one sentence, or mark the guide 'draft: true' until it is done")
		} else if loc := placeholderStep.FindStringIndex(g.Body); loc != nil {
			p.warnf(g.BodyLine+strings.Count(g.Body[:loc[0]], "\n"), "placeholder", "%s is still cuecard new's placeholder: write the real steps, or mark the guide 'draft: true' until it is done", Quote(strings.TrimSpace(g.Body[loc[0]:loc[1]])))
		}
		if recorderSummary.MatchString(g.Summary) {
			p.warnf(g.Line("summary"), "placeholder", "the summary is still the recorder's draft: write one sentence on what this guide helps with, or mark the guide 'draft: true' until it is done")
		}
		if locs := recorderDraft.FindAllStringIndex(g.Body, -1); locs != nil {
			more := ""
			if len(locs) > 1 {
				more = fmt.Sprintf(" (and %d more steps)", len(locs)-1)
			}
			loc := locs[0]
			p.warnf(g.BodyLine+strings.Count(g.Body[:loc[0]], "\n"), "placeholder", "%s%s is still the recorder's draft sentence: say what the step does and why (\"Click **Save** to keep the deal.\"), or mark the guide 'draft: true' until it is done", Quote(strings.TrimSpace(g.Body[loc[0]:loc[1]])), more)
		}
	}
	if len(g.Apps) == 0 && len(g.Tags) == 0 {
		p.warnf(1, "unreachable", "no apps rule and no tags: nothing can surface this guide except a search; add 'apps:' rules or 'tags:'")
	}
}
