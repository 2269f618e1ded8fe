package latest_test

import (
	"slices"
	"sync"
	"testing"

	"github.com/cuecard/cuecard/internal/latest"
)

func TestSend(t *testing.T) {
	for _, tc := range []struct {
		name string
		cap  int
		send []int
		want []int // what a reader then finds, in order
	}{
		{"room", 3, []int{1, 2}, []int{1, 2}},
		{"exactly full", 3, []int{1, 2, 3}, []int{1, 2, 3}},
		{"drops oldest", 3, []int{1, 2, 3, 4, 5}, []int{3, 4, 5}},
		{"one slot keeps the newest", 1, []int{1, 2, 3}, []int{3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ch := make(chan int, tc.cap)
			for _, v := range tc.send {
				latest.Send(ch, v)
			}
			close(ch)
			var got []int
			for v := range ch {
				got = append(got, v)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestSendMerge(t *testing.T) {
	type update struct {
		n   int
		pop bool
	}
	// A dropped pop carries over into the newer update.
	carry := func(old, v update) update {
		v.pop = v.pop || old.pop
		return v
	}
	ch := make(chan update, 1)
	latest.SendMerge(ch, update{1, true}, carry)
	latest.SendMerge(ch, update{2, false}, carry)
	latest.SendMerge(ch, update{3, false}, nil)
	if got := <-ch; got != (update{3, false}) {
		t.Errorf("nil merge: got %+v", got)
	}
	latest.SendMerge(ch, update{4, true}, carry)
	latest.SendMerge(ch, update{5, false}, carry)
	if got := <-ch; got != (update{5, true}) {
		t.Errorf("got %+v, want the pop carried into 5", got)
	}
}

func TestSendUnbuffered(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic on an unbuffered channel")
		}
	}()
	latest.Send(make(chan int), 1)
}

// TestSendConcurrent runs senders against each other and a slow reader
// (run it with -race): no Send blocks, and each sender's last value is
// still in the channel or was read, unless newer values pushed it out.
func TestSendConcurrent(t *testing.T) {
	const senders, each = 8, 2000
	ch := make(chan [2]int, 4)
	stop := make(chan struct{})
	readDone := make(chan map[[2]int]bool)
	go func() {
		seen := map[[2]int]bool{}
		for {
			select {
			case v := <-ch:
				seen[v] = true
			case <-stop:
				readDone <- seen
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for s := range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				latest.Send(ch, [2]int{s, i})
			}
		}()
	}
	wg.Wait() // would hang (and time out) if a Send blocked
	close(stop)
	seen := <-readDone
	// The value of the Send that finished last is never dropped (nothing
	// was sent after it): the reader got it or it is still in the channel.
	for len(ch) > 0 {
		seen[<-ch] = true
	}
	n := 0
	for s := range senders {
		if seen[[2]int{s, each - 1}] {
			n++
		}
	}
	if n == 0 {
		t.Error("no sender's last value was read or left in the channel")
	}

	// One sender after all that: its value is the newest and must be
	// there.
	latest.Send(ch, [2]int{-1, -1})
	var last [2]int
	for len(ch) > 0 {
		last = <-ch
	}
	if last != [2]int{-1, -1} {
		t.Errorf("newest value lost: last read %v", last)
	}
}
