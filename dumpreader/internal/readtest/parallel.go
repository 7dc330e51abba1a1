package readtest

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader/internal/scan"
	"github.com/leakdiag/leakdiag/facts"
)

// ReadWith is a text reader's read on workers (kd.ReadWith,
// handleexe.ReadWith, lsof.ReadWith).
type ReadWith func(*facts.Builder, *facts.SourceLog, io.Reader, scan.Parallel) error

// JSONWith reads capture with read on par, as a source of the given
// format, into snapshot JSON.
func JSONWith(t testing.TB, read ReadWith, format, capture string, par scan.Parallel) string {
	t.Helper()
	b := facts.NewBuilder()
	log := facts.NewSourceLog("t.txt", format)
	if err := read(b, log, strings.NewReader(capture), par); err != nil {
		t.Fatal(err)
	}
	b.AddSource(log)
	var buf bytes.Buffer
	if err := b.Snapshot().WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// splits are the ways CheckParallel reads a capture on workers: pieces
// down to a byte, every line parsed by a worker (Wait) and not.
var splits = []scan.Parallel{
	{Workers: 1, ChunkSize: 1, Wait: true},
	{Workers: 2, ChunkSize: 5, Wait: true},
	{Workers: 3, ChunkSize: 97, Wait: true},
	{Workers: 8, ChunkSize: 4096, Wait: true},
	{Workers: 2, ChunkSize: 64},
}

// CheckParallel fails unless capture (called name) reads the same on
// workers, cut in every way of splits, as on one goroutine.
func CheckParallel(t testing.TB, read ReadWith, format, name, capture string) {
	t.Helper()
	want := JSONWith(t, read, format, capture, scan.Parallel{})
	for _, par := range splits {
		if got := JSONWith(t, read, format, capture, par); got != want {
			t.Errorf("%s with %+v: the snapshot differs from the serial read\nserial:\n%s\nparallel:\n%s", name, par, want, got)
		}
	}
}
