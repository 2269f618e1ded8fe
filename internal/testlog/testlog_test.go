package testlog_test

import (
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/cuecard/cuecard/internal/testlog"
)

func TestBufferConcurrent(t *testing.T) {
	var b testlog.Buffer
	log := slog.New(slog.NewTextHandler(&b, nil))
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 100 {
				log.Info("line", "g", g, "i", i)
				_ = b.String()
			}
		}()
	}
	wg.Wait()
	if n := strings.Count(b.String(), "\n"); n != 800 {
		t.Errorf("%d lines, want 800", n)
	}
	out := b.Bytes()
	out[0] = '!'
	if b.String()[0] == '!' {
		t.Error("Bytes is not a copy")
	}
	fmt.Fprint(&b, "x")
	if !strings.HasSuffix(b.String(), "x") {
		t.Error("write after read lost")
	}
}
