package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// DefaultMinInstalls is the k of a team report's k-anonymity: a figure that
// comes from fewer installations is shown as "fewer than k".
const DefaultMinInstalls = 3

// masking says which figures of a row come from fewer than k installations.
type masking struct {
	text   string
	fields map[string]bool
}

// masked reports whether field is masked (a nil masking masks nothing).
func (m *masking) masked(field string) bool { return m != nil && m.fields[field] }

// fig is a figure as the report shows it: n, or "fewer than k".
func (m *masking) fig(field string, n int) string {
	if m.masked(field) {
		return m.text
	}
	return strconv.Itoa(n)
}

// maskIf masks field when 0 < installs < k.
func maskIf(m **masking, k int, field string, installs int) {
	if k <= 0 || installs <= 0 || installs >= k {
		return
	}
	if *m == nil {
		*m = &masking{text: maskText(k), fields: map[string]bool{}}
	}
	(*m).fields[field] = true
}

func maskText(k int) string { return fmt.Sprintf("fewer than %d", k) }

// maskedJSON writes v (a struct's JSON, its fields in order) with each
// masked field's value replaced by the mask's text.
func maskedJSON(raw []byte, err error, m *masking) ([]byte, error) {
	if err != nil || m == nil || len(m.fields) == 0 {
		return raw, err
	}
	var fields []struct {
		k string
		v json.RawMessage
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil { // {
		return nil, err
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		k, _ := t.(string)
		if m.fields[k] {
			v, _ = json.Marshal(m.text)
		}
		fields = append(fields, struct {
			k string
			v json.RawMessage
		}{k, v})
	}
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range fields {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(f.k)
		b.Write(k)
		b.WriteByte(':')
		b.Write(f.v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// MarshalJSON writes a masked figure as "fewer than k".
func (g GuideUsage) MarshalJSON() ([]byte, error) {
	type plain GuideUsage
	b, err := json.Marshal(plain(g))
	return maskedJSON(b, err, g.mask)
}

// MarshalJSON writes a masked figure as "fewer than k".
func (u Usage) MarshalJSON() ([]byte, error) {
	type plain Usage
	b, err := json.Marshal(plain(u))
	return maskedJSON(b, err, u.mask)
}

// MarshalJSON writes a masked figure as "fewer than k".
func (d DayCount) MarshalJSON() ([]byte, error) {
	type plain DayCount
	b, err := json.Marshal(plain(d))
	return maskedJSON(b, err, d.mask)
}

// MarshalJSON writes a masked figure as "fewer than k".
func (g Gaps) MarshalJSON() ([]byte, error) {
	type plain Gaps
	b, err := json.Marshal(plain(g))
	return maskedJSON(b, err, g.mask)
}

// Masked reports whether a figure of the guide's row (its JSON name) comes
// from fewer than MinInstalls installations.
func (g GuideUsage) Masked(field string) bool { return g.mask.masked(field) }

// Masked reports whether a total (its JSON name) is masked.
func (u Usage) Masked(field string) bool { return u.mask.masked(field) }

// Masked reports whether the day's views are masked.
func (d DayCount) Masked() bool { return d.mask.masked("views") }
