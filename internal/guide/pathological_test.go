package guide

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// pathological are hostile guides under the 1 MiB limit: each once made a
// parser slow or huge (goldmark: 100,000 unclosed "[" took 36 s, 200,000
// nested ">" 11 s), or is a classic (YAML alias bomb, deep flow nesting).
func pathological() map[string]string {
	bomb := "---\ntitle: How to laugh\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
	prev := "a"
	for i := 1; i < 10; i++ {
		cur := string(rune('a' + i))
		bomb += fmt.Sprintf("%s: &%s [%s]\n", cur, cur, strings.TrimSuffix(strings.Repeat("*"+prev+", ", 9), ", "))
		prev = cur
	}
	bomb += "tags: *j\n---\n# How to laugh\n"
	var list strings.Builder
	for i := range 600 {
		list.WriteString(strings.Repeat("  ", i) + "- item\n")
	}
	table := "| a | b | c | d |\n|---|---|---|---|\n" + strings.Repeat("| 1 | 2 | 3 | 4 |\n", 50000)
	return map[string]string{
		"alias-bomb.md":   bomb,
		"deep-yaml.md":    "---\ntitle: How to nest\ntags: " + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + "\n---\n# x\n",
		"deep-quote.md":   "# How to quote\n\n" + strings.Repeat(">", 200000) + " deep\n",
		"deep-list.md":    "# How to list\n\n" + list.String(),
		"long-line.md":    "# How to be long\n\n" + strings.Repeat("word ", 190000) + "\n",
		"huge-table.md":   "# How to tabulate\n\n" + table[:900000],
		"emphasis.md":     "# How to emphasise\n\n" + strings.Repeat("*a **b ", 100000) + "\n",
		"open-links.md":   "# How to link\n\n" + strings.Repeat("[a](", 100000) + "\n",
		"open-images.md":  "# How to picture\n\n" + strings.Repeat("![a](", 80000) + "\n",
		"nested-links.md": "# How to nest links\n\n" + strings.Repeat("[", 100000) + "x" + strings.Repeat("](y)", 100000) + "\n",
	}
}

// TestParsePathological: every hostile input parses to a guide or a clear
// problem, with bounded memory (no timing assertion here: the benchmark
// below reports the time, and go test's timeout catches a hang).
func TestParsePathological(t *testing.T) {
	for name, src := range pathological() {
		if len(src) > MaxFileSize {
			t.Fatalf("%s: %d bytes, over the file limit", name, len(src))
		}
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		g, ps := Parse(name, []byte(src))
		runtime.ReadMemStats(&after)
		if g == nil && len(ps) == 0 {
			t.Errorf("%s: neither a guide nor a problem", name)
		}
		// A 1 MiB file may cost a few dozen times its size while parsed,
		// never hundreds of megabytes.
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 200<<20 {
			t.Errorf("%s: parsing allocated %d MB", name, alloc>>20)
		}
	}
}

// TestBoundMarkdownKeepsLines: the bounds never move a line, so problems
// still point at the right one; ordinary bodies come out unchanged.
func TestBoundMarkdownKeepsLines(t *testing.T) {
	for name, src := range pathological() {
		if b := boundMarkdown(src); strings.Count(b, "\n") != strings.Count(src, "\n") {
			t.Errorf("%s: %d lines became %d", name, strings.Count(src, "\n"), strings.Count(b, "\n"))
		}
	}
	plain := "# How to\n\n> quoted [link](a.md) and \\[escaped]\n\n- [ ] step\n"
	if b := boundMarkdown(plain); b != plain {
		t.Errorf("an ordinary body changed:\n%s", b)
	}
	deep := boundMarkdown(strings.Repeat("> ", 100) + "x\n")
	if got := strings.Count(deep, ">"); got != MaxQuoteDepth {
		t.Errorf("quote depth %d, want %d", got, MaxQuoteDepth)
	}
	links := boundMarkdown(strings.Repeat("[a](b) ", 3000))
	if got := strings.Count(links, `\[`); got != 3000-linkOpeners(len(strings.Repeat("[a](b) ", 3000))) {
		t.Errorf("%d openers escaped", got)
	}
}

// BenchmarkParsePathological reports the parse time of each hostile input.
func BenchmarkParsePathological(b *testing.B) {
	for name, src := range pathological() {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				Parse(name, []byte(src))
			}
		})
	}
}
