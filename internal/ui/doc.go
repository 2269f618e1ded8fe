// Package ui is Cuecard's desktop user interface: the Shell (the tray icon
// and menu, and the windows) and the screens it shows: the floating
// suggestion Panel, the as-you-type Search window, the guide Viewer,
// Settings, the library Problems list, the About/Welcome page and the
// recording controls.
//
// The screens are built from the widgets of internal/ui/kit, and the
// Viewer renders a guide's Markdown with internal/ui/markdown. The package
// renders what the rest of the app hands it and forwards what the user does
// through callbacks and the small interfaces declared here (Searcher,
// GuideSource, Progress, Feedback, Stats, Opener, Actions).
//
// Besides fyne, kit, markdown, guide and resources it imports
// internal/coach (the Shell shows the coach's updates and passes on
// snoozes and pauses as coach spans) and, on X11 systems, internal/xconn
// with xgb to place the panel window and godbus to see whether a tray can
// be shown; on Windows, internal/win32 for the panel window. It imports no
// index, watcher or hotkey package.
//
// Threading: every exported method of a widget in this package must be called
// on fyne's UI goroutine (from a callback, or wrapped in fyne.Do by code that
// runs on a goroutine of its own). Work that must not block the UI, such as a
// search, runs on a goroutine started here and applies its result with
// fyne.Do.
package ui
