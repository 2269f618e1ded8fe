//go:build pins

package main

// This file is never built (the "pins" build tag is never set). It names the
// modules the desktop issues build on, so go.mod pins the exact versions
// measured in the platform notes and `go mod tidy` keeps them.
import (
	_ "fyne.io/fyne/v2"
	_ "github.com/fsnotify/fsnotify"
	_ "github.com/go-git/go-git/v5"
	_ "github.com/go-vgo/robotgo"
	_ "github.com/robotn/xgb"
	_ "github.com/robotn/xgbutil"
	_ "go.etcd.io/bbolt"
)
