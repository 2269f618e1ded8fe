package owner

import (
	"strings"
	"testing"
	"unsafe"

	"golang.org/x/sys/windows"
)

// testRuntime leaves the pipe namespace as it is: the test's own
// CUECARD_CACHE already gives its pipe a name of its own.
func testRuntime(t *testing.T) {}

// staleSocket does nothing: a pipe goes away with the process that made it.
func staleSocket(t *testing.T, path string) {}

// checkPrivate checks the pipe's name. Wine does not enforce security
// descriptors (a pipe that denies everyone still takes clients), so the
// descriptor itself is checked by TestPipeSDDL, not by trying another user.
func checkPrivate(t *testing.T, path string) {
	if !strings.HasPrefix(path, `\\.\pipe\cuecard-`) || len(path) != len(`\\.\pipe\cuecard-`)+16 {
		t.Errorf("pipe %s: want \\\\.\\pipe\\cuecard-<16 hex digits>", path)
	}
}

// TestPipeSDDL: the pipe's descriptor is a protected DACL with one entry,
// which allows the current user everything.
func TestPipeSDDL(t *testing.T) {
	sid, err := userSID()
	if err != nil {
		t.Fatal(err)
	}
	s := pipeSDDL(sid)
	if want := "D:P(A;;GA;;;" + sid + ")"; s != want || !strings.HasPrefix(sid, "S-1-5-") {
		t.Fatalf("SDDL %q for SID %q, want %q", s, sid, want)
	}
	sd, err := windows.SecurityDescriptorFromString(s)
	if err != nil {
		t.Fatalf("%s: %v", s, err)
	}
	control, _, err := sd.Control()
	if err != nil || control&windows.SE_DACL_PROTECTED == 0 || control&windows.SE_DACL_PRESENT == 0 {
		t.Errorf("control %#x %v: want a present, protected DACL", control, err)
	}
	dacl, _, err := sd.DACL()
	if err != nil || dacl == nil || dacl.AceCount != 1 {
		t.Fatalf("DACL %+v %v: want one entry", dacl, err)
	}
	var ace *windows.ACCESS_ALLOWED_ACE
	if err := windows.GetAce(dacl, 0, &ace); err != nil {
		t.Fatal(err)
	}
	me, err := windows.StringToSid(sid)
	if err != nil {
		t.Fatal(err)
	}
	got := (*windows.SID)(unsafe.Pointer(&ace.SidStart))
	if ace.Header.AceType != windows.ACCESS_ALLOWED_ACE_TYPE || ace.Mask != windows.GENERIC_ALL || !got.Equals(me) {
		t.Errorf("entry: type %d mask %#x SID %s; want allowed, GENERIC_ALL, %s", ace.Header.AceType, ace.Mask, got, sid)
	}
}
