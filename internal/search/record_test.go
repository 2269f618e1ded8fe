package search

import (
	"bytes"
	"reflect"
	"testing"
)

func fullRecord() record {
	return record{
		Title: "Refund an order", Summary: "Money back.", Format: "checklist",
		Apps:        []ruleRec{{Exe: "^quickbooks$", Line: 5}, {Class: "calc", Title: "Sheet – ü", Line: 7}},
		Tags:        []string{"billing", "payments"},
		Roles:       []string{"finance"},
		Owner:       "maria@example.com",
		Reviewed:    "2026-04-01",
		ReviewEvery: "6m",
		Duration:    300,
		Estimated:   true,
		NoSuggest:   true,
		Video:       "https://videos.example.com/a.mp4",
		Template:    "templates/a.txt",
		Sections:    []secRec{{Anchor: "why", Title: "Why?"}},
		Size:        1234,
		ModTime:     -1,
		Hash:        "ab12",
		Required:    true,
		Ack:         true,
		Due:         "14d",
		Order:       3,
		Steps:       []string{"a1b2c3", "d4e5f6-2"},
	}
}

func TestRecordRoundTrip(t *testing.T) {
	for _, r := range []record{{}, fullRecord()} {
		got, err := decodeRecord(r.encode())
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, r) {
			t.Errorf("round trip:\n got %+v\nwant %+v", got, r)
		}
	}
}

func TestDecodeRecordRejectsDamage(t *testing.T) {
	good := fullRecord()
	data := good.encode()
	for _, bad := range [][]byte{nil, {recordVersion}, {2, 0}, data[:len(data)-1], append(bytes.Clone(data), 0)} {
		if _, err := decodeRecord(bad); err == nil {
			t.Errorf("decodeRecord(%q) succeeded", bad)
		}
	}
}

func FuzzDecodeRecord(f *testing.F) {
	r := fullRecord()
	f.Add(r.encode())
	f.Add((&record{}).encode())
	f.Add([]byte{recordVersion, 0, 0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := decodeRecord(data)
		if err != nil {
			return
		}
		// What decodes survives a round trip.
		again, err := decodeRecord(r.encode())
		if err != nil || !reflect.DeepEqual(again, r) {
			t.Fatalf("round trip of %q: %+v, %v", data, again, err)
		}
	})
}
