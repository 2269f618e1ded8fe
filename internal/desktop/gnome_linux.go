package desktop

import "github.com/cuecard/cuecard/internal/focus"

func init() { installGnomeExtension = focus.InstallGnomeExtension }
