package bench

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"github.com/cuecard/cuecard/internal/guide"
)

// Generate writes a deterministic synthetic library of n guides into dir:
// the same n and seed always give the same files. Titles read like real task
// guides ("How to refund an order in QuickBooks"), front matter carries app
// rules (exe, class and title expressions), tags, roles, an owner and a
// review date; bodies have 200-800 words with steps, checklists (about 15% of
// guides) and FAQ sections (about 10%), in nested department/app folders. The
// vocabulary grows with n, as real text does, through rare words (customer
// names, codes).
func Generate(dir string, n int, seed int64) error {
	_, err := generate(dir, n, seed, false)
	return err
}

// generate is Generate; mixed writes a fifth of the guides as Word and PDF
// documents (see docKind). It returns the ids written of each kind.
func generate(dir string, n int, seed int64, mixed bool) (map[string][]string, error) {
	ids := map[string][]string{}
	g := newGenerator(seed)
	for i := 0; i < n; i++ {
		sg := g.guide(i)
		kind := ""
		if mixed {
			kind = docKind(i)
		}
		id, err := writeItem(dir, sg, kind)
		if err != nil {
			return nil, fmt.Errorf("generate library: %w", err)
		}
		ids[kind] = append(ids[kind], id)
		if sg.template != "" {
			tpl := filepath.Join(dir, filepath.FromSlash(sg.template))
			if err := os.MkdirAll(filepath.Dir(tpl), 0o755); err != nil {
				return nil, fmt.Errorf("generate library: %w", err)
			}
			if err := os.WriteFile(tpl, []byte("Dear {name},\n\n{text}\n"), 0o644); err != nil {
				return nil, fmt.Errorf("generate library: %w", err)
			}
		}
	}
	return ids, nil
}

// synthGuide is one generated guide file.
type synthGuide struct {
	id       string // library-relative slash path
	title    string
	app      *app
	markdown string
	// template is the library-relative path of the template file a
	// template guide names, or "".
	template string
}

type generator struct {
	r    *rand.Rand
	rare []string // pool of rare words, grows as guides are generated
	used map[string]bool
	sb   strings.Builder
}

func newGenerator(seed int64) *generator {
	return &generator{
		r:    rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15)),
		used: make(map[string]bool),
	}
}

func (g *generator) pick(list []string) string { return list[g.r.IntN(len(list))] }

// zipf picks from list with a bias towards the first entries, so some words
// are common and others rare, as in natural text.
func (g *generator) zipf(list []string) string {
	f := g.r.Float64()
	return list[int(f*f*float64(len(list)))]
}

// rareWord returns a rare word: a new one a quarter of the time, otherwise
// one already used somewhere in the library.
func (g *generator) rareWord() string {
	if len(g.rare) == 0 || g.r.IntN(4) == 0 {
		var b strings.Builder
		for k := 2 + g.r.IntN(3); k > 0; k-- {
			b.WriteString(g.pick(syllables))
		}
		w := b.String()
		if g.r.IntN(2) == 0 {
			w = strings.ToUpper(w[:1]) + w[1:]
		}
		g.rare = append(g.rare, w)
		return w
	}
	return g.rare[g.r.IntN(len(g.rare))]
}

type slots struct {
	verb, object string
}

// fill expands a template: {v} verb, {o} object, {n} noun, {a} adjective,
// {m} menu, {b} button, {t} team, {s} state, {x} rare word, {d} number,
// {p} the past participle of the guide's verb.
func (g *generator) fill(tpl string, s slots) string {
	var b strings.Builder
	for i := 0; i < len(tpl); i++ {
		if tpl[i] != '{' || i+2 >= len(tpl) || tpl[i+2] != '}' {
			b.WriteByte(tpl[i])
			continue
		}
		switch tpl[i+1] {
		case 'v':
			if g.r.IntN(3) == 0 {
				b.WriteString(g.zipf(verbs))
			} else {
				b.WriteString(s.verb)
			}
		case 'o':
			if g.r.IntN(4) == 0 {
				b.WriteString(g.zipf(nouns))
			} else {
				b.WriteString(s.object)
			}
		case 'p':
			b.WriteString(participle(s.verb))
		case 'n':
			b.WriteString(g.zipf(nouns))
		case 'a':
			b.WriteString(g.zipf(adjectives))
		case 'm':
			b.WriteString(g.pick(menus))
		case 'b':
			b.WriteString(g.pick(buttons))
		case 't':
			b.WriteString(g.pick(teams))
		case 's':
			b.WriteString(g.pick(states))
		case 'x':
			b.WriteString(g.rareWord())
		case 'd':
			fmt.Fprintf(&b, "%d", 2+g.r.IntN(500))
		default:
			b.WriteString(tpl[i : i+3])
		}
		i += 2
	}
	return b.String()
}

var irregular = map[string]string{"send": "sent", "find": "found", "split": "split", "reset": "reset",
	"set up": "set up", "approve and post": "approved and posted", "cancel": "cancelled", "submit": "submitted",
	"transfer": "transferred"}

// participle is the past participle of a verb from the verbs list.
func participle(v string) string {
	if p, ok := irregular[v]; ok {
		return p
	}
	if strings.HasSuffix(v, "e") {
		return v + "d"
	}
	return v + "ed"
}

func capitalize(s string) string {
	for i, r := range s {
		return string(unicode.ToUpper(r)) + s[i+len(string(r)):]
	}
	return s
}

func article(word string) string {
	if word != "" && strings.ContainsRune("aeiouAEIOU", rune(word[0])) {
		return "an"
	}
	return "a"
}

var formatWeights = []struct {
	format string
	weight int
}{{"guide", 62}, {"checklist", 15}, {"faq", 10}, {"reference", 6}, {"template", 4}, {"video", 3}}

func (g *generator) format() string {
	n := g.r.IntN(100)
	for _, fw := range formatWeights {
		if n < fw.weight {
			return fw.format
		}
		n -= fw.weight
	}
	return "guide"
}

func (g *generator) title(format string, s slots, a *app) string {
	obj, verb := s.object, s.verb
	switch format {
	case "checklist":
		if g.r.IntN(3) == 0 {
			return fmt.Sprintf("Checklist: %s the %s in %s", verb, obj, a.Name)
		}
		return fmt.Sprintf("%s the %s in %s", capitalize(verb), obj, a.Name)
	case "faq":
		switch g.r.IntN(3) {
		case 0:
			return fmt.Sprintf("%s FAQ", a.Name)
		case 1:
			return fmt.Sprintf("What do people ask about the %s?", obj)
		default:
			return fmt.Sprintf("%s: frequently asked questions about %ss", a.Name, obj)
		}
	case "reference":
		return fmt.Sprintf("%s fields in %s", capitalize(obj), a.Name)
	case "template":
		return fmt.Sprintf("Write %s %s %s", article(obj), obj, g.pick(nouns))
	case "video":
		return fmt.Sprintf("How to %s %s %s in %s (video)", verb, article(obj), obj, a.Name)
	}
	switch g.r.IntN(10) {
	case 0, 1, 2, 3:
		return fmt.Sprintf("How to %s %s %s in %s", verb, article(obj), obj, a.Name)
	case 4, 5:
		return fmt.Sprintf("%s %s %s in %s", capitalize(verb), article(obj), obj, a.Name)
	case 6:
		return fmt.Sprintf("%s: %s the %s", a.Name, verb, obj)
	case 7:
		return fmt.Sprintf("Why is my %s %s?", obj, g.pick(states))
	default:
		return fmt.Sprintf("How to %s the %s %s", verb, g.pick(adjectives), obj)
	}
}

var reviewStart = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

func (g *generator) guide(i int) synthGuide {
	a := &apps[g.r.IntN(len(apps))]
	domain := g.pick(a.Domain)
	s := slots{verb: g.zipf(verbs), object: g.pick(objects[domain])}
	format := g.format()
	title := g.title(format, s, a)

	// Path: department, sometimes an app folder, sometimes a year folder.
	dirParts := []string{domain}
	switch g.r.IntN(4) {
	case 0, 1:
		dirParts = append(dirParts, guide.FileSlug(a.Name))
	case 2:
		dirParts = append(dirParts, fmt.Sprintf("%d", 2022+g.r.IntN(5)), guide.FileSlug(a.Name))
	}
	slug := guide.FileSlug(title)
	id := strings.Join(append(dirParts, slug), "/") + ".md"
	for k := 2; g.used[id]; k++ {
		id = strings.Join(append(dirParts, fmt.Sprintf("%s-%d", slug, k)), "/") + ".md"
	}
	g.used[id] = true

	fm := guide.FrontMatter{Title: title, Format: guide.Format(format)}
	fm.Summary = g.fill(g.pick([]string{
		"How {t} wants you to {v} the {o} in " + a.Name + ".",
		"The steps to {v} {o}s, and what to check before you {v} one.",
		"Everything you need to {v} the {o} without waiting for {t}.",
		"A short checklist to {v} the {o} correctly the first time.",
	}), s)
	if g.r.IntN(10) != 0 {
		for k, rule := range a.Rules {
			if k > 0 && g.r.IntN(2) == 0 {
				continue
			}
			fm.Apps = append(fm.Apps, rule.rule())
		}
		if g.r.IntN(8) == 0 {
			other := &apps[g.r.IntN(len(apps))]
			fm.Apps = append(fm.Apps, other.Rules[0].rule())
		}
	}
	seen := map[string]bool{}
	for k := 2 + g.r.IntN(4); k > 0; k-- {
		t := g.pick(tagsByDomain[domain])
		if !seen[t] {
			seen[t] = true
			fm.Tags = append(fm.Tags, t)
		}
	}
	if g.r.IntN(3) == 0 {
		fm.Tags = append(fm.Tags, guide.FileSlug(a.Name))
	}
	fm.Roles = []string{g.pick(roles)}
	fm.Owner = g.pick(owners)
	if g.r.IntN(20) != 0 {
		fm.Reviewed = reviewStart.AddDate(0, 0, g.r.IntN(1060))
		if g.r.IntN(10) < 7 {
			fm.ReviewEvery = reviewPeriods[g.r.IntN(len(reviewPeriods))]
		}
	}
	if g.r.IntN(10) < 3 {
		fm.Duration = time.Duration(2+g.r.IntN(14)) * time.Minute
	}
	fm.NoSuggest = g.r.IntN(20) == 0
	var template string
	switch format {
	case "video":
		fm.Video = "https://videos.example.com/" + slug + ".mp4"
	case "template":
		template = "templates/" + slug + ".txt"
		fm.Template = template
	}
	b := &g.sb
	b.Reset()
	fm.WriteTo(b)
	fmt.Fprintf(b, "\n# %s\n\n", title)

	target := 200 + g.r.IntN(601)
	words := 0
	para := func(k int) {
		var p []string
		for ; k > 0; k-- {
			p = append(p, g.fill(g.pick(sentences), s))
		}
		text := strings.Join(p, " ")
		words += len(strings.Fields(text))
		b.WriteString(text)
		b.WriteString("\n\n")
	}
	list := func(prefix string, k int) {
		for j := 1; j <= k; j++ {
			line := g.fill(g.pick(sentences), s)
			words += len(strings.Fields(line))
			p := prefix
			if p == "" {
				p = fmt.Sprintf("%d. ", j)
			}
			b.WriteString(p + line + "\n")
		}
		b.WriteString("\n")
	}
	intro := g.fill(g.pick(intros), s)
	words += len(strings.Fields(intro))
	b.WriteString(intro + " ")
	para(1 + g.r.IntN(2))

	switch format {
	case "faq":
		asked := map[string]bool{}
		for q := 0; words < target || q < 4; q++ {
			question := g.fill(g.pick(faqQuestions), s)
			if asked[question] {
				question = fmt.Sprintf("%s (%s)", strings.TrimSuffix(question, "?"), g.rareWord()) + "?"
			}
			asked[question] = true
			fmt.Fprintf(b, "## %s\n\n", question)
			words += len(strings.Fields(question))
			para(1 + g.r.IntN(3))
		}
	case "checklist":
		for k := 0; words < target || k < 2; k++ {
			fmt.Fprintf(b, "## %s\n\n", headings[(k+1)%len(headings)])
			list("- [ ] ", 3+g.r.IntN(6))
		}
	case "reference":
		b.WriteString("| Field | Meaning |\n|---|---|\n")
		for k := 3 + g.r.IntN(8); k > 0; k-- {
			line := g.fill("| {a} {n} | "+g.pick(sentences)+" |", s)
			words += len(strings.Fields(line))
			b.WriteString(line + "\n")
		}
		b.WriteString("\n")
	case "template":
		b.WriteString("```text\n")
		for k := 4 + g.r.IntN(8); k > 0; k-- {
			line := g.fill("{a} {n}: [{n}] - {x}", s)
			words += len(strings.Fields(line))
			b.WriteString(line + "\n")
		}
		b.WriteString("```\n\n")
	default:
		b.WriteString("## Before you start\n\n")
		list("- ", 2+g.r.IntN(3))
		b.WriteString("## Steps\n\n")
		list("", 4+g.r.IntN(7))
	}
	for k := 0; words < target; k++ {
		fmt.Fprintf(b, "## %s\n\n", headings[(k+3)%len(headings)])
		para(2 + g.r.IntN(4))
		if g.r.IntN(3) == 0 {
			fmt.Fprintf(b, "See [%s](../%s.md) for the related steps.\n\n", g.pick(nouns), guide.FileSlug(g.pick(verbs)+" "+s.object))
		}
	}
	return synthGuide{id: id, title: title, app: a, markdown: b.String(), template: template}
}
