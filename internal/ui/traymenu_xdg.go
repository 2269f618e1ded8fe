//go:build linux || freebsd || openbsd || netbsd

package ui

import (
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/systray"
)

// systrayMenu serves the tray menu with fyne.io/systray's items, made once
// and changed in place.
//
// fyne 2.7.1's SetSystemTrayMenu (and Menu.Refresh) rebuilds the whole
// menu: systray.ResetMenu removes every item, each removal announcing a new
// layout revision (LayoutUpdated), and the menu is added again with new
// ids, where an added item announces nothing and only a separator does. So
// a rebuild announces menus half taken apart (a submenu without its
// children, no Quit), and its last announcement comes before Quit is added
// again. A tray host that reads the layout when told (libdbusmenu, in the
// Xfce panel) can keep such a menu, and ids that are gone; AboutToShow
// always answers that nothing changed, so opening a submenu does not mend
// it. So the app never calls SetSystemTrayMenu on Linux:
// SetSystemTrayWindow starts fyne's tray (icon, title, start and stop with
// the app) without a menu, and the items here are systray's own. SetTitle,
// Enable, Disable, Show and Hide on an item change it and then announce
// the new revision.
type systrayMenu struct {
	items map[*trayItem]*systray.MenuItem
	looks map[*trayItem]trayLook // what systray shows of each item
	do    func(func())           // runs a click's action on the UI goroutine
}

func newTrayBackend(s *Shell, da desktop.App) trayBackend {
	// fyne starts its tray without a menu for a tray window, and shows
	// that window on a click on the icon; the menu is Cuecard's instead,
	// so the click is taken back: with no handler the host shows the menu
	// (ItemIsMenu). fyne makes a close of that window hide it: the panel
	// hides as its own close button does.
	raw := s.panelWin
	if tw, ok := raw.(*trackedWindow); ok {
		raw = tw.Window
	}
	da.SetSystemTrayWindow(raw)
	systray.SetOnTapped(nil)
	s.panelWin.SetCloseIntercept(s.hidePanel)
	return &systrayMenu{items: map[*trayItem]*systray.MenuItem{}, looks: map[*trayItem]trayLook{}, do: s.Do}
}

func (b *systrayMenu) build(items []*trayItem) {
	for _, it := range items {
		b.add(nil, it)
	}
}

// add makes the systray item of it (and its submenu) under parent.
func (b *systrayMenu) add(parent *systray.MenuItem, it *trayItem) *systray.MenuItem {
	if it.sep {
		if parent == nil {
			systray.AddSeparator()
		} else {
			parent.AddSeparator()
		}
		return nil
	}
	var mi *systray.MenuItem
	if parent == nil {
		mi = systray.AddMenuItem(it.label, "")
	} else {
		mi = parent.AddSubMenuItem(it.label, "")
	}
	if it.disabled {
		mi.Disable()
	}
	if it.hidden {
		mi.Hide()
	}
	b.items[it], b.looks[it] = mi, it.look()
	for _, c := range it.sub {
		b.add(mi, c)
	}
	// A click comes on the D-Bus goroutine; an item is never removed, so
	// this runs as long as the app.
	go func() {
		for range mi.ClickedCh {
			if it.action != nil {
				b.do(it.action)
			}
		}
	}()
	return mi
}

func (b *systrayMenu) apply(added, changed []*trayItem) {
	for _, it := range added {
		mi := b.add(b.items[it.parent], it)
		// systray announces no added item: setting its label again does.
		mi.SetTitle(it.label)
	}
	for _, it := range changed {
		mi, ok := b.items[it]
		if !ok {
			continue
		}
		was, now := b.looks[it], it.look()
		if now.label != was.label {
			mi.SetTitle(now.label)
		}
		if now.disabled != was.disabled {
			if now.disabled {
				mi.Disable()
			} else {
				mi.Enable()
			}
		}
		if now.hidden != was.hidden {
			if now.hidden {
				mi.Hide()
			} else {
				mi.Show()
			}
		}
		b.looks[it] = now
	}
}
