package dumpreader

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/facts"
)

// FuzzReadLsof feeds the lsof reader arbitrary bytes, seeded with the
// project's lsof captures. Properties: no panic, every line accounted for
// exactly once, every diagnostic on a line of the input, and the
// snapshot's JSON form reads back to the same facts; detection does not
// panic either.
func FuzzReadLsof(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join(lsofDir, "*.txt"))
	for _, p := range paths {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("COMMAND PID TID TASKCMD USER FD TYPE DEVICE SIZE/OFF NODE NAME\njava 1 2 t u 3u IPv4 9 0t0 TCP a:1->b:2 (CLOSE_WAIT)\n"))
	f.Add([]byte("p1\x00cx\x00\nf3\x00tIPv6\x00PTCP\x00n[::1]:1->[::1]:2\x00TST=LISTEN\x00\n"))
	f.Add([]byte("$ lsof -nP | grep x\nx 1 u 0u a_inode 0,14 0 1 [eventfd:1]\nlsof: WARNING: y\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		b := facts.NewBuilder()
		log := facts.NewSourceLog("fuzz.txt", string(FormatLsof))
		if err := readLsof(b, log, bytes.NewReader(data)); err != nil {
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
		// Comparing the encodings is as strict as comparing the facts and
		// much faster, which keeps the fuzzer's executions cheap.
		if !bytes.Equal(first.Bytes(), second.Bytes()) {
			t.Fatalf("round trip diff (-want +got):\n%s", cmp.Diff(snap, back))
		}
		looksLikeLsof(data)
	})
}
