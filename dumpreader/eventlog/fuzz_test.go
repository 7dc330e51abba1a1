package eventlog_test

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/dumpreader/eventlog"
	"github.com/leakdiag/leakdiag/dumpreader/internal/readtest"
)

// FuzzReadEventLog feeds the reader arbitrary bytes, seeded with the
// project's event log captures and the read cases. Properties: no panic,
// every line accounted for exactly once, every diagnostic on a line of
// the input, and the snapshot's JSON form reads back to the same facts.
func FuzzReadEventLog(f *testing.F) {
	readtest.Seed(f, filepath.Join("../../testdata/eventlog", "*.txt"))
	for _, c := range readCases {
		f.Add([]byte(c.in))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if snap, err := dumpreader.Read(bytes.NewReader(data), "fuzz.txt", dumpreader.Options{Format: dumpreader.FormatEventLog}); err == nil {
			readtest.CheckSnapshot(t, snap)
		}
		eventlog.Sniff(data)
	})
}
