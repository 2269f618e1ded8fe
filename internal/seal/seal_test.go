package seal

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestSealOpen(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "cfg", "reader-key.txt")
	recipient, err := WriteKey(p)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(p)
	if err != nil || (runtime.GOOS != "windows" && st.Mode().Perm() != 0o600) {
		t.Fatalf("key file %v %v", st, err)
	}
	if _, err := WriteKey(p); err == nil || !strings.Contains(err.Error(), "never replaces a key") {
		t.Errorf("a second key over the first: %v", err)
	}
	key, err := LoadKey(p)
	if err != nil || len(key.Recipients()) != 1 || key.Recipients()[0] != recipient {
		t.Fatalf("load: %v %v", key, err)
	}
	_, other, _ := NewKey()
	readers, err := NewReaders([]string{" " + recipient + " ", other})
	if err != nil {
		t.Fatal(err)
	}
	plain := []byte(`{"views": 3}`)
	sealed, err := Seal(readers, plain)
	if err != nil {
		t.Fatal(err)
	}
	if !IsSealed(sealed) || json.Valid(sealed) || bytes.Contains(sealed, []byte("views")) {
		t.Fatalf("not ciphertext: %q", sealed)
	}
	got, err := Open(key, sealed, 1<<10)
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("open: %q %v", got, err)
	}
	if _, err := Open(key, sealed, 4); err == nil {
		t.Error("the size limit was not kept")
	}
	// A key that is not a reader's.
	priv, _, _ := NewKey()
	stranger, _ := ParseKey(priv)
	if _, err := Open(stranger, sealed, 1<<10); !errors.Is(err, ErrNotReader) {
		t.Errorf("a stranger's key: %v", err)
	}
	// A damaged file.
	bad := append([]byte(nil), sealed...)
	bad[len(bad)-3] ^= 1
	if _, err := Open(key, bad, 1<<10); err == nil || errors.Is(err, ErrNotReader) {
		t.Errorf("damaged: %v", err)
	}
	if _, err := Seal(Readers{}, plain); !errors.Is(err, ErrNoReaders) {
		t.Errorf("no readers: %v", err)
	}
	for _, s := range []string{"", "age1", "AGE-SECRET-KEY-1QQQ", recipient + "\n" + other, "ssh-ed25519 AAAA"} {
		if _, err := ParseRecipient(s); err == nil {
			t.Errorf("%q accepted as a recipient", s)
		}
	}
	if _, err := LoadKey(filepath.Join(dir, "none")); err == nil || !strings.Contains(err.Error(), "cuecard keys new") {
		t.Errorf("missing key: %v", err)
	}
}

// The monthly id differs across months and installations, and is stable
// within a month; the secret is made once, 0600.
func TestMonthID(t *testing.T) {
	p := filepath.Join(t.TempDir(), "sharing-secret")
	s1, err := Secret(p)
	if err != nil {
		t.Fatal(err)
	}
	s2, err := Secret(p)
	if err != nil || !bytes.Equal(s1, s2) {
		t.Fatalf("secret not kept: %v", err)
	}
	if st, _ := os.Stat(p); runtime.GOOS != "windows" && st.Mode().Perm() != 0o600 {
		t.Errorf("secret mode %v", st.Mode())
	}
	other, _ := Secret(filepath.Join(t.TempDir(), "s"))
	seen := map[string]bool{}
	for _, m := range []string{"2026-11", "2026-12", "2027-01"} {
		id := MonthID(s1, m)
		if len(id) != 32 || seen[id] || id != MonthID(s1, m) || id == MonthID(other, m) {
			t.Errorf("%s: id %s", m, id)
		}
		seen[id] = true
	}
}
