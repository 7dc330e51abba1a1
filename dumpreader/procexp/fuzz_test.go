package procexp_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/dumpreader/internal/readtest"
	"github.com/leakdiag/leakdiag/dumpreader/procexp"
)

// FuzzReadProcexp feeds the Process Explorer reader arbitrary bytes,
// seeded with the project's samples. Properties: no panic, every line
// accounted for exactly once, every diagnostic on a line of the input,
// and the snapshot's JSON form reads back to the same facts.
func FuzzReadProcexp(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join("../../testdata/procexp", "*.txt"))
	for _, p := range paths {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("Process\tPID\tHandles\nx.exe\t12\t1,234\nProcess: x.exe Pid: 12\nType\tName\tHandle\nEvent\t\t0x4\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if snap, err := dumpreader.Read(bytes.NewReader(data), "fuzz.txt", dumpreader.Options{Format: dumpreader.FormatProcexp}); err == nil {
			readtest.CheckSnapshot(t, snap)
		}
		procexp.Sniff(data)
	})
}
