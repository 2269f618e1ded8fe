package search

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// recordVersion is the first byte of an encoded record.
const recordVersion = 1

// Flag bits of an encoded record.
const (
	flagEstimated = 1 << iota
	flagNoSuggest
	flagRequired
	flagAck
	flagClicks
)

// encode is the compact binary form of r: a version byte, then the fields in
// a fixed order; strings and lists are length-prefixed (uvarint), integers
// are varints. It decodes about ten times faster than JSON, which matters
// when Open loads 50,000 records.
func (r *record) encode() []byte {
	b := make([]byte, 0, 256)
	b = append(b, recordVersion)
	str := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	strs := func(ss []string) {
		b = binary.AppendUvarint(b, uint64(len(ss)))
		for _, s := range ss {
			str(s)
		}
	}
	var flags byte
	if r.Estimated {
		flags |= flagEstimated
	}
	if r.NoSuggest {
		flags |= flagNoSuggest
	}
	if r.Required {
		flags |= flagRequired
	}
	if r.Ack {
		flags |= flagAck
	}
	if r.Clicks {
		flags |= flagClicks
	}
	b = append(b, flags)
	str(r.Title)
	str(r.Summary)
	str(r.Format)
	b = binary.AppendUvarint(b, uint64(len(r.Apps)))
	for _, a := range r.Apps {
		str(a.Exe)
		str(a.Class)
		str(a.Title)
		b = binary.AppendVarint(b, int64(a.Line))
	}
	strs(r.Tags)
	strs(r.Roles)
	str(r.Owner)
	str(r.Reviewed)
	str(r.ReviewEvery)
	b = binary.AppendVarint(b, r.Duration)
	str(r.Video)
	str(r.Template)
	b = binary.AppendUvarint(b, uint64(len(r.Sections)))
	for _, s := range r.Sections {
		str(s.Anchor)
		str(s.Title)
	}
	b = binary.AppendVarint(b, r.Size)
	b = binary.AppendVarint(b, r.ModTime)
	str(r.Hash)
	str(r.Lang)
	str(r.Due)
	b = binary.AppendVarint(b, r.Order)
	strs(r.Steps)
	return b
}

var errRecord = errors.New("malformed catalogue record")

// decoder reads an encoded record. All strings share one allocation: the
// record converted to a string once.
type decoder struct {
	s   string
	err error
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint([]byte(d.s[:min(len(d.s), binary.MaxVarintLen64)]))
	if n <= 0 {
		d.err = errRecord
		return 0
	}
	d.s = d.s[n:]
	return v
}

// varint reads a binary.PutVarint value: a zig-zag encoded uvarint.
func (d *decoder) varint() int64 {
	u := d.uvarint()
	return int64(u>>1) ^ -int64(u&1)
}

func (d *decoder) str() string {
	n := d.uvarint()
	if d.err != nil {
		return ""
	}
	if n > uint64(len(d.s)) {
		d.err = errRecord
		return ""
	}
	v := d.s[:n]
	d.s = d.s[n:]
	return v
}

// count reads a list length, bounded by the bytes left (each item takes at
// least one byte), so damaged data cannot ask for a huge allocation.
func (d *decoder) count() int {
	n := d.uvarint()
	if n > uint64(len(d.s)) {
		d.err = errRecord
		return 0
	}
	return int(n)
}

func (d *decoder) strs() []string {
	n := d.count()
	if n == 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = d.str()
	}
	return out
}

func decodeRecord(data []byte) (record, error) { return decodeRecordString(string(data)) }

// decodeRecordString decodes an encoded record held in a string: the
// record's strings are substrings of data.
func decodeRecordString(data string) (record, error) {
	var r record
	if len(data) < 2 || data[0] != recordVersion {
		return r, fmt.Errorf("%w (version)", errRecord)
	}
	flags := data[1]
	d := &decoder{s: data[2:]}
	r.Estimated = flags&flagEstimated != 0
	r.NoSuggest = flags&flagNoSuggest != 0
	r.Required = flags&flagRequired != 0
	r.Ack = flags&flagAck != 0
	r.Clicks = flags&flagClicks != 0
	r.Title = d.str()
	r.Summary = d.str()
	r.Format = d.str()
	if n := d.count(); n > 0 {
		r.Apps = make([]ruleRec, n)
		for i := range r.Apps {
			r.Apps[i] = ruleRec{Exe: d.str(), Class: d.str(), Title: d.str(), Line: int(d.varint())}
		}
	}
	r.Tags = d.strs()
	r.Roles = d.strs()
	r.Owner = d.str()
	r.Reviewed = d.str()
	r.ReviewEvery = d.str()
	r.Duration = d.varint()
	r.Video = d.str()
	r.Template = d.str()
	if n := d.count(); n > 0 {
		r.Sections = make([]secRec, n)
		for i := range r.Sections {
			r.Sections[i] = secRec{Anchor: d.str(), Title: d.str()}
		}
	}
	r.Size = d.varint()
	r.ModTime = d.varint()
	r.Hash = d.str()
	r.Lang = d.str()
	r.Due = d.str()
	r.Order = d.varint()
	r.Steps = d.strs()
	if d.err == nil && len(d.s) != 0 {
		d.err = errRecord
	}
	return r, d.err
}
