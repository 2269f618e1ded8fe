// Package clocale quiets fyne's complaint about the C locale. With
// LANG=C.UTF-8 (the default of Debian images, containers and CI runners)
// fyne's lang package logs "Fyne error: Error parsing user locale C" three
// lines long when it initialises, on every cuecard command, lint in a
// content repository's CI included. In the C locale this package sets
// LANGUAGE=en, which fyne reads before the locale and gettext ignores
// (LANGUAGE has no effect in the C locale), so programs Cuecard starts see
// no change.
//
// It must initialise before fyne.io/fyne/v2/lang: Go initialises the first
// package in import-path order whose imports are done, and this one needs
// only os and strings while fyne's lang waits for golang.org/x/text, which
// sorts after it. cmd/cuecard imports it for that effect alone.
package clocale

import (
	"os"
	"strings"
)

func init() {
	if os.Getenv("LANGUAGE") != "" {
		return
	}
	loc := ""
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if loc = os.Getenv(k); loc != "" {
			break
		}
	}
	if strings.HasPrefix(loc, "C.") || strings.HasPrefix(loc, "POSIX.") {
		os.Setenv("LANGUAGE", "en")
	}
}
