package xconn

import (
	"fmt"
	"os"
	"strings"
	"unicode/utf8"
)

// Text decodes an X text property: UTF-8 when isUTF8 is true (or the bytes
// are valid UTF-8), else Latin-1; trailing NULs dropped, invalid UTF-8
// replaced.
func Text(b []byte, isUTF8 bool) string {
	s := strings.TrimRight(string(b), "\x00")
	if isUTF8 || utf8.ValidString(s) {
		return strings.ToValidUTF8(s, "\uFFFD")
	}
	r := make([]rune, 0, len(b))
	for _, c := range []byte(s) {
		r = append(r, rune(c))
	}
	return string(r)
}

// Exe is the base name of the executable of process pid (a window's
// _NET_WM_PID): /proc/PID/exe, or /proc/PID/comm when the link cannot be
// read (another user's process); "" when neither can.
func Exe(pid int) string {
	p := fmt.Sprintf("/proc/%d/", pid)
	if target, err := os.Readlink(p + "exe"); err == nil {
		target = strings.TrimSuffix(target, " (deleted)")
		if i := strings.LastIndexByte(target, '/'); i >= 0 {
			target = target[i+1:]
		}
		if target != "" {
			return target
		}
	}
	if b, err := os.ReadFile(p + "comm"); err == nil {
		return strings.TrimSpace(string(b))
	}
	return ""
}
