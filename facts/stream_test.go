package facts_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
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
