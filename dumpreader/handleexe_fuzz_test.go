package dumpreader

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/facts"
)

// FuzzReadHandleExe feeds the Handle reader arbitrary bytes, seeded with
// the project's Handle captures. Properties: no panic, every line
// accounted for exactly once, every diagnostic on a line of the input,
// and the snapshot's JSON form reads back to the same facts.
func FuzzReadHandleExe(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join(handleExeDir, "*.txt"))
	for _, p := range paths {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("x.exe pid: 12 D\\u\n   4: File  (RW-)   C:\\a\nHandle type summary:\n  Event : 3\nTotal handles: 3\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		b := facts.NewBuilder()
		log := facts.NewSourceLog("fuzz.txt", string(FormatHandle))
		if err := readHandleExe(b, log, bytes.NewReader(data)); err != nil {
			return // an ordinary error is fine
		}
		b.AddSource(log)
		snap := b.Snapshot()
		l := snap.Sources[0].Lines
		if l.Parsed+l.Ignored+l.Unrecognized != l.Total {
			t.Fatalf("lines %+v do not add up", l)
		}
		for _, d := range snap.Diagnostics {
			if d.Line < 1 || d.Line > l.Total {
				t.Fatalf("diagnostic outside the input (%d lines): %+v", l.Total, d)
			}
		}
		var first, second bytes.Buffer
		if err := snap.WriteJSON(&first); err != nil {
			t.Fatal(err)
		}
		back, err := facts.DecodeJSON(bytes.NewReader(first.Bytes()))
		if err != nil {
			t.Fatalf("snapshot JSON does not read back: %v", err)
		}
		if err := back.WriteJSON(&second); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first.Bytes(), second.Bytes()) {
			t.Fatalf("round trip diff (-want +got):\n%s", cmp.Diff(snap, back))
		}
		looksLikeHandleExe(data)
	})
}
