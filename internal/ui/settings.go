package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
)

// SettingsSize is the size the settings window is designed for.
var SettingsSize = fyne.NewSize(580, 720)

// SettingsValues are the settings the window edits.
type SettingsValues struct {
	// Library is the guides folder or a git source (git+https://...#branch).
	Library string
	// Hotkey opens the search window, e.g. "Ctrl+Alt+Space".
	Hotkey string
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
	// Identity is the user's email as guides name their owner.
	Identity string
	// RecordHotkey stops a step recording (e.g. "Ctrl+Alt+R"); RecordBlur
	// blurs step images outside a box around the click; RecordExclude
	// lists more windows never captured (regular expressions over the
	// executable, class or title).
	RecordHotkey  string
	RecordBlur    bool
	RecordExclude []string
}

// Settings is the content of the settings window.
type Settings struct {
	widget.BaseWidget

	// OnSave validates and saves; an error is shown in the window.
	OnSave func(SettingsValues) error
	// OnClose closes the window.
	OnClose func()

	library, hotkey, exclude, identity    *widget.Entry
	recHotkey, recExclude                 *widget.Entry
	recBlur                               *widget.Check
	corner                                *widget.Select
	suggest, keep, login, share, searches *widget.Check
	message                               *widget.Label
	content                               fyne.CanvasObject
}

// NewSettings shows v; corners are the panel positions offered.
func NewSettings(v SettingsValues, corners []string) *Settings {
	s := &Settings{}
	s.ExtendBaseWidget(s)
	s.library = widget.NewEntry()
	s.library.SetPlaceHolder("/path/to/guides or git+https://host/org/guides.git#main")
	s.library.SetText(v.Library)
	s.hotkey = widget.NewEntry()
	s.hotkey.SetPlaceHolder("Ctrl+Alt+Space")
	s.hotkey.SetText(v.Hotkey)
	s.corner = widget.NewSelect(corners, nil)
	s.corner.SetSelected(v.Corner)
	s.suggest = widget.NewCheck("Suggest guides the first time I use an app", nil)
	s.suggest.SetChecked(v.Suggestions)
	s.keep = widget.NewCheck("Keep the panel open for apps without guides", nil)
	s.keep.SetChecked(v.KeepPanel)
	s.login = widget.NewCheck("Start Cuecard when I log in", nil)
	s.login.SetChecked(v.StartAtLogin)
	s.exclude = widget.NewMultiLineEntry()
	s.exclude.SetPlaceHolder("one app per line, e.g. ^keepassxc$")
	s.exclude.SetText(strings.Join(v.Exclude, "\n"))
	s.exclude.SetMinRowsVisible(3)
	s.message = widget.NewLabel("")
	s.message.Wrapping = fyne.TextWrapWord
	s.identity = widget.NewEntry()
	s.identity.SetPlaceHolder("you@example.com, as guides name their owner")
	s.identity.SetText(v.Identity)
	// The second opt-in depends on the first: off and disabled without it.
	s.searches = widget.NewCheck("Also share the texts of searches that found nothing", nil)
	s.searches.SetChecked(v.ShareUsage && v.ShareSearches)
	s.share = widget.NewCheck("Share anonymous usage with the guide owners", func(on bool) {
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

	s.recHotkey = widget.NewEntry()
	s.recHotkey.SetPlaceHolder("Ctrl+Alt+R")
	s.recHotkey.SetText(v.RecordHotkey)
	s.recBlur = widget.NewCheck("Blur recorded screenshots outside a box around each click", nil)
	s.recBlur.SetChecked(v.RecordBlur)
	s.recExclude = widget.NewMultiLineEntry()
	s.recExclude.SetPlaceHolder("one window per line, e.g. (?i)payroll")
	s.recExclude.SetText(strings.Join(v.RecordExclude, "\n"))
	s.recExclude.SetMinRowsVisible(2)

	form := widget.NewForm(
		widget.NewFormItem("Library", s.library),
		widget.NewFormItem("Search hotkey", s.hotkey),
		widget.NewFormItem("Panel corner", s.corner),
		widget.NewFormItem("", s.suggest),
		widget.NewFormItem("", s.keep),
		widget.NewFormItem("", s.login),
		widget.NewFormItem("Never watch", s.exclude),
		widget.NewFormItem("My email", s.identity),
		widget.NewFormItem("", s.share),
		widget.NewFormItem("", s.searches),
		widget.NewFormItem("Stop recording", s.recHotkey),
		widget.NewFormItem("", s.recBlur),
		widget.NewFormItem("Never record", s.recExclude),
	)
	save := widget.NewButton("Save", s.save)
	save.Importance = widget.HighImportance
	cancel := widget.NewButton("Cancel", func() { call(s.OnClose) })
	note := widget.NewLabel("Password managers and private browsing windows are never watched or recorded. Window titles never leave this computer. " +
		"Shared usage is daily counts per guide and app in the library's _insights folder, under a random id: never window titles, " +
		"file names, user or computer names; search texts only with the second box.")
	note.Wrapping = fyne.TextWrapWord
	s.content = container.NewBorder(nil, container.NewVBox(s.message, container.NewHBox(layout.NewSpacer(), cancel, save)), nil, nil,
		container.NewVScroll(container.NewVBox(form, note)))
	return s
}

// Values is what the window shows now.
func (s *Settings) Values() SettingsValues {
	return SettingsValues{RecordHotkey: strings.TrimSpace(s.recHotkey.Text), RecordBlur: s.recBlur.Checked, RecordExclude: lines(s.recExclude.Text), Library: strings.TrimSpace(s.library.Text), Hotkey: strings.TrimSpace(s.hotkey.Text),
		Corner: s.corner.Selected, Suggestions: s.suggest.Checked, KeepPanel: s.keep.Checked, StartAtLogin: s.login.Checked, Exclude: lines(s.exclude.Text),
		ShareUsage: s.share.Checked, ShareSearches: s.share.Checked && s.searches.Checked, Identity: strings.TrimSpace(s.identity.Text)}
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

// CreateRenderer implements fyne.Widget.
func (s *Settings) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(s.content) }
