package desktop

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"github.com/cuecard/cuecard/internal/coach"
	"github.com/cuecard/cuecard/internal/config"
	"github.com/cuecard/cuecard/internal/focus"
	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/hotkey"
	"github.com/cuecard/cuecard/internal/library"
	"github.com/cuecard/cuecard/internal/owner"
	"github.com/cuecard/cuecard/internal/paths"
	"github.com/cuecard/cuecard/internal/search"
	"github.com/cuecard/cuecard/internal/track"
	"github.com/cuecard/cuecard/internal/ui"
)

// The seams App is driven through in these tests: a tracker, hotkeys and a
// shell that record what the app does. The index, watcher, librarian,
// coach, state file and owner socket are the real ones.

type fakeTracker struct {
	events chan focus.Event
	once   sync.Once
}

func (f *fakeTracker) Events() <-chan focus.Event { return f.events }
func (f *fakeTracker) Close() error               { f.once.Do(func() { close(f.events) }); return nil }

type fakeHotkey struct {
	key    hotkey.Key
	events chan struct{}
	closed chan struct{}
	once   sync.Once
}

func (h *fakeHotkey) Key() hotkey.Key         { return h.key }
func (h *fakeHotkey) Events() <-chan struct{} { return h.events }
func (h *fakeHotkey) Close() error {
	h.once.Do(func() { close(h.events); close(h.closed) })
	return nil
}

// fakeKeys registers hotkeys; a key in held is another program's.
type fakeKeys struct {
	mu   sync.Mutex
	held map[hotkey.Key]bool
	keys map[hotkey.Key]*fakeHotkey
}

func (k *fakeKeys) register(_ context.Context, key hotkey.Key, _ hotkey.Options) (Hotkey, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.held[key] {
		return nil, errors.New(key.String() + " is already used by another program")
	}
	h := &fakeHotkey{key: key, events: make(chan struct{}, 1), closed: make(chan struct{})}
	k.keys[key] = h
	return h, nil
}

func (k *fakeKeys) get(key hotkey.Key) *fakeHotkey {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.keys[key]
}

type fakeShell struct {
	cfg       ui.ShellConfig
	updates   chan coach.Update
	searches  chan struct{}
	guides    chan struct{}
	reminders chan track.Reminder
	opened    chan string // OpenGuide's id#anchor
	searched  []string    // SearchFor's texts
	mu        sync.Mutex
	label     string
	corner    string
	problems  []guide.Problem
}

func (s *fakeShell) Run(ctx context.Context) { <-ctx.Done() }
func (s *fakeShell) Do(f func())             { f() }
func (s *fakeShell) App() fyne.App           { return nil }
func (s *fakeShell) Apply(u coach.Update)    { s.updates <- u }
func (s *fakeShell) SetProblems(ps []guide.Problem) {
	s.mu.Lock()
	s.problems = ps
	s.mu.Unlock()
}
func (s *fakeShell) ShowSearch() { s.searches <- struct{}{} }
func (s *fakeShell) SearchFor(text string) {
	s.mu.Lock()
	s.searched = append(s.searched, text)
	s.mu.Unlock()
	s.searches <- struct{}{}
}
func (s *fakeShell) ToggleSearch()  { s.searches <- struct{}{} }
func (s *fakeShell) ShowAppGuides() { s.guides <- struct{}{} }
func (s *fakeShell) RefreshTrack()  {}
func (s *fakeShell) ShowReminder(r track.Reminder) {
	select {
	case s.reminders <- r:
	default:
	}
}
func (s *fakeShell) ShowGuideMe(*ui.GuideMe) *ui.GuideMeWindow { return nil }

func (s *fakeShell) OpenGuide(id, anchor string) {
	select {
	case s.opened <- id + "#" + anchor:
	default:
	}
}
func (s *fakeShell) SetHotkeyLabel(l string) {
	s.mu.Lock()
	s.label = l
	s.mu.Unlock()
}
func (s *fakeShell) SetCorner(c string) {
	s.mu.Lock()
	s.corner = c
	s.mu.Unlock()
}
func (s *fakeShell) SetKeepPanel(bool) {}
func (s *fakeShell) IdleWaits() int64  { return 7 }

func writeGuide(t *testing.T, root, name, title, exe, body string) {
	t.Helper()
	fm := "---\ntitle: " + title + "\nsummary: " + title + ".\nowner: ops@example.com\nreview: 2099-01-01\n"
	if exe != "" {
		fm += "apps:\n  - exe: '^" + exe + "$'\n"
	}
	if err := os.WriteFile(filepath.Join(root, name), []byte(fm+"---\n# "+title+"\n\n"+body+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// testApp is an App on a library of two guides about cropping, one for
// GIMP, with its index built and the fakes in place.
type testApp struct {
	root  string
	app   *App
	keys  *fakeKeys
	tr    *fakeTracker
	shell chan *fakeShell
	done  chan error
}

func startApp(t *testing.T, cfg config.Config) *testApp {
	t.Helper()
	for _, env := range []string{"CUECARD_DATA", "CUECARD_CONFIG", "CUECARD_CACHE", "CUECARD_RUNTIME"} {
		t.Setenv(env, t.TempDir())
	}
	root := t.TempDir()
	writeGuide(t, root, "gimp-crop.md", "How to crop a photo in GIMP", "gimp", "Use the crop tool and press Enter.")
	writeGuide(t, root, "pdf-crop.md", "How to crop a scanned PDF", "", "Crop the margins of a scan with the PDF editor.")
	ix, err := search.Open(paths.Index(root), root)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	res, err := library.Scan(context.Background(), root, library.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Apply(context.Background(), res.Guides, nil); err != nil {
		t.Fatal(err)
	}
	ta := &testApp{root: root, keys: &fakeKeys{held: map[hotkey.Key]bool{}, keys: map[hotkey.Key]*fakeHotkey{}},
		tr: &fakeTracker{events: make(chan focus.Event, 8)}, shell: make(chan *fakeShell, 1), done: make(chan error, 1)}
	held, _ := hotkey.Parse("Ctrl+Alt+H")
	ta.keys.held[held] = true
	ta.app = New(Deps{Root: root, Config: cfg, Index: ix, Version: "test",
		Tracker:  func(focus.Options) focus.Tracker { return ta.tr },
		Register: ta.keys.register,
		NewShell: func(c ui.ShellConfig) Shell {
			s := &fakeShell{cfg: c, updates: make(chan coach.Update, 64), searches: make(chan struct{}, 8), guides: make(chan struct{}, 8),
				reminders: make(chan track.Reminder, 8), opened: make(chan string, 8)}
			ta.shell <- s
			return s
		}})
	ctx, cancel := context.WithCancel(context.Background())
	go func() { ta.done <- ta.app.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-ta.done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("Run did not return after its context ended")
		}
	})
	return ta
}

func (ta *testApp) waitShell(t *testing.T) *fakeShell {
	t.Helper()
	select {
	case s := <-ta.shell:
		return s
	case err := <-ta.done:
		t.Fatalf("Run returned before making the shell: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("no shell after 10 s")
	}
	return nil
}

// waitUpdate waits for an update that ok accepts.
func waitUpdate(t *testing.T, s *fakeShell, what string, ok func(coach.Update) bool) coach.Update {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case u := <-s.updates:
			if ok(u) {
				return u
			}
		case <-deadline:
			t.Fatalf("no update with %s after 10 s", what)
		}
	}
}

func waitSearch(t *testing.T, s *fakeShell, what string) {
	t.Helper()
	select {
	case <-s.searches:
	case <-time.After(5 * time.Second):
		t.Fatalf("%s did not open the search window", what)
	}
}

func ids(u coach.Update) []string {
	var out []string
	for _, g := range u.Guides {
		out = append(out, g.Guide.ID)
	}
	return out
}

// TestAppFocusAndSearch drives the app without X: a focus change reaches
// the panel with the app's guide, the hotkey and a second launch (the owner
// socket) open the search window, and the search ranks the focused app's
// guide first.
func TestAppFocusAndSearch(t *testing.T) {
	ta := startApp(t, config.Config{})
	s := ta.waitShell(t)
	if s.cfg.HotkeyLabel != "Ctrl+Alt+Space" || s.cfg.Notice != "" || s.cfg.Version != "test" || s.cfg.LibraryDir != ta.root {
		t.Errorf("shell made with label %q notice %q version %q library %q", s.cfg.HotkeyLabel, s.cfg.Notice, s.cfg.Version, s.cfg.LibraryDir)
	}

	ta.tr.events <- focus.Event{Window: guide.Window{Exe: "gimp", Class: "Gimp", Title: "GNU Image Manipulation Program", PID: 42}}
	u := waitUpdate(t, s, "the GIMP guide", func(u coach.Update) bool { return u.Window.Exe == "gimp" && len(u.Guides) > 0 })
	if got := ids(u); len(got) != 1 || got[0] != "gimp-crop.md" {
		t.Errorf("guides for GIMP: %v", got)
	}

	// Search, ranked toward the focused app.
	hits, err := s.cfg.Searcher.Search(context.Background(), "crop", 10)
	if err != nil || len(hits) != 2 {
		t.Fatalf("search: %v %+v", err, hits)
	}
	if hits[0].ID != "gimp-crop.md" || !hits[0].AppMatch || hits[1].AppMatch {
		t.Errorf("the focused app's guide is not first: %+v", hits)
	}
	ta.tr.events <- focus.Event{Window: guide.Window{Exe: "evince", Class: "Evince", Title: "scan.pdf"}}
	waitUpdate(t, s, "evince focused", func(u coach.Update) bool { return u.Window.Exe == "evince" })
	if hits, _ := s.cfg.Searcher.Search(context.Background(), "crop", 10); len(hits) != 2 || hits[0].AppMatch || hits[1].AppMatch {
		t.Errorf("with another app focused: %+v", hits)
	}

	// The hotkey opens the search window.
	ta.keys.get(hotkey.Default).events <- struct{}{}
	waitSearch(t, s, "the hotkey")
	// The second hotkey, Ctrl+Alt+G by default, shows this app's guides.
	if g, err := hotkey.Parse("Ctrl+Alt+G"); err != nil || ta.keys.get(g) == nil {
		t.Fatalf("Ctrl+Alt+G is not registered (%v)", err)
	} else {
		g := ta.keys.get(g)
		g.events <- struct{}{}
		select {
		case <-s.guides:
		case <-time.After(5 * time.Second):
			t.Fatal("Ctrl+Alt+G did not show this app's guides")
		}
	}

	// Another process asks through the owner socket: status, and a second
	// launch opens the search window.
	o := owner.Dial(ta.root)
	if o == nil {
		t.Fatal("nobody answers on the owner socket")
	}
	resp, err := o.Ask(context.Background(), owner.Request{Cmd: "status"})
	if err != nil || !resp.Status.Watching || resp.Status.Guides != 2 || resp.Status.PID != os.Getpid() {
		t.Fatalf("status over the socket: %v %+v", err, resp)
	}
	if _, err := o.Ask(context.Background(), owner.Request{Cmd: "show-search"}); err != nil {
		t.Fatal(err)
	}
	waitSearch(t, s, "a second launch")
	if resp, err := o.Ask(context.Background(), owner.Request{Cmd: "debug"}); err != nil || resp.Debug.IdleWaits != 7 {
		t.Errorf("debug over the socket: %v %+v", err, resp)
	}

	// A guide added to the folder is indexed and suggested.
	writeGuide(t, ta.root, "gimp-resize.md", "How to resize a photo in GIMP", "gimp", "Image, Scale Image.")
	ta.tr.events <- focus.Event{Window: guide.Window{Exe: "gimp", Class: "Gimp", Title: "resize.png - GIMP"}}
	waitUpdate(t, s, "the new GIMP guide", func(u coach.Update) bool { return len(u.Guides) == 2 })
	if hits, _ := s.cfg.Searcher.Search(context.Background(), "resize", 10); len(hits) != 1 || hits[0].ID != "gimp-resize.md" {
		t.Errorf("the added guide is not found: %+v", hits)
	}
}

// TestAppSettingsChangeHotkey: Settings changes the search hotkey at once
// (the new key opens the search, the old one is let go); a key another
// program holds is refused and nothing is saved.
func TestAppSettingsChangeHotkey(t *testing.T) {
	ta := startApp(t, config.Config{})
	s := ta.waitShell(t)
	lib := t.TempDir()
	v := s.cfg.Settings()
	v.Library, v.Hotkey, v.Corner, v.GuidesHotkey = lib, "Ctrl+Alt+J", "top-left", "Ctrl+Alt+K"
	if err := s.cfg.SaveSettings(v); err != nil {
		t.Fatal(err)
	}
	// The guides hotkey moves too, at once.
	k, _ := hotkey.Parse("Ctrl+Alt+K")
	if ta.keys.get(k) == nil {
		t.Error("the new guides hotkey is not registered")
	} else {
		ta.keys.get(k).events <- struct{}{}
		select {
		case <-s.guides:
		case <-time.After(5 * time.Second):
			t.Error("the new guides hotkey does not show this app's guides")
		}
	}
	g, _ := hotkey.Parse("Ctrl+Alt+J")
	select {
	case <-ta.keys.get(hotkey.Default).closed:
	case <-time.After(5 * time.Second):
		t.Error("the old hotkey is still held")
	}
	ta.keys.get(g).events <- struct{}{}
	waitSearch(t, s, "the new hotkey")
	s.mu.Lock()
	label, corner := s.label, s.corner
	s.mu.Unlock()
	if label != "Ctrl+Alt+J" || corner != "top-left" {
		t.Errorf("label %q corner %q", label, corner)
	}
	saved, err := config.Load(config.File())
	if err != nil || saved.Hotkey != "Ctrl+Alt+J" || saved.Library != lib || saved.Corner != "top-left" {
		t.Fatalf("saved %+v %v", saved, err)
	}

	v.Hotkey, v.Corner = "Ctrl+Alt+H", "bottom-left"
	if err := s.cfg.SaveSettings(v); err == nil || !strings.Contains(err.Error(), "already used") {
		t.Errorf("a held key: %v", err)
	}
	if again, _ := config.Load(config.File()); again.Hotkey != "Ctrl+Alt+J" || again.Corner != "top-left" {
		t.Errorf("a refused change was saved: %+v", again)
	}
	if got := s.cfg.Settings(); got.Hotkey != "Ctrl+Alt+J" || got.Corner != "top-left" {
		t.Errorf("settings shown after a refused change: %+v", got)
	}
}

// TestAppHotkeyHeld: a search hotkey another program holds gives a notice
// and no label; the app still runs.
func TestAppHotkeyHeld(t *testing.T) {
	ta := startApp(t, config.Config{Hotkey: "Ctrl+Alt+H"})
	s := ta.waitShell(t)
	if s.cfg.HotkeyLabel != "" || !strings.Contains(s.cfg.Notice, "already used") {
		t.Errorf("label %q notice %q", s.cfg.HotkeyLabel, s.cfg.Notice)
	}
}

// TestAppEmptySearchListsChecklistsInProgress: the search window's empty
// query puts a checklist with some steps ticked (not all) first, saying
// how far along it is, and leaves a finished one out.
func TestAppEmptySearchListsChecklistsInProgress(t *testing.T) {
	ta := startApp(t, config.Config{})
	s := ta.waitShell(t)
	writeGuide(t, ta.root, "refund.md", "Refund checklist", "", "- [ ] Check the order\n- [ ] Refund the card\n- [ ] Email the customer")
	writeGuide(t, ta.root, "done.md", "Done checklist", "", "- [ ] Only step")
	steps := func(id string) []guide.Step {
		g, ps := library.ParseFile(id, filepath.Join(ta.root, id))
		if g == nil || len(g.Steps) == 0 {
			t.Fatalf("%s: %v", id, ps)
		}
		return g.Steps
	}
	p := s.cfg.Viewer.Progress
	if err := p.SetStep("refund.md", steps("refund.md")[1].ID, true); err != nil {
		t.Fatal(err)
	}
	if err := p.SetStep("done.md", steps("done.md")[0].ID, true); err != nil {
		t.Fatal(err)
	}
	ta.tr.events <- focus.Event{Window: guide.Window{Exe: "gimp", Class: "Gimp", Title: "GIMP"}}
	waitUpdate(t, s, "GIMP focused", func(u coach.Update) bool { return u.Window.Exe == "gimp" })
	hits, err := s.cfg.Searcher.Search(context.Background(), "", 10)
	if err != nil || len(hits) < 2 {
		t.Fatalf("empty search: %v %+v", err, hits)
	}
	if hits[0].ID != "refund.md" || hits[0].Snippet != "In progress: 1 of 3 steps done" {
		t.Errorf("first hit %+v, want the refund checklist in progress", hits[0])
	}
	if hits[1].ID != "gimp-crop.md" {
		t.Errorf("second hit %+v, want the focused app's guide", hits[1])
	}
	for _, h := range hits {
		if h.ID == "done.md" {
			t.Errorf("a finished checklist is listed: %+v", hits)
		}
	}
	// Typing searches the library as before.
	if hits, _ := s.cfg.Searcher.Search(context.Background(), "crop", 10); len(hits) != 2 || hits[0].ID != "gimp-crop.md" {
		t.Errorf("search for crop: %+v", hits)
	}
}
