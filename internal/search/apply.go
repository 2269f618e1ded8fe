package search

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/blevesearch/bleve/v2"

	"github.com/cuecard/cuecard/internal/guide"
)

// BatchSize is the number of documents Apply writes per bleve batch.
var BatchSize = 500

// errClosed is returned by methods called after Close.
var errClosed = errors.New("index is closed")

// change is one catalogue edit, applied once its batch is committed.
type change struct {
	id string
	e  *entry // nil: removed
}

// Apply indexes upserts and removes the guides with the ids in deletes, in
// batches of about BatchSize documents. A guide of format faq also gets one
// document per section (id "guide-id#anchor"); re-indexing or removing a
// guide removes section documents it no longer has. A guide and its
// sections are always in the same batch, and each batch carries the guides'
// catalogue records, so a crash leaves the index consistent. When an id is
// both deleted and upserted, the upsert wins; a later upsert of the same id
// wins over an earlier one. On error or cancellation the batches already
// written stay applied (Known reflects them).
func (ix *Index) Apply(ctx context.Context, upserts []*guide.Guide, deletes []string) error {
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	ix.mu.RLock()
	bi := ix.bi
	ix.mu.RUnlock()
	if bi == nil {
		return fmt.Errorf("apply: %w", errClosed)
	}
	if err := ix.failure(); err != nil {
		return fmt.Errorf("apply: %w", err)
	}

	// The last operation per id wins; a nil guide is a delete.
	order := make([]string, 0, len(upserts)+len(deletes))
	ops := make(map[string]*guide.Guide, len(upserts)+len(deletes))
	add := func(id string, g *guide.Guide) {
		if _, ok := ops[id]; !ok {
			order = append(order, id)
		}
		ops[id] = g
	}
	for _, id := range deletes {
		add(id, nil)
	}
	for _, g := range upserts {
		if g == nil {
			continue
		}
		if g.ID == "" {
			return fmt.Errorf("apply: a guide has no ID (title %q)", g.Title)
		}
		add(g.ID, g)
	}

	// Two batches are written at a time: bleve analyses one while it builds
	// and persists the other. Batches never share an id, so their order does
	// not matter.
	var (
		wg       sync.WaitGroup
		inflight = make(chan struct{}, 2)
		errMu    sync.Mutex
		firstErr error
	)
	failed := func() error {
		errMu.Lock()
		defer errMu.Unlock()
		return firstErr
	}
	b := bi.NewBatch()
	var pending []change
	flush := func() {
		if b.Size() == 0 {
			return
		}
		batch, changes := b, pending
		b, pending = bi.NewBatch(), nil
		inflight <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-inflight }()
			if err := ix.write(bi, batch); err != nil {
				errMu.Lock()
				if firstErr == nil {
					firstErr = fmt.Errorf("apply: %w", err)
				}
				errMu.Unlock()
				return
			}
			ix.mu.Lock()
			for _, c := range changes {
				if c.e == nil {
					ix.cat.remove(c.id)
				} else {
					ix.cat.put(c.e)
				}
			}
			ix.gen++
			ix.mu.Unlock()
		}()
	}
	finish := func(err error) error {
		wg.Wait()
		if err != nil {
			return err
		}
		return failed()
	}

	for _, id := range order {
		if err := ctx.Err(); err != nil {
			return finish(fmt.Errorf("apply: %w", err))
		}
		if err := failed(); err != nil {
			return finish(nil)
		}
		g := ops[id]
		ix.mu.RLock()
		old := ix.cat.byID[id]
		ix.mu.RUnlock()
		keep := map[string]bool{}
		if g == nil {
			b.Delete(id)
			pending = append(pending, change{id: id})
		} else {
			e, rec, err := ix.rules.newEntry(g)
			if err != nil {
				return finish(fmt.Errorf("apply: %w", err))
			}
			if err := b.IndexAdvanced(ix.docs.guideDoc(g, rec, e.rules)); err != nil {
				return finish(fmt.Errorf("apply: %s: %w", id, err))
			}
			if g.SectionsIndexed() {
				for _, s := range g.Sections {
					if s.Anchor == "" || keep[s.Anchor] {
						continue
					}
					keep[s.Anchor] = true
					if err := b.IndexAdvanced(ix.docs.sectionDoc(g, s, e.rules)); err != nil {
						return finish(fmt.Errorf("apply: %s#%s: %w", id, s.Anchor, err))
					}
				}
			}
			pending = append(pending, change{id: id, e: e})
		}
		if old != nil {
			for _, s := range old.secs {
				if !keep[s.Anchor] {
					b.Delete(sectionID(id, s.Anchor))
				}
			}
		}
		if b.Size() >= BatchSize {
			flush()
		}
	}
	flush()
	return finish(nil)
}

// write writes one batch. bleve waits for the batch to be persisted; when
// persisting has failed for good (writefail.go) it would wait forever, so
// the wait ends with the recorded failure.
func (ix *Index) write(bi bleve.Index, batch *bleve.Batch) error {
	done := make(chan error, 1)
	go func() {
		var err error
		defer func() { done <- err }()
		defer recoverTo(&err, "write batch")
		err = bi.Batch(batch)
	}()
	select {
	case err := <-done:
		if err != nil {
			if f := ix.failure(); f != nil {
				return f
			}
			return writeError(ix.dir, err)
		}
		return nil
	case <-ix.failed:
		return ix.failure()
	}
}
