package desktop

import (
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/coach"
	"github.com/cuecard/cuecard/internal/library"
	"github.com/cuecard/cuecard/internal/report"
	"github.com/cuecard/cuecard/internal/seal"
	"github.com/cuecard/cuecard/internal/store"
)

// TestExportSealedMonthly: with sharing on but no readers in the
// library's settings nothing is written and the status says why; with a
// reader each month's file is sealed to them, under an id that changes
// with the calendar month.
func TestExportSealedMonthly(t *testing.T) {
	t.Setenv("CUECARD_DATA", t.TempDir())
	t.Setenv("CUECARD_CONFIG", t.TempDir())
	root := t.TempDir()
	st, err := store.Open(filepath.Join(t.TempDir(), "state.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c := coach.New(coach.Options{Store: st})
	defer c.Close()
	in := newInsights(root, st, c, false, slog.New(slog.DiscardHandler))
	in.setSharing(true, false, "")
	nov30 := time.Date(2026, 11, 30, 15, 0, 0, 0, time.Local)
	dec1 := time.Date(2026, 12, 1, 9, 0, 0, 0, time.Local)
	for _, at := range []time.Time{nov30, dec1} {
		if err := st.RecordView("a.md", at); err != nil {
			t.Fatal(err)
		}
	}
	in.now = func() time.Time { return nov30 }
	if err := in.export(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, report.Folder)); !os.IsNotExist(err) {
		t.Fatalf("usage written without readers: %v", err)
	}
	if s := in.SharingStatus(); !strings.Contains(s, "not shared") || !strings.Contains(s, "names no readers") {
		t.Errorf("status without readers: %q", s)
	}

	private, recipient, _ := seal.NewKey()
	key, _ := seal.ParseKey(private)
	if err := os.WriteFile(filepath.Join(root, library.SettingsFile), []byte("readers:\n  - "+recipient+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if s := in.SharingStatus(); !strings.Contains(s, "sealed") {
		t.Errorf("status with a reader: %q", s)
	}
	if err := in.export(); err != nil {
		t.Fatal(err)
	}
	in.now = func() time.Time { return dec1 }
	if err := in.export(); err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{} // month -> folder
	filepath.WalkDir(filepath.Join(root, report.Folder), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, _ := os.ReadFile(p)
		if !seal.IsSealed(data) {
			t.Errorf("%s is not sealed", p)
		}
		ids[strings.TrimSuffix(d.Name(), seal.Ext)] = filepath.Base(filepath.Dir(p))
		return nil
	})
	if len(ids) != 2 || ids["2026-11"] == "" || ids["2026-12"] == "" || ids["2026-11"] == ids["2026-12"] {
		t.Errorf("ids by month: %v (want one file a month, under different ids)", ids)
	}
	if legacy, _ := st.InstallID(); ids["2026-11"] == legacy || ids["2026-12"] == legacy {
		t.Error("the state file's install id is shared")
	}
	team, err := report.ReadTeam(root, report.TeamOptions{Key: key})
	if err != nil || len(team.Aggregates) != 2 || team.Aggregates[1].Guides["a.md"].Views != 1 {
		t.Errorf("opened: %+v %v", team, err)
	}
}
