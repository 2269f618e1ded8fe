package guide

import (
	"fmt"
	"strings"
	"time"
	"unicode"
)

// Deadline is when a required guide must be done (front matter due): a
// period after the person's start date (14d, 2w, 1m) or a fixed date
// (2027-01-31). The zero Deadline means none.
type Deadline struct {
	// After is the period after the start date; zero for a fixed date.
	After Period
	// Date is the fixed date (UTC midnight); zero for a relative deadline.
	Date time.Time
}

// ParseDeadline reads a due value: a period such as 14d, 2w, 3m or 1y
// (after the person's start date), or a date YYYY-MM-DD.
func ParseDeadline(s string) (Deadline, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return Deadline{}, fmt.Errorf("empty due: write a period after the start date such as 14d or 2w, or a date such as 2027-01-31")
	}
	if len(t) > 64 {
		return Deadline{}, fmt.Errorf("due %q is too long: write a period such as 14d or 2w, or a date such as 2027-01-31", t[:64]+"...")
	}
	if strings.Count(t, "-") >= 2 {
		d, err := parseDate(t)
		if err != nil {
			return Deadline{}, fmt.Errorf("due %q is not a date: write it as YYYY-MM-DD, e.g. 2027-01-31, or as a period after the start date such as 14d", s)
		}
		return Deadline{Date: d}, nil
	}
	p, err := ParsePeriod(t)
	if err != nil {
		return Deadline{}, fmt.Errorf("due %q: write a period after the person's start date such as 14d, 2w or 1m, or a date such as 2027-01-31", s)
	}
	return Deadline{After: p}, nil
}

// IsZero reports whether there is no deadline.
func (d Deadline) IsZero() bool { return d.After.IsZero() && d.Date.IsZero() }

// Relative reports whether the deadline counts from the start date.
func (d Deadline) Relative() bool { return !d.After.IsZero() }

// For is the date the deadline falls on for a person who started on
// start: the fixed date, or start plus the period. It is zero when there
// is no deadline, or when it is relative and start is zero.
func (d Deadline) For(start time.Time) time.Time {
	switch {
	case !d.Date.IsZero():
		return d.Date
	case d.After.IsZero() || start.IsZero():
		return time.Time{}
	}
	y, m, day := start.Date()
	return d.After.AddTo(time.Date(y, m, day, 0, 0, 0, 0, time.UTC))
}

// String is the deadline as front matter writes it: "14d" or "2027-01-31";
// "" for none.
func (d Deadline) String() string {
	if !d.Date.IsZero() {
		return d.Date.Format("2006-01-02")
	}
	return d.After.String()
}

// NameSlug is the file or folder name standing for a person's identity
// (an email or a name) in a library: _people/<NameSlug>.yaml and
// _training/<NameSlug>/. It keeps letters, digits and the characters of an
// email address ("@", ".", "-", "_", "+") in lower case; any other run of
// characters becomes one "-". It never starts with "." (a hidden file) and
// is at most 80 bytes; it is "" when identity has no letter or digit.
func NameSlug(identity string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(strings.TrimSpace(identity)) {
		ok := r == '@' || r == '.' || r == '-' || r == '_' || r == '+' || isLetterOrDigit(r)
		if !ok {
			dash = true
			continue
		}
		if b.Len() == 0 && (r == '.' || r == '-') {
			continue
		}
		if dash && b.Len() > 0 {
			b.WriteByte('-')
		}
		dash = false
		if b.Len()+len(string(r)) > 80 {
			break
		}
		b.WriteRune(r)
	}
	s := strings.TrimRight(b.String(), ".")
	if !strings.ContainsFunc(s, isLetterOrDigit) {
		return ""
	}
	if windowsReserved[s] {
		s += "-person"
	}
	return s
}

func isLetterOrDigit(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// Completion is when a person acknowledged a guide, or marked it as done,
// and the guide's content hash (Guide.Hash) at that time: a later edit of
// the guide shows as a hash that differs.
type Completion struct {
	At   time.Time `json:"at"`
	Hash string    `json:"hash,omitempty"`
}
