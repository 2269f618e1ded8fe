//go:build !(linux || freebsd || netbsd || openbsd || dragonfly || windows) && !(darwin && cgo)

package focus

import "runtime"

// New returns a Tracker that reports, once, that this build cannot track
// focus: macOS builds need cgo (robotgo); other systems have no backend.
func New(o Options) Tracker {
	if runtime.GOOS == "darwin" {
		return newUnavailable("this build of Cuecard was made without cgo, which focus tracking needs on " + runtime.GOOS)
	}
	return newUnavailable("no focus tracking backend for " + runtime.GOOS)
}
