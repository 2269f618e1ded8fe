//go:build windows

package win32

import (
	"errors"
	"fmt"
	"image"
	"unsafe"

	"golang.org/x/sys/windows"
)

var (
	gdi32 = windows.NewLazySystemDLL("gdi32.dll")

	procGetDC                  = user32.NewProc("GetDC")
	procReleaseDC              = user32.NewProc("ReleaseDC")
	procCreateCompatibleDC     = gdi32.NewProc("CreateCompatibleDC")
	procCreateCompatibleBitmap = gdi32.NewProc("CreateCompatibleBitmap")
	procSelectObject           = gdi32.NewProc("SelectObject")
	procBitBlt                 = gdi32.NewProc("BitBlt")
	procGetDIBits              = gdi32.NewProc("GetDIBits")
	procDeleteObject           = gdi32.NewProc("DeleteObject")
	procDeleteDC               = gdi32.NewProc("DeleteDC")
)

// Screenshot copies an area of the screen (screen coordinates; what is on
// screen there, whichever window shows it) with GDI: BitBlt from the
// screen's device context into a bitmap, read back as 32-bit pixels.
func Screenshot(r image.Rectangle) (*image.RGBA, error) {
	if r.Empty() {
		return nil, errors.New("empty area")
	}
	w, h := r.Dx(), r.Dy()
	screen, _, _ := procGetDC.Call(0)
	if screen == 0 {
		return nil, errors.New("GetDC: no screen device context")
	}
	defer procReleaseDC.Call(0, screen)
	mem, _, _ := procCreateCompatibleDC.Call(screen)
	if mem == 0 {
		return nil, errors.New("CreateCompatibleDC failed")
	}
	defer procDeleteDC.Call(mem)
	bmp, _, _ := procCreateCompatibleBitmap.Call(screen, uintptr(w), uintptr(h))
	if bmp == 0 {
		return nil, fmt.Errorf("CreateCompatibleBitmap(%dx%d) failed", w, h)
	}
	defer procDeleteObject.Call(bmp)
	old, _, _ := procSelectObject.Call(mem, bmp)
	const srcCopy, captureBlt = 0x00CC0020, 0x40000000 // CAPTUREBLT: layered windows too
	ok, _, err := procBitBlt.Call(mem, 0, 0, uintptr(w), uintptr(h), screen, uintptr(int32(r.Min.X)), uintptr(int32(r.Min.Y)), srcCopy|captureBlt)
	procSelectObject.Call(mem, old) // GetDIBits needs the bitmap deselected
	if ok == 0 {
		return nil, fmt.Errorf("BitBlt: %w", err)
	}
	bi := struct { // BITMAPINFOHEADER, and room for BI_RGB's (absent) colour table
		Size          uint32
		Width, Height int32
		Planes        uint16
		BitCount      uint16
		Compression   uint32
		SizeImage     uint32
		XPPM, YPPM    int32
		ClrUsed       uint32
		ClrImportant  uint32
		colors        [4]uint32
	}{Width: int32(w), Height: -int32(h), Planes: 1, BitCount: 32}
	bi.Size = 40
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	const dibRGBColors = 0
	n, _, _ := procGetDIBits.Call(mem, bmp, 0, uintptr(h), uintptr(unsafe.Pointer(&img.Pix[0])), uintptr(unsafe.Pointer(&bi)), dibRGBColors)
	if int(n) != h {
		return nil, fmt.Errorf("GetDIBits read %d of %d rows", n, h)
	}
	// The rows are top-down (negative height) BGRX: swap to RGBA, opaque.
	p := img.Pix
	for i := 0; i+3 < len(p); i += 4 {
		p[i], p[i+2], p[i+3] = p[i+2], p[i], 0xff
	}
	return img, nil
}
