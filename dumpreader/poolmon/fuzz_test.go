package poolmon_test

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/dumpreader/internal/readtest"
	"github.com/leakdiag/leakdiag/dumpreader/poolmon"
)

// FuzzReadPoolmon feeds the reader arbitrary bytes, seeded with the
// project's PoolMon captures. Properties: no panic, every line accounted
// for exactly once, every diagnostic on a line of the input, and the
// snapshot's JSON form reads back to the same facts.
func FuzzReadPoolmon(f *testing.F) {
	readtest.Seed(f, filepath.Join("../../testdata/poolmon", "*.txt"))
	f.Add([]byte(" Commit:1K Limit:2K Peak:1K Pool N:10K P:20K\n Tag Type Allocs Frees Diff Bytes Per Alloc\n a Nonp 3 (1) 1 (0) 2 64 (0) 32 [x.sys - y]\n a Paged 3 1 2 64 32\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if snap, err := dumpreader.Read(bytes.NewReader(data), "fuzz.txt", dumpreader.Options{Format: dumpreader.FormatPoolmon}); err == nil {
			readtest.CheckSnapshot(t, snap)
		}
		poolmon.Sniff(data)
	})
}
