package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// These tests run the built binary, as a user or a CI job would.

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "cuecard-cli-")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "cuecard")
	if runtime.GOOS == "windows" {
		binary += ".exe"
	}
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build cuecard:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	removeGenerated()
	os.Exit(code)
}

type result struct {
	code           int
	stdout, stderr string
}

// env gives each test its own config, cache and data folders.
func env(t *testing.T) []string {
	t.Helper()
	base := t.TempDir()
	e := []string{}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CUECARD_") {
			e = append(e, kv)
		}
	}
	return append(e,
		"CUECARD_CONFIG="+filepath.Join(base, "config"),
		"CUECARD_CACHE="+filepath.Join(base, "cache"),
		"CUECARD_DATA="+filepath.Join(base, "data"),
		"CUECARD_TODAY=2026-11-26",
		"CUECARD_URL_HANDLER=off", // no test writes the user's handler of cuecard:// links
		"GIT_CONFIG_GLOBAL=/dev/null",
		"GIT_CONFIG_NOSYSTEM=1",
	)
}

func run(t *testing.T, environ []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = environ
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run %v: %v", args, err)
	}
	return result{code, out.String(), errb.String()}
}

const (
	sample = "../../resources/library"
	broken = "../../internal/library/testdata/broken"
)

func TestLintBrokenLibrary(t *testing.T) {
	e := env(t)
	r := run(t, e, "lint", broken)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{
		filepath.Join(broken, "support/invalid-yaml.md") + ":3: error: invalid YAML",
		filepath.Join(broken, "sales/empty.md") + ":1: error: file is empty",
		filepath.Join(broken, "sales/bad-regex.md") + ":6: error: apps rule: invalid title regular expression",
		filepath.Join(broken, "sales/duplicate-title.md") + ":2: error: title \"How to create a deal in Acme CRM\" is also used by sales/create-deal.md",
		filepath.Join(broken, "support/hugo-page.md") + ":4: warning: unknown front-matter key \"weight\"",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("lint output lacks %q", want)
		}
	}
	if !strings.Contains(r.stderr, "errors") {
		t.Errorf("no summary on stderr: %q", r.stderr)
	}

	j := run(t, e, "lint", "--json", broken)
	var ps []struct {
		Path, Level, Code, Message string
		Line                       int
	}
	if err := json.Unmarshal([]byte(j.stdout), &ps); err != nil {
		t.Fatalf("lint --json: %v\n%s", err, j.stdout)
	}
	if j.code != 1 || len(ps) < 15 {
		t.Fatalf("exit %d, %d problems", j.code, len(ps))
	}
	for _, p := range ps {
		if p.Path == "" || p.Line < 1 || p.Code == "" || p.Message == "" || (p.Level != "error" && p.Level != "warning") {
			t.Errorf("incomplete problem %+v", p)
		}
	}
}

func TestLintSampleLibraryStrict(t *testing.T) {
	r := run(t, env(t), "lint", "--strict", sample)
	if r.code != 0 {
		t.Fatalf("the sample library must pass lint --strict; exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

func TestLintStrictFailsOnWarnings(t *testing.T) {
	lib := t.TempDir()
	os.WriteFile(filepath.Join(lib, "n.md"), []byte("# Meeting notes\n\nSome notes.\n"), 0o644)
	e := env(t)
	if r := run(t, e, "lint", lib); r.code != 0 {
		t.Errorf("warnings only: exit %d, want 0\n%s", r.code, r.stdout)
	}
	// A folder that did not ask for the managed-library checks has no
	// warnings to fail on; --managed (or managed: true) asks for them.
	if r := run(t, e, "lint", "--strict", lib); r.code != 0 || r.stdout != "" {
		t.Errorf("--strict on an unmanaged folder: exit %d, want 0\n%s", r.code, r.stdout)
	}
	if r := run(t, e, "lint", "--strict", "--managed", lib); r.code != 1 || !strings.Contains(r.stdout, "n.md:1: warning: no owner") {
		t.Errorf("--strict --managed: exit %d, want 1\n%s", r.code, r.stdout)
	}
	os.WriteFile(filepath.Join(lib, "cuecard.yaml"), []byte("managed: true\n"), 0o644)
	if r := run(t, e, "lint", "--strict", lib); r.code != 1 || !strings.Contains(r.stdout, "n.md:1: warning: no owner") {
		t.Errorf("--strict with managed: true: exit %d, want 1\n%s", r.code, r.stdout)
	}
}

type hit struct {
	ID, Path, Title, Format, Snippet, Section string
	Score                                     float64
	Stale                                     bool
}

func searchJSON(t *testing.T, e []string, args ...string) []hit {
	t.Helper()
	r := run(t, e, append([]string{"search", "--json"}, args...)...)
	if r.code != 0 {
		t.Fatalf("search %v: exit %d\n%s%s", args, r.code, r.stdout, r.stderr)
	}
	var hs []hit
	if err := json.Unmarshal([]byte(r.stdout), &hs); err != nil {
		t.Fatalf("search --json: %v\n%s", err, r.stdout)
	}
	return hs
}

func TestSearchSampleRefund(t *testing.T) {
	e := env(t)
	hs := searchJSON(t, e, "--library", sample, "refund")
	if len(hs) == 0 {
		t.Fatal("no results for refund")
	}
	if !strings.Contains(strings.ToLower(hs[0].Title), "refund") || hs[0].Format != "checklist" {
		t.Errorf("first hit for refund = %+v, want the refund checklist", hs[0])
	}
	// Text output names the guide too.
	r := run(t, e, "--library", sample, "search", "refund")
	if r.code != 0 || !strings.Contains(r.stdout, " 1. "+hs[0].Title) {
		t.Errorf("text search output:\n%s%s", r.stdout, r.stderr)
	}
}

func TestSearchInstallsSampleLibrary(t *testing.T) {
	e := env(t)
	var data string
	for _, kv := range e {
		if v, ok := strings.CutPrefix(kv, "CUECARD_DATA="); ok {
			data = v
		}
	}
	r := run(t, e, "search", "--json", "refund")
	if r.code != 0 || !strings.Contains(r.stderr, "Installed the sample library") {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(data, "library")); err != nil {
		t.Fatalf("sample library not installed: %v", err)
	}
	r = run(t, e, "search", "refund")
	if strings.Contains(r.stderr, "Installed") {
		t.Error("sample library installed twice")
	}
}

func TestBrokenLibraryStillIndexesGoodGuides(t *testing.T) {
	e := env(t)
	r := run(t, e, "--library", broken, "index")
	if r.code != 0 || !strings.Contains(r.stdout, "skipped with errors") {
		t.Fatalf("index: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	hs := searchJSON(t, e, "--library", broken, "record locked")
	if len(hs) == 0 || hs[0].ID != "support/faq.md" && !strings.HasPrefix(hs[0].ID, "support/faq.md#") {
		t.Errorf("FAQ not searchable: %+v", hs)
	}
	if hs := searchJSON(t, e, "--library", broken, "close a ticket"); len(hs) > 0 && strings.Contains(hs[0].ID, "invalid-yaml") {
		t.Errorf("a broken guide was indexed: %+v", hs[0])
	}
	// Re-running index reconciles: nothing new to index.
	r = run(t, e, "--library", broken, "index")
	if !strings.Contains(r.stdout, " 0 indexed") {
		t.Errorf("second index re-indexed files:\n%s", r.stdout)
	}
}

func TestIndexFollowsChanges(t *testing.T) {
	lib := t.TempDir()
	e := env(t)
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(lib, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.md", "# How to book a courier\n\nUse the parcel portal.\n")
	write("b.md", "# How to order toner\n\nAsk the office manager.\n")
	if hs := searchJSON(t, e, "--library", lib, "courier"); len(hs) != 1 {
		t.Fatalf("courier: %+v", hs)
	}
	os.Remove(filepath.Join(lib, "a.md"))
	write("b.md", "# How to order toner\n\nUse the courier portal to order toner.\n")
	hs := searchJSON(t, e, "--library", lib, "courier")
	if len(hs) != 1 || hs[0].ID != "b.md" {
		t.Errorf("after delete and edit: %+v", hs)
	}
	r := run(t, e, "--library", lib, "index", "--rebuild")
	if r.code != 0 || !strings.Contains(r.stdout, "1 guides in the index: 1 indexed") {
		t.Errorf("rebuild:\n%s%s", r.stdout, r.stderr)
	}
}

func TestNewScaffoldsLintCleanGuide(t *testing.T) {
	lib := t.TempDir()
	e := append(env(t), "USER=dana")
	r := run(t, e, "--library", lib, "new", "--format", "checklist", "--app", "thunderbird", "How to archive old mail")
	if r.code != 0 {
		t.Fatalf("new: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	p := filepath.Join(lib, "how-to-archive-old-mail.md")
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"title: 'How to archive old mail'", "format: checklist", "exe: '^thunderbird$'", "owner: 'dana'", "reviewed: 2026-11-26", "- [ ] "} {
		if !strings.Contains(string(data), want) {
			t.Errorf("scaffold lacks %q:\n%s", want, data)
		}
	}
	for _, f := range []string{"guide", "faq", "reference"} {
		if r := run(t, e, "--library", lib, "new", "--format", f, "How to "+f+" things"); r.code != 0 {
			t.Errorf("new --format %s: %d %s", f, r.code, r.stderr)
		}
	}
	os.WriteFile(filepath.Join(lib, "t.txt"), []byte("template"), 0o644)
	if r := run(t, e, "--library", lib, "new", "--format", "template", "--template", "t.txt", "--dir", "forms", "How to use the letter template"); r.code != 0 {
		t.Errorf("new template: %d %s", r.code, r.stderr)
	}
	if r := run(t, e, "--library", lib, "new", "--format", "video", "--video", "https://example.com/v", "How to file expenses (video)"); r.code != 0 {
		t.Errorf("new video: %d %s", r.code, r.stderr)
	}
	if r := run(t, e, "lint", "--strict", lib); r.code != 0 {
		t.Errorf("scaffolded guides are not lint-clean:\n%s", r.stdout)
	}
	again := run(t, e, "--library", lib, "new", "--format", "checklist", "How to archive old mail")
	if again.code != 1 || !strings.Contains(again.stderr, "already exists") {
		t.Errorf("overwrite: exit %d %s", again.code, again.stderr)
	}
	if after, _ := os.ReadFile(p); !bytes.Equal(after, data) {
		t.Error("existing guide was changed")
	}
	if r := run(t, e, "--library", lib, "new", "--format", "video", "How to x"); r.code != 2 {
		t.Errorf("video without --video: exit %d", r.code)
	}
	// With git configured, the owner is the git user's email.
	gitcfg := filepath.Join(t.TempDir(), "gitconfig")
	os.WriteFile(gitcfg, []byte("[user]\n\temail = kim@example.com\n"), 0o644)
	eg := append(e, "GIT_CONFIG_GLOBAL="+gitcfg)
	if r := run(t, eg, "--library", lib, "new", "--format", "guide", "How to greet a visitor"); r.code != 0 {
		t.Fatalf("new with git: %d %s", r.code, r.stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(lib, "how-to-greet-a-visitor.md")); !strings.Contains(string(b), "owner: 'kim@example.com'") {
		t.Errorf("owner not from git config:\n%s", b)
	}
}

func TestMatchExplain(t *testing.T) {
	e := env(t)
	r := run(t, e, "--library", sample, "match", "--title", "Deals | Acme CRM", "--exe", "chromium", "--explain")
	if r.code != 0 || !strings.Contains(r.stdout, "Acme CRM") || !strings.Contains(r.stdout, "matched by rule") {
		t.Fatalf("match: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	j := run(t, e, "--library", sample, "match", "--json", "--class", "libreoffice-calc", "--title", "Sales.ods - LibreOffice Calc")
	var out struct {
		Guides []struct{ ID, Title, Rule string }
	}
	if err := json.Unmarshal([]byte(j.stdout), &out); err != nil || len(out.Guides) == 0 {
		t.Fatalf("match --json: %v %s", err, j.stdout)
	}
	none := run(t, e, "--library", sample, "match", "--exe", "no-such-app-xyz")
	if none.code != 0 || !strings.Contains(none.stdout, "No guide") {
		t.Errorf("no match: %s", none.stdout)
	}
}

func TestUsageErrors(t *testing.T) {
	e := env(t)
	for _, args := range [][]string{
		{"bogus"}, {"lint", "--nope"}, {"search"}, {"lint", "a", "b"}, {"match"}, {"search", "--limit", "0", "x"},
		{"new", "--format", "slides", "How to x"}, {"lint", "/no/such/folder"},
	} {
		if r := run(t, e, args...); r.code != 2 || r.stderr == "" {
			t.Errorf("%v: exit %d, stderr %q; want 2 and a message", args, r.code, r.stderr)
		}
	}
	if r := run(t, e, "--library", "/no/such/folder", "search", "x"); r.code != 1 || !strings.Contains(r.stderr, "/no/such/folder") {
		t.Errorf("missing library: exit %d %q", r.code, r.stderr)
	}
	for _, c := range []string{"search", "lint", "index", "new", "match", "bench", "version"} {
		r := run(t, e, c, "--help")
		if r.code != 0 || !strings.Contains(r.stdout, "Usage: cuecard "+c) {
			t.Errorf("%s --help: exit %d\n%s", c, r.code, r.stdout)
		}
	}
	if r := run(t, e, "--help"); r.code != 0 || !strings.Contains(r.stdout, "Commands:") {
		t.Errorf("--help: %d %s", r.code, r.stdout)
	}
}

func TestInteractivePrompt(t *testing.T) {
	cmd := exec.Command(binary, "--library", sample, "search", "-i")
	cmd.Env = env(t)
	cmd.Stdin = strings.NewReader("refund\nzzzzqqqq\nq\n")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	s := string(out)
	if !strings.Contains(s, "> refund\n 1. ") || !strings.Contains(s, `No guides found for "zzzzqqqq"`) {
		t.Errorf("prompt output:\n%s", s)
	}
}

func TestBenchSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("bench builds an index")
	}
	r := run(t, env(t), "bench", "--guides", "300", "--json")
	if r.code != 0 {
		t.Fatalf("bench: exit %d\n%s", r.code, r.stderr)
	}
	var b struct {
		Guides           int     `json:"guides"`
		IndexSeconds     float64 `json:"index_seconds"`
		DocsPerSecond    float64 `json:"docs_per_second"`
		IndexBytes       int64   `json:"index_bytes"`
		RSSBytes         int64   `json:"rss_bytes"`
		ReconcileSeconds float64 `json:"reconcile_seconds"`
		Queries          []struct {
			Kind  string  `json:"kind"`
			P50   float64 `json:"p50_ms"`
			P99   float64 `json:"p99_ms"`
			Ratio float64 `json:"ripgrep_ratio"`
		} `json:"queries"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &b); err != nil {
		t.Fatalf("bench --json: %v\n%s", err, r.stdout)
	}
	if b.Guides != 300 || b.IndexSeconds <= 0 || b.DocsPerSecond <= 0 || b.IndexBytes <= 0 || b.RSSBytes <= 0 || b.ReconcileSeconds <= 0 {
		t.Errorf("bench figures missing: %+v", b)
	}
	kinds := map[string]bool{}
	for _, q := range b.Queries {
		kinds[q.Kind] = true
		if q.P50 <= 0 || q.P99 < q.P50 {
			t.Errorf("query %s: p50 %v p99 %v", q.Kind, q.P50, q.P99)
		}
	}
	for _, k := range []string{"prefix1", "prefix2", "prefix3plus", "typo", "app_context"} {
		if !kinds[k] {
			t.Errorf("bench lacks query kind %s", k)
		}
	}
}

func TestSettingsFile(t *testing.T) {
	e := env(t)
	cfgDir := envValue(e, "CUECARD_CONFIG")
	os.MkdirAll(cfgDir, 0o755)
	lib := t.TempDir()
	os.WriteFile(filepath.Join(lib, "a.md"), []byte("# How to brew coffee\n\nGrind the beans.\n"), 0o644)
	os.MkdirAll(filepath.Join(lib, "drafts"), 0o755)
	os.WriteFile(filepath.Join(lib, "drafts", "b.md"), []byte("# How to brew tea\n\nBoil the beans.\n"), 0o644)
	os.WriteFile(filepath.Join(cfgDir, "config.yaml"), []byte("library: "+lib+"\nignore: [drafts/]\n"), 0o644)
	hs := searchJSON(t, e, "beans")
	if len(hs) != 1 || hs[0].ID != "a.md" {
		t.Errorf("library and ignore list from the settings: %+v", hs)
	}
	if r := run(t, e, "lint", "--strict", lib); strings.Contains(r.stdout, "drafts") {
		t.Errorf("lint read an ignored folder:\n%s", r.stdout)
	}
	os.WriteFile(filepath.Join(cfgDir, "config.yaml"), []byte("library: "+lib+"\nlibary: x\n"), 0o644)
	r := run(t, e, "search", "beans")
	if r.code != 1 || !strings.Contains(r.stderr, "config.yaml:2: unknown setting") {
		t.Errorf("bad settings: %d %q", r.code, r.stderr)
	}
}

// TestNoLocaleNoise: in the C locale of CI runners, commands print nothing
// but their own output (fyne logged "Error parsing user locale C").
func TestNoLocaleNoise(t *testing.T) {
	var e []string
	for _, kv := range env(t) {
		if !strings.HasPrefix(kv, "LANG=") && !strings.HasPrefix(kv, "LC_") && !strings.HasPrefix(kv, "LANGUAGE=") {
			e = append(e, kv)
		}
	}
	e = append(e, "LANG=C.UTF-8")
	r := run(t, e, "--library", sample, "lint")
	if r.code != 0 || strings.Contains(r.stderr, "Fyne error") || strings.Contains(r.stderr, "locale") {
		t.Errorf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
}
