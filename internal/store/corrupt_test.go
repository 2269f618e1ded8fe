package store

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

var healthy struct {
	once sync.Once
	data []byte
	err  error
}

// populated returns the bytes of a healthy store spanning many pages: 400
// views and 400 checked steps, written in one transaction, then one seen
// app "exe:last" in another.
func populated(tb testing.TB) []byte {
	tb.Helper()
	healthy.once.Do(func() {
		dir, err := os.MkdirTemp("", "cuecard-store-")
		if err != nil {
			healthy.err = err
			return
		}
		defer os.RemoveAll(dir)
		path := filepath.Join(dir, "healthy.db")
		s, err := Open(path, Options{})
		if err != nil {
			healthy.err = err
			return
		}
		healthy.err = s.update("populate", func(tx *bolt.Tx) error {
			for i := range 400 {
				id := fmt.Sprintf("team-%02d/guide-with-a-long-name-%04d.md", i%17, i)
				if err := put(tx.Bucket(bViews), []byte(id), Views{Count: 1, First: t0, Last: t0, Recent: []time.Time{t0}}); err != nil {
					return err
				}
				if err := put(tx.Bucket(bSteps), stepKey(id, fmt.Sprintf("step-%d", i)), t0); err != nil {
					return err
				}
			}
			return nil
		})
		if healthy.err == nil { // a last, small transaction
			healthy.err = s.MarkSeen("exe:last", "", t0)
		}
		if err := s.Close(); err != nil && healthy.err == nil {
			healthy.err = err
		}
		if healthy.err == nil {
			healthy.data, healthy.err = os.ReadFile(path)
		}
	})
	if healthy.err != nil {
		tb.Fatal(healthy.err)
	}
	if len(healthy.data) < 20*os.Getpagesize() {
		tb.Fatalf("healthy store is only %d bytes: too small to damage meaningfully", len(healthy.data))
	}
	return bytes.Clone(healthy.data)
}

// damagedDir is a temporary folder for a store file that bbolt may panic
// on. After such a panic bbolt's memory map of the file stays until the
// process exits (unmapping it is not safe then), and Windows cannot delete
// a mapped file: there what cannot be removed at the end is logged, not a
// failure.
func damagedDir(t *testing.T) string {
	if runtime.GOOS != "windows" {
		return t.TempDir()
	}
	dir, err := os.MkdirTemp("", "cuecard-store-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := os.RemoveAll(dir); err != nil {
			t.Logf("left behind, still mapped: %v", err)
		}
	})
	return dir
}

func randomBytes(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// The magic number sits right after the 16-byte page header of each meta page.
func breakMagic(data []byte, metas ...int) []byte {
	out := bytes.Clone(data)
	for _, m := range metas {
		copy(out[m*os.Getpagesize()+16:], []byte{0xde, 0xad, 0xbe, 0xef})
	}
	return out
}

func TestCorruptFilesAreMovedAside(t *testing.T) {
	healthy := populated(t)
	page := os.Getpagesize()
	cases := []struct {
		name string
		data []byte
	}{
		{"text", []byte("this is not a database\n")},
		{"garbage", randomBytes(1, 64<<10)},
		{"garbage one page", randomBytes(2, page)},
		{"wrong magic", breakMagic(healthy, 0, 1)},
		{"truncated to 60%", healthy[:len(healthy)*6/10]},
		{"truncated mid-page", healthy[:len(healthy)/2+123]},
		{"truncated below two pages", healthy[:page+page/2]},
		{"data pages garbage", append(bytes.Clone(healthy[:2*page]), randomBytes(3, len(healthy)-2*page)...)},
		{"zeroed data pages", append(bytes.Clone(healthy[:2*page]), make([]byte, len(healthy)-2*page)...)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := damagedDir(t)
			path := filepath.Join(dir, "state.db")
			if err := os.WriteFile(path, c.data, 0o600); err != nil {
				t.Fatal(err)
			}
			log, logs := newLogger()
			s, err := Open(path, Options{Logger: log, Now: func() time.Time { return t0 }})
			if err != nil {
				t.Fatalf("open: %v", err)
			}
			defer s.Close()
			want := path + ".corrupt-20260302-093000"
			if s.MovedAside() != want {
				t.Fatalf("moved aside to %q, want %q", s.MovedAside(), want)
			}
			if got, err := os.ReadFile(want); err != nil || !bytes.Equal(got, c.data) {
				t.Errorf("the moved-aside file does not hold the damaged bytes (%v)", err)
			}
			if l := logs.String(); !strings.Contains(l, "level=WARN") || !strings.Contains(l, "damaged") || !strings.Contains(l, want) {
				t.Errorf("no warning naming the moved-aside file; log:\n%s", l)
			}
			// The fresh store works and is empty.
			if err := s.MarkSeen("exe:a", "A", t0); err != nil {
				t.Fatal(err)
			}
			if views, err := s.Views(); err != nil || len(views) != 0 {
				t.Errorf("fresh store has views %d %v", len(views), err)
			}
		})
	}
}

func TestSurvivableDamageKeepsTheFile(t *testing.T) {
	// An empty file is initialised.
	path := filepath.Join(t.TempDir(), "state.db")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if s := mustOpen(t, path); s.MovedAside() != "" {
		t.Errorf("an empty file was moved aside")
	}
	// With one meta page broken, bbolt uses the other: the state of the
	// last transaction or of the one before, never a mix, never moved aside.
	healthy := populated(t)
	lastSeen := 0
	for _, meta := range []int{0, 1} {
		path := filepath.Join(t.TempDir(), "state.db")
		if err := os.WriteFile(path, breakMagic(healthy, meta), 0o600); err != nil {
			t.Fatal(err)
		}
		s := mustOpen(t, path)
		if s.MovedAside() != "" {
			t.Fatalf("meta %d broken: moved aside", meta)
		}
		if v, err := s.Views(); err != nil || len(v) != 400 {
			t.Errorf("meta %d broken: %d views (%v), want 400", meta, len(v), err)
		}
		if first, _, _ := s.Seen("exe:last"); !first.IsZero() {
			lastSeen++
		}
	}
	if lastSeen != 1 {
		t.Errorf("the last transaction survived in %d of the two cases, want exactly 1", lastSeen)
	}
}

func TestMoveAsideNamesDoNotCollide(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.db")
	now := func() time.Time { return t0 }
	log, _ := newLogger()
	for i := range 3 {
		if err := os.WriteFile(path, []byte(fmt.Sprintf("garbage %d", i)), 0o600); err != nil {
			t.Fatal(err)
		}
		s, err := Open(path, Options{Now: now, Logger: log})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	for i, suffix := range []string{"", "-2", "-3"} {
		got, err := os.ReadFile(path + ".corrupt-20260302-093000" + suffix)
		if err != nil || string(got) != fmt.Sprintf("garbage %d", i) {
			t.Errorf("aside%s: %q %v", suffix, got, err)
		}
	}
}

// Many random kinds of damage: Open never fails or panics; when it keeps the
// file, the data it reads is the data written.
func TestRandomDamageNeverCrashes(t *testing.T) {
	healthy := populated(t)
	page := os.Getpagesize()
	moved := 0
	for seed := range uint64(40) {
		r := rand.New(rand.NewPCG(seed, 7))
		data := bytes.Clone(healthy)
		// Damage a run of bytes somewhere after the meta pages.
		start := 2*page + r.IntN(len(data)-2*page)
		n := 1 + r.IntN(3*page)
		copy(data[start:], randomBytes(seed+100, n))
		path := filepath.Join(t.TempDir(), "state.db")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		log, _ := newLogger()
		s, err := Open(path, Options{Logger: log})
		if err != nil {
			t.Fatalf("seed %d: open: %v", seed, err)
		}
		if s.MovedAside() != "" {
			moved++
		} else if v, err := s.Views(); err != nil || len(v) != 400 {
			// Damage in free pages is harmless; anything else must be caught.
			t.Errorf("seed %d: kept a file that reads %d views (%v)", seed, len(v), err)
		}
		_ = s.Close()
	}
	t.Logf("%d of 40 damaged files moved aside; the rest had damage only in free pages", moved)
	if moved == 0 {
		t.Error("no damage was ever detected: the validation does not run")
	}
}

// Damage that appears while the store is open makes methods fail with
// ErrCorrupt instead of panicking.
func TestDamageWhileOpen(t *testing.T) {
	path := filepath.Join(damagedDir(t), "state.db")
	if err := os.WriteFile(path, populated(t), 0o600); err != nil {
		t.Fatal(err)
	}
	log, logs := newLogger()
	s, err := Open(path, Options{Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	fi, _ := f.Stat()
	page := int64(os.Getpagesize())
	if _, err := f.WriteAt(randomBytes(9, int(fi.Size()-2*page)), 2*page); err != nil {
		t.Fatal(err)
	}
	_ = f.Close()
	_, err = s.Views()
	if !errors.Is(err, ErrCorrupt) {
		t.Fatalf("views of a file damaged under the store: %v, want ErrCorrupt", err)
	}
	if !strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("damage not logged:\n%s", logs.String())
	}
	// Later calls fail the same way; none hangs on a transaction left open.
	if err := s.RecordView("x.md", t0); err == nil {
		t.Error("write into a damaged file succeeded")
	}
	if _, err := s.Views(); !errors.Is(err, ErrCorrupt) {
		t.Errorf("second read: %v", err)
	}
}
