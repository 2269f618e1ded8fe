// Package latest sends on a buffered channel without ever blocking: when
// the reader falls behind, the oldest unread value gives way to the newest.
// It suits channels of complete states, where only the latest matters.
package latest

// Send sends v on ch. When ch is full it drops the oldest unread value and
// tries again, until v is in: it never blocks and never loses v, even with
// other goroutines sending or receiving at the same time. ch must be
// buffered (Send panics otherwise) and open.
func Send[T any](ch chan T, v T) {
	SendMerge(ch, v, nil)
}

// SendMerge is Send where a dropped value may leave something in the
// newer one: merge, when not nil, gets each dropped value and the value
// being sent, and returns the value to send in its place.
func SendMerge[T any](ch chan T, v T, merge func(dropped, v T) T) {
	if cap(ch) == 0 {
		panic("latest: Send on an unbuffered channel")
	}
	for {
		select {
		case ch <- v:
			return
		default:
		}
		select {
		case old := <-ch:
			if merge != nil {
				v = merge(old, v)
			}
		default: // a reader made room
		}
	}
}
