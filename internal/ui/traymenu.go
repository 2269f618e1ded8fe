package ui

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2/driver/desktop"

	"github.com/cuecard/cuecard/internal/coach"
	"github.com/cuecard/cuecard/internal/track"
)

// The tray menu is made once, with every item it can show, and then
// changed in place: an item's label, whether it is enabled and whether it
// is shown. On Linux the menu is served over com.canonical.dbusmenu, and a
// tray host (the Xfce panel, KDE, the GNOME AppIndicator extension) caches
// its layout by item id: items that keep their ids, and a change announced
// only once it is made, keep the host's copy right (see trayBackend).

// trayItem is one entry of the tray menu as the user sees it.
type trayItem struct {
	label    string
	disabled bool
	hidden   bool
	sep      bool // a separator: never changes
	quit     bool
	// action runs on the UI goroutine; nil does nothing.
	action func()
	sub    []*trayItem // a submenu
	parent *trayItem
}

// trayLook is what a change of an item is about.
type trayLook struct {
	label            string
	disabled, hidden bool
}

func (it *trayItem) look() trayLook {
	return trayLook{label: it.label, disabled: it.disabled, hidden: it.hidden}
}

// trayBackend puts the menu on the platform's tray.
type trayBackend interface {
	// build makes the platform's menu from items, once.
	build(items []*trayItem)
	// apply makes the platform's menu show what changed since the last
	// call: added are new items (at the end of their parent's submenu),
	// changed are items whose look changed, in the order they changed.
	apply(added, changed []*trayItem)
}

// trayState is what the tray menu shows, read from the shell.
type trayState struct {
	unavailable string
	app         string
	guides      []trayGuide
	hotkey      string
	pausedUntil time.Time
	problems    int  // errors
	anyProblems bool // errors or warnings
	// startHere labels the Start here item ("" hides it: no track).
	startHere string
}

type trayGuide struct{ id, title string }

// trayMenu is the tray menu's model: every item, made once.
type trayMenu struct {
	items []*trayItem
	// notice says that focus tracking does not work.
	notice *trayItem
	// guides opens a submenu of the focused app's guides: a pool of
	// items, one a guide, that only grows; the ones not needed are hidden
	// and guideIDs says which guide each one opens now.
	guides, noGuides *trayItem
	guideIDs         []string
	search, pause    *trayItem
	startHere        *trayItem
	resume, problems *trayItem
	back             trayBackend
	added, changed   []*trayItem
	before           map[*trayItem]trayLook
	changes          int // how many times the menu changed
	openGuide        func(id string)
	now              func() time.Time
}

// trayActions are what the fixed items do (each on the UI goroutine).
type trayActions struct {
	openGuide                        func(id string)
	search, record, problems         func()
	startHere                        func()
	pauseHour, pauseTomorrow, resume func()
	openFolder, insights             func()
	settings, about, quit            func()
}

// newTrayMenu makes every item of the menu; a.record and a.insights are
// nil when the app offers neither.
func newTrayMenu(a trayActions) *trayMenu {
	m := &trayMenu{openGuide: a.openGuide, before: map[*trayItem]trayLook{}, now: time.Now}
	item := func(label string, action func()) *trayItem { return &trayItem{label: label, action: action} }
	sep := func() *trayItem { return &trayItem{sep: true} }

	// Focus tracking does not work: said at the top, where the user looks.
	m.notice = &trayItem{disabled: true, hidden: true}
	m.guides = &trayItem{label: "Guides for", hidden: true}
	m.noGuides = &trayItem{label: "No guides for this app", disabled: true}
	m.search = item("Search guides...", a.search)
	m.startHere = &trayItem{label: "Start here", action: a.startHere, hidden: true}
	m.pause = item("Pause suggestions", nil)
	m.resume = &trayItem{label: "Resume", action: a.resume, disabled: true}
	m.pause.sub = []*trayItem{item("For 1 hour", a.pauseHour), item("Until tomorrow", a.pauseTomorrow), m.resume}
	m.problems = &trayItem{label: "Library problems", action: a.problems, hidden: true}

	// The pool starts with as many items as the coach lists guides by
	// default, so the submenu is one from the start.
	for range trayPool {
		m.poolItem("", true)
	}

	m.items = []*trayItem{m.notice, m.guides, m.noGuides, m.search, m.startHere}
	if a.record != nil {
		m.items = append(m.items, item("Record a guide...", a.record))
	}
	m.items = append(m.items, m.pause, m.problems, sep(), item("Open library folder", a.openFolder))
	if a.insights != nil {
		m.items = append(m.items, item("Insights...", a.insights))
	}
	m.items = append(m.items, item("Settings...", a.settings), item("About", a.about), sep(),
		&trayItem{label: "Quit", action: a.quit, quit: true})
	for _, it := range m.items {
		for _, c := range it.sub {
			c.parent = it
		}
	}
	return m
}

// trayPool is how many guide items the menu starts with (coach's default
// MaxGuides); it grows when an app lists more.
const trayPool = 5

// poolItem appends an item to the guides' pool.
func (m *trayMenu) poolItem(label string, hidden bool) *trayItem {
	i := len(m.guides.sub)
	it := &trayItem{label: label, hidden: hidden, parent: m.guides, action: func() { m.openSlot(i) }}
	m.guides.sub = append(m.guides.sub, it)
	m.guideIDs = append(m.guideIDs, "")
	return it
}

// start hands the menu to its backend.
func (m *trayMenu) start(b trayBackend) {
	m.back = b
	b.build(m.items)
}

// set makes the menu show st and reports whether anything changed: when
// nothing did, the backend is not called (the tray host's copy of the
// layout stays current, and its revision does not move). UI goroutine.
func (m *trayMenu) set(st trayState) bool {
	m.setLook(m.notice, st.unavailable, true, st.unavailable == "")

	// The pool items first, then the item that opens them.
	for len(m.guides.sub) < len(st.guides) {
		m.added = append(m.added, m.poolItem(st.guides[len(m.guides.sub)].title, false))
	}
	for i, it := range m.guides.sub {
		if i < len(st.guides) {
			m.guideIDs[i] = st.guides[i].id
			m.setLook(it, st.guides[i].title, false, false)
		} else {
			m.guideIDs[i] = ""
			m.setLook(it, it.label, false, true)
		}
	}
	has := len(st.guides) > 0
	if has {
		m.setLook(m.guides, fmt.Sprintf("Guides for %s", st.app), false, false)
	} else {
		m.setLook(m.guides, m.guides.label, false, true)
	}
	m.setLook(m.noGuides, m.noGuides.label, true, has)

	label := "Search guides..."
	if st.hotkey != "" {
		label = fmt.Sprintf("Search guides... (%s)", st.hotkey)
	}
	m.setLook(m.search, label, false, false)
	m.setLook(m.startHere, st.startHere, false, st.startHere == "" || m.startHere.action == nil)

	paused := !st.pausedUntil.IsZero()
	label = "Pause suggestions"
	if paused {
		label = "Suggestions paused until " + untilLabel(st.pausedUntil, m.now())
	}
	m.setLook(m.pause, label, false, false)
	m.setLook(m.resume, m.resume.label, !paused, false)

	switch {
	case st.problems > 0:
		m.setLook(m.problems, fmt.Sprintf("Library problems (%d)", st.problems), false, false)
	case st.anyProblems:
		m.setLook(m.problems, "Library problems", false, false)
	default:
		m.setLook(m.problems, m.problems.label, false, true)
	}
	return m.flush()
}

// setLook changes it; a hidden item keeps its label (nobody sees it).
func (m *trayMenu) setLook(it *trayItem, label string, disabled, hidden bool) {
	if hidden {
		label, disabled = it.label, it.disabled
	}
	l := trayLook{label: label, disabled: disabled, hidden: hidden}
	if l == it.look() {
		return
	}
	if _, ok := m.before[it]; !ok {
		m.before[it] = it.look()
		m.changed = append(m.changed, it)
	}
	it.label, it.disabled, it.hidden = label, disabled, hidden
}

// flush hands the changes to the backend.
func (m *trayMenu) flush() bool {
	var changed []*trayItem
	for _, it := range m.changed {
		if m.before[it] != it.look() { // changed and changed back: no change
			changed = append(changed, it)
		}
	}
	added := m.added
	m.added, m.changed = nil, nil
	clear(m.before)
	if len(added) == 0 && len(changed) == 0 {
		return false
	}
	m.changes++
	if m.back != nil {
		m.back.apply(added, changed)
	}
	return true
}

// openSlot opens the guide pool item i shows now. UI goroutine.
func (m *trayMenu) openSlot(i int) {
	if i < len(m.guideIDs) && m.guideIDs[i] != "" {
		m.openGuide(m.guideIDs[i])
	}
}

// untilLabel is the end of a pause: a time today, else a weekday too.
func untilLabel(until, now time.Time) string {
	until = until.Local()
	y, mo, d := now.Local().Date()
	if uy, um, ud := until.Date(); uy == y && um == mo && ud == d {
		return until.Format("15:04")
	}
	return until.Format("Mon 15:04")
}

// setupTray makes the tray menu and puts it on the tray. UI goroutine,
// once (NewShell).
func (s *Shell) setupTray() {
	da, ok := s.app.(desktop.App)
	if !ok || !trayAvailable() {
		return
	}
	a := trayActions{
		openGuide:     func(id string) { s.OpenGuide(id, "") },
		search:        s.ShowSearch,
		problems:      s.ShowProblems,
		startHere:     s.ShowTrack,
		pauseHour:     func() { _, _ = s.cfg.Actions.Pause(coach.ForAnHour) },
		pauseTomorrow: func() { _, _ = s.cfg.Actions.Pause(coach.UntilTomorrow) },
		resume:        func() { _ = s.cfg.Actions.Resume() },
		openFolder:    s.openFolder,
		settings:      s.ShowSettings,
		about:         func() { s.showAbout(false) },
		quit:          s.Quit,
	}
	if s.cfg.OnRecord != nil {
		a.record = s.ShowRecordPrompt
	}
	if s.cfg.Insights != nil {
		a.insights = s.openInsights
	}
	s.tray = newTrayMenu(a)
	s.tray.set(s.trayState())
	s.tray.start(newTrayBackend(s, da))
	// A PNG: on Windows fyne decodes it to make an ICO, and an SVG (its
	// default icon) fails there with "image: unknown format".
	da.SetSystemTrayIcon(AppIcon())
}

// refreshTray makes the tray menu show the current state. UI goroutine.
func (s *Shell) refreshTray() {
	if s.tray != nil {
		s.tray.set(s.trayState())
	}
}

func (s *Shell) trayState() trayState {
	st := trayState{unavailable: s.current.Unavailable, app: s.current.App.Name, hotkey: s.cfg.HotkeyLabel,
		pausedUntil: s.current.PausedUntil, problems: s.probCount, anyProblems: len(s.probList) > 0}
	if s.cfg.Track != nil {
		st.startHere = startHereLabel(s.lastTrack)
	}
	for _, sg := range s.current.Guides {
		st.guides = append(st.guides, trayGuide{id: sg.Guide.ID, title: sg.Guide.Title})
	}
	return st
}

// startHereLabel is the tray's Start here item for t: "" (hidden) without
// a track, else how far along it is, e.g. "Start here (2 of 6 done, 1
// overdue)".
func startHereLabel(t track.Track) string {
	if len(t.Items) == 0 {
		return ""
	}
	if t.Complete() {
		return "Start here (all done)"
	}
	l := fmt.Sprintf("Start here (%d of %d done", t.Done, len(t.Items))
	if n := len(t.Overdue()); n > 0 {
		l += fmt.Sprintf(", %d overdue", n)
	}
	return l + ")"
}
