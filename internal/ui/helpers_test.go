package ui

import (
	"context"
	"image/color"
	"io/fs"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/ui/kit"
	"github.com/cuecard/cuecard/resources"
)

// Fakes: structs with function fields; a nil field does nothing.

type fakeSearcher struct {
	search func(ctx context.Context, text string, limit int) ([]Hit, error)
}

func (f fakeSearcher) Search(ctx context.Context, text string, limit int) ([]Hit, error) {
	if f.search == nil {
		return nil, nil
	}
	return f.search(ctx, text, limit)
}

type fakeSource struct {
	guide func(id string) (*guide.Guide, error)
}

func (f fakeSource) Guide(id string) (*guide.Guide, error) { return f.guide(id) }

type fakeProgress struct {
	steps   func(guideID string) map[string]bool
	setStep func(guideID, stepID string, checked bool) error
	reset   func(guideID string) error
}

func (f fakeProgress) Steps(id string) map[string]bool {
	if f.steps == nil {
		return nil
	}
	return f.steps(id)
}

func (f fakeProgress) SetStep(id, step string, on bool) error {
	if f.setStep == nil {
		return nil
	}
	return f.setStep(id, step, on)
}

func (f fakeProgress) Reset(id string) error {
	if f.reset == nil {
		return nil
	}
	return f.reset(id)
}

type fakeFeedback struct {
	vote   func(id string, helpful bool) error
	viewed func(id string)
}

func (f fakeFeedback) Vote(id string, helpful bool) error {
	if f.vote == nil {
		return nil
	}
	return f.vote(id, helpful)
}

func (f fakeFeedback) Viewed(id string) {
	if f.viewed != nil {
		f.viewed(id)
	}
}

type fakeOpener struct {
	openURL  func(u string) error
	openFile func(p string) error
	copyText func(s string)
}

func (f fakeOpener) OpenURL(u string) error {
	if f.openURL == nil {
		return nil
	}
	return f.openURL(u)
}

func (f fakeOpener) OpenFile(p string) error {
	if f.openFile == nil {
		return nil
	}
	return f.openFile(p)
}

func (f fakeOpener) CopyText(s string) {
	if f.copyText != nil {
		f.copyText(s)
	}
}

// opened records what an Opener was asked to do.
type opened struct{ urls, files, copied []string }

func (o *opened) opener() fakeOpener {
	return fakeOpener{
		openURL:  func(u string) error { o.urls = append(o.urls, u); return nil },
		openFile: func(p string) error { o.files = append(o.files, p); return nil },
		copyText: func(s string) { o.copied = append(o.copied, s) },
	}
}

// sampleLibrary is the bundled sample library, with guide ids as paths.
func sampleLibrary(t testing.TB) fs.FS {
	t.Helper()
	lib, err := fs.Sub(resources.Library, "library")
	if err != nil {
		t.Fatal(err)
	}
	return lib
}

// sampleGuide parses a guide of the sample library.
func sampleGuide(t testing.TB, id string) *guide.Guide {
	t.Helper()
	data, err := fs.ReadFile(sampleLibrary(t), id)
	if err != nil {
		t.Fatal(err)
	}
	g, problems := guide.Parse(id, data)
	if g == nil {
		t.Fatalf("parse %s: %v", id, problems)
	}
	return g
}

// parseGuide parses a guide written in a test.
func parseGuide(t testing.TB, id, text string) *guide.Guide {
	t.Helper()
	g, problems := guide.Parse(id, []byte(text))
	if g == nil {
		t.Fatalf("parse %s: %v", id, problems)
	}
	return g
}

// today is the fixed clock of the tests: some sample guides are overdue.
var today = time.Date(2027, 6, 1, 10, 0, 0, 0, time.UTC)

func fixedNow() time.Time { return today }

// hitFor makes a Hit from a sample guide, with a snippet around query.
func hitFor(g *guide.Guide, query string, appMatch bool) Hit {
	h := Hit{ID: g.ID, Title: g.Title, Summary: g.Summary, Format: g.Format, Duration: g.Duration,
		Stale: g.Stale(today), AppMatch: appMatch}
	if query != "" {
		h.Snippet = snippet(g.Text, query)
	}
	return h
}

// snippet marks the first occurrence of q in text, with some context.
func snippet(text, q string) string {
	text = strings.Join(strings.Fields(text), " ")
	i := strings.Index(strings.ToLower(text), strings.ToLower(q))
	if i < 0 {
		return ""
	}
	start := max(0, i-50)
	for start > 0 && text[start-1] != ' ' {
		start--
	}
	end := min(len(text), i+len(q)+70)
	for end < len(text) && text[end] != ' ' {
		end++
	}
	return "…" + text[start:i] + "«" + text[i:i+len(q)] + "»" + text[i+len(q):end] + "…"
}

// lightTheme is fyne's default theme in its light variant, for screenshots
// that look like a desktop.
type lightTheme struct{ fyne.Theme }

func (t lightTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, theme.VariantLight)
}

// newApp starts a test app with the light default theme.
func newApp(t *testing.T) fyne.App {
	a := test.NewTempApp(t)
	a.Settings().SetTheme(AppTheme(lightTheme{theme.DefaultTheme()}))
	return a
}

// show puts content in a test window of the given size and lets wrapped
// text settle: the test canvas, unlike the real driver, does not re-layout
// when a child's minimum size changes after a resize.
func show(t *testing.T, content fyne.CanvasObject, size fyne.Size) fyne.Window {
	t.Helper()
	w := test.NewTempWindow(t, content)
	w.SetPadded(false)
	w.Resize(size)
	settle(w)
	return w
}

func settle(w fyne.Window) {
	size := w.Canvas().Size()
	for range 3 {
		w.Resize(size.AddWidthHeight(1, 0))
		w.Resize(size)
	}
}

// uiQueue stands in for fyne.Do in search tests: results queue up and the
// test goroutine, playing the UI goroutine, applies them.
type uiQueue struct {
	s  *Search
	ch chan func()
}

func inlineDo(s *Search) *uiQueue {
	q := &uiQueue{s: s, ch: make(chan func(), 64)}
	s.do = func(f func()) { q.ch <- f }
	return q
}

// wait applies queued results until the newest query's is shown.
func (q *uiQueue) wait(t *testing.T) {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for q.s.shown != q.s.gen.Load() {
		select {
		case f := <-q.ch:
			f()
		case <-timeout:
			t.Fatal("no search result within 10 s")
		}
	}
}

// visible walks the visible objects under o, widgets through their
// renderers.
func visible(o fyne.CanvasObject, fn func(fyne.CanvasObject)) {
	walkVisible(o, func(c fyne.CanvasObject) bool { fn(c); return true })
}

// walkVisible is visible with a say in descending: fn returns false to skip
// an object's children.
func walkVisible(o fyne.CanvasObject, fn func(fyne.CanvasObject) bool) {
	if o == nil || !o.Visible() || !fn(o) {
		return
	}
	switch t := o.(type) {
	case *fyne.Container:
		for _, c := range t.Objects {
			walkVisible(c, fn)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(t).Objects() {
			walkVisible(c, fn)
		}
	}
}

// shownText is the visible text under o, with single spaces: the text of
// a FlowText (its words are not apart), other texts separated by a space.
func shownText(o fyne.CanvasObject) string {
	var parts []string
	walkVisible(o, func(c fyne.CanvasObject) bool {
		switch t := c.(type) {
		case *kit.FlowText:
			parts = append(parts, t.String())
			return false
		case *canvas.Text:
			parts = append(parts, t.Text)
		}
		return true
	})
	return strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
}

// findAll lists the visible objects of type T under o.
func findAll[T any](o fyne.CanvasObject) []T {
	var out []T
	visible(o, func(c fyne.CanvasObject) {
		if t, ok := c.(T); ok {
			out = append(out, t)
		}
	})
	return out
}

// allButtons are the visible buttons: fyne's and the kit's (as the
// widget.Button they embed).
func allButtons(o fyne.CanvasObject) []*widget.Button {
	var out []*widget.Button
	visible(o, func(c fyne.CanvasObject) {
		switch b := c.(type) {
		case *widget.Button:
			out = append(out, b)
		case *kit.Button:
			out = append(out, &b.Button)
		case *kit.TipButton:
			out = append(out, &b.Button.Button)
		}
	})
	return out
}

// findButton is the visible button with the text, or nil.
func findButton(o fyne.CanvasObject, text string) *widget.Button {
	for _, b := range allButtons(o) {
		if b.Text == text {
			return b
		}
	}
	return nil
}

// button finds the visible button with the text.
func button(t *testing.T, o fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	for _, b := range allButtons(o) {
		if b.Text == text {
			return b
		}
	}
	t.Fatalf("no button %q in %q", text, shownText(o))
	return nil
}

func wantText(t *testing.T, o fyne.CanvasObject, want ...string) {
	t.Helper()
	got := shownText(o)
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("shown text lacks %q:\n%s", w, got)
		}
	}
}

func wantNoText(t *testing.T, o fyne.CanvasObject, unwanted ...string) {
	t.Helper()
	got := shownText(o)
	for _, w := range unwanted {
		if strings.Contains(got, w) {
			t.Errorf("shown text has %q:\n%s", w, got)
		}
	}
}
