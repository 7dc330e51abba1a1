package findzombie_test

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/dumpreader/findzombie"
	"github.com/leakdiag/leakdiag/dumpreader/internal/readtest"
)

// FuzzReadFindZombie feeds the reader arbitrary bytes, seeded with the
// project's FindZombieHandles captures. Properties: no panic, every line
// accounted for exactly once, every diagnostic on a line of the input,
// and the snapshot's JSON form reads back to the same facts.
func FuzzReadFindZombie(f *testing.F) {
	readtest.Seed(f, filepath.Join("../../testdata/findzombie", "*.txt"))
	f.Add([]byte("3 total zombie processes.\n  3 zombies held by a.exe(4)\n    2 zombies of b.exe - process handle count: 2 - thread handle count: 1\n    1 zombie of c d.exe (process: 1 - thread: 0)\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if snap, err := dumpreader.Read(bytes.NewReader(data), "fuzz.txt", dumpreader.Options{Format: dumpreader.FormatFindZombie}); err == nil {
			readtest.CheckSnapshot(t, snap)
		}
		findzombie.Sniff(data)
	})
}
