package coach

import (
	"reflect"
	"testing"
	"time"

	"github.com/cuecard/cuecard/internal/guide"
)

func TestRuleApps(t *testing.T) {
	b := DefaultBrowsers()
	for _, tc := range []struct {
		r    guide.Rule
		want []string
	}{
		{guide.Rule{Exe: "^acme-crm$"}, []string{"exe:acme-crm"}},
		{guide.Rule{Exe: `^(soffice|libreoffice)(\.bin)?$`}, []string{"exe:soffice", "exe:soffice.bin", "exe:libreoffice", "exe:libreoffice.bin"}},
		{guide.Rule{Exe: `C:\\Program Files\\Acme\\Acme\.exe`}, []string{"exe:acme"}},
		{guide.Rule{Exe: `gimp-2\.\d+`}, nil},
		{guide.Rule{Exe: "soffice", Title: "budget"}, []string{"exe:soffice"}},
		{guide.Rule{Class: "libreoffice-calc", Title: "budget"}, []string{"class:libreoffice-calc"}},
		{guide.Rule{Title: `Deals \| Acme CRM`}, []string{"web:acme crm"}},
		{guide.Rule{Title: "HubSpot"}, []string{"web:hubspot"}},
		{guide.Rule{Exe: "firefox|chromium", Title: `Quotes? \| Acme CRM`}, []string{"web:acme crm"}},
		{guide.Rule{Exe: "firefox"}, nil},
		{guide.Rule{Exe: "(broken"}, nil},
	} {
		var got []string
		for _, a := range RuleApps(tc.r, b) {
			got = append(got, a.Key)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("RuleApps(%+v) = %q, want %q", tc.r, got, tc.want)
		}
	}
}

// A guide opened from a link marks the apps its rules name as seen: GIMP
// then never pops its first-open suggestion, and neither does an app
// whose rules name it by no literal, once it is focused.
func TestAssignedGuideDoesNotPop(t *testing.T) {
	gimp2 := mkGuide("gimp/filters.md", "Filters", true, guide.Rule{Exe: `gimp-2\.\d+`})
	gimp2Win := guide.Window{Exe: "gimp-2.10", Class: "Gimp-2.10", Title: "GIMP"}
	h := newHarness(t, Config{MaxPops: -1}, gimpBasics, gimp2, calcTips, crmDeals)

	if err := h.c.MarkAssigned(gimpBasics.ID); err != nil {
		t.Fatal(err)
	}
	h.next()
	if first, _, _ := h.store.Seen("exe:gimp"); first.IsZero() {
		t.Error("GIMP was not marked seen")
	}
	expect(t, h.focus(gimpWin), false, ReasonSeen)
	h.clock.Advance(time.Minute)
	h.none()

	// A rule that names no app by a literal: seen when it is focused.
	if err := h.c.MarkAssigned(gimp2.ID); err != nil {
		t.Fatal(err)
	}
	h.next()
	u := h.focus(gimp2Win)
	expect(t, u, false, ReasonSeen)
	if u.Why != "a guide for Gimp-2.10 was opened from a link" {
		t.Errorf("why %q", u.Why)
	}
	if first, _, _ := h.store.Seen("exe:gimp-2.10"); first.IsZero() {
		t.Error("the app was not marked seen when focused")
	}

	// A web app: its site.
	if err := h.c.MarkAssigned(crmDeals.ID); err != nil {
		t.Fatal(err)
	}
	h.next()
	expect(t, h.focus(dealsTab), false, ReasonSeen)

	// Others still pop.
	h.focus(calcWin)
	expect(t, h.dwell(), true, ReasonFirstUse)

	if err := h.c.MarkAssigned("no/such.md"); err == nil {
		t.Error("MarkAssigned of an unknown guide: no error")
	}
}

// The focused app is marked seen when the assigned guide is among its
// matches, even when the rules name no app by a literal.
func TestAssignedMarksTheFocusedApp(t *testing.T) {
	gimp2 := mkGuide("gimp/filters.md", "Filters", true, guide.Rule{Exe: `gimp-2\.\d+`})
	gimp2Win := guide.Window{Exe: "gimp-2.10", Class: "Gimp-2.10", Title: "GIMP"}
	h := newHarness(t, Config{MaxPops: -1}, gimp2)
	expect(t, h.focus(gimp2Win), false, ReasonWaiting)
	if err := h.c.MarkAssigned(gimp2.ID); err != nil {
		t.Fatal(err)
	}
	expect(t, h.next(), false, ReasonSeen)
	if first, _, _ := h.store.Seen("exe:gimp-2.10"); first.IsZero() {
		t.Error("the focused app was not marked seen")
	}
	h.clock.Advance(time.Minute) // the dwell timer: no pop
	expect(t, h.next(), false, ReasonSeen)
}

// A new guide opened from a link before its app is next focused is not
// announced as new.
func TestAssignedNewGuideIsNotAnnounced(t *testing.T) {
	h := newHarness(t, Config{MaxPops: -1}, gimpBasics)
	h.focus(gimpWin)
	expect(t, h.dwell(), true, ReasonFirstUse)
	h.focus(termWin)
	h.clock.Advance(time.Minute)
	h.c.SetGuides([]*guide.Guide{gimpBasics, gimpLayers}, []string{gimpLayers.ID})
	h.next()
	if err := h.c.MarkAssigned(gimpLayers.ID); err != nil {
		t.Fatal(err)
	}
	h.next()
	expect(t, h.focus(gimpWin), false, ReasonSeen)
}
