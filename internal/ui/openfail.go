package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/cuecard/cuecard/internal/ui/kit"
)

// OpenFailureSize is the size of the "could not open" notice.
var OpenFailureSize = fyne.NewSize(480, 210)

// NewOpenFailure is the notice shown when the desktop could not open
// something for the user (the insights report, the library folder): what
// it is, where (selectable), why, and a button that copies the path or
// address, to open it another way.
func NewOpenFailure(what string, e *OpenError, copyText func(string), onClose func()) fyne.CanvasObject {
	kind := "path"
	if strings.Contains(e.Target, "://") || strings.HasPrefix(e.Target, "mailto:") {
		kind = "address"
	}
	head := kit.NewText("Cuecard could not open "+what+".", kit.Style{Bold: true})
	where := widget.NewEntry()
	where.SetText(e.Target)
	where.OnChanged = func(string) { where.SetText(e.Target) } // read-only, but selectable
	why := kit.Subtle("The desktop said: " + e.Err.Error() + ". Copy the " + kind + " and open it yourself, or set a default program for it.")
	copied := kit.Caption("")
	copied.Hide()
	copyB := kit.NewButton("Copy "+kind, theme.ContentCopyIcon(), func() {
		if copyText != nil {
			copyText(e.Target)
		}
		copied.SetRuns(kit.Run{Text: "Copied.", Style: kit.Style{Color: theme.ColorNamePlaceHolder, Size: theme.SizeNameCaptionText}})
		copied.Show()
	})
	copyB.Importance = widget.HighImportance
	closeB := kit.NewButton("Close", nil, func() { call(onClose) })
	icon := widget.NewIcon(theme.NewWarningThemedResource(theme.WarningIcon()))
	return container.NewPadded(container.NewBorder(
		container.NewBorder(nil, nil, icon, nil, head), container.NewHBox(copied, layout.NewSpacer(), copyB, closeB), nil, nil,
		container.NewVBox(where, why)))
}
