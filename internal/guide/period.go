package guide

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Period is a calendar period such as 90d, 6w, 6m or 1y (review_every).
type Period struct {
	N int
	// Unit is one of 'd' (days), 'w' (weeks), 'm' (months), 'y' (years).
	Unit byte
}

// ParsePeriod parses "90d", "6w", "6m", "1y" (spaces and long unit names
// such as "6 months" are accepted too).
func ParsePeriod(s string) (Period, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	i := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	if i == 0 || i > 6 {
		return Period{}, fmt.Errorf("invalid period %q: write a number and a unit, e.g. 90d, 6w, 6m or 1y", s)
	}
	n, _ := strconv.Atoi(t[:i])
	unit := strings.TrimSpace(t[i:])
	var u byte
	switch unit {
	case "d", "day", "days":
		u = 'd'
	case "w", "week", "weeks":
		u = 'w'
	case "m", "mo", "month", "months":
		u = 'm'
	case "y", "year", "years":
		u = 'y'
	default:
		return Period{}, fmt.Errorf("invalid period %q: unit must be d, w, m or y (days, weeks, months, years), e.g. 90d", s)
	}
	if n == 0 {
		return Period{}, fmt.Errorf("invalid period %q: must be at least 1", s)
	}
	return Period{N: n, Unit: u}, nil
}

// AddTo returns t plus the period.
func (p Period) AddTo(t time.Time) time.Time {
	switch p.Unit {
	case 'w':
		return t.AddDate(0, 0, 7*p.N)
	case 'm':
		return t.AddDate(0, p.N, 0)
	case 'y':
		return t.AddDate(p.N, 0, 0)
	default:
		return t.AddDate(0, 0, p.N)
	}
}

// IsZero reports whether the period is unset.
func (p Period) IsZero() bool { return p.N == 0 }

func (p Period) String() string {
	if p.IsZero() {
		return ""
	}
	return fmt.Sprintf("%d%c", p.N, p.Unit)
}

// ParseDuration parses a guide's duration: "5m", "90s", "1h30m", "5 min",
// "10 minutes", or a bare number of minutes.
func ParseDuration(s string) (time.Duration, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	if t == "" {
		return 0, fmt.Errorf("empty duration: write e.g. 5m")
	}
	if n, err := strconv.Atoi(t); err == nil {
		if n <= 0 || n > 6000 { // 100 hours
			return 0, fmt.Errorf("invalid duration %q: write e.g. 5m", s)
		}
		return time.Duration(n) * time.Minute, nil
	}
	r := strings.NewReplacer(" ", "", "minutes", "m", "minute", "m", "mins", "m", "min", "m",
		"hours", "h", "hour", "h", "hrs", "h", "hr", "h", "seconds", "s", "second", "s", "secs", "s", "sec", "s")
	d, err := time.ParseDuration(r.Replace(t))
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("invalid duration %q: write e.g. 5m, 90s or 1h30m", s)
	}
	if d > 100*time.Hour {
		return 0, fmt.Errorf("invalid duration %q: longer than 100 hours", s)
	}
	return d, nil
}

// EstimateDuration estimates reading time from a word count at 200 words a
// minute plus 15 s per checklist step, rounded up to whole minutes (at least 1).
func EstimateDuration(words, steps int) time.Duration {
	secs := words*60/200 + steps*15
	mins := (secs + 59) / 60
	if mins < 1 {
		mins = 1
	}
	return time.Duration(mins) * time.Minute
}

// FormatDuration prints a duration the way guides show it: "5 min", "1 h 30 min".
func FormatDuration(d time.Duration) string {
	m := int((d + 30*time.Second) / time.Minute)
	if m < 1 {
		return "1 min"
	}
	if m < 60 {
		return fmt.Sprintf("%d min", m)
	}
	if m%60 == 0 {
		return fmt.Sprintf("%d h", m/60)
	}
	return fmt.Sprintf("%d h %d min", m/60, m%60)
}
