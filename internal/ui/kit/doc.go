// Package kit holds the small fyne widgets and layouts Cuecard's windows
// are built from: FlowText (wrapped text of styled runs and links, with
// LinkText for the words of a link), TapBox (a row that highlights and
// reacts to taps), Badge, IconButton, the layouts TopOffset and TightVBox,
// and the themes: AppTheme for the whole app and Compact, an override
// with half the padding for dense lists.
//
// It imports fyne only, and knows nothing of guides.
//
// Threading: every method of a widget in this package must be called on
// fyne's UI goroutine.
package kit
