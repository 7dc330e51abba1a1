package handleexe_test

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/dumpreader/handleexe"
	"github.com/leakdiag/leakdiag/dumpreader/internal/readtest"
)

// FuzzReadHandleExe feeds the Handle reader arbitrary bytes, seeded with
// the project's Handle captures. Properties: no panic, every line
// accounted for exactly once, every diagnostic on a line of the input,
// and the snapshot's JSON form reads back to the same facts.
func FuzzReadHandleExe(f *testing.F) {
	readtest.Seed(f, filepath.Join("../../testdata/handleexe", "*.txt"))
	f.Add([]byte("x.exe pid: 12 D\\u\n   4: File  (RW-)   C:\\a\nHandle type summary:\n  Event : 3\nTotal handles: 3\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		// Read as dumpreader reads it, UTF-16 decoded first.
		if snap, err := dumpreader.Read(bytes.NewReader(data), "fuzz.txt", dumpreader.Options{Format: dumpreader.FormatHandle}); err == nil {
			readtest.CheckSnapshot(t, snap)
		}
		handleexe.Sniff(data)
	})
}
