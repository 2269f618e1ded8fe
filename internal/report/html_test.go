package report_test

import (
	"bytes"
	"context"
	"flag"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/report"
)

var updateScreenshot = flag.Bool("update-screenshot", false, "copy the headless Chromium screenshot of the HTML report to docs/screenshots/report.png")

// chromium finds Debian's chromium (make test installs it).
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no chromium: install Debian's chromium package (`make test` does) to check the HTML report in a real browser")
	return ""
}

func runChromium(t *testing.T, bin string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	home := t.TempDir()
	all := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
		"--hide-scrollbars", "--user-data-dir=" + filepath.Join(home, "profile")}, args...)
	cmd := exec.CommandContext(ctx, bin, all...)
	cmd.Env = append(os.Environ(), "HOME="+home)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, errb.String())
	}
	return out.Bytes()
}

// teamHTML renders the team report of the simulated month into a file.
func teamHTML(t *testing.T) (string, *report.Report) {
	t.Helper()
	guides := libraryGuides(t)
	lib := t.TempDir()
	for i, id := range []string{installA, "44444444444444444444444444444444", "55555555555555555555555555555555", "66666666666666666666666666666666", "77777777777777777777777777777777"} {
		st := openStore(t)
		simulate(t, st, guides, uint64(20+i))
		aggs, err := report.Local(st, monthStart, now, report.LocalOptions{Install: id, Steps: stepsOf(guides), Searches: i != 2})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range aggs {
			if _, err := report.Write(lib, a, testReaders); err != nil {
				t.Fatal(err)
			}
		}
	}
	aggs, warnings, err := report.Team(lib, testKey, "")
	if err != nil || len(warnings) > 0 {
		t.Fatal(err, warnings)
	}
	o := options()
	o.Scope = report.ScopeTeam
	r := report.Build(guides, aggs, o)
	p := filepath.Join(t.TempDir(), "report.html")
	var b bytes.Buffer
	if err := report.HTML(&b, r); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p, r
}

// The HTML report is one self-contained file (nothing fetched, no
// scripts), and headless Chromium renders its charts: the DOM it builds
// holds the SVG bars and segments, and the screenshot shows them in their
// colours.
func TestHTMLReportInChromium(t *testing.T) {
	bin := chromium(t)
	p, r := teamHTML(t)
	page, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []*regexp.Regexp{
		regexp.MustCompile(`(?i)https?://`), regexp.MustCompile(`(?i)<script`), regexp.MustCompile(`(?i)<link`),
		regexp.MustCompile(`(?i)\ssrc=`), regexp.MustCompile(`(?i)@import`), regexp.MustCompile(`(?i)url\(`),
	} {
		if loc := bad.FindIndex(page); loc != nil {
			t.Errorf("the page is not self-contained: %q at byte %d", page[loc[0]:loc[1]], loc[0])
		}
	}

	dom := string(runChromium(t, bin, "--dump-dom", "file://"+p))
	count := func(re string) int { return len(regexp.MustCompile(re).FindAllStringIndex(dom, -1)) }
	if !strings.Contains(dom, "<h1>Cuecard insights</h1>") {
		t.Fatalf("chromium did not render the page:\n%.2000s", dom)
	}
	for _, id := range []string{"chart-views", "chart-freshness", "chart-searches", "chart-apps"} {
		if count(`<svg id="`+id+`"`) != 1 {
			t.Errorf("no rendered SVG chart %s", id)
		}
	}
	bars := regexp.MustCompile(`(?s)<svg id="chart-views".*?</svg>`).FindString(dom)
	if n := strings.Count(bars, `class="bar"`); n != r.Days {
		t.Errorf("views chart has %d bars, want one per day (%d)", n, r.Days)
	}
	fresh := regexp.MustCompile(`(?s)<svg id="chart-freshness".*?</svg>`).FindString(dom)
	segments := 0
	for _, n := range []int{r.Freshness.InWindow - r.Freshness.DueSoon, r.Freshness.DueSoon, r.Freshness.Overdue, r.Freshness.NoDate} {
		if n > 0 {
			segments++
		}
	}
	if n := strings.Count(fresh, `class="segment"`); n != segments {
		t.Errorf("freshness chart has %d segments, want %d", n, segments)
	}
	if n := strings.Count(regexp.MustCompile(`(?s)<svg id="chart-searches".*?</svg>`).FindString(dom), `class="bar"`); n != min(10, len(r.Gaps.Searches)) || n == 0 {
		t.Errorf("searches chart has %d bars", n)
	}

	shot := filepath.Join(t.TempDir(), "report.png")
	runChromium(t, bin, "--screenshot="+shot, "--window-size=1200,2560", "file://"+p)
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 1200 || b.Dy() != 2560 {
		t.Errorf("screenshot is %v", b)
	}
	// The charts' colours are on screen: bars, the donut's segments.
	for name, c := range map[string]color.RGBA{"views bars": {0x15, 0x65, 0xc0, 0xff}, "in-window segment": {0x2e, 0x7d, 0x32, 0xff},
		"overdue segment": {0xc6, 0x28, 0x28, 0xff}, "gap bars": {0x6a, 0x1b, 0x9a, 0xff}} {
		if n := pixels(img, c); n < 400 {
			t.Errorf("%s: %d pixels of %v on the screenshot", name, n, c)
		}
	}
	if *updateScreenshot {
		data, _ := os.ReadFile(shot)
		if err := os.WriteFile(filepath.Join("..", "..", "docs", "screenshots", "report.png"), data, 0o644); err != nil {
			t.Fatal(err)
		}
	} else if testing.Verbose() {
		t.Logf("screenshot: %s", shot)
	}
}

// pixels counts the pixels within a small distance of c.
func pixels(img image.Image, c color.RGBA) int {
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if near(r>>8, c.R) && near(g>>8, c.G) && near(bl>>8, c.B) {
				n++
			}
		}
	}
	return n
}

func near(a uint32, b uint8) bool { d := int(a) - int(b); return d > -12 && d < 12 }
