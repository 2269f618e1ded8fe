package ui

import (
	"fmt"
	"os"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/cuecard/cuecard/internal/coach"
	"github.com/cuecard/cuecard/internal/ui/kit"
)

// SettingsSize is the size the settings window is designed for.
var SettingsSize = fyne.NewSize(580, 720)

// SettingsValues are the settings the window edits.
type SettingsValues struct {
	// Library is the guides folder or a git source (git+https://...#branch)
	// the settings name; "" is the sample library.
	Library string
	// LibraryInUse is the folder the app reads now; SampleLibrary says it
	// is the bundled sample library. With Library empty the window shows
	// LibraryInUse, and saving it unchanged keeps Library empty.
	LibraryInUse  string
	SampleLibrary bool
	// Hotkey opens the search window, e.g. "Ctrl+Alt+Space".
	Hotkey string
	// GuidesHotkey shows the focused app's guides now, e.g. "Ctrl+Alt+G".
	GuidesHotkey string
	// Corner is where the panel appears (one of the Corners given).
	Corner string
	// Suggestions turns automatic suggestions on.
	Suggestions bool
	// KeepPanel keeps the panel open for apps without guides.
	KeepPanel bool
	// StartAtLogin starts Cuecard with the desktop session.
	StartAtLogin bool
	// Exclude lists apps never tracked (regular expressions over the
	// executable or window class), one per entry.
	Exclude []string
	// ShareUsage writes anonymous usage counts into the library for the
	// guide owners; ShareSearches (only with ShareUsage) adds the texts of
	// searches that found nothing.
	ShareUsage, ShareSearches bool
	// UsageShared says why shared usage is not written (the library
	// names no readers), or that it is sealed ("" when not sharing).
	UsageShared string
	// Identity is the user's email as guides name their owner.
	Identity string
	// RecordHotkey stops a step recording (e.g. "Ctrl+Alt+R"); RecordBlur
	// blurs step images outside a box around the click; RecordExclude
	// lists more windows never captured (regular expressions over the
	// executable, class or title).
	RecordHotkey  string
	RecordBlur    bool
	RecordExclude []string
	// Muted are the apps whose suggestions are muted (shown, not saved:
	// each has an Unmute button).
	Muted []coach.App
	// Profile is the person's role and first day, for the Start-here
	// track; TrackShared says what the library's track records share
	// ("" when it asks for none).
	Profile     ProfileValues
	TrackShared string
}

// Settings is the content of the settings window.
type Settings struct {
	widget.BaseWidget

	// OnSave validates and saves; an error is shown in the window.
	OnSave func(SettingsValues) error
	// OnClose closes the window.
	OnClose func()
	// OnUnmute unmutes an app (a coach.App key); an error is shown.
	OnUnmute func(app string) error

	initial                               SettingsValues
	library                               *pathEntry
	hoverLibrary                          bool
	exclude, identity                     *kit.Entry
	libraryNote                           *widget.Label
	hotkey, guidesHotkey                  *HotkeyField
	muted                                 *fyne.Container
	recHotkey                             *HotkeyField
	recExclude                            *kit.Entry
	recBlur                               *kit.Check
	corner                                *widget.Select
	suggest, keep, login, share, searches *kit.Check
	message                               *widget.Label
	profile                               *ProfileForm
	content                               fyne.CanvasObject
}

// NewSettings shows v; corners are the panel positions offered.
func NewSettings(v SettingsValues, corners []string) *Settings {
	s := &Settings{initial: v}
	s.ExtendBaseWidget(s)
	s.library = newPathEntry()
	s.library.onHover = func(in bool) { s.hoverLibrary = in; s.noteLibrary() }
	s.library.SetPlaceHolder("/path/to/guides or git+https://host/org/guides.git#main")
	s.libraryNote = widget.NewLabel("")
	s.libraryNote.Wrapping = fyne.TextWrapWord
	s.library.OnChanged = func(string) { s.noteLibrary() }
	if v.Library != "" {
		s.library.SetText(v.Library)
	} else {
		s.library.SetText(v.LibraryInUse)
	}
	s.noteLibrary()
	browse := widget.NewButton("Browse...", s.browse)
	s.hotkey = NewHotkeyField(v.Hotkey)
	s.guidesHotkey = NewHotkeyField(v.GuidesHotkey)
	s.muted = container.NewVBox()
	s.showMuted(v.Muted)
	s.corner = widget.NewSelect(corners, nil)
	s.corner.SetSelected(v.Corner)
	s.suggest = kit.NewCheck("Suggest guides the first time I use an app", nil)
	s.suggest.SetChecked(v.Suggestions)
	s.keep = kit.NewCheck("Keep the panel open for apps without guides", nil)
	s.keep.SetChecked(v.KeepPanel)
	s.login = kit.NewCheck("Start Cuecard when I log in", nil)
	s.login.SetChecked(v.StartAtLogin)
	s.exclude = kit.NewMultiLineEntry()
	s.exclude.SetPlaceHolder("one app per line, e.g. ^keepassxc$")
	s.exclude.SetText(strings.Join(v.Exclude, "\n"))
	s.exclude.SetMinRowsVisible(3)
	s.message = widget.NewLabel("")
	s.message.Wrapping = fyne.TextWrapWord
	s.identity = kit.NewEntry()
	s.identity.SetPlaceHolder("you@example.com, as guides name their owner")
	s.identity.SetText(v.Identity)
	// The second opt-in depends on the first: off and disabled without it.
	s.searches = kit.NewCheck("Also share the texts of searches that found nothing", nil)
	s.searches.SetChecked(v.ShareUsage && v.ShareSearches)
	s.share = kit.NewCheck("Share anonymous usage with the guide owners", func(on bool) {
		if on {
			s.searches.Enable()
		} else {
			s.searches.SetChecked(false)
			s.searches.Disable()
		}
	})
	s.share.SetChecked(v.ShareUsage)
	if !v.ShareUsage {
		s.searches.Disable()
	}

	s.recHotkey = NewHotkeyField(v.RecordHotkey)
	s.recBlur = kit.NewCheck("Blur recorded screenshots outside a box around each click", nil)
	s.recBlur.SetChecked(v.RecordBlur)
	s.recExclude = kit.NewMultiLineEntry()
	s.recExclude.SetPlaceHolder("one window per line, e.g. (?i)payroll")
	s.recExclude.SetText(strings.Join(v.RecordExclude, "\n"))
	s.recExclude.SetMinRowsVisible(2)

	s.profile = NewProfileForm(v.Profile, false)
	shared := kit.Subtle("Start-here items you complete stay on this computer.")
	if v.TrackShared != "" {
		shared = kit.Subtle(v.TrackShared)
	}
	form := widget.NewForm(
		widget.NewFormItem("Library", container.NewVBox(container.NewBorder(nil, nil, nil, browse, s.library), s.libraryNote)),
		widget.NewFormItem("Search hotkey", s.hotkey),
		widget.NewFormItem("This app's guides", s.guidesHotkey),
		widget.NewFormItem("Panel corner", s.corner),
		widget.NewFormItem("", s.suggest),
		widget.NewFormItem("", s.keep),
		widget.NewFormItem("", s.login),
		widget.NewFormItem("Never watch", s.exclude),
		widget.NewFormItem("Muted apps", s.muted),
		widget.NewFormItem("My email", s.identity),
		widget.NewFormItem("Start here", container.NewVBox(s.profile, shared)),
		widget.NewFormItem("", container.NewVBox(s.share, kit.Subtle(v.UsageShared))),
		widget.NewFormItem("", s.searches),
		widget.NewFormItem("Stop recording", s.recHotkey),
		widget.NewFormItem("", s.recBlur),
		widget.NewFormItem("Never record", s.recExclude),
	)
	save := kit.NewButton("Save", nil, s.save)
	save.Importance = widget.HighImportance
	cancel := widget.NewButton("Cancel", func() { call(s.OnClose) })
	note := widget.NewLabel("Password managers and private browsing windows are never watched or recorded. Window titles never leave this computer. " +
		"Shared usage is daily counts per guide and app in the library's _insights folder, sealed to the library's readers under an id that changes every month: never window titles, " +
		"file names, user or computer names; search texts only with the second box.")
	note.Wrapping = fyne.TextWrapWord
	s.content = container.NewBorder(nil, container.NewVBox(s.message, container.NewHBox(layout.NewSpacer(), cancel, save)), nil, nil,
		container.NewVScroll(container.NewVBox(form, note)))
	return s
}

// Values is what the window shows now.
func (s *Settings) Values() SettingsValues {
	library := strings.TrimSpace(s.library.Text)
	if s.initial.Library == "" && library == s.initial.LibraryInUse {
		library = "" // the default (the sample library) stays the default
	}
	return SettingsValues{RecordHotkey: s.recHotkey.Text(), RecordBlur: s.recBlur.Checked, RecordExclude: lines(s.recExclude.Text),
		Library: library, LibraryInUse: s.initial.LibraryInUse, SampleLibrary: s.initial.SampleLibrary,
		Hotkey: s.hotkey.Text(), GuidesHotkey: s.guidesHotkey.Text(), Corner: s.corner.Selected, Suggestions: s.suggest.Checked, KeepPanel: s.keep.Checked, StartAtLogin: s.login.Checked, Exclude: lines(s.exclude.Text),
		ShareUsage: s.share.Checked, ShareSearches: s.share.Checked && s.searches.Checked, Identity: strings.TrimSpace(s.identity.Text),
		Profile: s.profile.Values()}
}

// noteLibrary says under the library field what the folder is: the
// sample library in use, or a change that applies after saving.
func (s *Settings) noteLibrary() {
	text := strings.TrimSpace(s.library.Text)
	var note string
	switch {
	case text == s.initial.LibraryInUse && s.initial.SampleLibrary:
		note = "The sample library that comes with Cuecard. Choose your team's guides folder to use it instead."
	case text == s.initial.LibraryInUse || (text == s.initial.Library && text != ""):
		note = "In use now."
	case text == "":
		note = "Empty: the sample library that comes with Cuecard."
	default:
		note = "Used after saving, when Cuecard restarts."
	}
	// A path wider than the field is shown whole while the pointer is on it.
	if s.hoverLibrary && s.library.cut() {
		note = text + "\n" + note
	}
	s.libraryNote.SetText(note)
}

// browse picks the library folder in a folder dialog over the window,
// starting in the folder shown.
func (s *Settings) browse() {
	w := windowOf(s)
	if w == nil {
		return
	}
	d := dialog.NewFolderOpen(func(dir fyne.ListableURI, err error) {
		if err != nil {
			s.message.SetText(fmt.Sprintf("Choose a folder: %v", err))
			return
		}
		s.chooseFolder(dir)
	}, w)
	if st, err := os.Stat(strings.TrimSpace(s.library.Text)); err == nil && st.IsDir() {
		if l, err := storage.ListerForURI(storage.NewFileURI(strings.TrimSpace(s.library.Text))); err == nil {
			d.SetLocation(l)
		}
	}
	d.Resize(w.Canvas().Size())
	d.Show()
}

// chooseFolder puts the folder picked in the library field; nil (the
// dialog cancelled) leaves it.
func (s *Settings) chooseFolder(dir fyne.ListableURI) {
	if dir != nil {
		s.library.SetText(dir.Path())
	}
}

// showMuted lists the muted apps, each with an Unmute button.
func (s *Settings) showMuted(apps []coach.App) {
	s.muted.RemoveAll()
	if len(apps) == 0 {
		none := widget.NewLabel("None. The speaker button on the panel mutes an app's suggestions; its guides stay in search.")
		none.Wrapping = fyne.TextWrapWord
		none.Importance = widget.LowImportance
		s.muted.Add(none)
		return
	}
	for i, a := range apps {
		name := widget.NewLabel(a.Name)
		name.Wrapping = fyne.TextWrapWord // a long name is shown whole, never cut
		unmute := widget.NewButton("Unmute", func() { s.unmute(apps, i) })
		s.muted.Add(container.NewBorder(nil, nil, nil, unmute, name))
	}
}

// unmute unmutes apps[i] and lists the others.
func (s *Settings) unmute(apps []coach.App, i int) {
	if s.OnUnmute == nil {
		return
	}
	a := apps[i]
	if err := s.OnUnmute(a.Key); err != nil {
		s.message.SetText(err.Error())
		return
	}
	s.showMuted(append(apps[:i:i], apps[i+1:]...))
	s.message.SetText(fmt.Sprintf("%s is unmuted: its guides pop again.", a.Name))
}

// MutedShown are the names of the apps listed as muted.
func (s *Settings) MutedShown() []string {
	var out []string
	for _, o := range s.muted.Objects {
		if b, ok := o.(*fyne.Container); ok {
			for _, c := range b.Objects {
				if l, ok := c.(*widget.Label); ok {
					out = append(out, l.Text)
				}
			}
		}
	}
	return out
}

// pathEntry is an entry for a path, which says when the pointer comes
// and goes so that a path wider than the field can be shown whole.
type pathEntry struct {
	kit.Entry
	onHover func(in bool)
}

func newPathEntry() *pathEntry {
	e := &pathEntry{}
	e.ExtendBaseWidget(e)
	return e
}

// MouseIn implements desktop.Hoverable.
func (e *pathEntry) MouseIn(*desktop.MouseEvent) {
	if e.onHover != nil {
		e.onHover(true)
	}
}

// MouseMoved implements desktop.Hoverable.
func (e *pathEntry) MouseMoved(*desktop.MouseEvent) {}

// MouseOut implements desktop.Hoverable.
func (e *pathEntry) MouseOut() {
	if e.onHover != nil {
		e.onHover(false)
	}
}

// cut reports whether the text is wider than the field shows.
func (e *pathEntry) cut() bool {
	w := fyne.MeasureText(e.Text, theme.Size(theme.SizeNameText), e.TextStyle).Width
	return w > e.Size().Width-2*theme.Size(theme.SizeNameInnerPadding)
}

// windowOf is the window that shows o, or nil.
func windowOf(o fyne.CanvasObject) fyne.Window {
	c := fyne.CurrentApp().Driver().CanvasForObject(o)
	for _, w := range fyne.CurrentApp().Driver().AllWindows() {
		if c != nil && w.Canvas() == c {
			return w
		}
	}
	return nil
}

// lines are the non-empty trimmed lines of text.
func lines(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// Message is the text under the form (an error or a confirmation).
func (s *Settings) Message() string { return s.message.Text }

func (s *Settings) save() {
	if s.OnSave == nil {
		return
	}
	if err := s.OnSave(s.Values()); err != nil {
		s.message.SetText(err.Error())
		return
	}
	s.message.SetText("Saved. A new library or list of apps never watched applies when Cuecard restarts.")
}

// Save saves the settings as the Save button does (Enter in the window).
func (s *Settings) Save() { s.save() }

// CreateRenderer implements fyne.Widget.
func (s *Settings) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(s.content) }
