package ui

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/ui/kit"
)

// progress is an in-memory Progress that records calls.
type progress struct {
	saved map[string]bool
	calls []string
}

func (p *progress) fake() fakeProgress {
	return fakeProgress{
		steps: func(string) map[string]bool { return p.saved },
		setStep: func(id, step string, on bool) error {
			p.calls = append(p.calls, fmt.Sprintf("set %s %s %v", id, step, on))
			p.saved[step] = on
			return nil
		},
		reset: func(id string) error {
			p.calls = append(p.calls, "reset "+id)
			p.saved = map[string]bool{}
			return nil
		},
	}
}

func TestChecklistProgress(t *testing.T) {
	newApp(t)
	g := sampleGuide(t, "sales/monthly-sales-report.md")
	s := g.Steps
	p := &progress{saved: map[string]bool{s[0].ID: true, s[2].ID: true, "gone-step": true}}
	v := NewViewer(g, ViewerConfig{Progress: p.fake(), Now: fixedNow})
	w := show(t, v, ViewerSize)

	if len(v.checks) != len(s) {
		t.Fatalf("%d check boxes for %d steps", len(v.checks), len(s))
	}
	for i, st := range s {
		if want := i == 0 || i == 2; v.checks[st.ID].Checked != want {
			t.Errorf("step %d (%s) checked %v, want %v", i, st.Text, v.checks[st.ID].Checked, want)
		}
	}
	wantText(t, w.Content(), "2 of 15 done", "Open Reports in Salesforce and open the folder Sales Ops – Monthly.")

	// Ticking a box saves the step.
	test.Tap(v.checks[s[1].ID])
	// Tapping a step's text ticks it too.
	test.Tap(findStepText(t, v, s[3].Text))
	test.Tap(v.checks[s[0].ID])
	want := []string{
		"set sales/monthly-sales-report.md " + s[1].ID + " true",
		"set sales/monthly-sales-report.md " + s[3].ID + " true",
		"set sales/monthly-sales-report.md " + s[0].ID + " false",
	}
	if strings.Join(p.calls, "\n") != strings.Join(want, "\n") {
		t.Errorf("calls:\n%s\nwant:\n%s", strings.Join(p.calls, "\n"), strings.Join(want, "\n"))
	}
	if done, total := v.Done(); done != 3 || total != 15 {
		t.Errorf("done %d of %d, want 3 of 15", done, total)
	}
	wantText(t, w.Content(), "3 of 15 done")

	// Reset forgets the progress, once, without saving each step.
	p.calls = nil
	test.Tap(button(t, w.Content(), "Reset checklist"))
	if fmt.Sprint(p.calls) != "[reset sales/monthly-sales-report.md]" {
		t.Errorf("reset calls %v", p.calls)
	}
	for _, st := range s {
		if v.checks[st.ID].Checked {
			t.Errorf("step %q still checked after reset", st.Text)
		}
	}
	wantText(t, w.Content(), "0 of 15 done")
}

// findStepText is the tappable text of the step.
func findStepText(t *testing.T, v *Viewer, text string) *kit.TapBox {
	t.Helper()
	for _, b := range findAll[*kit.TapBox](v) {
		if shownText(b) == text {
			return b
		}
	}
	t.Fatalf("no step %q", text)
	return nil
}

func TestChecklistDefaultsAndErrors(t *testing.T) {
	newApp(t)
	g := parseGuide(t, "a/list.md", "---\nformat: checklist\n---\n# List\n\n- [x] Ticked in the file\n- [ ] Not ticked\n  - [ ] Nested step\n- A note\n")
	saveErr := errors.New("disk full")
	v := NewViewer(g, ViewerConfig{Progress: fakeProgress{
		setStep: func(string, string, bool) error { return saveErr },
	}})
	w := show(t, v, ViewerSize)
	if len(v.checks) != 3 {
		t.Fatalf("%d check boxes, want 3", len(v.checks))
	}
	if !v.checks[g.Steps[0].ID].Checked || v.checks[g.Steps[1].ID].Checked {
		t.Errorf("file defaults not applied")
	}
	wantText(t, w.Content(), "Nested step", "A note", "1 of 3 done")

	test.Tap(v.checks[g.Steps[2].ID])
	settle(w)
	wantText(t, w.Content(), "Could not save your progress: disk full")
}

func TestVote(t *testing.T) {
	newApp(t)
	var votes, views []string
	fb := fakeFeedback{
		vote: func(id string, helpful bool) error {
			votes = append(votes, fmt.Sprintf("%s %v", id, helpful))
			return nil
		},
		viewed: func(id string) { views = append(views, id) },
	}
	g := sampleGuide(t, "it/connect-to-the-vpn.md")
	v := NewViewer(g, ViewerConfig{Feedback: fb})
	w := show(t, v, ViewerSize)
	if fmt.Sprint(views) != "[it/connect-to-the-vpn.md]" {
		t.Errorf("views %v", views)
	}
	wantText(t, w.Content(), "Was this helpful?")
	test.Tap(button(t, w.Content(), "No"))
	v.sendVote(true) // a second answer is ignored
	if fmt.Sprint(votes) != "[it/connect-to-the-vpn.md false]" {
		t.Errorf("votes %v", votes)
	}
	wantText(t, w.Content(), "Thanks for your feedback.")
	wantNoText(t, w.Content(), "Was this helpful?", "Yes")

	// Without Feedback there is no question.
	v2 := NewViewer(g, ViewerConfig{})
	w2 := show(t, v2, ViewerSize)
	wantNoText(t, w2.Content(), "Was this helpful?")
}

func TestLinks(t *testing.T) {
	newApp(t)
	g := parseGuide(t, "it/links.md", `# Links

Read [the policy](https://example.com/policy), write to [IT](mailto:it@example.com),
see [the VPN guide](vpn.md#setup) and [below](#more).
Never [this](file:///etc/passwd), [that](../../x) or [a script](run.sh).

## More

Text.
`)
	var o opened
	var guides []string
	v := NewViewer(g, ViewerConfig{Opener: o.opener(), OnOpenGuide: func(id, anchor string) {
		guides = append(guides, id+"#"+anchor)
	}})
	w := show(t, v, fyne.NewSize(600, 200))
	links := findAll[*kit.LinkText](v)
	var words []string
	for _, l := range links {
		words = append(words, l.String())
		test.Tap(l)
	}
	// Blocked links are plain text: nothing to tap.
	if got := strings.Join(strings.Fields(strings.Join(words, " ")), " "); got != "the policy IT the VPN guide below" {
		t.Errorf("link words %q", got)
	}
	wantText(t, w.Content(), "Never this, that or a script.")
	if fmt.Sprint(o.urls) != "[https://example.com/policy https://example.com/policy mailto:it@example.com]" {
		t.Errorf("opened URLs %v", o.urls)
	}
	if fmt.Sprint(guides) != "[it/vpn.md#setup it/vpn.md#setup it/vpn.md#setup]" {
		t.Errorf("opened guides %v", guides)
	}
	if len(o.files) != 0 {
		t.Errorf("opened files %v", o.files)
	}

	// The policy also holds when a link is followed by its destination.
	o = opened{}
	v.cfg.Opener = o.opener()
	for _, d := range []string{"file:///etc/passwd", "../../x", "/bin/sh", "run.sh", "javascript:x"} {
		v.followLink(d)
	}
	v.followLink("https://example.com")
	if fmt.Sprint(o.urls) != "[https://example.com]" || len(o.files) != 0 {
		t.Errorf("opened %v %v", o.urls, o.files)
	}
}

func TestStaleWarning(t *testing.T) {
	newApp(t)
	g := sampleGuide(t, "sales/monthly-sales-report.md") // reviewed 2026-11-02, every 6 months
	v := NewViewer(g, ViewerConfig{Now: fixedNow})
	w := show(t, v, ViewerSize)
	wantText(t, w.Content(), "Review overdue since 2 May 2027", "ask maria.lopez@example.com",
		"Checklist · 6 min · Owner: maria.lopez@example.com · Reviewed 2 Nov 2026")

	fresh := NewViewer(g, ViewerConfig{Now: func() time.Time { return time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC) }})
	w2 := show(t, fresh, ViewerSize)
	wantNoText(t, w2.Content(), "Review overdue")

	g2 := parseGuide(t, "x.md", "---\nreviewed: 2020-01-01\n---\n# X\n\nText.\n")
	w3 := show(t, NewViewer(g2, ViewerConfig{Now: fixedNow}), ViewerSize)
	wantText(t, w3.Content(), "Review overdue since 29 Jun 2020", "ask the library's maintainers")
}

func TestFAQAnchor(t *testing.T) {
	newApp(t)
	g := sampleGuide(t, "it/common-system-errors-faq.md")
	const anchor = "what-does-permission-denied-mean-in-the-terminal"
	v, err := OpenGuide(ViewerConfig{Guides: fakeSource{guide: func(id string) (*guide.Guide, error) {
		if id != g.ID {
			return nil, errors.New("no such guide")
		}
		return g, nil
	}}}, g.ID, anchor)
	if err != nil {
		t.Fatal(err)
	}
	w := show(t, v, fyne.NewSize(600, 400))
	if len(v.folds) != len(g.Sections) {
		t.Fatalf("%d questions, want %d", len(v.folds), len(g.Sections))
	}
	for a, f := range v.folds {
		if f.open != (a == anchor) {
			t.Errorf("question %s open=%v", a, f.open)
		}
	}
	wantText(t, w.Content(), "You tried to read, change or run a file", "Why does LibreOffice say")
	wantNoText(t, w.Content(), "Someone else has the file open")
	// The answer is scrolled into view.
	if y := v.anchors[anchor].Position().Y; v.scroll.Offset.Y == 0 || v.scroll.Offset.Y > y+10 {
		t.Errorf("scrolled to %v, question at %v", v.scroll.Offset.Y, y)
	}

	// Tapping a question opens or closes it.
	first := v.folds[g.Sections[0].Anchor]
	test.Tap(findAll[*kit.TapBox](first.box)[0])
	settle(w)
	wantText(t, w.Content(), "Someone else has the file open")
	test.Tap(findAll[*kit.TapBox](first.box)[0])
	settle(w)
	wantNoText(t, w.Content(), "Someone else has the file open")

	if _, err := OpenGuide(ViewerConfig{Guides: fakeSource{guide: func(string) (*guide.Guide, error) {
		return nil, errors.New("no such guide")
	}}}, "gone.md", ""); err == nil || !strings.Contains(err.Error(), "gone.md: no such guide") {
		t.Errorf("OpenGuide of a missing guide: %v", err)
	}
}

func TestSectionAnchorInGuide(t *testing.T) {
	newApp(t)
	g := sampleGuide(t, "sales/pricing-tiers.md")
	v := NewViewer(g, ViewerConfig{})
	w := show(t, v, fyne.NewSize(600, 300))
	v.ShowAnchor("rules-of-thumb")
	settle(w)
	if v.scroll.Offset.Y == 0 {
		t.Error("ShowAnchor did not scroll")
	}
	// Tables render as grids of their cells.
	wantText(t, w.Content(), "Plan Monthly billing Yearly billing Users Locations", "Enterprise from €15 quote")
	v.ShowAnchor("")
	if v.scroll.Offset.Y != 0 {
		t.Errorf("ShowAnchor(\"\") left the view at %v", v.scroll.Offset.Y)
	}
}

func TestVideoAndTemplate(t *testing.T) {
	newApp(t)
	lib := sampleLibrary(t)
	var o opened

	web := sampleGuide(t, "sales/build-a-pipeline-dashboard-in-salesforce.md")
	w := show(t, NewViewer(web, ViewerConfig{Library: lib, Opener: o.opener()}), ViewerSize)
	test.Tap(button(t, w.Content(), "Watch video"))

	local := parseGuide(t, "finance/expenses.md", "---\nformat: video\nvideo: videos/expenses.mp4\n---\n# Expenses\n")
	w = show(t, NewViewer(local, ViewerConfig{Opener: o.opener()}), ViewerSize)
	test.Tap(button(t, w.Content(), "Watch video"))

	tpl := sampleGuide(t, "office/set-up-your-email-signature.md")
	w = show(t, NewViewer(tpl, ViewerConfig{Library: lib, LibraryDir: "/srv/guides", Opener: o.opener()}), ViewerSize)
	// A web page can run scripts: its path can be copied, it is not opened.
	wantText(t, w.Content(), "office/templates/email-signature.html", "not .html files")
	if b := findButton(w.Content(), "Open template"); b != nil {
		t.Error("an .html template offers Open")
	}
	test.Tap(button(t, w.Content(), "Copy path"))

	if fmt.Sprint(o.urls) != "[https://videos.example.com/cuecard/salesforce-pipeline-dashboard.mp4]" {
		t.Errorf("URLs %v", o.urls)
	}
	if fmt.Sprint(o.files) != "[videos/expenses.mp4]" {
		t.Errorf("files %v", o.files)
	}
	if fmt.Sprint(o.copied) != "[/srv/guides/office/templates/email-signature.html]" {
		t.Errorf("copied %v", o.copied)
	}

	// A template written relative to the guide's folder is found there.
	rel := parseGuide(t, "office/letter.md", "---\nformat: template\ntemplate: templates/company-letterhead.fodt\n---\n# Letter\n")
	o = opened{}
	w = show(t, NewViewer(rel, ViewerConfig{Library: lib, Opener: o.opener()}), ViewerSize)
	test.Tap(button(t, w.Content(), "Open template"))
	if fmt.Sprint(o.files) != "[office/templates/company-letterhead.fodt]" {
		t.Errorf("files %v", o.files)
	}
}

func TestImages(t *testing.T) {
	newApp(t)
	lib := fstest.MapFS{
		"office/images/ok.svg": {Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100"><rect width="200" height="100" fill="#ccc"/></svg>`)},
		"office/guide.md":      {Data: []byte("x")},
	}
	g := parseGuide(t, "office/guide.md", `# Images

![A grey box](images/ok.svg)

![Outside](../../../etc/secret.png)

![Missing](images/missing.png)
`)
	v := NewViewer(g, ViewerConfig{Library: lib})
	w := show(t, v, ViewerSize)
	var imgs []*canvas.Image
	for _, img := range findAll[*canvas.Image](v) {
		if img.Resource != nil && img.Resource.Name() == "ok.svg" {
			imgs = append(imgs, img)
		}
	}
	if len(imgs) != 1 {
		t.Fatalf("%d images, want 1", len(imgs))
	}
	if s := imgs[0].MinSize(); s.Width != 200 || s.Height != 100 {
		t.Errorf("image size %v, want 200x100", s)
	}
	wantText(t, w.Content(), "A grey box", "[image: Outside]", "[image: Missing (not found in the library)]")
}

type fakeStats func(id string) (int, int, error)

func (f fakeStats) GuideStats(id string) (int, int, error) { return f(id) }

// The owner of a guide (the configured identity, any case) sees its views
// and helpful votes; other readers do not.
func TestOwnerSeesUsage(t *testing.T) {
	newApp(t)
	g := sampleGuide(t, "it/connect-to-the-vpn.md")
	asked := []string{}
	stats := fakeStats(func(id string) (int, int, error) {
		asked = append(asked, id)
		if id == g.ID {
			return 42, 17, nil
		}
		return 0, 0, nil
	})
	me := func(who string) func() string { return func() string { return who } }

	owner := show(t, NewViewer(g, ViewerConfig{Identity: me(strings.ToUpper(g.Owner)), Stats: stats}), ViewerSize)
	wantText(t, owner.Content(), "Your guide: 42 views, 17 found it helpful")
	if fmt.Sprint(asked) != "["+g.ID+"]" {
		t.Errorf("stats asked for %v", asked)
	}

	other := show(t, NewViewer(g, ViewerConfig{Identity: me("someone.else@example.com"), Stats: stats}), ViewerSize)
	wantNoText(t, other.Content(), "Your guide: 42 views, 17 found it helpful")
	nobody := show(t, NewViewer(g, ViewerConfig{Identity: me(""), Stats: stats}), ViewerSize)
	wantNoText(t, nobody.Content(), "Your guide: 42 views, 17 found it helpful")

	failing := fakeStats(func(string) (int, int, error) { return 0, 0, errors.New("state file busy") })
	broken := show(t, NewViewer(g, ViewerConfig{Identity: me(g.Owner), Stats: failing}), ViewerSize)
	wantText(t, broken.Content(), "Your guide: its usage could not be read (state file busy)")
}

// TestHostileGuide: raw HTML is not rendered (no script, no iframe, no
// HTML link or image), remote images are not fetched (the test server
// sees no request), and file:, javascript: and escaping links do nothing.
func TestHostileGuide(t *testing.T) {
	newApp(t)
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	g := parseGuide(t, "it/hostile.md", `# How to stay safe

<script>alert("owned")</script>

<iframe src="`+srv.URL+`/frame"></iframe>

Inline <img src="`+srv.URL+`/inline.png"> and <a href="file:///etc/passwd">a raw link</a>.

![tracking pixel](`+srv.URL+`/pixel.png)

[run me](file:///usr/bin/xterm) [script](javascript:alert(1)) [escape](../../../../etc/passwd.md) [launcher](tools/evil.desktop) [help](https://example.com/help)
`)
	var o opened
	v := NewViewer(g, ViewerConfig{Library: fstest.MapFS{"it/tools/evil.desktop": {Data: []byte("[Desktop Entry]\nExec=xterm\n")}}, Opener: o.opener()})
	w := show(t, v, ViewerSize)
	got := shownText(w.Content())
	for _, bad := range []string{"alert", "owned", "iframe", "<img", "<a href", "/etc/passwd\""} {
		if strings.Contains(got, bad) {
			t.Errorf("raw HTML shown (%q):\n%s", bad, got)
		}
	}
	wantText(t, w.Content(), "[image: tracking pixel (remote images are not loaded)]", "run me", "script", "escape", "launcher")
	for _, l := range findAll[*kit.LinkText](w.Content()) {
		l.Tapped(&fyne.PointEvent{})
	}
	// Only the web link opens (which also shows the taps work).
	if fmt.Sprint(o.urls) != "[https://example.com/help]" || len(o.files) != 0 {
		t.Errorf("links followed: urls %v files %v", o.urls, o.files)
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the viewer made %d requests to a remote server", n)
	}
}

// TestViewerBounds: a runaway guide (a 50,000-row table, a 190,000-word
// paragraph, lists nested 600 deep) renders a bounded number of objects
// and says what it left out.
func TestViewerBounds(t *testing.T) {
	newApp(t)
	var list strings.Builder
	for i := range 600 {
		list.WriteString(strings.Repeat("  ", i) + "- item\n")
	}
	table := "| a | b | c | d |\n|---|---|---|---|\n" + strings.Repeat("| 1 | 2 | 3 | 4 |\n", 50000)
	for name, c := range map[string]struct{ body, note string }{
		"table.md": {"# How to tabulate\n\n" + table[:900000], "more rows: see the file"},
		"long.md":  {"# How to be long\n\n" + strings.Repeat("word ", 190000) + "\n", "too long to show in full"},
		"deep.md":  {"# How to list\n\n" + list.String(), "item"},
		"quote.md": {"# How to quote\n\n" + strings.Repeat(">", 200000) + " deep\n", "deep"},
	} {
		g := parseGuide(t, name, c.body)
		v := NewViewer(g, ViewerConfig{})
		w := show(t, v, ViewerSize)
		wantText(t, w.Content(), c.note)
		n := 0
		visible(w.Content(), func(fyne.CanvasObject) { n++ })
		if n > 150_000 {
			t.Errorf("%s: %d canvas objects", name, n)
		}
	}
}

type fakeRemote struct {
	allowed string
	mu      sync.Mutex
	fetched []string
	data    []byte
}

func (f *fakeRemote) Allowed(u string) bool { return strings.HasPrefix(u, f.allowed) }
func (f *fakeRemote) Fetch(_ context.Context, u string) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fetched = append(f.fetched, u)
	if strings.Contains(u, "missing") {
		return nil, errors.New("404 Not Found")
	}
	return f.data, nil
}

// TestRemoteImagesAllowedByLibrary: an image on a host the library's
// settings allow is loaded (after a "loading" placeholder); others are not
// asked for.
func TestRemoteImagesAllowedByLibrary(t *testing.T) {
	newApp(t)
	rm := &fakeRemote{allowed: "https://images.example.com/",
		data: []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60"><rect width="120" height="60" fill="#c00"/></svg>`)}
	g := parseGuide(t, "it/pics.md", "# How to see\n\n![allowed](https://images.example.com/box.svg)\n\n![other](https://tracker.example.net/p.png)\n\n![gone](https://images.example.com/missing.png)\n")
	ui := make(chan func(), 8) // the test goroutine plays the UI goroutine
	v := NewViewer(g, ViewerConfig{Remote: rm, do: func(f func()) { ui <- f }})
	w := show(t, v, ViewerSize)
	var imgs []*canvas.Image
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
		select {
		case f := <-ui:
			f()
			settle(w)
		case <-time.After(20 * time.Millisecond):
		}
		imgs = imgs[:0]
		for _, img := range findAll[*canvas.Image](w.Content()) {
			if img.Resource != nil && img.Resource.Name() == "box.svg" {
				imgs = append(imgs, img)
			}
		}
		if len(imgs) > 0 && strings.Contains(shownText(w.Content()), "could not be loaded") {
			break
		}
	}
	if len(imgs) != 1 {
		t.Fatalf("%d images shown, want the allowed one", len(imgs))
	}
	if s := imgs[0].MinSize(); s.Width != 120 || s.Height != 60 {
		t.Errorf("image size %v, want 120x60", s)
	}
	wantText(t, w.Content(), "[image: other (remote images are not loaded)]", "[image: gone (could not be loaded)]")
	rm.mu.Lock()
	defer rm.mu.Unlock()
	slices.Sort(rm.fetched)
	if fmt.Sprint(rm.fetched) != "[https://images.example.com/box.svg https://images.example.com/missing.png]" {
		t.Errorf("fetched %v", rm.fetched)
	}
}

// TestViewerOpenFailureOffersCopy: when the desktop cannot open the
// video, the viewer says so with a Copy button for its address.
func TestViewerOpenFailureOffersCopy(t *testing.T) {
	newApp(t)
	g := sampleGuide(t, "sales/build-a-pipeline-dashboard-in-salesforce.md")
	var copied string
	op := fakeOpener{openURL: func(u string) error { return &OpenError{Target: u, Err: errors.New("no browser")} },
		copyText: func(s string) { copied = s }}
	v := NewViewer(g, ViewerConfig{Opener: op})
	w := show(t, v, ViewerSize)
	if findButton(w.Content(), "Copy") != nil {
		t.Fatal("a Copy button before anything failed")
	}
	test.Tap(button(t, w.Content(), "Watch video"))
	wantText(t, w.Content(), "Could not open the video", "no browser")
	test.Tap(button(t, w.Content(), "Copy"))
	if copied != g.Video {
		t.Errorf("copied %q, want the video's address %q", copied, g.Video)
	}
}

// TestOpenFailureNotice: the notice names what failed and copies its path.
func TestOpenFailureNotice(t *testing.T) {
	newApp(t)
	var copied string
	closed := false
	n := NewOpenFailure("the insights report", &OpenError{Target: "/home/ana/.cache/cuecard/insights.html", Err: errors.New("no program on this desktop opened it (xdg-open exit status 3)")},
		func(s string) { copied = s }, func() { closed = true })
	w := show(t, n, OpenFailureSize)
	wantText(t, w.Content(), "could not open the insights report", "xdg-open exit status 3")
	test.Tap(button(t, w.Content(), "Copy path"))
	test.Tap(button(t, w.Content(), "Close"))
	if copied != "/home/ana/.cache/cuecard/insights.html" || !closed {
		t.Errorf("copied %q closed %v", copied, closed)
	}
	capture(t, w, "open-failure")
}
