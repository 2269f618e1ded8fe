package desktop

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"

	"golang.org/x/sys/windows"

	"github.com/cuecard/cuecard/internal/ui"
)

// textFiles are the files of a library that Notepad opens when no program
// is associated with their kind (Markdown often has none on Windows).
var textFiles = map[string]bool{".md": true, ".markdown": true, ".txt": true, ".yaml": true, ".yml": true, ".json": true}

// OpenPath opens a file or folder with its default program (ShellExecute's
// default verb: Explorer for a folder). A text file of the library that no
// program is associated with opens in Notepad.
func OpenPath(p string) error {
	file, err := windows.UTF16PtrFromString(p)
	if err != nil {
		return &ui.OpenError{Target: p, Err: err}
	}
	const swShowNormal = 1
	err = windows.ShellExecute(0, nil, file, nil, nil, swShowNormal)
	if err == nil {
		return nil
	}
	if !textFiles[strings.ToLower(filepath.Ext(p))] {
		return &ui.OpenError{Target: p, Err: err}
	}
	cmd := exec.Command("notepad.exe", p)
	if nerr := cmd.Start(); nerr != nil {
		return &ui.OpenError{Target: p, Err: fmt.Errorf("%v; in Notepad: %w", err, nerr)}
	}
	go cmd.Wait()
	return nil
}

// OpenPDFPage opens the PDF at p with its default program; Windows has no
// common way to name the page, so it opens at the first.
func OpenPDFPage(p string, _ int) error { return OpenPath(p) }
