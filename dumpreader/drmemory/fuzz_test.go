package drmemory_test

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/dumpreader/drmemory"
	"github.com/leakdiag/leakdiag/dumpreader/internal/readtest"
)

// FuzzReadDrMemory feeds the reader arbitrary bytes, seeded with the
// project's Dr. Memory reports. Properties: no panic, every line
// accounted for exactly once, every diagnostic on a line of the input,
// and the snapshot's JSON form reads back to the same facts.
func FuzzReadDrMemory(f *testing.F) {
	readtest.Seed(f, filepath.Join("../../testdata/drmemory", "*.txt"))
	f.Add([]byte("~~Dr.M~~ Error #1: HANDLE LEAK: KERNEL handle 0x70 and 2 similar handle(s) were opened but not closed:\n~~Dr.M~~ # 0 system call NtOpenFile\n~~Dr.M~~ # 1 app.exe!Open [a.c:1]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if snap, err := dumpreader.Read(bytes.NewReader(data), "fuzz.txt", dumpreader.Options{Format: dumpreader.FormatDrMemory}); err == nil {
			readtest.CheckSnapshot(t, snap)
		}
		drmemory.Sniff(data)
	})
}
