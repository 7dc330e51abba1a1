package taskmgr_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/dumpreader/internal/readtest"
	"github.com/leakdiag/leakdiag/dumpreader/taskmgr"
)

// FuzzReadTaskMgr feeds the Task Manager reader arbitrary bytes,
// seeded with the project's captures and the parse cases. Properties:
// no panic, every line accounted for exactly once, every diagnostic on
// a line of the input, and the snapshot's JSON form reads back to the
// same facts; detection does not panic either.
func FuzzReadTaskMgr(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join("../../testdata/taskmgr", "*.txt"))
	for _, p := range paths {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	for _, c := range parseCases {
		f.Add([]byte(c.In))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if snap, err := dumpreader.Read(bytes.NewReader(data), "fuzz.txt", dumpreader.Options{Format: dumpreader.FormatTaskMgr}); err == nil {
			readtest.CheckSnapshot(t, snap)
		}
		taskmgr.Sniff(data)
	})
}
