package facts_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/leakdiag/leakdiag/facts"
	"github.com/leakdiag/leakdiag/internal/benchsnap"
)

// A stream writes its snapshot, JSON and text, as the snapshot held whole
// writes itself: head, every process in order, diagnostics.
func TestStreamWritesAsTheSnapshot(t *testing.T) {
	for _, n := range []int{0, 1, 700} {
		snap := benchsnap.Build(n)
		snap.Diagnostics = append(snap.Diagnostics, facts.Diagnostic{Path: "c.txt", Line: 3, Severity: facts.SevWarning, Code: facts.CodeMissing, Message: "a note"})
		var data bytes.Buffer
		if err := snap.WriteJSON(&data); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "snap.json")
		os.WriteFile(path, data.Bytes(), 0o644)
		held, err := facts.DecodeJSON(bytes.NewReader(data.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		st, err := facts.StreamJSON(func() (io.ReadCloser, error) { return os.Open(path) }, path)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range []struct {
			name         string
			held, stream func(io.Writer) error
		}{
			{"json", held.WriteJSON, st.WriteJSON},
			{"text", held.WriteText, st.WriteText},
		} {
			var a, b bytes.Buffer
			if err := w.held(&a); err != nil {
				t.Fatal(err)
			}
			if err := w.stream(&b); err != nil {
				t.Fatal(err)
			}
			if a.String() != b.String() {
				t.Errorf("%d processes, %s: the stream writes\n%.2000s\nthe snapshot held\n%.2000s", n, w.name, b.String(), a.String())
			}
			if w.name == "json" && n > 0 && a.String() != data.String() {
				t.Errorf("%d processes: the snapshot read back does not write the file it was read from", n)
			}
		}
	}
}

// heapAfter returns the live heap once make has run and its result is
// still held.
func heapAfter(t *testing.T, make func() any) (uint64, any) {
	t.Helper()
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	v := make()
	runtime.GC()
	runtime.ReadMemStats(&m1)
	if m1.HeapAlloc < m0.HeapAlloc {
		return 0, v
	}
	return m1.HeapAlloc - m0.HeapAlloc, v
}

// A stream holds a few numbers a process, not the processes: the memory
// a snapshot of many processes takes (issue 13's 500,000 processes in a
// few hundred MB) does not grow by what each process holds.
func TestStreamHoldsNoProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a snapshot of 20,000 processes")
	}
	const n = 20_000
	var data bytes.Buffer
	if err := benchsnap.Build(n).WriteJSON(&data); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "snap.json")
	os.WriteFile(path, data.Bytes(), 0o644)
	data = bytes.Buffer{}
	heldBytes, held := heapAfter(t, func() any {
		f, _ := os.Open(path)
		defer f.Close()
		s, err := facts.DecodeJSON(f)
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
	runtime.KeepAlive(held)
	held = nil
	streamBytes, st := heapAfter(t, func() any {
		s, err := facts.StreamJSON(func() (io.ReadCloser, error) { return os.Open(path) }, path)
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
	runtime.KeepAlive(st)
	perHeld, perStream := float64(heldBytes)/n, float64(streamBytes)/n
	t.Logf("held %.0f bytes a process, stream %.0f", perHeld, perStream)
	if perStream > 200 || perStream*5 > perHeld {
		t.Errorf("a stream holds %.0f bytes a process (held: %.0f): want at most 200, a fifth of held", perStream, perHeld)
	}
}
