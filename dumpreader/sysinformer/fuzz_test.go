package sysinformer_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/dumpreader/internal/readtest"
	"github.com/leakdiag/leakdiag/dumpreader/sysinformer"
)

// FuzzReadSysinformer feeds the reader arbitrary bytes, seeded with the
// project's samples and the corpus's. Properties: no panic, every line
// accounted for exactly once, every diagnostic on a line of the input,
// and the snapshot's JSON form reads back to the same facts.
func FuzzReadSysinformer(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join("../../testdata/sysinformer", "*.txt"))
	corpus, _ := filepath.Glob(filepath.Join("../../../shared/corpus/wintools", "systeminformer-*"))
	for _, p := range append(paths, corpus...) {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("Other\nHandles, 1 234\nPeak handles, 1 300\nType\tName\tHandle\nEvent\t\t0x4\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if snap, err := dumpreader.Read(bytes.NewReader(data), "fuzz.txt", dumpreader.Options{Format: dumpreader.FormatSysinformer}); err == nil {
			readtest.CheckSnapshot(t, snap)
		}
		sysinformer.Sniff(data)
	})
}
