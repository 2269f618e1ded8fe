package resources

import "embed"

// KWinScript is the KWin script that reports the active window of a KDE
// Plasma session to Cuecard over D-Bus (internal/focus loads it into the
// running KWin and unloads it on exit). "@SERVICE@" in it stands for the bus
// name Cuecard listens on.
//
//go:embed kwin/cuecard-focus.js
var KWinScript string

// GnomeExtension holds Cuecard's GNOME Shell extension, one folder per
// extension format: "gnome-extension/43/<uuid>" for GNOME Shell 43 and 44
// (imports.gi), "gnome-extension/45/<uuid>" for GNOME Shell 45 and newer
// (ES modules).
//
//go:embed gnome-extension
var GnomeExtension embed.FS
