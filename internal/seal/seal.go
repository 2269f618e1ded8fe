// Package seal encrypts what Cuecard shares through the library folder to
// the library's readers (age recipients named in cuecard.yaml), opens it
// with a reader's private key, makes readers' key pairs, and derives the
// names that keep an installation's files apart without linking them: a
// random per-installation secret, never shared, keys the monthly install
// id and the names of training records.
//
// It is the only package that imports filippo.io/age; the rest of Cuecard
// sees Readers, Key, Seal and Open.
package seal

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"filippo.io/age"

	"github.com/cuecard/cuecard/internal/atomicfile"
)

// Magic starts every sealed file (the age v1 header).
const Magic = "age-encryption.org/v1\n"

// Ext is the extension of sealed files.
const Ext = ".age"

// ErrNoReaders: the library names no readers, so nothing may be shared.
var ErrNoReaders = errors.New("the library names no readers (add readers: with their age1... recipients to its cuecard.yaml)")

// ErrNotReader: the key is not one of the file's recipients.
var ErrNotReader = errors.New("your key is not one of this file's readers")

// Readers are the recipients shared files are sealed to.
type Readers struct {
	list []age.Recipient
	strs []string
}

// ParseRecipient checks one recipient (age1...) and returns it trimmed.
func ParseRecipient(s string) (string, error) {
	s = strings.TrimSpace(s)
	rs, err := age.ParseRecipients(strings.NewReader(s))
	if err != nil || len(rs) != 1 || strings.ContainsAny(s, "\n#") {
		return "", fmt.Errorf("%q is not an age recipient (age1..., as cuecard keys new prints it)", s)
	}
	return s, nil
}

// NewReaders parses recipients (age1... each).
func NewReaders(recipients []string) (Readers, error) {
	var r Readers
	for _, s := range recipients {
		s, err := ParseRecipient(s)
		if err != nil {
			return Readers{}, err
		}
		rs, _ := age.ParseRecipients(strings.NewReader(s))
		r.list = append(r.list, rs[0])
		r.strs = append(r.strs, s)
	}
	return r, nil
}

// Empty reports whether there are no readers.
func (r Readers) Empty() bool { return len(r.list) == 0 }

// Strings are the recipients as written.
func (r Readers) Strings() []string { return append([]string(nil), r.strs...) }

// Seal encrypts plaintext to every reader.
func Seal(r Readers, plaintext []byte) ([]byte, error) {
	if r.Empty() {
		return nil, ErrNoReaders
	}
	var b bytes.Buffer
	w, err := age.Encrypt(&b, r.list...)
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	if _, err := w.Write(plaintext); err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	return b.Bytes(), nil
}

// IsSealed reports whether data is a sealed (age) file.
func IsSealed(data []byte) bool { return bytes.HasPrefix(data, []byte(Magic)) }

// Key is a reader's private key (one or more age identities).
type Key struct {
	ids  []age.Identity
	Path string // the file it was read from ("" when made in memory)
}

// Recipients are the public recipients of the key's identities (what
// cuecard.yaml's readers: lists).
func (k *Key) Recipients() []string {
	var out []string
	for _, id := range k.ids {
		if x, ok := id.(*age.X25519Identity); ok {
			out = append(out, x.Recipient().String())
		}
	}
	return out
}

// Open decrypts a sealed file with the key. A file sealed for other
// readers gives an error wrapping ErrNotReader.
func Open(k *Key, sealed []byte, limit int64) ([]byte, error) {
	if k == nil || len(k.ids) == 0 {
		return nil, errors.New("no reader key: run cuecard keys new, or give one with --key")
	}
	if !IsSealed(sealed) {
		return nil, errors.New("not a sealed file (no age header)")
	}
	r, err := age.Decrypt(bytes.NewReader(sealed), k.ids...)
	if err != nil {
		var nm *age.NoIdentityMatchError
		if errors.As(err, &nm) {
			return nil, ErrNotReader
		}
		return nil, fmt.Errorf("damaged sealed file (%v)", err)
	}
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("damaged sealed file (%v)", err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("over %d bytes once opened", limit)
	}
	return data, nil
}

// NewKey makes a key pair in memory: the private key text (to write to a
// key file) and the public recipient.
func NewKey() (private, recipient string, err error) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return "", "", fmt.Errorf("make a reader key: %w", err)
	}
	return id.String(), id.Recipient().String(), nil
}

// ParseKey reads a key from text (the age identity file format: one
// AGE-SECRET-KEY-1... a line, # comments).
func ParseKey(text string) (*Key, error) {
	ids, err := age.ParseIdentities(strings.NewReader(text))
	if err != nil {
		return nil, fmt.Errorf("not a reader key (AGE-SECRET-KEY-1... lines): %v", err)
	}
	return &Key{ids: ids}, nil
}

// LoadKey reads the key file at path.
func LoadKey(path string) (*Key, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no reader key at %s: make one with cuecard keys new (and have its recipient added to the library's readers:), or give yours with --key FILE", path)
	}
	if err != nil {
		return nil, fmt.Errorf("read the reader key %s: %w", path, err)
	}
	if len(data) > 64<<10 {
		return nil, fmt.Errorf("reader key %s: over 64 KiB, not a key file", path)
	}
	k, err := ParseKey(string(data))
	if err != nil {
		return nil, fmt.Errorf("reader key %s: %w", path, err)
	}
	k.Path = path
	return k, nil
}

// WriteKey makes a new key pair and writes the private key to path (mode
// 0600, its folder 0700); an existing file is never replaced. It returns
// the public recipient.
func WriteKey(path string) (string, error) {
	if _, err := os.Lstat(path); err == nil {
		return "", fmt.Errorf("%s already exists: Cuecard never replaces a key (files sealed to it would be lost); remove it yourself or choose another file with --out", path)
	}
	private, recipient, err := NewKey()
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", fmt.Errorf("write the reader key: %w", err)
	}
	text := "# Cuecard reader key: opens the usage and training files sealed to\n# " + recipient + "\n" + private + "\n"
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", fmt.Errorf("write the reader key: %w", err)
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		os.Remove(path)
		return "", fmt.Errorf("write the reader key %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return "", fmt.Errorf("write the reader key %s: %w", path, err)
	}
	return recipient, nil
}

// Secret reads the installation's random secret at path, making it (32
// bytes from crypto/rand, mode 0600) the first time. It never leaves the
// computer: it keys the names of shared files.
func Secret(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err == nil {
		if b, err := hex.DecodeString(strings.TrimSpace(string(data))); err == nil && len(b) == 32 {
			return b, nil
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("read the sharing secret %s: %w", path, err)
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, fmt.Errorf("make the sharing secret: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("write the sharing secret: %w", err)
	}
	if err := atomicfile.Write(path, []byte(hex.EncodeToString(b)+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("write the sharing secret: %w", err)
	}
	return b, nil
}

// Name is a 32-hex-digit name keyed by secret: the same parts give the
// same name on this installation, and nobody without the secret can tell
// which parts made it.
func Name(secret []byte, parts ...string) string {
	m := hmac.New(sha256.New, secret)
	for _, p := range parts {
		m.Write([]byte(p))
		m.Write([]byte{0})
	}
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// MonthID is the installation's id for one calendar month (YYYY-MM): a
// new, unlinkable id every month.
func MonthID(secret []byte, month string) string { return Name(secret, "install-month", month) }

// RandomName is a random 32-hex-digit name.
func RandomName() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
