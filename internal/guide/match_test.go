package guide

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

// bruteMatch is Match without the index: every rule is run.
func bruteMatch(m *Matcher, w Window) []string {
	best := map[*Guide]int{}
	for _, e := range m.entries {
		if e.rule.Match(w) {
			if s, ok := best[e.g]; !ok || e.rule.Specificity() > s {
				best[e.g] = e.rule.Specificity()
			}
		}
	}
	var out []string
	for g, s := range best {
		out = append(out, fmt.Sprintf("%s/%d", g.ID, s))
	}
	sort.Strings(out)
	return out
}

func indexedMatch(m *Matcher, w Window) []string {
	var out []string
	for _, mt := range m.Match(w) {
		out = append(out, fmt.Sprintf("%s/%d", mt.Guide.ID, mt.Specificity))
	}
	sort.Strings(out)
	return out
}

// TestMatcherIndexExact: the index never changes what matches.
func TestMatcherIndexExact(t *testing.T) {
	exprs := []string{
		"", "", "^chromium$", "chrom", "firefox|chromium", `\| Salesforce`, "(?:Deals|Leads) - Acme",
		"^soffice\\.bin$", "calc", "a", "ab", "x+y", "(foo)?bar", "colou?r", "ſalesforce", "KELVIN",
		"straße", ".*", "^$", "[0-9]+ items", "(?-i)Exact", "ärger|Ärger", "é", "(a|b)(c|d)", "\\bvi\\b",
		"Inbox.*Gmail", "(ab){2,}", "(?:zz)*q", "日本", "x|", "Σ",
	}
	words := []string{"chromium", "Chromium", "Firefox", "| Salesforce", "| salesforce", "Deals - Acme", "leads - ACME",
		"soffice.bin", "libreoffice-calc", "ab", "xxy", "bar", "foobar", "color", "colour", "SALESFORCE", "kelvin",
		"STRASSE", "straße", "42 items", "Exact", "exact", "ärger", "ÄRGER", "É", "bd", "vi", "Inbox - Gmail",
		"abab", "q", "日本語", "σ", "ς", "Σ", "\xff", ""}
	rng := rand.New(rand.NewPCG(1, 2))
	pick := func(list []string) string { return list[rng.IntN(len(list))] }
	var guides []*Guide
	for i := range 250 {
		g := &Guide{ID: fmt.Sprintf("g%03d.md", i), Title: fmt.Sprintf("Guide %d", i%37)}
		for range 1 + rng.IntN(3) {
			r, err := CompileRule(pick(exprs), pick(exprs), pick(exprs))
			if err == nil && !r.Empty() {
				g.Apps = append(g.Apps, r)
			}
		}
		guides = append(guides, g)
	}
	m := NewMatcher(guides)
	if len(m.always) == m.Len() {
		t.Fatal("nothing was indexed")
	}
	text := func() string {
		var parts []string
		for range rng.IntN(4) {
			parts = append(parts, pick(words))
		}
		return strings.Join(parts, pick([]string{" ", "", " - "}))
	}
	for range 600 {
		w := Window{Exe: text(), Class: text(), Instance: text(), Title: text()}
		if w.IsZero() {
			continue
		}
		if got, want := indexedMatch(m, w), bruteMatch(m, w); !slices.Equal(got, want) {
			t.Fatalf("window %+v:\nindexed %v\nall     %v", w, got, want)
		}
	}
}

func TestRequiredKeys(t *testing.T) {
	for expr, want := range map[string][]string{
		`\| Salesforce`:       {"| SALESFORCE"},
		"^soffice\\.bin$":     {"SOFFICE.BIN"},
		"firefox|chromium":    {"CHROMIUM", "FIREFOX"},
		"(Deals|Leads) - Acm": {"DEALS - ACM", "LEADS - ACM"},
		"(Deals|Leads).*Acme": {"DEALS", "LEADS"},
		"Inbox.*Gmail":        {"INBOX"},
		"colou?r":             {"COLO"},
		".*":                  nil,
		"x|":                  nil,
		"ſ":                   {"S"},
	} {
		if got := requiredKeys(expr); !slices.Equal(got, want) {
			t.Errorf("requiredKeys(%q) = %q, want %q", expr, got, want)
		}
	}
}

// FuzzRequiredKeys: whenever a rule expression matches a text, one of its
// required keys occurs in the folded text.
func FuzzRequiredKeys(f *testing.F) {
	f.Add(`\| Salesforce`, "Opportunities | salesforce - Chromium")
	f.Add("ſalesforce", "SALESFORCE")
	f.Add("k", "\u212a")
	f.Add("(a|b)c+", "xbcc")
	f.Fuzz(func(t *testing.T, expr, text string) {
		re, err := regexp.Compile("(?i)" + expr)
		if err != nil || !re.MatchString(text) {
			return
		}
		keys := requiredKeys(expr)
		if len(keys) == 0 {
			return
		}
		ft := fold(text)
		for _, k := range keys {
			if strings.Contains(ft, k) {
				return
			}
		}
		t.Fatalf("%q matches %q but no key of %q occurs in %q", expr, text, keys, ft)
	})
}

// syntheticLibrary is n guides with two rules each, shaped like real ones:
// an app by exe with a web app or document by title, a class, a title
// alone; some alternations, anchors and rules with no literal at all.
func syntheticLibrary(n int) []*Guide {
	apps := []struct{ exe, class string }{
		{"chromium", "Chromium"}, {"firefox-esr", "firefox-esr"}, {"soffice.bin", "libreoffice-calc"},
		{"soffice.bin", "libreoffice-writer"}, {"code", "Code"}, {"thunderbird", "thunderbird"},
		{"slack", "Slack"}, {"gimp-2.10", "Gimp-2.10"}, {"evince", "Evince"}, {"nautilus", "org.gnome.Nautilus"},
	}
	for j := range 30 { // in-house and line-of-business apps
		apps = append(apps, struct{ exe, class string }{fmt.Sprintf("lob-app-%d", j), fmt.Sprintf("LobApp%d", j)})
	}
	rng := rand.New(rand.NewPCG(5, 6))
	nouns := []string{"Deals", "Leads", "Invoices", "Tickets", "Reports", "Contacts", "Orders", "Quotes", "Cases", "Campaigns"}
	sites := []string{"Salesforce", "Zendesk", "Jira", "HubSpot", "Acme CRM", "SAP", "Workday", "ServiceNow", "Confluence", "GitLab"}
	var gs []*Guide
	for i := range n {
		a := apps[rng.IntN(len(apps))]
		noun, site := nouns[(i/10)%len(nouns)], sites[(i/100)%len(sites)]
		g := &Guide{ID: fmt.Sprintf("lib/%05d.md", i), Title: fmt.Sprintf("How to handle %s in %s, part %d", noun, site, i)}
		switch i % 5 {
		case 0, 1:
			g.Apps = append(g.Apps, MustRule("^"+regexp.QuoteMeta(a.exe)+"$", "", fmt.Sprintf(`%s #%d \| %s`, noun, i, site)))
			g.Apps = append(g.Apps, MustRule("", "", fmt.Sprintf(`^%s %d`, site, i)))
		case 2:
			g.Apps = append(g.Apps, MustRule("", "^"+regexp.QuoteMeta(a.class)+"$", fmt.Sprintf(`(%s|%s) %d`, noun, site, i)))
			g.Apps = append(g.Apps, MustRule("", "", fmt.Sprintf(`Form %d - %s`, i, site)))
		case 3:
			g.Apps = append(g.Apps, MustRule(regexp.QuoteMeta(a.exe), "", fmt.Sprintf(`Doc-%d\.ods`, i)))
			g.Apps = append(g.Apps, MustRule("", "", fmt.Sprintf(`Checklist %d\b`, i)))
		case 4:
			g.Apps = append(g.Apps, MustRule("", "", fmt.Sprintf(`%s.*%s %d`, noun, site, i)))
			if i%50 == 4 {
				g.Apps = append(g.Apps, MustRule("", "", `^\S+ \d+$`)) // no literal: always run
			} else {
				g.Apps = append(g.Apps, MustRule("^"+regexp.QuoteMeta(a.exe)+"$", "", ""))
			}
		}
		gs = append(gs, g)
	}
	return gs
}

func syntheticWindows(n int) []Window {
	rng := rand.New(rand.NewPCG(3, 4))
	var ws []Window
	for range n {
		i := rng.IntN(10000)
		switch rng.IntN(4) {
		case 0:
			ws = append(ws, Window{Exe: "chromium", Class: "Chromium", Instance: "chromium", Title: fmt.Sprintf("Deals #%d | Salesforce - Chromium", i)})
		case 1:
			ws = append(ws, Window{Exe: "soffice.bin", Class: "libreoffice-calc", Instance: "soffice", Title: fmt.Sprintf("Doc-%d.ods - LibreOffice Calc", i)})
		case 2:
			ws = append(ws, Window{Exe: "code", Class: "Code", Instance: "code", Title: fmt.Sprintf("main.go - project %d - Visual Studio Code", i)})
		default:
			ws = append(ws, Window{Exe: "xterm", Class: "XTerm", Instance: "xterm", Title: "bash"})
		}
	}
	return ws
}

// BenchmarkMatcher: 10,000 guides with 20,000 rules; target p99 <= 1 ms per
// Match. Reports p50 and p99 in microseconds.
func BenchmarkMatcher(b *testing.B) {
	guides := syntheticLibrary(10000)
	start := time.Now()
	m := NewMatcher(guides)
	build := time.Since(start)
	if m.Len() != 20000 {
		b.Fatalf("%d rules", m.Len())
	}
	ws := syntheticWindows(1000)
	durs := make([]time.Duration, 0, b.N)
	matched := 0
	b.ResetTimer()
	for i := range b.N {
		t0 := time.Now()
		matched += len(m.Match(ws[i%len(ws)]))
		durs = append(durs, time.Since(t0))
	}
	b.StopTimer()
	slices.Sort(durs)
	pct := func(p float64) float64 { return float64(durs[int(p*float64(len(durs)-1))].Nanoseconds()) / 1e3 }
	b.ReportMetric(pct(0.50), "p50-µs")
	b.ReportMetric(pct(0.99), "p99-µs")
	b.ReportMetric(float64(build.Milliseconds()), "build-ms")
	b.ReportMetric(float64(matched)/float64(b.N), "guides/match")
}

// BenchmarkMatcherAll is the same without the index (every rule run), for
// comparison.
func BenchmarkMatcherAll(b *testing.B) {
	m := NewMatcher(syntheticLibrary(10000))
	ws := syntheticWindows(1000)
	b.ResetTimer()
	for i := range b.N {
		bruteMatch(m, ws[i%len(ws)])
	}
}

// TestSyntheticLibraryMatches keeps the benchmark honest: its windows do
// match guides, the index agrees with running every rule.
func TestSyntheticLibraryMatches(t *testing.T) {
	m := NewMatcher(syntheticLibrary(1000))
	hits := 0
	for _, w := range syntheticWindows(150) {
		got, want := indexedMatch(m, w), bruteMatch(m, w)
		if !slices.Equal(got, want) {
			t.Fatalf("window %+v:\nindexed %v\nall     %v", w, got, want)
		}
		if len(got) > 0 {
			hits++
		}
	}
	if hits < 25 {
		t.Errorf("only %d of 150 windows match a guide", hits)
	}
}
