package report

import (
	"bytes"
	"compress/gzip"
	"strings"
	"testing"
)

// FuzzRollup feeds arbitrary bytes as the content of a sealed file once
// opened: as a monthly roll-up (gzip-compressed JSON) and as a day's
// aggregate. Neither parser panics; what they accept passes the checks
// and stays in its file's month and day.
func FuzzRollup(f *testing.F) {
	const install = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
	day := `{"version":1,"install":"` + install + `","date":"2027-03-31","guides":{"a.md":{"views":2,"vote":"helpful"}},"apps_seen":["exe:gimp"],"searches":{"x":1}}`
	f.Add([]byte(day))
	var roll bytes.Buffer
	zw := gzip.NewWriter(&roll)
	zw.Write([]byte(`{"version":1,"month":"2027-03","days":[` + day + `]}`))
	zw.Close()
	f.Add(roll.Bytes())
	f.Add([]byte{0x1f, 0x8b, 8, 0})
	f.Add([]byte(`{"version":1,"month":"2027-03","days":[{"version":1,"install":"x","date":"2027-04-01"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if days, err := parseRollup(data, "2027-03"); err == nil {
			for _, a := range days {
				if !strings.HasPrefix(a.Date, "2027-03-") || checkAggregate(a) != nil {
					t.Errorf("accepted %+v", a)
				}
			}
			Build(nil, days, Options{MinInstalls: 3})
		}
		if a, err := parseAggregate(data, install, "2027-03-31"); err == nil {
			if a.Date != "2027-03-31" || a.Install != install || checkAggregate(a) != nil {
				t.Errorf("accepted %+v", a)
			}
			for id := range a.Guides {
				if !validGuideID(id) {
					t.Errorf("accepted a guide id outside the library: %q", id)
				}
			}
		}
	})
}
