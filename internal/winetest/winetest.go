//go:build windows

// Package winetest makes Go's standard library work under Wine 8 for tests
// compiled for Windows: a test package imports it (blank, from a
// _windows_test.go file) and make test-windows links with
// -checklinkname=0. It changes nothing on Windows itself.
package winetest

import (
	_ "unsafe" // go:linkname

	"golang.org/x/sys/windows"
)

// deleteatFallback is Go's switch (meant for its own tests) for deleting
// files through FileDispositionInformation instead of
// FileDispositionInformationEx. Wine 8 does not implement the Ex class and
// answers STATUS_NOT_IMPLEMENTED, which Go 1.26 does not fall back on, so
// os.RemoveAll of a folder with files fails with "Invalid function" (and
// with it every t.TempDir cleanup). Windows 10 1607 and later implement it.
//
//go:linkname deleteatFallback internal/syscall/windows.TestDeleteatFallback
var deleteatFallback bool

// Wine is true when the process runs under Wine (its ntdll exports
// wine_get_version).
var Wine = windows.NewLazySystemDLL("ntdll.dll").NewProc("wine_get_version").Find() == nil

func init() {
	if Wine {
		deleteatFallback = true
	}
}
