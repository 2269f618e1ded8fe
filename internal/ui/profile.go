package ui

import (
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/cuecard/cuecard/internal/ui/kit"
)

// ProfileValues are the person's profile for the Start-here track.
type ProfileValues struct {
	// Roles are the person's roles or teams; Start their first day
	// (YYYY-MM-DD, "" when not set).
	Roles []string
	Start string
	// LibraryRoles are the roles the library names (its settings), offered
	// as choices; empty: the roles are typed.
	LibraryRoles []string
}

// ProfileForm asks for the person's roles and first day: in the first-run
// welcome (skippable) and in Settings.
type ProfileForm struct {
	widget.BaseWidget

	// OnSave saves the values; an error is shown under the form.
	OnSave func(ProfileValues) error

	v       ProfileValues
	choices []*kit.Check // the library's roles, when it names them
	typed   *kit.Entry   // else the roles, comma-separated
	start   *kit.Entry
	message *widget.Label
	content fyne.CanvasObject
}

// NewProfileForm returns the form filled with v.
func NewProfileForm(v ProfileValues, withSave bool) *ProfileForm {
	f := &ProfileForm{v: v}
	f.ExtendBaseWidget(f)
	var roles fyne.CanvasObject
	if len(v.LibraryRoles) > 0 {
		// A grid, not a horizontal group: a long list of roles must not
		// widen the window past its text.
		grid := container.NewGridWithColumns(3)
		for _, r := range v.LibraryRoles {
			c := kit.NewCheck(r, nil)
			c.Checked = slices.ContainsFunc(v.Roles, func(s string) bool { return strings.EqualFold(s, r) })
			f.choices = append(f.choices, c)
			grid.Add(c)
		}
		roles = grid
	} else {
		f.typed = kit.NewEntry()
		f.typed.SetPlaceHolder("e.g. sales, support")
		f.typed.SetText(strings.Join(v.Roles, ", "))
		roles = f.typed
	}
	f.start = kit.NewEntry()
	f.start.SetPlaceHolder("YYYY-MM-DD")
	f.start.SetText(v.Start)
	f.message = widget.NewLabel("")
	f.message.Wrapping = fyne.TextWrapWord
	f.message.Hide()
	form := widget.NewForm(widget.NewFormItem("Your role or team", roles), widget.NewFormItem("Your first day", f.start))
	objs := []fyne.CanvasObject{form}
	if withSave {
		save := kit.NewButton("Save", nil, f.Save)
		save.Importance = widget.HighImportance
		objs = append(objs, container.NewHBox(save, f.message))
	} else {
		objs = append(objs, f.message)
	}
	f.content = container.NewVBox(objs...)
	return f
}

func (f *ProfileForm) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(f.content)
}

// Values are the values the form holds now.
func (f *ProfileForm) Values() ProfileValues {
	v := ProfileValues{Start: strings.TrimSpace(f.start.Text), LibraryRoles: f.v.LibraryRoles}
	if f.choices != nil {
		for _, c := range f.choices {
			if c.Checked {
				v.Roles = append(v.Roles, c.Text)
			}
		}
	} else {
		for _, r := range strings.Split(f.typed.Text, ",") {
			if r = strings.TrimSpace(r); r != "" {
				v.Roles = append(v.Roles, r)
			}
		}
	}
	return v
}

// Save saves the form with OnSave and says how it went.
func (f *ProfileForm) Save() {
	if f.OnSave == nil {
		return
	}
	if err := f.OnSave(f.Values()); err != nil {
		f.message.SetText(err.Error())
		f.message.Importance = widget.DangerImportance
	} else {
		f.message.SetText("Saved.")
		f.message.Importance = widget.MediumImportance
	}
	f.message.Show()
	f.message.Refresh()
}

// SetRoles ticks the library's roles named (tests, screenshots).
func (f *ProfileForm) SetRoles(roles []string) {
	for _, c := range f.choices {
		c.SetChecked(slices.Contains(roles, c.Text))
	}
}

// Message is what the form said after the last Save.
func (f *ProfileForm) Message() string { return f.message.Text }
