package getprocess_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/dumpreader/getprocess"
	"github.com/leakdiag/leakdiag/dumpreader/internal/readtest"
)

// FuzzReadGetProcess feeds the Get-Process reader arbitrary bytes,
// seeded with the project's captures and the parse cases. Properties:
// no panic, every line accounted for exactly once, every diagnostic on
// a line of the input, and the snapshot's JSON form reads back to the
// same facts; detection does not panic either.
func FuzzReadGetProcess(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join("../../testdata/getprocess", "*.txt"))
	for _, p := range paths {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	for _, c := range parseCases {
		f.Add([]byte(c.In))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if snap, err := dumpreader.Read(bytes.NewReader(data), "fuzz.txt", dumpreader.Options{Format: dumpreader.FormatGetProcess}); err == nil {
			readtest.CheckSnapshot(t, snap)
		}
		getprocess.Sniff(data)
	})
}
