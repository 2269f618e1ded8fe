package report_test

import (
	"github.com/cuecard/cuecard/internal/seal"
)

// The test readers: one reader's key, and the readers (that key's
// recipient) the shared files are sealed to.
var testKey, testReaders = func() (*seal.Key, seal.Readers) {
	private, recipient, err := seal.NewKey()
	if err != nil {
		panic(err)
	}
	k, err := seal.ParseKey(private)
	if err != nil {
		panic(err)
	}
	r, err := seal.NewReaders([]string{recipient})
	if err != nil {
		panic(err)
	}
	return k, r
}()
