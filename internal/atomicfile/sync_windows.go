package atomicfile

// syncDir does nothing: Windows cannot open a folder for syncing, and
// its rename (MoveFileEx) is already durable enough for NTFS's journal.
func syncDir(string) error { return nil }
