package resources

import _ "embed"

// IconPNG is Cuecard's application and tray icon, a 256x256 PNG. The ui
// package wraps it in a fyne.Resource (ui.AppIcon), so that this package,
// which the library code also reads, stays free of fyne.
//
//go:embed icon.png
var IconPNG []byte
