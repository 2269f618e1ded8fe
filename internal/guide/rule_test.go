package guide

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestRuleMatch(t *testing.T) {
	calc := Window{Exe: "soffice.bin", Class: "libreoffice-calc", Instance: "soffice", Title: "Sales.ods - LibreOffice Calc"}
	sf := Window{Exe: "chromium", Class: "Chromium", Instance: "chromium", Title: "Opportunities | Salesforce - Chromium"}
	for _, tc := range []struct {
		exe, class, title string
		w                 Window
		want              bool
	}{
		{"soffice", "", "", calc, true},
		{"^soffice\\.bin$", "calc", "", calc, true},
		{"^soffice\\.bin$", "writer", "", calc, false},
		{"", "LIBREOFFICE-CALC", "", calc, true}, // case-insensitive
		{"", "^soffice$", "", calc, true},        // instance part of WM_CLASS
		{"", "", `\| Salesforce`, sf, true},
		{"", "firefox", `\| Salesforce`, sf, false},
		{"", "firefox|chromium", `\| salesforce`, sf, true},
		{"chromium", "", "Zendesk", sf, false},
	} {
		r := MustRule(tc.exe, tc.class, tc.title)
		if got := r.Match(tc.w); got != tc.want {
			t.Errorf("rule %s on %s = %v, want %v", r, tc.w, got, tc.want)
		}
	}
	if (Rule{}).Match(calc) {
		t.Error("empty rule must match nothing")
	}
	if (Rule{Exe: "soffice"}).Match(calc) {
		t.Error("an uncompiled rule must match nothing")
	}
	if r, _ := (Rule{Exe: "soffice"}).Compile(); !r.Match(calc) {
		t.Error("compiled literal rule should match")
	}
	if _, err := CompileRule("", "", "Deals (Acme"); err == nil || !strings.Contains(err.Error(), "title") || strings.Contains(err.Error(), "(?i)") {
		t.Errorf("bad regex error = %v", err)
	}
}

func TestSpecificityOrder(t *testing.T) {
	exeTitle := MustRule("x", "", "y").Specificity()
	exe := MustRule("x", "", "").Specificity()
	class := MustRule("", "x", "").Specificity()
	title := MustRule("", "", "y").Specificity()
	if !(exeTitle > exe && exe > class && class > title) {
		t.Errorf("specificity order wrong: exe+title %d, exe %d, class %d, title %d", exeTitle, exe, class, title)
	}
}

func TestMatcher(t *testing.T) {
	a := &Guide{ID: "a.md", Title: "A", Apps: []Rule{MustRule("", "", "Deals")}}
	b := &Guide{ID: "b.md", Title: "B", Apps: []Rule{MustRule("chromium", "", "Deals"), MustRule("", "", "Acme")}}
	c := &Guide{ID: "c.md", Title: "C", Apps: []Rule{MustRule("firefox", "", "")}}
	d := &Guide{ID: "d.md", Title: "D", Apps: []Rule{{Exe: "chromium"}}} // uncompiled, as decoded
	m := NewMatcher([]*Guide{a, b, c, d})
	w := Window{Exe: "chromium", Title: "Deals | Acme CRM"}
	got := m.Match(w)
	var ids []string
	for _, mt := range got {
		ids = append(ids, mt.Guide.ID)
	}
	if strings.Join(ids, ",") != "b.md,d.md,a.md" {
		t.Fatalf("order = %v", ids)
	}
	if got[0].Rule.Exe != "chromium" {
		t.Errorf("b should be matched by its most specific rule, got %s", got[0].Rule)
	}
	nm := m.NearMisses(Window{Exe: "firefox", Title: "Inbox"})
	if len(nm) != 0 {
		t.Errorf("c matches firefox, no near misses expected, got %+v", nm)
	}
	nm = m.NearMisses(Window{Exe: "chromium", Title: "Inbox"})
	if len(nm) != 1 || nm[0].Guide != b || !strings.Contains(nm[0].Reason, "title") {
		t.Errorf("near misses = %+v", nm)
	}
}

func TestParsePeriod(t *testing.T) {
	base := time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Time{
		"90d":      base.AddDate(0, 0, 90),
		"6w":       base.AddDate(0, 0, 42),
		"6m":       base.AddDate(0, 6, 0),
		"1y":       base.AddDate(1, 0, 0),
		" 2 years": base.AddDate(2, 0, 0),
		"3 Months": base.AddDate(0, 3, 0),
	} {
		p, err := ParsePeriod(in)
		if err != nil {
			t.Errorf("%q: %v", in, err)
			continue
		}
		if got := p.AddTo(base); !got.Equal(want) {
			t.Errorf("%q: %v, want %v", in, got, want)
		}
	}
	for _, bad := range []string{"", "d", "90", "0d", "5x", "-3d", "1.5y", "9999999d"} {
		if _, err := ParsePeriod(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestParseDuration(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"5m": 5 * time.Minute, "90s": 90 * time.Second, "1h30m": 90 * time.Minute,
		"5 min": 5 * time.Minute, "10 minutes": 10 * time.Minute, "12": 12 * time.Minute, "1 hour": time.Hour,
	} {
		got, err := ParseDuration(in)
		if err != nil || got != want {
			t.Errorf("%q = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "soon", "-5m", "0", "0m", "500h"} {
		if _, err := ParseDuration(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if d := EstimateDuration(1000, 4); d != 6*time.Minute {
		t.Errorf("estimate = %v", d)
	}
	if FormatDuration(90*time.Minute) != "1 h 30 min" || FormatDuration(4*time.Minute) != "4 min" {
		t.Error("FormatDuration")
	}
}

func FuzzRule(f *testing.F) {
	f.Add("soffice", "", "Calc$", "soffice.bin", "libreoffice-calc", "a - LibreOffice Calc")
	f.Add("(", "[", "\\", "", "", "")
	f.Fuzz(func(t *testing.T, exe, class, title, wexe, wclass, wtitle string) {
		r, err := CompileRule(exe, class, title)
		if err != nil {
			if r.Match(Window{Exe: wexe}) {
				t.Fatal("a rule that failed to compile matched")
			}
			return
		}
		w := Window{Exe: wexe, Class: wclass, Title: wtitle}
		ok, reason := r.Explain(w)
		if ok != r.Match(w) || (!ok && reason == "") {
			t.Fatalf("Explain disagrees: %v %q", ok, reason)
		}
		_ = fmt.Sprint(r)
	})
}

func FuzzDuration(f *testing.F) {
	for _, s := range []string{"5m", "1h30m", "90d", "6 months", "12", "1y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if d, err := ParseDuration(s); err == nil && (d <= 0 || d > 100*time.Hour) {
			t.Fatalf("ParseDuration(%q) = %v out of range", s, d)
		}
		if p, err := ParsePeriod(s); err == nil {
			if p.N < 1 || !strings.ContainsRune("dwmy", rune(p.Unit)) {
				t.Fatalf("ParsePeriod(%q) = %+v", s, p)
			}
			if back, err := ParsePeriod(p.String()); err != nil || back != p {
				t.Fatalf("round trip %q -> %q -> %+v %v", s, p, back, err)
			}
		}
	})
}
