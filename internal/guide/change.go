package guide

// Change is one batch of library changes, as the watcher sends it to the
// core: guides added or updated (parsed), guide ids removed, and, when the
// problem list changed, the whole new list.
type Change struct {
	Upserts []*Guide
	Removes []string
	// ProblemsChanged is true when Problems is the new full problem list.
	// The list is shared by everyone the change reaches (at 10,000 guides
	// it can hold tens of thousands of problems): it must not be modified.
	ProblemsChanged bool
	Problems        []Problem
	// Rescan is true when this batch came from a full rescan (start-up,
	// watcher overflow, the library folder coming back).
	Rescan bool
	// Status is a human-readable state change of the watcher itself, e.g.
	// "library folder missing: waiting for it to come back", or "" for none.
	Status string
}

// Empty reports whether the change carries nothing.
func (c Change) Empty() bool {
	return len(c.Upserts) == 0 && len(c.Removes) == 0 && !c.ProblemsChanged && c.Status == ""
}
