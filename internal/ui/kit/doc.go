// Package kit holds the small fyne widgets and layouts Cuecard's windows
// are built from: FlowText (wrapped text of styled runs and links, with
// LinkText for the words of a link), TruncLabel (one line cut with an
// ellipsis), TapBox (a row that highlights and reacts to taps), Badge,
// IconButton, the layouts TopOffset and TightVBox, and AppTheme, the whole
// app's theme.
//
// Dense lists (the panel's rows, the search results) have half the
// padding: TruncLabel has it, and FlowText and Badge take it with Dense.
// They are not wrapped in a theme override (container.ThemeOverride) with
// half the padding: every override is a theme scope of its own, for which
// fyne 2.7.1 loads its fonts again (about 5 MB a text style) and never
// gives them back, and it remembers every canvas object it walks.
//
// It imports fyne only, and knows nothing of guides.
//
// Threading: every method of a widget in this package must be called on
// fyne's UI goroutine.
package kit
