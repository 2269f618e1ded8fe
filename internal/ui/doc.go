// Package ui is Cuecard's fyne user interface: the floating suggestion
// Panel, the as-you-type Search window, the guide Viewer, the library
// Problems list and the About/Welcome page.
//
// The package renders what the rest of the app hands it and forwards what
// the user does through callbacks and the small interfaces declared here
// (Searcher, GuideSource, Progress, Feedback, Opener). It imports fyne, guide
// and resources only: no index, watcher or window-system library.
//
// Threading: every exported method of a widget in this package must be called
// on fyne's UI goroutine (from a callback, or wrapped in fyne.Do by code that
// runs on a goroutine of its own). Work that must not block the UI, such as a
// search, runs on a goroutine started here and applies its result with
// fyne.Do.
package ui
