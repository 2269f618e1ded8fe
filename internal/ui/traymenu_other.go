//go:build !(linux || freebsd || openbsd || netbsd)

package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// fyneTrayMenu hands the tray menu to fyne, which rebuilds the native menu
// (a Win32 or macOS menu, read by no other process) on each change: only
// when something the user sees changed.
type fyneTrayMenu struct {
	app   desktop.App
	items []*trayItem
}

func newTrayBackend(_ *Shell, da desktop.App) trayBackend { return &fyneTrayMenu{app: da} }

func (b *fyneTrayMenu) build(items []*trayItem) {
	b.items = items
	b.app.SetSystemTrayMenu(fyne.NewMenu("Cuecard", fyneMenuItems(items)...))
}

func (b *fyneTrayMenu) apply(_, _ []*trayItem) { b.build(b.items) }

// fyneMenuItems are the shown items of items; fyne runs their actions on
// the UI goroutine.
func fyneMenuItems(items []*trayItem) []*fyne.MenuItem {
	var out []*fyne.MenuItem
	for _, it := range items {
		switch {
		case it.hidden:
			continue
		case it.sep:
			out = append(out, fyne.NewMenuItemSeparator())
			continue
		}
		mi := fyne.NewMenuItem(it.label, it.action)
		mi.Disabled = it.disabled
		mi.IsQuit = it.quit
		if it.sub != nil {
			mi.ChildMenu = fyne.NewMenu("", fyneMenuItems(it.sub)...)
		}
		out = append(out, mi)
	}
	return out
}
