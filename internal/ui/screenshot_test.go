package ui

import (
	"context"
	"flag"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/cuecard/cuecard/internal/coach"
	"github.com/cuecard/cuecard/internal/guide"
	"github.com/cuecard/cuecard/internal/ui/kit"
)

var updateScreenshots = flag.Bool("update-screenshots", false, "write the screenshots in docs/screenshots")

// screenshotDir is where -update-screenshots writes.
var screenshotDir = filepath.Join("..", "..", "docs", "screenshots")

// capture writes the window as docs/screenshots/name.png when
// -update-screenshots is given.
func capture(t *testing.T, w fyne.Window, name string) {
	t.Helper()
	if !*updateScreenshots {
		return
	}
	img := w.Canvas().Capture()
	if err := os.MkdirAll(screenshotDir, 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(screenshotDir, name+".png"))
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestScreenshots renders each window with the sample library. Without
// -update-screenshots it only checks that they render.
func TestScreenshots(t *testing.T) {
	lib := sampleLibrary(t)
	salesforce := []string{
		"sales/monthly-sales-report.md",
		"sales/build-a-pipeline-dashboard-in-salesforce.md",
		"sales/convert-a-lead-in-salesforce.md",
		"sales/pricing-tiers.md",
		"sales/discounts-and-contracts-faq.md",
	}

	t.Run("panel", func(t *testing.T) {
		newApp(t)
		p := NewPanel()
		var hits []Hit
		for _, id := range salesforce {
			hits = append(hits, hitFor(sampleGuide(t, id), "", true))
		}
		p.Set(PanelState{App: "Salesforce", Guides: hits})
		w := show(t, p, PanelSize)
		capture(t, w, "panel")

		p.Set(PanelState{App: "Acme CRM", Guides: hits[2:3], Status: "focus tracking unavailable: no EWMH window manager"})
		settle(w)
		capture(t, w, "panel-status")

		// Ctrl+Alt+G: this app's guides, and why they did not pop up.
		note, act := whyNote(coach.Update{App: coach.App{Key: "web:salesforce", Name: "Salesforce"}, Reason: coach.ReasonSeen, Guides: make([]coach.Suggestion, 2)}, time.Now())
		p.Set(PanelState{App: "Salesforce", Guides: hits[:2], Note: note, Action: whyLabels[act]})
		w.Resize(p.FitSize())
		settle(w)
		capture(t, w, "panel-why")
		p.Set(PanelState{App: "Salesforce", Guides: hits[:2], Note: "Salesforce is muted: no more pop-ups for it. Settings lists muted apps.", Action: "Undo"})
		w.Resize(p.FitSize())
		settle(w)
		capture(t, w, "panel-muted")
	})

	t.Run("beside", func(t *testing.T) {
		newApp(t)
		g := sampleGuide(t, "sales/monthly-sales-report.md")
		b := NewBeside(g, nil)
		b.show(2)
		w := show(t, kit.NewTipHost(b), BesideSize)
		capture(t, w, "beside")
	})

	t.Run("search", func(t *testing.T) {
		newApp(t)
		ids := append([]string{"finance/month-end-close.md", "support/escalate-a-ticket-to-engineering.md"}, salesforce...)
		s := NewSearch(fakeSearcher{search: func(_ context.Context, q string, limit int) ([]Hit, error) {
			var hits []Hit
			for i, id := range ids {
				g := sampleGuide(t, id)
				h := hitFor(g, q, i >= 2)
				if h.Snippet == "" && q != "" {
					continue
				}
				hits = append(hits, h)
			}
			// The Searcher ranks the focused app's guides first.
			var first, rest []Hit
			for _, h := range hits {
				if h.AppMatch {
					first = append(first, h)
				} else {
					rest = append(rest, h)
				}
			}
			return append(first, rest...), nil
		}})
		ui := inlineDo(s)
		w := show(t, s, SearchSize)
		w.Canvas().Focus(s.entry)
		s.SetQuery("report")
		ui.wait(t)
		s.typedKey(fyne.KeyDown)
		settle(w)
		capture(t, w, "search")

		s.SetQuery("zebra crossing")
		ui.wait(t)
		settle(w)
		capture(t, w, "search-empty")
	})

	t.Run("checklist", func(t *testing.T) {
		newApp(t)
		g := sampleGuide(t, "sales/monthly-sales-report.md")
		done := map[string]bool{g.Steps[0].ID: true, g.Steps[1].ID: true, g.Steps[2].ID: true}
		v := NewViewer(g, ViewerConfig{
			Library:      lib,
			Now:          fixedNow,
			Progress:     fakeProgress{steps: func(string) map[string]bool { return done }},
			Feedback:     fakeFeedback{},
			Opener:       fakeOpener{},
			OnWorkBeside: func(*guide.Guide) {},
		})
		w := show(t, v, ViewerSize)
		capture(t, w, "checklist")
	})

	t.Run("faq", func(t *testing.T) {
		newApp(t)
		g := sampleGuide(t, "it/common-system-errors-faq.md")
		v := NewViewer(g, ViewerConfig{Library: lib, Now: fixedNow, Feedback: fakeFeedback{}})
		w := show(t, v, ViewerSize)
		v.ShowAnchor("why-cant-i-open-the-shared-drive")
		settle(w)
		capture(t, w, "faq")
	})

	t.Run("reference", func(t *testing.T) {
		newApp(t)
		g := sampleGuide(t, "sales/pricing-tiers.md")
		v := NewViewer(g, ViewerConfig{Library: lib, Now: fixedNow, Feedback: fakeFeedback{}})
		w := show(t, v, ViewerSize)
		capture(t, w, "table")
	})

	t.Run("template", func(t *testing.T) {
		newApp(t)
		g := sampleGuide(t, "office/set-up-your-email-signature.md")
		v := NewViewer(g, ViewerConfig{Library: lib, Now: fixedNow, Feedback: fakeFeedback{}, Opener: fakeOpener{}})
		// Not captured: fyne's SVG renderer draws no <text>, and the
		// sample's signature picture is all text, so it shows as an empty
		// frame.
		show(t, v, ViewerSize)
	})

	t.Run("video", func(t *testing.T) {
		newApp(t)
		g := sampleGuide(t, "sales/build-a-pipeline-dashboard-in-salesforce.md")
		v := NewViewer(g, ViewerConfig{Library: lib, Now: fixedNow, Feedback: fakeFeedback{}, Opener: fakeOpener{}})
		w := show(t, v, ViewerSize)
		capture(t, w, "video")
	})

	t.Run("problems", func(t *testing.T) {
		newApp(t)
		p := NewProblems()
		p.OnCopy = func(string) {}
		p.Set([]guide.Problem{
			{Path: "sales/quarterly-targets.md", Line: 4, Level: guide.LevelError, Code: "yaml",
				Message: "front matter is not valid YAML: mapping values are not allowed here (quote text that contains ': ')"},
			{Path: "support/refund-policy.md", Line: 7, Level: guide.LevelWarning, Code: "stale",
				Message: "review overdue since 2 May 2027 (30 days): check the guide and update 'reviewed'"},
			{Path: "office/printer-faq.md", Line: 23, Level: guide.LevelError, Code: "link",
				Message: "link ../../shared/printers.pdf leaves the library: copy the file into the library and link to it there"},
			{Path: "it/vpn.md", Line: 1, Level: guide.LevelWarning, Code: "owner", Message: "no owner: add 'owner: name@example.com' to the front matter"},
		})
		w := show(t, p, ProblemsSize)
		capture(t, w, "problems")
	})

	t.Run("welcome", func(t *testing.T) {
		newApp(t)
		a := NewAbout(AboutInfo{
			Welcome: true, SampleInstalled: true, Hotkey: "Ctrl+Alt+Space",
			LibraryDir:   "/home/jana/.local/share/cuecard/library",
			OnOpenFolder: func() {}, OnSearch: func() {}, OnClose: func() {},
		})
		w := show(t, a, AboutSize)
		capture(t, w, "welcome")

		// With the Start-here profile step (the library names its roles).
		profile := NewProfileForm(ProfileValues{Start: "2026-11-17", LibraryRoles: []string{"sales", "support", "finance", "marketing", "managers", "it"}}, true)
		profile.SetRoles([]string{"sales"})
		a = NewAbout(AboutInfo{
			Welcome: true, SampleInstalled: true, Hotkey: "Ctrl+Alt+Space", Profile: profile,
			LibraryDir:   "/home/jana/.local/share/cuecard/library",
			OnOpenFolder: func() {}, OnSearch: func() {}, OnClose: func() {},
		})
		w = show(t, a, WelcomeProfileSize)
		capture(t, w, "welcome-profile")
	})

	t.Run("settings", func(t *testing.T) {
		newApp(t)
		st := NewSettings(SettingsValues{LibraryInUse: "/home/jana/.local/share/cuecard/library", SampleLibrary: true,
			Hotkey: "Ctrl+Alt+Space", GuidesHotkey: "Ctrl+Alt+G", RecordHotkey: "Ctrl+Alt+R", Corner: "bottom-right",
			Suggestions: true, StartAtLogin: true, Exclude: []string{"^payroll-app$"},
			Muted:   []coach.App{{Key: "web:crm.example.com", Name: "Acme CRM"}, {Key: "gimp", Name: "GIMP"}},
			Profile: ProfileValues{Roles: []string{"sales"}, Start: "2026-11-17", LibraryRoles: []string{"sales", "support", "finance"}}},
			[]string{"bottom-right", "bottom-left", "top-right", "top-left"})
		w := show(t, st, SettingsSize)
		capture(t, w, "settings")

		// Capturing a hotkey: a key without Ctrl, Alt or Super is refused.
		test.Tap(st.guidesHotkey)
		st.guidesHotkey.TypedKey(&fyne.KeyEvent{Name: fyne.KeyG})
		settle(w)
		capture(t, w, "settings-hotkey")
	})
}
