package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/ui/kit"
)

// library is a tiny fake index: guides whose title holds the query, the
// focused app's first; "" gives the app's guides.
type library struct {
	mu      sync.Mutex
	queries []string
	hits    []Hit
}

func (l *library) Search(_ context.Context, text string, limit int) ([]Hit, error) {
	l.mu.Lock()
	l.queries = append(l.queries, text)
	l.mu.Unlock()
	var app, other []Hit
	for _, h := range l.hits {
		switch {
		case text == "" && h.AppMatch:
			app = append(app, h)
		case text == "":
		case !strings.Contains(strings.ToLower(h.Title), strings.ToLower(text)):
		case h.AppMatch:
			app = append(app, h)
		default:
			other = append(other, h)
		}
	}
	out := append(app, other...)
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

func (l *library) lastQuery() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.queries) == 0 {
		return ""
	}
	return l.queries[len(l.queries)-1]
}

func newLibrary() *library {
	return &library{hits: []Hit{
		{ID: "it/connect-to-the-vpn.md", Title: "How to connect to the office VPN", Format: guide.FormatGuide, Duration: 3 * time.Minute},
		{ID: "it/vpn-faq.md", Title: "VPN questions", Format: guide.FormatFAQ, Section: "Why does the VPN drop?", Anchor: "why-does-the-vpn-drop", Snippet: "the «VPN» drops when…"},
		{ID: "crm/deal.md", Title: "Create a deal in Acme CRM", Format: guide.FormatChecklist, AppMatch: true, Stale: true},
		{ID: "crm/vpn.md", Title: "Reach Acme CRM over the VPN", Format: guide.FormatGuide, AppMatch: true},
	}}
}

// newSearchWindow shows a search window over lib with its results applied
// by the test goroutine.
func newSearchWindow(t *testing.T, s Searcher) (*Search, fyne.Window, *uiQueue) {
	t.Helper()
	newApp(t)
	w := NewSearch(s)
	q := inlineDo(w)
	win := show(t, w, SearchSize)
	win.Canvas().Focus(w.entry)
	return w, win, q
}

func key(win fyne.Window, name fyne.KeyName) {
	win.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: name})
}

func ids(hits []Hit) string {
	var s []string
	for _, h := range hits {
		s = append(s, h.ID)
	}
	return strings.Join(s, " ")
}

func TestSearchAsYouType(t *testing.T) {
	lib := newLibrary()
	s, win, q := newSearchWindow(t, lib)

	test.Type(win.Canvas().Focused(), "vpn")
	q.wait(t)
	settle(win)
	if lib.lastQuery() != "vpn" {
		t.Errorf("last query %q, want vpn", lib.lastQuery())
	}
	if got := ids(s.Hits()); got != "crm/vpn.md it/connect-to-the-vpn.md it/vpn-faq.md" {
		t.Errorf("hits %s", got)
	}
	if s.Selected() != 0 || !s.rows[0].Selected() {
		t.Errorf("selected %d, want the first", s.Selected())
	}
	wantText(t, win.Content(), "Reach Acme CRM over the VPN", "for this app", "How to connect to the office VPN", "3 min",
		"Why does the VPN drop? — the VPN drops when…")
	if got := len(findAll[*kit.Badge](s.rows[1])); got != 0 {
		t.Errorf("a guide of another app has %d badges", got)
	}
}

func TestSearchKeys(t *testing.T) {
	lib := newLibrary()
	s, win, q := newSearchWindow(t, lib)
	var opened []string
	s.OnOpen = func(id, anchor string) { opened = append(opened, id+"#"+anchor) }
	closed := 0
	s.OnClose = func() { closed++ }

	test.Type(win.Canvas().Focused(), "vpn")
	q.wait(t)
	for _, k := range []fyne.KeyName{fyne.KeyDown, fyne.KeyDown, fyne.KeyDown, fyne.KeyUp} {
		key(win, k) // 1, 2, 2 (last), 1
	}
	if s.Selected() != 1 || !s.rows[1].Selected() || s.rows[0].Selected() || s.rows[2].Selected() {
		t.Fatalf("selected %d, want 1", s.Selected())
	}
	key(win, fyne.KeyReturn)
	key(win, fyne.KeyDown)
	key(win, fyne.KeyEnter) // keypad Enter
	if got := strings.Join(opened, " "); got != "it/connect-to-the-vpn.md# it/vpn-faq.md#why-does-the-vpn-drop" {
		t.Errorf("opened %s", got)
	}
	if s.Query() != "vpn" {
		t.Errorf("keys changed the query to %q", s.Query())
	}
	// A new query selects its first result only: rows are reused, and
	// the row selected before must not stay highlighted.
	s.entry.SetText("vp")
	q.wait(t)
	if len(s.rows) < 2 {
		t.Fatalf("%d results for %q", len(s.rows), s.Query())
	}
	for i, r := range s.rows {
		if r.Selected() != (i == 0) {
			t.Errorf("after a new query row %d selected=%v", i, r.Selected())
		}
	}

	for range 5 {
		key(win, fyne.KeyUp)
	}
	if s.Selected() != 0 {
		t.Errorf("Up past the top selects %d", s.Selected())
	}

	key(win, fyne.KeyEscape)
	if closed != 1 {
		t.Errorf("Escape closed %d times", closed)
	}
	s.entry.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyW, Modifier: fyne.KeyModifierShortcutDefault})
	if closed != 2 {
		t.Errorf("Ctrl+W: closed %d times, want 2", closed)
	}
}

func TestSearchTapOpens(t *testing.T) {
	s, win, q := newSearchWindow(t, newLibrary())
	var opened []string
	s.OnOpen = func(id, anchor string) { opened = append(opened, id) }
	test.Type(win.Canvas().Focused(), "acme")
	q.wait(t)
	test.Tap(s.rows[1])
	if fmt.Sprint(opened) != "[crm/vpn.md]" || s.Selected() != 1 {
		t.Errorf("opened %v, selected %d", opened, s.Selected())
	}
}

func TestSearchEmptyQueryShowsAppGuides(t *testing.T) {
	lib := newLibrary()
	s, win, q := newSearchWindow(t, lib)
	s.Reset()
	q.wait(t)
	if got := ids(s.Hits()); got != "crm/deal.md crm/vpn.md" {
		t.Errorf("empty query shows %s", got)
	}
	wantText(t, win.Content(), "Create a deal in Acme CRM", "review overdue")

	// Reset after a query empties the entry and shows them again.
	test.Type(win.Canvas().Focused(), "office")
	q.wait(t)
	s.Reset()
	q.wait(t)
	if s.Query() != "" || ids(s.Hits()) != "crm/deal.md crm/vpn.md" {
		t.Errorf("after Reset: query %q, hits %s", s.Query(), ids(s.Hits()))
	}
}

func TestSearchNoResults(t *testing.T) {
	s, win, q := newSearchWindow(t, newLibrary())
	test.Type(win.Canvas().Focused(), "zebra")
	q.wait(t)
	settle(win)
	wantText(t, win.Content(), "No guides found for “zebra”.")
	if len(s.rows) != 0 || s.Selected() != -1 {
		t.Errorf("%d rows, selected %d", len(s.rows), s.Selected())
	}
	opened := 0
	s.OnOpen = func(string, string) { opened++ }
	key(win, fyne.KeyReturn)
	key(win, fyne.KeyDown)
	if opened != 0 || s.Selected() != -1 {
		t.Errorf("Enter with no results opened %d", opened)
	}

	// No guides for the app and an empty query: a hint, not "not found".
	s, win, q = newSearchWindow(t, fakeSearcher{})
	s.Reset()
	q.wait(t)
	wantText(t, win.Content(), "Type to search all guides.")
	wantNoText(t, win.Content(), "No guides found")
}

func TestSearchError(t *testing.T) {
	_, win, q := newSearchWindow(t, fakeSearcher{search: func(context.Context, string, int) ([]Hit, error) {
		return nil, errors.New("index is being rebuilt")
	}})
	test.Type(win.Canvas().Focused(), "x")
	q.wait(t)
	wantText(t, win.Content(), "Search failed: index is being rebuilt")
}

// A newer query cancels the one in flight; its late result is never shown.
func TestSearchSupersededQueryCancelled(t *testing.T) {
	started := make(chan struct{})
	cancelled := make(chan error, 1)
	s, _, q := newSearchWindow(t, fakeSearcher{search: func(ctx context.Context, text string, _ int) ([]Hit, error) {
		if text == "slow" {
			close(started)
			<-ctx.Done()
			cancelled <- ctx.Err()
			return []Hit{{ID: "slow.md", Title: "Slow"}}, nil
		}
		return []Hit{{ID: text + ".md", Title: text}}, nil
	}})
	s.Debounce = time.Nanosecond

	s.SetQuery("slow")
	<-started
	s.SetQuery("fast")
	q.wait(t)
	if err := <-cancelled; !errors.Is(err, context.Canceled) {
		t.Errorf("slow query ended with %v, want canceled", err)
	}
	if ids(s.Hits()) != "fast.md" {
		t.Errorf("hits %s, want fast.md", ids(s.Hits()))
	}
}

// Enter pressed before the results of what was typed arrive opens the
// first of them when they do.
func TestSearchEnterBeforeResults(t *testing.T) {
	s, win, q := newSearchWindow(t, newLibrary())
	var opened []string
	s.OnOpen = func(id, _ string) { opened = append(opened, id) }
	test.Type(win.Canvas().Focused(), "deal")
	key(win, fyne.KeyReturn)
	if len(opened) != 0 {
		t.Fatalf("opened %v before the results came", opened)
	}
	q.wait(t)
	if fmt.Sprint(opened) != "[crm/deal.md]" {
		t.Errorf("opened %v, want [crm/deal.md]", opened)
	}
}

// The limit and the debounce reach the searcher; typing fast runs one
// query.
func TestSearchDebounce(t *testing.T) {
	var mu sync.Mutex
	var queries []string
	s, win, q := newSearchWindow(t, fakeSearcher{search: func(_ context.Context, text string, limit int) ([]Hit, error) {
		mu.Lock()
		queries = append(queries, fmt.Sprintf("%s/%d", text, limit))
		mu.Unlock()
		return nil, nil
	}})
	s.Limit = 7
	s.Debounce = time.Minute // nothing runs while typing goes on
	test.Type(win.Canvas().Focused(), "inv")
	s.Debounce = time.Nanosecond
	test.Type(win.Canvas().Focused(), "o")
	q.wait(t)
	mu.Lock()
	defer mu.Unlock()
	if fmt.Sprint(queries) != "[invo/7]" {
		t.Errorf("queries %v, want [invo/7]", queries)
	}
}

// TestSearchDoneOnlyAtTheEnd: the final query is reported once, when the
// user gives up (Escape) or opens a guide, not for every keystroke.
func TestSearchDoneOnlyAtTheEnd(t *testing.T) {
	s, win, q := newSearchWindow(t, newLibrary())
	var done []string
	s.OnDone = func(query string, hits int) { done = append(done, fmt.Sprintf("%s:%d", query, hits)) }
	test.Type(win.Canvas().Focused(), "zebra")
	q.wait(t)
	settle(win)
	if len(done) != 0 {
		t.Fatalf("reported while typing: %v", done)
	}
	key(win, fyne.KeyEscape)
	if len(done) != 1 || done[0] != "zebra:0" {
		t.Errorf("after Escape: %v", done)
	}
}
