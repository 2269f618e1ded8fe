package guide

import (
	"strings"
	"testing"
	"time"
)

func TestParseTrackKeys(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	for _, tc := range []struct {
		name     string
		fm       string
		required bool
		ack      bool
		order    int
		deadline Deadline
		code     string // the error expected, with its line
		line     int
	}{
		{name: "none", fm: "title: How to x"},
		{name: "relative days", fm: "required: true\ndue: 14d", required: true, deadline: Deadline{After: Period{14, 'd'}}},
		{name: "relative weeks", fm: "required: yes\ndue: 2w\nack: true\norder: 3", required: true, ack: true, order: 3, deadline: Deadline{After: Period{2, 'w'}}},
		{name: "long unit", fm: "due: 1 month", deadline: Deadline{After: Period{1, 'm'}}},
		{name: "fixed date", fm: "required: true\ndue: 2027-01-31", required: true, deadline: Deadline{Date: day(2027, 1, 31)}},
		{name: "date as YAML date", fm: "due: 2027-1-5", deadline: Deadline{Date: day(2027, 1, 5)}},
		{name: "ack off", fm: "ack: no", ack: false},
		{name: "bad due", fm: "title: x\ndue: soon", code: "due", line: 3},
		{name: "bad date", fm: "due: 2027-13-45", code: "due", line: 2},
		{name: "zero period", fm: "due: 0d", code: "due", line: 2},
		{name: "due list", fm: "due: [14d]", code: "type", line: 2},
		{name: "bad required", fm: "required: maybe", code: "type", line: 2},
		{name: "bad ack", fm: "ack: 2", code: "type", line: 2},
		{name: "order zero", fm: "order: 0", code: "order", line: 2},
		{name: "order word", fm: "\norder: first", code: "order", line: 3},
		{name: "order negative", fm: "order: -1", code: "order", line: 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, ps := Parse("people/x.md", []byte("---\n"+tc.fm+"\n---\n# T\n"))
			if tc.code != "" {
				if g != nil || !hasProblem(ps, tc.code, tc.line) {
					t.Fatalf("want error %s on line %d, got %v", tc.code, tc.line, ps)
				}
				for _, p := range ps {
					if p.Code == tc.code && (!strings.Contains(p.Message, "write") && !strings.Contains(p.Message, "must be")) {
						t.Errorf("message does not say what to do: %s", p)
					}
				}
				return
			}
			if g == nil {
				t.Fatalf("rejected: %v", ps)
			}
			if hasProblem(ps, "unknown-key", 0) {
				t.Errorf("track key reported unknown: %v", ps)
			}
			if g.Required != tc.required || g.Ack != tc.ack || g.Order != tc.order || g.Deadline != tc.deadline {
				t.Errorf("got required=%v ack=%v order=%d deadline=%+v", g.Required, g.Ack, g.Order, g.Deadline)
			}
		})
	}
}

func TestDeadlineFor(t *testing.T) {
	start := time.Date(2026, 11, 17, 9, 30, 0, 0, time.FixedZone("CET", 3600))
	for _, tc := range []struct {
		due   string
		start time.Time
		want  string
	}{
		{"14d", start, "2026-12-01"},
		{"2w", start, "2026-12-01"},
		{"1m", start, "2026-12-17"},
		{"2027-01-31", start, "2027-01-31"},
		{"2027-01-31", time.Time{}, "2027-01-31"},
		{"14d", time.Time{}, ""},
	} {
		d, err := ParseDeadline(tc.due)
		if err != nil {
			t.Fatal(err)
		}
		got := d.For(tc.start)
		if s := got.Format("2006-01-02"); (tc.want == "" && !got.IsZero()) || (tc.want != "" && s != tc.want) {
			t.Errorf("%s from %v = %v, want %s", tc.due, tc.start, got, tc.want)
		}
	}
	if !(Deadline{}).For(start).IsZero() {
		t.Error("no deadline has a date")
	}
}

func TestForRoles(t *testing.T) {
	for _, tc := range []struct {
		guide, person []string
		want          bool
	}{
		{nil, []string{"sales"}, true},
		{[]string{"everyone"}, []string{"sales"}, true},
		{[]string{"Everyone"}, nil, true},
		{[]string{"sales", "support"}, []string{"support"}, true},
		{[]string{"Sales"}, []string{"sales"}, true},
		{[]string{"finance"}, []string{"sales"}, false},
		{[]string{"finance"}, []string{"sales", "support"}, false},
		{[]string{"finance"}, nil, true},
	} {
		g := &Guide{Roles: tc.guide}
		if got := g.ForRoles(tc.person); got != tc.want {
			t.Errorf("guide %v for %v = %v, want %v", tc.guide, tc.person, got, tc.want)
		}
	}
}

func TestNameSlug(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"kim@example.com", "kim@example.com"},
		{"Kim.Lee+cuecard@Example.COM", "kim.lee+cuecard@example.com"},
		{"Kim Lee", "kim-lee"},
		{"../../etc/passwd", "etc-passwd"},
		{`C:\Users\kim`, "c-users-kim"},
		{".hidden", "hidden"},
		{"kim.", "kim"},
		{"...", ""},
		{"", ""},
		{"CON", "con-person"},
		{"Jürgen Groß", "jürgen-groß"},
	} {
		if got := NameSlug(tc.in); got != tc.want {
			t.Errorf("NameSlug(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func FuzzDeadline(f *testing.F) {
	for _, s := range []string{"14d", "2w", "1m", "1y", "2027-01-31", "2027-1-5", "6 months", "0d", "2027-02-30", "-1d", "1-2-3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDeadline(s)
		if err != nil {
			if !d.IsZero() {
				t.Fatalf("ParseDeadline(%q) failed with a deadline %+v", s, d)
			}
			return
		}
		if d.IsZero() || d.Relative() == !d.Date.IsZero() {
			t.Fatalf("ParseDeadline(%q) = %+v", s, d)
		}
		back, err := ParseDeadline(d.String())
		if err != nil || back != d {
			t.Fatalf("round trip %q -> %q -> %+v, %v", s, d.String(), back, err)
		}
		start := time.Date(2026, 11, 17, 0, 0, 0, 0, time.UTC)
		if due := d.For(start); due.IsZero() || (d.Relative() && !due.After(start)) {
			t.Fatalf("%q from %v is %v", s, start, due)
		}
		_ = NameSlug(s)
	})
}
