// Package corpus finds, for tests, the shared corpus of real public
// captures: ../shared/corpus beside the repository's root. The captures
// are not ours and are not copied into the project; a test that reads
// them skips, with one message, where the folder is absent.
package corpus

import (
	"os"
	"path/filepath"
	"testing"
)

// Path returns the path of elem inside the shared corpus (the corpus
// itself without elem), skipping t when it is not there.
func Path(t testing.TB, elem ...string) string {
	t.Helper()
	root, err := moduleRoot()
	if err != nil {
		t.Skipf("shared corpus not found: %v", err)
	}
	p := filepath.Join(append([]string{root, "..", "shared", "corpus"}, elem...)...)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("shared corpus not available (%v): skipping; the captures live beside the repository, in ../shared/corpus", err)
	}
	return p
}

// moduleRoot is the directory holding go.mod, at or above the working
// directory (a test runs in its package's directory).
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
}
