package report_test

import (
	"encoding/json"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/coach"
	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/report"
	"github.com/cuecard/cuecard/internal/seal"
	"github.com/cuecard/cuecard/internal/store"
)

// manualClock is a coach clock moved by hand.
type manualClock struct{ now time.Time }

func (c *manualClock) Now() time.Time { return c.now }
func (c *manualClock) AfterFunc(d time.Duration, f func()) func() bool {
	return func() bool { return true }
}

// A session with sensitive window titles and searches, through the real
// coach and store, exported as the app exports it: the aggregate holds
// none of the titles, no search text (unless the second opt-in allows it),
// and no user name, host name or path outside the library.
func TestExportHoldsNoWindowTitlesOrSearches(t *testing.T) {
	guides := libraryGuides(t)
	st, err := store.Open(filepath.Join(t.TempDir(), "state.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	clock := &manualClock{now: now.Add(-8 * time.Hour)}
	c := coach.New(coach.Options{Store: st, Clock: clock, Buffer: 256})
	c.SetGuides(guides, nil)

	home, _ := os.UserHomeDir()
	host, _ := os.Hostname()
	sensitive := []string{
		"Salary review Q3 - Jane Doe.xlsx",
		"Disciplinary letter for Mark Smith - LibreOffice Writer",
		"Re: my divorce lawyer - Inbox - Thunderbird",
		"Closed Won Report | Salesforce - private pipeline of Acme Corp",
		"bank statement 4929-1234-5678-9012.pdf",
		home + "/Documents/secret-plans.odt",
	}
	windows := []guide.Window{
		{Exe: "/usr/lib/libreoffice/program/soffice.bin", Class: "libreoffice-calc", Title: sensitive[0]},
		{Exe: "soffice.bin", Class: "libreoffice-writer", Title: sensitive[1]},
		{Exe: "thunderbird", Class: "thunderbird", Title: sensitive[2]},
		{Exe: "firefox", Class: "firefox", Title: sensitive[3]},
		{Exe: "xpdf", Class: "Xpdf", Title: sensitive[4]},
		{Exe: "gimp", Class: "Gimp", Title: sensitive[5]},
	}
	for i := range 3 {
		for _, w := range windows {
			c.Focus(w)
			clock.now = clock.now.Add(time.Duration(2+i) * time.Minute)
		}
	}
	c.Focus(guide.Window{})
	searches := []string{"payroll deadline overtime", "how to dismiss someone", "grief leave policy"}
	for _, q := range searches {
		if err := c.RecordSearch(q, 0); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.MarkViewed("sales/monthly-sales-report.md"); err != nil {
		t.Fatal(err)
	}
	if err := c.Vote("sales/monthly-sales-report.md", true); err != nil {
		t.Fatal(err)
	}
	c.FlushFocus()
	c.Close()

	id, err := st.InstallID()
	if err != nil {
		t.Fatal(err)
	}
	export := func(searchTexts bool) string {
		lib := t.TempDir()
		aggs, err := report.Local(st, now, now, report.LocalOptions{Install: id, Steps: stepsOf(guides), Searches: searchTexts,
			Share: true, Apps: report.AppSharing(guides, coach.DefaultBrowsers())})
		if err != nil || len(aggs) != 1 {
			t.Fatalf("aggregates %+v %v", aggs, err)
		}
		p, err := report.Write(lib, aggs[0], testReaders)
		if err != nil {
			t.Fatal(err)
		}
		if want := filepath.Join(lib, "_insights", id, now.Format("2006-01-02")+".age"); p != want {
			t.Errorf("written to %s, want %s", p, want)
		}
		sealed, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		// The folder holds ciphertext only: not JSON, an age file.
		if json.Valid(sealed) || !seal.IsSealed(sealed) {
			t.Fatalf("the shared file is not sealed:\n%.200s", sealed)
		}
		data, err := seal.Open(testKey, sealed, 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	forbidden := func(what, data string, texts []string) {
		t.Helper()
		low := strings.ToLower(data)
		for _, s := range texts {
			for _, word := range strings.Fields(strings.ToLower(s)) {
				if len(word) >= 4 && strings.Contains(low, word) && !allowed[word] {
					t.Errorf("the export holds %q from the %s %q:\n%s", word, what, s, data)
				}
			}
		}
	}
	data := export(false)
	forbidden("window title", data, sensitive)
	forbidden("search", data, searches)
	if u, err := user.Current(); err == nil && len(u.Username) >= 3 && strings.Contains(data, u.Username) {
		t.Errorf("the export holds the user name %q", u.Username)
	}
	if len(host) >= 3 && strings.Contains(data, host) {
		t.Errorf("the export holds the host name %q", host)
	}
	if strings.Contains(data, home) || strings.Contains(data, "/usr/") {
		t.Errorf("the export holds a path outside the library:\n%s", data)
	}
	// What it does hold: counts by guide and app key.
	// App time only for apps a guide's rule names (LibreOffice);
	// the others only as seen, without seconds; web browsers not at all.
	for _, want := range []string{`"sales/monthly-sales-report.md"`, `"views":1`, `"vote":"helpful"`, `"exe:soffice.bin":{"name":"LibreOffice Writer","seconds":`, `"apps_seen":["exe:gimp","exe:xpdf","web:salesforce"]`, `"failed_searches":3`} {
		if !strings.Contains(data, want) {
			t.Errorf("the export lacks %s:\n%s", want, data)
		}
	}
	if strings.Contains(data, "firefox") {
		t.Errorf("the export holds the web browser:\n%s", data)
	}

	// With the second opt-in the search texts are there; titles still not.
	data = export(true)
	forbidden("window title", data, sensitive)
	for _, q := range searches {
		if !strings.Contains(data, q) {
			t.Errorf("with the search opt-in the export lacks %q", q)
		}
	}
}

// Words of the titles that are also app names or keys, which the export
// rightly holds (the app, never the title).
var allowed = map[string]bool{
	"thunderbird": true, "libreoffice": true, "writer": true, "salesforce": true, "report": true,
	"inbox": false, "xpdf": true, "gimp": true, "libreoffice-calc": true,
}
