// Package readtest holds what the tests of the text readers share: the
// properties every fuzz target checks of what a reader made of its input,
// and the check that a reader on workers reads a capture as it does on
// one goroutine.
package readtest

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/facts"
)

// CheckSnapshot checks what a text reader made of arbitrary input: every
// line accounted for exactly once, every diagnostic on a line of the
// input, and the snapshot's JSON form reads back to the same facts.
func CheckSnapshot(t testing.TB, snap *facts.Snapshot) {
	t.Helper()
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
}

// Seed adds to f's seeds every file the globs match: a reader's samples
// (../../testdata/FORMAT/*.txt from its package) and the corpus's
// captures where it is present. A glob that matches nothing adds none.
func Seed(f *testing.F, globs ...string) {
	for _, g := range globs {
		paths, _ := filepath.Glob(g)
		for _, p := range paths {
			if data, err := os.ReadFile(p); err == nil {
				f.Add(data)
			}
		}
	}
}
