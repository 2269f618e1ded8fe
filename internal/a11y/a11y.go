// Package a11y asks the desktop's accessibility tree which control is at a
// point of the screen, for the recorder's draft sentences ("Click the
// **Save** button."). On Linux and the BSDs it speaks AT-SPI over D-Bus
// (godbus): the accessibility bus's address from org.a11y.Bus on the
// session bus, the registry's applications, the one whose connection
// belongs to the clicked window's process, and
// org.a11y.atspi.Component.GetAccessibleAtPoint down to the leaf.
// Elsewhere Open returns ErrUnsupported.
//
// Privacy: only the names of controls whose names are labels the app
// gives them (buttons, check and radio boxes, menus and their items, tabs)
// are returned; the names of everything else (text, list items, table
// cells, documents) can be the user's data and are never read.
package a11y

import "errors"

// Control is a control on the screen: its role ("push button", "menu
// item") and its name ("Save").
type Control struct {
	Role, Name string
}

// ErrUnsupported: no accessibility tree to ask on this system.
var ErrUnsupported = errors.New("the accessibility tree is read on Linux (AT-SPI) only")
