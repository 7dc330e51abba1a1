package osquery_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/dumpreader/internal/readtest"
	"github.com/leakdiag/leakdiag/dumpreader/osquery"
)

// FuzzReadOsquery feeds the reader arbitrary bytes, seeded with the
// project's samples and the corpus's. Properties: no panic, every line
// accounted for exactly once, every diagnostic on a line of the input,
// and the snapshot's JSON form reads back to the same facts.
func FuzzReadOsquery(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join("../../testdata/osquery", "*.txt"))
	corpus, _ := filepath.Glob(filepath.Join("../../../shared/corpus/wintools", "other-osquery-*"))
	for _, p := range append(paths, corpus...) {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("+-----+------+\n| pid | handle_count |\n+-----+------+\n| 4 | 10 |\n+-----+------+\n[\n{\"pid\":\"5\"}\n]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if snap, err := dumpreader.Read(bytes.NewReader(data), "fuzz.txt", dumpreader.Options{Format: dumpreader.FormatOsquery}); err == nil {
			readtest.CheckSnapshot(t, snap)
		}
		osquery.Sniff(data)
	})
}
