package library

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The folders the record prompt offers: those holding guides and the
// folders above them; not a guide's own folder (around its index.md), not
// hidden or ignored ones.
func TestGuideFolders(t *testing.T) {
	root := t.TempDir()
	write := func(p string) {
		f := filepath.Join(root, filepath.FromSlash(p))
		os.MkdirAll(filepath.Dir(f), 0o755)
		os.WriteFile(f, []byte("---\ntitle: How to x "+p+"\n---\nx\n"), 0o644)
	}
	write("top.md")
	write("crm/deals/create.md")
	write("crm/how-to-quote/index.md")
	write("editor/open.md")
	write(".hidden/secret.md")
	write("old/stale.md")
	got := GuideFolders(context.Background(), root, []string{"old/"})
	if want := ",crm,crm/deals,editor"; strings.Join(got, ",") != want {
		t.Errorf("GuideFolders = %q, want %q", strings.Join(got, ","), want)
	}
}
